"""Record → text in the registry's export layout, so that parse(render(r)) gives r back.

Each field is written as its Chinese label and value, then its English label and value; a shared value
is written once after both labels, as the page shows it. An empty side whose twin has a value is written
as a non-breaking space, the way exports show a blank cell, so it is not read as a shared value.
"""
from __future__ import annotations

from .model import Record

BLANK = "\u00a0"


def render(record: Record, colon: str = ":") -> str:
    """The record as a text export. `colon` is ":" or the full-width "："."""
    blocks = [p.text for p in record.header.preamble]
    for f in record.fields:
        zl = f.zh.label + colon if f.zh.label else ""
        el = f.en.label + colon if f.en.label else ""
        if f.shared:
            blocks += [b for b in (zl, el, f.zh.value) if b]
            continue
        for label, value, other in ((zl, f.zh.value, f.en.value), (el, f.en.value, f.zh.value)):
            if label:
                blocks.append(label)
                if value:
                    blocks.append(value)
                elif other:
                    blocks.append(BLANK)
    return "\n\n".join(blocks) + "\n"
