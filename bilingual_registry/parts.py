"""The record contract's shapes as plain dataclasses, so `bireg parse` runs without importing pydantic.

The pydantic models in `model.py` stay the contract (the library's Records, `bireg schema`, `--validate`),
but importing pydantic costs more than parsing a file. Readers and the aligner build these parts instead,
`plain.shape` reads the keys, order, defaults and nesting of the JSON from them, and the models validate
them as they are (`from_attributes`). `tests/test_plain.py` checks every class against its model (names,
order, defaults, types), so no key can drift.

>>> Header().preamble, Source(path="a.txt").format
([], 'text')
>>> list(Source.__dataclass_fields__)
['path', 'format', 'encoding', 'sha256']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

SCHEMA_VERSION = 1

Lang = Literal["zh", "en"]
Severity = Literal["info", "warning", "error"]


@dataclass(slots=True, kw_only=True)
class Side:
    label: str = ""
    value: str = ""


@dataclass(slots=True, kw_only=True)
class Repair:
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


@dataclass(slots=True, kw_only=True)
class Field:
    key: str
    group: Optional[str] = None
    index: Optional[int] = None
    zh: Side = field(default_factory=Side)
    en: Side = field(default_factory=Side)
    shared: bool = False
    lines: list[int] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Unpaired:
    text: str
    lines: list[int]
    why: str


@dataclass(slots=True, kw_only=True)
class Problem:
    code: str
    message: str
    severity: Severity = "warning"
    lines: Optional[list[int]] = None
    field: Optional[str] = None
    side: Optional[Literal["zh", "en"]] = None
    at: Optional[int] = None
    group: Optional[str] = None
    index: Optional[int] = None


@dataclass(slots=True, kw_only=True)
class Source:
    path: Optional[str] = None
    format: str = "text"
    encoding: Optional[str] = None
    sha256: Optional[str] = None


@dataclass(slots=True, kw_only=True)
class PreambleBlock:
    text: str
    lines: list[int]


@dataclass(slots=True, kw_only=True)
class Header:
    title: Optional[str] = None
    version: Optional[str] = None
    version_created: Optional[str] = None
    preamble: list[PreambleBlock] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Record:
    schema_version: int = SCHEMA_VERSION
    registry: Optional[str] = None
    registration_number: Optional[str] = None
    source: Source = field(default_factory=Source)
    header: Header = field(default_factory=Header)
    fields: list[Field] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
