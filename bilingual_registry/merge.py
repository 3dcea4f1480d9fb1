"""A detail page and its XML export read together (`bireg parse page.html --xml export.xml`).

The page is the richer source (both languages, every field), so it stays the record; the export adds the
English values the page lacks, and every field where both give English that differs becomes a problem,
so a user sees where the registry's two outputs disagree. Values are compared after folding width (NFKC),
case and blanks; dates and ages by their numbers (`2020-07-02` = `2020-07-02 00:00:00`, `From 2020-04-10` starts
`从 From 2020-04-10 00:00:00 至 To …`). Group members are matched by what names them (an intervention by
its group, an outcome by its name), not by position, since the export flattens groups.
"""
from __future__ import annotations

import unicodedata

import regex

from .errors import RecordError
from .model import Field, Problem, Record, Side

# What identifies a member of each repeated group in both sources.
_MEMBER_ID = {"interventions": "group_name", "outcomes": "outcome_name", "sites": "country",
              "secondary_sponsors": "institution", "samples": "sample_name"}
# Fields whose values are compared by their numbers: dates, periods, ages.
_BY_NUMBERS = {"registration_date", "last_refreshed_on", "ethics_approval_date", "recruitment_period",
               "study_period", "age_range"}
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


def merge(page: Record, export: Record) -> Record:
    """The page record with the export's English merged in and every disagreement reported as a problem."""
    if page.registration_number != export.registration_number:
        raise RecordError(export.source.path, f"the XML export is for {export.registration_number}, "
                                              f"not for the page's {page.registration_number}")
    fields = [f.model_copy(deep=True) for f in page.fields]
    merged = page.model_copy(update={"fields": fields, "problems": list(page.problems)})
    top, members = _index(merged)
    by_place = {(f.key, f.group, f.index): f for f in fields}
    problems = merged.problems
    where = export.source.path or "the XML export"
    problems.append(Problem(code="merged-xml", severity="info", message=f"English values compared with {where}"))

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
                    problems.append(Problem(
                        code="xml-only", severity="warning", field=f.key, lines=f.lines or None,
                        message=f"the XML export lists {f.group} member {xml_value!r}, which the page does not show",
                    ))
                continue
            target = by_place.get((f.key, f.group, page_index))
        if not xml_value:
            continue
        if target is None:
            fields.append(Field(key=f.key, group=f.group, index=page_index, en=Side(label=f.en.label, value=xml_value)))
            problems.append(Problem(code="xml-only", severity="info", field=f.key,
                                    message=f"{f.key} is only in the XML export: {xml_value!r}"))
        elif not target.en.value:
            target.en.value = xml_value
            problems.append(Problem(code="xml-filled", severity="info", field=f.key, lines=target.lines or None,
                                    message=f"the page's English {f.key} is empty; taken from the XML export: {xml_value!r}"))
        elif not same(f.key, xml_value, target.en.value):
            problems.append(Problem(
                code="xml-differs", severity="warning", field=f.key, lines=target.lines or None,
                message=f"{f.key}{'' if f.group is None else f' ({f.group} {target.index})'}: the page says "
                        f"{target.en.value!r}, the XML export says {xml_value!r}",
            ))
    return merged


def merge_all(pages: list[Record], exports: list[Record]) -> tuple[list[Record], list[Record]]:
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
        out.append(merge(page, export))
    return out, [e for e in exports if e.registration_number not in used]
