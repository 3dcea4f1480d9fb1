"""The record contract's shapes as plain dataclasses, so `bireg parse` runs without importing pydantic.

The pydantic models in `model.py` stay the contract (the library's Records, `bireg schema`, `--validate`),
but importing pydantic costs more than parsing a file. Readers and the aligner build these parts instead,
`plain.shape` reads the keys, order, defaults and nesting of the JSON from them, and the models validate
them as they are (`from_attributes`). `tests/test_plain.py` checks every class against its model (names,
order, defaults, types), so no key can drift.

>>> Header().preamble, Source(path="a.txt").format
([], 'text')
>>> Source(path="a.txt") == Source(path="a.txt"), Source(path="a.txt") == Source(path="b.txt")
(True, False)
>>> Side(value="否")
Side(label='', value='否')
>>> list(Source.__dataclass_fields__)
['path', 'format', 'encoding', 'sha256']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

SCHEMA_VERSION = 1

Lang = Literal["zh", "en"]
Severity = Literal["info", "warning", "error"]


class _Part:
    """One `__repr__` and `__eq__` for every part: the ones `dataclass` writes for each class cost more to
    make at start-up (5 ms for these nine) than the whole of this module otherwise."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__dataclass_fields__)})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__dataclass_fields__)


_part = dataclass(slots=True, kw_only=True, repr=False, eq=False)


@_part
class Side(_Part):
    label: str = ""
    value: str = ""


@_part
class Repair(_Part):
    field: str
    side: Lang
    at: int
    before: str
    after: str
    rule: str
    evidence: str
    confidence: float
    group: Optional[str] = None
    index: Optional[int] = None
    applied: bool = True


@_part
class Field(_Part):
    key: str
    group: Optional[str] = None
    index: Optional[int] = None
    zh: Side = field(default_factory=Side)
    en: Side = field(default_factory=Side)
    shared: bool = False
    lines: list[int] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)


@_part
class Unpaired(_Part):
    text: str
    lines: list[int]
    why: str


@_part
class Problem(_Part):
    code: str
    message: str
    severity: Severity = "warning"
    lines: Optional[list[int]] = None
    field: Optional[str] = None
    side: Optional[Literal["zh", "en"]] = None
    at: Optional[int] = None
    group: Optional[str] = None
    index: Optional[int] = None


@_part
class Source(_Part):
    path: Optional[str] = None
    format: str = "text"
    encoding: Optional[str] = None
    sha256: Optional[str] = None


@_part
class PreambleBlock(_Part):
    text: str
    lines: list[int]


@_part
class Header(_Part):
    title: Optional[str] = None
    version: Optional[str] = None
    version_created: Optional[str] = None
    preamble: list[PreambleBlock] = field(default_factory=list)


@_part
class Record(_Part):
    schema_version: int = SCHEMA_VERSION
    registry: Optional[str] = None
    registration_number: Optional[str] = None
    source: Source = field(default_factory=Source)
    header: Header = field(default_factory=Header)
    fields: list[Field] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
