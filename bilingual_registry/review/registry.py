"""The check registry: every review check is a small function registered here with its id and severity.

Two kinds of check: a *field* check sees one bilingual field (a `Pair`) and yields `Hit`s; a *batch*
check sees every pair of the batch at once (inconsistency inside a record and across records). The
engine (`review()`) turns hits into `Finding`s with the record's number, the field's labels and texts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Literal, Optional

from ..model import Severity

Side = Literal["zh", "en", "both"]


@dataclass(slots=True)
class Pair:
    """One bilingual field as the checks see it: both values, the field's traits and where it is."""

    key: str
    zh: str
    en: str
    group: Optional[str] = None
    index: Optional[int] = None
    zh_label: str = ""
    en_label: str = ""
    traits: frozenset[str] = frozenset()
    value_kind: str = "bi"
    record: Optional[str] = None  # registration number
    position: int = 0  # the field's place in its record
    source: Optional[str] = None  # the record's file (`Record.source.path`): two copies of one record apart
    # the repairs applied to the field's values: (side, start, end, before, after, evidence, confidence),
    # start and end in the value as repaired
    repairs: tuple[tuple[str, int, int, str, str, str, float], ...] = ()

    def has(self, trait: str) -> bool:
        return trait in self.traits

    @property
    def where(self) -> str:
        """The field as a reviewer names it: `key`, or `group[index].key` for a group member."""
        return self.key if self.group is None else f"{self.group}[{self.index}].{self.key}"


@dataclass(slots=True)
class Hit:
    """What a check saw: a message, the side, character spans on each side, maybe a suggestion.

    `pair` is set by batch checks (the field the hit is about); `severity` overrides the check's default.
    """

    message: str
    side: Side = "en"
    zh_spans: list[tuple[int, int]] = field(default_factory=list)
    en_spans: list[tuple[int, int]] = field(default_factory=list)
    suggestion: Optional[str] = None
    severity: Optional[Severity] = None
    pair: Optional[Pair] = None


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    severity: Severity
    scope: Literal["field", "batch"]
    fn: Callable
    title: str  # the docstring's first line: what the check catches
    rank: int = 0  # registration order: a field's findings are listed in it


CHECKS: dict[str, Check] = {}


def _register(check_id: str, severity: Severity, scope: str) -> Callable:
    def deco(fn: Callable) -> Callable:
        if check_id in CHECKS:
            raise ValueError(f"check {check_id!r} registered twice")
        title = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else check_id
        CHECKS[check_id] = Check(check_id, severity, scope, fn, title, len(CHECKS))
        fn.check_id = check_id
        return fn
    return deco


def field_check(check_id: str, severity: Severity) -> Callable:
    """Register `fn(pair, ctx) -> Iterable[Hit]` as a check of one field."""
    return _register(check_id, severity, "field")


def batch_check(check_id: str, severity: Severity) -> Callable:
    """Register `fn(pairs, ctx) -> Iterable[Hit]` as a check over every field of a batch (hits name their pair)."""
    return _register(check_id, severity, "batch")


def all_checks() -> dict[str, Check]:
    """Every registered check, by id (importing the check modules registers them)."""
    from . import checks  # noqa: F401

    return CHECKS


def list_checks() -> list[tuple[str, str, str]]:
    """(id, default severity, title) of every check, sorted by id: for the command's help.

    >>> ("truncated", "error") in [(i, s) for i, s, _ in list_checks()]
    True
    """
    return [(c.id, c.severity, c.title) for c in sorted(all_checks().values(), key=lambda c: c.id)]


def demo(check_id: str, zh: str, en: str, key: str = "objectives", **kw) -> list[str]:
    """Run one field check on one pair and show its hits as `side: message` lines: for doctests."""
    from .context import Context

    check = all_checks()[check_id]
    pair = Context.default().pair(key, zh, en, **kw)
    hits: Iterable[Hit] = check.fn(pair, Context.default()) if check.scope == "field" else check.fn([pair], Context.default())
    return [f"{h.side}: {h.message}" for h in hits]


def demo_batch(check_id: str, rows: list[tuple]) -> list[str]:
    """Run one batch check on (key, zh, en[, record[, group, index]]) rows; show its hits as `field: message` lines."""
    from .context import Context

    ctx = Context.default()
    pairs = [ctx.pair(r[0], r[1], r[2], *(r[4:6] if len(r) > 4 else ()), record=(r[3] if len(r) > 3 else "R1"),
                      position=n) for n, r in enumerate(rows)]
    return [f"{h.pair.where}: {h.message}" for h in all_checks()[check_id].fn(pairs, ctx)]


def spans_of(matches: Iterator) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]
