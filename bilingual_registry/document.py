"""What every reader hands the aligner: the page's blocks in order, with their line spans."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .parts import Source


@dataclass(slots=True)
class Block:
    """One label or value as it stood on the page.

    `kind` and `lang` are hints from readers that know them (HTML marks labels and languages);
    the text reader leaves them empty and the aligner decides from the label inventory.
    `kind` is "" (unknown), "label", "value" or "empty" (a value shown as blank, e.g. `&nbsp;`).
    `senses` are the label's meanings when the reader has already looked them up (with the schema the
    aligner is given), so the aligner need not look again; None when it has not.
    """

    text: str
    lines: tuple[int, int]
    kind: str = ""
    lang: Optional[str] = None
    senses: Optional[list] = None


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    source: Source = field(default_factory=Source)
    problems: list = field(default_factory=list)  # the input's own (bytes replaced), for every record of it
    unpaired: list = field(default_factory=list)  # what the reader kept aside (page text in no field)
