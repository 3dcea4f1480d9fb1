"""A record written in the registry's layouts: the text export, the detail page (HTML), the ITMCTR API JSON.

Each writer gives what the registry serves, so the readers take it back to the same values:
`text` the export's blocks (`render`); `html` a detail page of the 2024 generation (`div.project-ms`
tables, a `td.left_title` label cell holding `p.cn`/`p.en`, `tr.cn`/`tr.en` rows for values that differ
by language, one cell for a shared value, a nested table per group member); `itmctr` one record of the
ITMCTR data API (`*_zh`/`*_en` pairs, registry codes for controlled values, UTC timestamps). The API
serves no group members (every record seen has its group arrays empty), so neither does `itmctr`.
"""
from __future__ import annotations

import datetime
import html
import json
import re
from functools import lru_cache

from ..model import GROUPS, Field, Record
from ..render import render
from ..glossary.tables import data_table

LAYOUTS = ("text", "html", "itmctr")
SUFFIX = {"text": ".txt", "html": ".html", "itmctr": ".api.json"}

_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="ProjetInfo_title"><h1>{title}</h1></div>
{sections}
</body></html>
"""


def _cell(value: str) -> str:
    return html.escape(value, quote=False).replace("\n", "<br />")


def _label_cell(zh: str, en: str, tag: str = "td class=\"left_title\"") -> str:
    zh_p = f'<p class="cn">{_cell(zh)}：</p>' if zh else ""
    en_p = f'<p class="en">{_cell(en)}：</p>' if en else ""
    return f"<{tag}>{zh_p}{en_p}</td>"


def _rows(f: Field, left: str) -> str:
    """A field as the page shows it: one row when the value is shared, a `tr.cn` and a `tr.en` row otherwise."""
    if f.shared:
        return f"<tr>{_label_cell(f.zh.label, f.en.label, left)}<td>{_cell(f.zh.value)}</td></tr>\n"
    return (f'<tr class="cn">{_label_cell(f.zh.label, "", left)}<td><p class="cn">{_cell(f.zh.value)}</p></td></tr>\n'
            f'<tr class="en">{_label_cell("", f.en.label, left)}<td><p class="en">{_cell(f.en.value)}</p></td></tr>\n')


def to_html(record: Record) -> str:
    """The record as a detail page of the 2024 generation."""
    body: list[str] = []
    fields = list(record.fields)
    i = 0
    while i < len(fields):
        f = fields[i]
        members = []
        while i + 1 < len(fields) and fields[i + 1].group == f.key and f.group is None:
            i += 1
            members.append(fields[i])
        if members or f.key in GROUPS:
            inner = []
            for index in sorted({m.index for m in members}):
                rows = "".join(_rows(m, 'td width="110"') for m in members if m.index == index)
                inner.append(f'<table class="noComma"><tbody>\n{rows}</tbody></table>')
            body.append(f"<tr>{_label_cell(f.zh.label, f.en.label)}<td>{''.join(inner)}</td></tr>\n")
        else:
            body.append(_rows(f, 'td class="left_title"'))
        i += 1
    section = '<div class="project-ms"><table><tbody>\n' + "".join(body) + "</tbody></table></div>"
    return _PAGE.format(title=html.escape(record.registration_number or ""), sections=section)


@lru_cache(maxsize=1)
def _codes() -> dict[tuple[str, str], str]:
    """(field, Chinese value) → the registry's code for it (glossary/vocab.tsv)."""
    return {(r["field"], r["zh"]): r["registry_id"].split("|")[0]
            for r in data_table("vocab.tsv") if r.get("registry_id")}


def _utc(shown: str) -> str:
    """A time as the page shows it (Beijing time) → the API's UTC timestamp; anything else (a damaged
    date) as it is, which the reader shows as it is."""
    try:
        when = datetime.datetime.strptime(shown, "%Y-%m-%d %H:%M:%S") - datetime.timedelta(hours=8)
    except ValueError:
        return shown
    return when.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def to_itmctr(record: Record) -> str:
    """The record as one ITMCTR data-API reply (`{"success": true, "data": {"rows": [...]}}`)."""
    from ..sources.itmctr_api import _FIELDS, _PERIODS  # the reader's own map, read backwards

    item: dict = {}
    for name, key, kind in _FIELDS:
        f = record.get(key)
        if f is None:
            continue
        if kind == "pair":
            item[name + "_zh"], item[name + "_en"] = f.zh.value, f.en.value
        elif kind == "code":
            item[name] = _codes().get((key, f.zh.value), f.zh.value)
        elif kind == "date":
            item[name] = _utc(f.zh.value) if f.zh.value else None
        else:
            item[name] = f.zh.value or None
    for key, start, end in _PERIODS:
        f = record.get(key)
        if f is not None and f.zh.value.startswith("From ") and f.zh.value.count(" To ") == 1:
            a, b = f.zh.value[5:].split(" To ")
            item[start], item[end] = _utc(a), _utc(b)
    age = record.get("age_range")
    ages = re.fullmatch(r"最小 Min age (.*) years\n最大 Max age (.*) years", age.zh.value) if age is not None else None
    if ages:
        item["age_range_min"], item["age_range_max"] = ages[1], ages[2]
    registered = record.get("registration_date")
    if registered is not None:
        item["send_number_time"] = _utc(registered.zh.value)
    for group in ("humanSample", "intervention", "sponsor", "researchSite", "measurement"):
        item[group] = []
    return json.dumps({"success": True, "data": {"rows": [item]}}, ensure_ascii=False, indent=1) + "\n"


def write(record: Record, layout: str) -> str:
    """The record's text in `layout` (one of LAYOUTS)."""
    if layout == "text":
        return render(record)
    if layout == "html":
        return to_html(record)
    if layout == "itmctr":
        return to_itmctr(record)
    raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
