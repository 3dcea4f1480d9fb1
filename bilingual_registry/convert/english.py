"""`to_english`: one flat English row per record, every cell with its provenance.

The columns are data (`glossary/english_columns.tsv`, read by `columns.py`); each names one of the rules
below. A rule reads fields of the record and returns the cell in both styles with its source:

- `en` the English as registered, `shared` a language-neutral value shown once for both languages (or the
  Chinese side of a language-neutral field), `vocab` a controlled value mapped from the Chinese through the
  glossary, `repaired` English changed by the repair stage, `derived` a value computed from others (summed,
  split, re-formatted), `missing` nothing trustworthy: left empty, never machine-translated or invented;
  `ictrp` every cell of a record read from a WHO ICTRP export.

Everything here is module-level and holds no open handle, so rows can be built in worker processes
(a Dask bag, Spark `mapPartitions`, `multiprocessing`).
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from typing import Any, Callable, NamedTuple, Optional

from ..glossary import Glossary, VocabEntry
from ..glossary.tables import data_table
from ..labels import keys_with
from ..model import Record
from . import values as v
from .columns import PROVENANCE, ZH_SUFFIX, Column, column_names, columns, struct_keys

MISSING, DERIVED = "missing", "derived"
# when a cell joins several values, the source it reports: the strongest claim a reader should know of
_RANK = {"missing": 0, "shared": 1, "en": 2, "vocab": 3, "repaired": 4, "ictrp": 5, "derived": 6}


class Cell(NamedTuple):
    """A cell in both styles, with its source (and the ictrp cell's, where that one differs)."""

    tidy: Any
    ictrp: Any
    source: str
    ictrp_source: Optional[str] = None


_EMPTY = Cell(None, "", MISSING)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


class _Vocab:
    """The glossary's controlled values indexed for the row: (field, folded zh or English) → entry."""

    def __init__(self, glossary: Glossary):
        self.by_zh: dict[tuple[str, str], VocabEntry] = {}
        self.by_en: dict[tuple[str, str], VocabEntry] = {}
        for e in glossary.vocab:
            self.by_zh.setdefault((e.field, _fold(e.zh)), e)
            for en in (e.en, *e.en_variants, *e.registry_id):
                self.by_en.setdefault((e.field, _fold(en)), e)
        self.ictrp: dict[tuple[str, str], str] = {}
        for r in data_table("ictrp_values.tsv"):
            self.ictrp[(r["field"], _fold(r["en"]))] = r["ictrp"]

    def entry(self, key: str, zh: str, en: str) -> Optional[VocabEntry]:
        """The entry an English value names, else the one its Chinese names."""
        found = self.by_en.get((key, _fold(en))) if en else None
        return found or self.from_zh(key, zh)

    def from_zh(self, key: str, zh: str) -> Optional[VocabEntry]:
        return self.by_zh.get((key, _fold(zh))) if zh else None


_VOCABS: dict[int, tuple[Glossary, _Vocab]] = {}


def _vocab(glossary: Optional[Glossary]) -> _Vocab:
    glossary = glossary if glossary is not None else Glossary.default()
    held = _VOCABS.get(id(glossary))
    if held is None or held[0] is not glossary:
        if len(_VOCABS) > 8:    # a caller making a glossary per record keeps no more than a few
            _VOCABS.clear()
        held = _VOCABS[id(glossary)] = (glossary, _Vocab(glossary))
    return held[1]


@lru_cache(maxsize=None)
def _neutral_keys() -> frozenset[str]:
    return keys_with("language-neutral")


def _get(item: Any, name: str, default: Any = None) -> Any:
    """An attribute of a model, or the key of the plain data the aligner builds (`validate=False`)."""
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


class _View(NamedTuple):
    """A field as the rules read it: both values stripped, and whether a repair changed its English."""

    key: str
    zh: str
    en: str
    shared: bool
    en_repaired: bool


def _view(f: Any) -> tuple[Optional[str], Optional[int], _View]:
    """(group, index, view) of a Field or of a field's plain data."""
    if isinstance(f, dict):
        repairs = f.get("repairs") or ()
        return f.get("group"), f.get("index"), _View(
            f["key"], f["zh"]["value"].strip(), f["en"]["value"].strip(), f.get("shared", False),
            any(_get(r, "side") == "en" and _get(r, "applied", True) for r in repairs))
    return f.group, f.index, _View(f.key, f.zh.value.strip(), f.en.value.strip(), f.shared,
                                   any(r.side == "en" and r.applied for r in f.repairs))


class _Context:
    """One record's fields, indexed once, and how its English is read."""

    def __init__(self, record: Record | dict, vocab: _Vocab):
        self.vocab = vocab
        fmt = _get(_get(record, "source"), "format") or ""
        self.ictrp = fmt.startswith("ictrp")
        self.registry = _get(record, "registry")
        # an export's items with no field (ICTRP's web address, export date, bridging; the registry XML's
        # url) wait in unpaired as `name: value` (ICTRP's XML spells names with underscores: web_address)
        texts = (_get(u, "text") for u in _get(record, "unpaired") or ()) if self.ictrp or fmt == "xml" else ()
        self.export = {name.replace("_", " "): value for name, value in
                       (t.split(": ", 1) for t in texts if ": " in t)}
        self.top: dict[str, _View] = {}
        self.groups: dict[str, dict[int, dict[str, _View]]] = {}
        for group, index, f in map(_view, _get(record, "fields") or ()):
            if group is None:
                self.top.setdefault(f.key, f)
            elif index is not None:
                self.groups.setdefault(group, {}).setdefault(index, {}).setdefault(f.key, f)

    def members(self, group: str) -> list[dict[str, _View]]:
        found = self.groups.get(group, {})
        return [found[i] for i in sorted(found)]

    def english(self, f: Optional[_View]) -> tuple[Optional[str], str]:
        """A field's English and where it comes from (see the module docstring)."""
        if f is None:
            return None, MISSING
        en, zh = f.en, f.zh
        if en:
            if f.en_repaired:
                return en, "repaired"
            if self.ictrp:
                return en, "ictrp"
            return en, "shared" if f.shared else "en"
        if not zh:
            return None, MISSING
        entry = self.vocab.from_zh(f.key, zh)
        if entry is not None:
            return entry.en, "vocab"
        if f.key in _neutral_keys():
            return zh, "shared"
        return None, MISSING

    def chinese(self, f: Optional[_View]) -> Optional[str]:
        return (f.zh or None) if f is not None else None

    def value(self, key: str, side: str = "en") -> tuple[Optional[str], str]:
        f = self.top.get(key)
        if side == "zh":
            return self.chinese(f), MISSING
        return self.english(f)


def _strongest(sources) -> str:
    found = [s for s in sources if s != MISSING]
    return max(found, key=_RANK.__getitem__) if found else MISSING


def _derived(value: Any, source: str) -> str:
    """A computed value keeps `ictrp` (the export said it) and is `derived` otherwise."""
    if value is None or value == [] or source == MISSING:
        return MISSING
    return "ictrp" if source == "ictrp" else DERIVED


# the rules ------------------------------------------------------------------------------------------
def _text(ctx: _Context, col: Column, side: str) -> Cell:
    value, source = ctx.value(col.keys[0], side)
    return Cell(value, v.ictrp_text(value) if value else "", source)


def _criteria(ctx: _Context, col: Column, side: str) -> Cell:
    """ICTRP writes `Inclusion criteria: ` before the text (the column's argument); a record read from an
    ICTRP export has it already, and its tidy cell goes without."""
    value, source = ctx.value(col.keys[0], side)
    prefix = col.arg if side == "en" else ""
    if ctx.ictrp and value and prefix and value.casefold().startswith(prefix.casefold()):
        value = value[len(prefix):].lstrip() or None
    return Cell(value, prefix + v.ictrp_text(value or ""), source)


def _vocab_cell(ctx: _Context, col: Column, side: str) -> Cell:
    """The registry's English for a controlled value: a variant spelling (`Approved` in the XML export for
    `Yes`, `Double blind`) given as the vocabulary's own; in the ictrp style as ICTRP writes it."""
    key = col.keys[0]
    value, source = ctx.value(key, side)
    if not value:
        return _EMPTY
    entry = ctx.vocab.by_en.get((key, _fold(value))) if side == "en" else None
    if entry is not None and entry.en != value:
        value, source = entry.en, "vocab"
    return Cell(value, ctx.vocab.ictrp.get((key, _fold(value)), value), source)


def _plain(ctx: _Context, col: Column, side: str) -> Cell:
    """The controlled value in plain English (vocab.tsv `plain_en`), found from either side."""
    f = ctx.top.get(col.keys[0])
    if f is None:
        return _EMPTY
    entry = ctx.vocab.entry(f.key, f.zh, f.en)
    if entry is None or not entry.plain_en:
        return _EMPTY
    return Cell(entry.plain_en, entry.plain_en, "vocab")


def _day(ctx: _Context, key: str, side: str, nth: int = 0, form: str = "") -> Cell:
    value, source = ctx.value(key, side)
    day = v.first_date(value or "", nth)
    written = "" if day is None else v.ictrp_datetime(day) if form == "ictrp-datetime" else day.isoformat()
    return Cell(day, written, _derived(day, source))


def _date(ctx: _Context, col: Column, side: str) -> Cell:
    """A date (a period's start): a `datetime.date` in tidy; ISO 8601 in ictrp, or the argument's form."""
    return _day(ctx, col.keys[0], side, form=col.arg)


def _compact_date(ctx: _Context, col: Column, side: str) -> Cell:
    day = _date(ctx, col, side)
    return Cell(day.tidy.strftime("%Y%m%d") if day.tidy else None, day.ictrp.replace("-", ""), day.source)


def _period_end(ctx: _Context, col: Column, side: str) -> Cell:
    return _day(ctx, col.keys[0], side, nth=1)


def _timestamp(ctx: _Context, col: Column, side: str) -> Cell:
    value, source = ctx.value(col.keys[0], side)
    when = v.first_timestamp(value or "")
    return Cell(when, v.ictrp_day(when) if when else "", _derived(when, source))


def _age(which: str):
    def rule(ctx: _Context, col: Column, side: str) -> Cell:
        value, source = ctx.value(col.keys[0], side)
        written, years = v.age(value or "", which)
        return Cell(years, written or "", _derived(years, source))
    rule.__doc__ = f"The {which}imum age: in years (tidy), the number as written (ictrp)."
    return rule


def _registry(ctx: _Context, col: Column, side: str) -> Cell:
    return Cell(ctx.registry, ctx.registry or "", "shared" if ctx.registry else MISSING)


def _export(ctx: _Context, col: Column, side: str) -> Cell:
    """An ICTRP column no page holds (export date, bridging, posted results): empty, unless the record
    was read from an export that wrote it (an ICTRP export; the registry's XML has the `url`)."""
    names = (col.name, *(n for n in col.arg.split("|") if n))     # the argument: the item's other names
    value = next((ctx.export[n].strip() for n in names if ctx.export.get(n, "").strip()), "") if side == "en" else ""
    return Cell(value, value, "ictrp" if ctx.ictrp else "en") if value else _EMPTY


def _member_cell(ctx: _Context, f: Optional[_View], side: str) -> tuple[Optional[str], str]:
    return (ctx.chinese(f), MISSING) if side == "zh" else ctx.english(f)


def _members(ctx: _Context, col: Column, side: str) -> Cell:
    """Every member of a group as a struct of its fields (ictrp style: the structs as JSON text)."""
    keys, rows, sources = struct_keys(col.tidy_type), [], []
    for member in ctx.members(col.keys[0]):
        row = {}
        for key in keys:
            value, source = _member_cell(ctx, member.get(key), side)
            row[key] = v.size(value or "") if key == "sample_size" else value
            sources.append(source)
        rows.append(row)
    rows = [r for r in rows if any(x is not None for x in r.values())]
    text = json.dumps(rows, ensure_ascii=False) if rows else ""
    return Cell(rows, text, _strongest(sources) if rows else MISSING)


def _interventions(ctx: _Context, col: Column, side: str) -> Cell:
    """Tidy: the groups as structs; ictrp: `group:intervention;` as ICTRP writes it."""
    cell = _members(ctx, col, side)
    flat = v.ictrp_list(((r["group_name"] or "", r["intervention"]) for r in cell.tidy if r["intervention"]), pairs=True)
    return Cell(cell.tidy, flat, cell.source, _derived(flat or None, cell.source))


def _target_size(ctx: _Context, col: Column, side: str) -> Cell:
    """Tidy: the groups' sample sizes added up (as ICTRP does); ictrp: `group:size;`."""
    sizes, names, sources = [], [], []
    for member in ctx.members(col.keys[0]):
        written, source = ctx.english(member.get("sample_size"))
        name, name_source = ctx.english(member.get("group_name"))
        if written is None:     # a group with no size (a diagnostic test's index test) is not counted
            continue
        sizes.append(v.size(written or ""))
        names.append((name or "", written or ""))
        sources += [source, name_source]
    known = [s for s in sizes if s is not None]
    total = sum(known) if known else None
    source = _strongest(sources)
    return Cell(total, v.ictrp_list(names, pairs=True), _derived(total, source), _derived(names or None, source))


def _strings(items: list[tuple[Optional[str], str]], dedupe: bool = False, closed: bool = True) -> Cell:
    values, sources = [], []
    for value, source in items:
        if value and not (dedupe and value in values):
            values.append(value)
            sources.append(source)
    if not values:
        return Cell([], "", MISSING)
    flat = v.ictrp_list(values) if closed else ";".join(values)
    return Cell(values, flat, _derived(values, _strongest(sources)))


def _member_values(ctx: _Context, col: Column, side: str) -> Cell:
    """One member field of each group member (the column's argument), as a list."""
    return _strings([_member_cell(ctx, m.get(col.arg), side) for m in ctx.members(col.keys[0])])


def _countries(ctx: _Context, col: Column, side: str) -> Cell:
    """The sites' countries, each once, in page order (ICTRP writes `China`, no closing `;`)."""
    countries = [_member_cell(ctx, m.get("country"), side) for m in ctx.members(col.keys[0])]
    return _strings(countries, dedupe=True, closed=False)


def _outcomes_of(ctx: _Context, col: Column, side: str) -> Cell:
    """The names of the outcomes of one type (the argument: the registry's Chinese type, 主要指标)."""
    wanted = ctx.vocab.from_zh("outcome_type", col.arg)
    picked = []
    for m in ctx.members(col.keys[0]):
        kind = m.get("outcome_type")
        if kind is None:
            continue
        entry = ctx.vocab.entry("outcome_type", kind.zh, kind.en)
        if entry is not None and entry is wanted:
            picked.append(_member_cell(ctx, m.get("outcome_name"), side))
    return _strings(picked)


def _ids(ctx: _Context, col: Column, side: str) -> Cell:
    """Secondary IDs: the partner registries' numbers and the study's own code, split on `;`."""
    items = []
    for key in col.keys:
        value, source = ctx.value(key, "en")
        for part in (value or "").replace("；", ";").split(";"):
            items.append((part.strip() or None, source))
    return _strings(items)


def _prospective(ctx: _Context, col: Column, side: str) -> Cell:
    """As ICTRP computes it: registered on or before the first enrolment (its 500 ChiCTR rows agree)."""
    registered, enrolled = (_day(ctx, key, "en").tidy for key in col.keys[:2])
    if registered is None or enrolled is None:
        return _EMPTY
    yes = registered <= enrolled
    return Cell(yes, "Yes" if yes else "No", "ictrp" if ctx.ictrp else DERIVED)


RULES: dict[str, Callable[[_Context, Column, str], Cell]] = {
    "value": _text, "criteria": _criteria, "vocab": _vocab_cell, "plain": _plain, "date": _date,
    "compact_date": _compact_date, "period_start": _date, "period_end": _period_end, "timestamp": _timestamp,
    "age_min": _age("min"), "age_max": _age("max"), "registry": _registry, "export": _export,
    "members": _members, "interventions": _interventions, "target_size": _target_size,
    "member_values": _member_values, "countries": _countries, "outcomes_of": _outcomes_of, "ids": _ids,
    "prospective": _prospective,
}


@lru_cache(maxsize=None)
def _plan(style: str) -> tuple[tuple[Column, Callable], ...]:
    """The style's columns with their rules, looked up once."""
    return tuple((c, RULES[c.rule]) for c in columns() if c.in_style(style))


def to_english(record: Record | dict, glossary: Optional[Glossary] = None, style: str = "tidy",
               with_chinese: bool = False) -> dict:
    """One flat English row: ICTRP's columns, then the ChiCTR fields ICTRP drops, then `provenance`.

    `record` is a Record, or the plain data `parse_bytes(..., validate=False)` gives (the same row, without
    building the models: `bireg convert` takes that path).

    `style="tidy"`: typed cells (dates, numbers, lists of structs); `style="ictrp"`: every cell a string
    as ICTRP writes it for ChiCTR rows. `with_chinese` adds `<column> (zh)` with the Chinese value.
    """
    keys = column_names(style, with_chinese)  # checks the style
    ctx = _Context(record, _vocab(glossary))
    row: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    tidy = style == "tidy"
    for col, rule in _plan(style):
        cell = rule(ctx, col, "en")
        row[col.name] = cell.tidy if tidy else cell.ictrp
        provenance[col.name] = cell.source if tidy else cell.ictrp_source or cell.source
        if with_chinese and col.chinese:
            zh = rule(ctx, col, "zh")
            row[col.name + ZH_SUFFIX] = zh.tidy if tidy else zh.ictrp
    row[PROVENANCE] = provenance
    assert len(row) == len(keys)
    return row
