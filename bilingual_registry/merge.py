"""A detail page and its XML export read together (`bireg parse page.html --xml export.xml`), and a page
with its row of a WHO ICTRP export (`--ictrp export.csv`, `join_ictrp`).

The page is the richer source (both languages, every field), so it stays the record; the export adds the
English values the page lacks, and every field where both give English that differs becomes a problem,
so a user sees where the registry's two outputs disagree. Values are compared after folding width (NFKC),
case and blanks; dates and ages by their numbers (`2020-07-02` = `2020-07-02 00:00:00`, `From 2020-04-10` starts
`从 From 2020-04-10 00:00:00 至 To …`). Group members are matched by what names them (an intervention by
its group, an outcome by its name), not by position, since the export flattens groups.

An ICTRP export is the same English passed through Windows-1252 and ICTRP's own words: where the page's
English, written as ICTRP would write it, is the export's, the difference is the export's damage
(`ictrp-damaged`, info); ICTRP's word for the page's value (`Not Recruiting` for `Completed`,
glossary/ictrp_values.tsv) is no difference; other differences are `ictrp-differs`. The page gives the Chinese side and whatever text the export lost;
the export's columns that have no field (its `unpaired`) are kept too.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from typing import Iterable

import regex

from .errors import RecordError
from .glossary.tables import data_table
from .labels import keys_with, member_ids
from .model import Field, Record, Side
from .problems import problem

# What identifies a member of each repeated group in both sources.
_MEMBER_ID = member_ids()
# Fields whose values are compared by their numbers: dates, periods, ages.
_BY_NUMBERS = keys_with("by-numbers")
# The export's words for what the page says otherwise.
_SAME_MEANING = {("ethics_approved", "approved"): "yes", ("ethics_approved", "not approved"): "no"}
_DIGITS = regex.compile(r"\d+")


def _fold(key: str, value: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", value).split()).casefold().rstrip(" ;.")
    return _SAME_MEANING.get((key, text), text)


def same(key: str, a: str, b: str) -> bool:
    """Whether two English values of a field say the same.

    >>> same("registration_date", "2020-07-02", "2020-07-02 00:00:00")
    True
    >>> same("recruitment_period", "From 2020-04-10", "从 From 2020-04-10 00:00:00 至 To 2026-06-01 00:00:00")
    True
    >>> same("ethics_approved", "Approved", "Yes"), same("public_title", "A  study;", "a study")
    (True, True)
    >>> same("public_title", "A study", "Another study")
    False
    """
    if _fold(key, a) == _fold(key, b):
        return True
    if key in _BY_NUMBERS:
        na, nb = [int(n) for n in _DIGITS.findall(a)], [int(n) for n in _DIGITS.findall(b)]
        short, long_ = sorted((na, nb), key=len)
        return bool(short) and long_[: len(short)] == short
    return False


def _index(record: Record) -> tuple[dict[str, Field], dict[tuple[str, str], int]]:
    """Top-level fields by key, and group members by (group, folded identifying value) → index."""
    top: dict[str, Field] = {}
    members: dict[tuple[str, str], int] = {}
    for f in record.fields:
        if f.group is None:
            top.setdefault(f.key, f)
        elif f.index is not None and _MEMBER_ID.get(f.group) == f.key and f.en.value:
            members.setdefault((f.group, _fold(f.key, f.en.value)), f.index)
    return top, members


# What Windows-1252 "best fit" makes of the characters ChiCTR's English holds (the rest of what
# cp1252 cannot write becomes `?`).
_BEST_FIT = str.maketrans({"≥": "=", "≤": "=", "β": "ß", "α": "a", "μ": "µ", "⁰": "0", "¹": "1", "²": "2",
                           "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
                           "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u3000": " "})


def as_ictrp_writes(text: str) -> str:
    """The text as an ICTRP export writes it: best-fit look-alikes, `?` for what Windows-1252 lacks.

    >>> as_ictrp_writes("①年龄≥18岁, IL-1β, 4×10⁹/L, 38.5℃")
    '???=18?, IL-1ß, 4×109/L, 38.5?'
    """
    return text.translate(_BEST_FIT).encode("cp1252", "replace").decode("cp1252")


def _same_but_damage(key: str, export_value: str, page_value: str) -> bool:
    return _fold(key, as_ictrp_writes(export_value)) == _fold(key, as_ictrp_writes(page_value))


@cache
def _ictrp_words() -> dict[tuple[str, str], str]:
    """(field, the page's English folded) → the word ICTRP writes for it (glossary/ictrp_values.tsv):
    ICTRP writes every status but Recruiting as `Not Recruiting`."""
    return {(r["field"], _fold(r["field"], r["en"])): _fold(r["field"], r["ictrp"])
            for r in data_table("ictrp_values.tsv")}


def _ictrp_same(key: str, export_value: str, page_value: str) -> bool:
    """Whether the export's value is the word ICTRP writes for the page's (`Completed` → `Not Recruiting`)."""
    return _ictrp_words().get((key, _fold(key, page_value))) == _fold(key, export_value)


_KINDS = {"xml": "the XML export", "ictrp": "the ICTRP export"}


def merge(page: Record, export: Record, kind: str = "xml") -> Record:
    """The page record with the export's English merged in and every disagreement reported as a problem.

    `kind` names the export in the problems' codes (`xml-differs`, `ictrp-differs`, …): `xml` for the
    page's own XML download, `ictrp` for a row of a WHO ICTRP export (see `join_ictrp`).
    """
    what = _KINDS[kind]
    if page.registration_number != export.registration_number:
        raise RecordError(export.source.path, f"{what} is for {export.registration_number}, "
                                              f"not for the page's {page.registration_number}")
    fields = [f.model_copy(deep=True) for f in page.fields]
    merged = page.model_copy(update={"fields": fields, "problems": list(page.problems)})
    top, members = _index(merged)
    by_place = {(f.key, f.group, f.index): f for f in fields}
    problems = merged.problems
    where = export.source.path or what
    problems.append(problem(f"merged-{kind}", f"English values compared with {where}"))

    member_of: dict[tuple[str, int], int | None] = {}  # (group, export index) → page index
    for f in export.fields:
        if f.group is not None and f.index is not None and _MEMBER_ID.get(f.group) == f.key:
            member_of[(f.group, f.index)] = members.get((f.group, _fold(f.key, f.en.value)))

    for f in export.fields:
        xml_value = f.en.value
        page_index = None
        if f.group is None:
            target = top.get(f.key)
        elif f.index is None:
            continue  # a group header: no value
        else:
            page_index = member_of.get((f.group, f.index))
            if page_index is None:
                if _MEMBER_ID.get(f.group) == f.key and xml_value:
                    problems.append(problem(
                        f"{kind}-only", f"{what} lists {f.group} member {xml_value!r}, which the page does not show",
                        field=f.key, lines=f.lines or None, severity="warning"))  # a member: worth a look
                continue
            target = by_place.get((f.key, f.group, page_index))
        if not xml_value:
            continue
        if target is None:
            fields.append(Field(key=f.key, group=f.group, index=page_index, en=Side(label=f.en.label, value=xml_value)))
            problems.append(problem(f"{kind}-only", f"{f.key} is only in {what}: {xml_value!r}", field=f.key))
        elif not target.en.value:
            target.en.value = xml_value
            problems.append(problem(f"{kind}-filled", f"the page's English {f.key} is empty; taken from {what}: "
                                                      f"{xml_value!r}", field=f.key, lines=target.lines or None))
        elif not same(f.key, xml_value, target.en.value) and not (
                kind == "ictrp" and _ictrp_same(f.key, xml_value, target.en.value)):
            damage = kind == "ictrp" and _same_but_damage(f.key, xml_value, target.en.value)
            problems.append(problem(
                f"{kind}-damaged" if damage else f"{kind}-differs",
                f"{f.key}{'' if f.group is None else f' ({f.group} {target.index})'}: the page says "
                f"{target.en.value!r}, {what} says {xml_value!r}"
                + (" (only the export's Windows-1252 damage; the page's text is kept)" if damage else ""),
                field=f.key, lines=target.lines or None))
    return merged


def merge_all(pages: list[Record], exports: list[Record], kind: str = "xml") -> tuple[list[Record], list[Record]]:
    """Each page merged with the export of the same registration number; the exports no page matched."""
    by_number = {e.registration_number: e for e in exports}
    used: set[str | None] = set()
    out = []
    for page in pages:
        export = by_number.get(page.registration_number)
        if export is None:
            out.append(page)
            continue
        used.add(page.registration_number)
        out.append(join_ictrp_row(page, export) if kind == "ictrp" else merge(page, export, kind))
    return out, [e for e in exports if e.registration_number not in used]


def join_ictrp_row(page: Record, row: Record) -> Record:
    """A page record joined with its trial's row of an ICTRP export: the page's fields (both languages,
    the text the export lost), the export's English where the page has none, every difference reported,
    and the export's columns with no field kept in `unpaired`."""
    joined = merge(page, row, "ictrp")
    where = row.source.path or "the ICTRP export"
    kept = [u.model_copy(update={"why": f"from {where}: {u.why}"}) for u in row.unpaired]
    return joined.model_copy(update={"unpaired": [*joined.unpaired, *kept]})


def is_ictrp(record: Record) -> bool:
    """Whether a record is a row of an ICTRP export (`source.format` `ictrp-csv` / `ictrp-xml`)."""
    return (record.source.format or "").startswith("ictrp")


def join_ictrp(records: Iterable[Record], exports: Iterable[Record] = ()) -> tuple[list[Record], list[Record]]:
    """Pages joined with their trials' rows of ICTRP exports: the library call behind `--ictrp` (and
    behind inputs that mix pages and exports). `records` may hold both; `exports` are more rows.

    Returns (the page records, each joined with its row when there is one, in order; the export rows
    no page matched, which are records of their own).
    """
    pages, rows = [], list(exports)
    for r in records:
        (rows if is_ictrp(r) else pages).append(r)
    return merge_all(pages, rows, "ictrp")
