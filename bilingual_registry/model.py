"""The record contract (DESIGN.md §2): pydantic models are the single source of the JSON schema.

Other tools read this JSON, so keys are only ever added, never renamed or dropped. `parts.py` mirrors
these models as plain dataclasses for the batch data path (a test keeps the two alike); a model validates
its part as it would a dict.
"""
from __future__ import annotations

import copy
import dataclasses
from functools import cache
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field as PydField, TypeAdapter
from pydantic.dataclasses import dataclass

from .parts import SCHEMA_VERSION, Lang, Severity  # noqa: F401 - SCHEMA_VERSION, Severity: part of this API

GROUPS = ("secondary_sponsors", "interventions", "sites", "outcomes", "samples")


# defer_build: a model's validator is built on its first use, so the batch data path (which validates no
# Record) never builds the Record's, and `bireg schema` or `--validate` still get it; from_attributes: a
# `parts` object the readers built is read as its model
_STRICT_KEYS = ConfigDict(extra="forbid", defer_build=True, from_attributes=True)


class _Model(BaseModel):
    model_config = _STRICT_KEYS


@cache
def _adapter(cls: type) -> TypeAdapter:
    return TypeAdapter(cls)


class _Part:
    """Fields and sides are pydantic dataclasses: validated like the models, keys checked alike, but
    built in half the time, and a record holds hundreds of them. These two methods keep the models' API."""

    __slots__ = ()

    def model_dump(self, **kwargs: Any) -> dict:
        return _adapter(type(self)).dump_python(self, **kwargs)

    def model_copy(self, *, update: Optional[dict] = None, deep: bool = False):
        return dataclasses.replace(copy.deepcopy(self) if deep else self, **(update or {}))


@dataclass(config=_STRICT_KEYS, slots=True, kw_only=True)
class Side(_Part):
    """One language's half of a field: its label (no trailing colon, wraps folded) and value."""

    label: str = ""
    value: str = ""


class Repair(_Model):
    """One explained change (or proposed change, when not applied) to a value."""

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


@dataclass(config=_STRICT_KEYS, slots=True, kw_only=True)
class Field(_Part):
    """A Chinese label/value block paired with its English twin."""

    key: str
    group: Optional[str] = None
    index: Optional[int] = None
    zh: Side = dataclasses.field(default_factory=Side)
    en: Side = dataclasses.field(default_factory=Side)
    shared: bool = False
    lines: list[int] = dataclasses.field(default_factory=list)
    repairs: list[Repair] = dataclasses.field(default_factory=list)


class Unpaired(_Model):
    """A block the aligner could not place; kept so nothing is lost."""

    text: str
    lines: list[int]
    why: str


class Problem(_Model):
    """Something a user should know about the input or the alignment."""

    code: str
    message: str
    severity: Severity = "warning"
    lines: Optional[list[int]] = None
    field: Optional[str] = None
    # where in a value, for problems about one cell (a `lost-character`): side, offset, group member
    side: Optional[Literal["zh", "en"]] = None
    at: Optional[int] = None
    group: Optional[str] = None
    index: Optional[int] = None


class Source(_Model):
    path: Optional[str] = None
    format: str = "text"
    encoding: Optional[str] = None
    sha256: Optional[str] = None


class PreambleBlock(_Model):
    """A block before the first field: page header, title, page chrome."""

    text: str
    lines: list[int]


class Header(_Model):
    """What the page says about itself before the fields (history-version header line, title)."""

    title: Optional[str] = None
    version: Optional[str] = None
    version_created: Optional[str] = None
    preamble: list[PreambleBlock] = PydField(default_factory=list)


class Record(_Model):
    schema_version: int = SCHEMA_VERSION
    registry: Optional[str] = None
    registration_number: Optional[str] = None
    source: Source = PydField(default_factory=Source)
    header: Header = PydField(default_factory=Header)
    fields: list[Field] = PydField(default_factory=list)
    unpaired: list[Unpaired] = PydField(default_factory=list)
    repairs: list[Repair] = PydField(default_factory=list)
    problems: list[Problem] = PydField(default_factory=list)

    def get(self, key: str, group: Optional[str] = None, index: Optional[int] = None) -> Optional[Field]:
        """The first field with this key (and group/index when given), or None."""
        for f in self.fields:
            if f.key == key and (group is None or f.group == group) and (index is None or f.index == index):
                return f
        return None

    def members(self, group: str) -> list[dict[str, Field]]:
        """The members of a repeated group, each a mapping key -> field, in index order."""
        out: dict[int, dict[str, Field]] = {}
        for f in self.fields:
            if f.group == group and f.index is not None:
                out.setdefault(f.index, {})[f.key] = f
        return [out[i] for i in sorted(out)]


class Span(_Model):
    """Characters [start, end) of one side's value that a finding points at."""

    start: int
    end: int


class Finding(_Model):
    """One translation-QA finding: what a review check saw in one field (or across fields and records).

    The texts are the field's values (or excerpts around the spans when a value is long); spans index
    into `zh_text` / `en_text` as given here.
    """

    check: str
    severity: Severity
    message: str
    registration_number: Optional[str] = None
    field: Optional[str] = None
    group: Optional[str] = None
    index: Optional[int] = None
    zh_label: Optional[str] = None
    en_label: Optional[str] = None
    side: Optional[Literal["zh", "en", "both"]] = None
    zh_spans: list[Span] = PydField(default_factory=list)
    en_spans: list[Span] = PydField(default_factory=list)
    zh_text: str = ""
    en_text: str = ""
    suggestion: Optional[str] = None
    source: Optional[str] = None  # the file of the record reviewed (`Record.source.path`), when it came from one


def json_schema() -> dict:
    """The JSON Schema of a record, for other tools (`bireg schema`)."""
    return Record.model_json_schema()
