"""A record's values as the glossary reads them."""
from __future__ import annotations

from typing import Iterator


def iter_fields(record) -> Iterator[tuple[str, str, str]]:
    """(field name, side, value) for every non-empty value of a record, group members named key[index]."""
    for f in record.fields:
        name = f.key if f.group is None else f"{f.group}[{f.index}].{f.key}"
        for side in ("zh", "en"):
            value = getattr(f, side).value
            if value and not (side == "en" and f.shared):
                yield name, side, value

