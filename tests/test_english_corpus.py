"""Column-by-column agreement of the English row with what each real page says.

The judge reads the page itself, not our parse: its text (markup stripped, entities and widths
normalised, punctuation and spaces folded so a repaired `Chest?Hospital` still counts). On pages that
show labels (text exports, saved pages) every filled ICTRP column of our tidy row must stand right after
the label the page gives it (`PAGE_LABELS`, written by reading the pages: `Contact Tel` after
`Applicant telephone`, an outcome after `Outcome` and before its type); on exports (XML, API JSON) the
value must occur in the page. Dates must be written there, ages follow the age label, `Target size` be
the sum of the sizes the page lists, `Prospective registration` follow from the two dates. Swapping a
column's source (the leader's phone for the applicant's, objectives for the condition, secondary
outcomes for primary) fails it. Run with `-s` to see the figure per page.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from bilingual_registry import parse_file
from bilingual_registry.convert import to_english
from bilingual_registry.convert.columns import columns
from bilingual_registry.glossary import Glossary

from conftest import ROOT, SHARED, seed

ICTRP = [c.name for c in columns() if c.ictrp and "tidy" in c.styles]
# The English labels under which each ICTRP column's value stands on the pages (written by reading the
# pages of every generation in the corpus, not from our column map): a value must follow its own label.
PAGE_LABELS = {
    "TrialID": ("Registration number",),
    "Last Refreshed on": ("Date of Last Refreshed on",),
    "Public title": ("Public title",),
    "Scientific title": ("Scientific title",),
    "Acronym": ("English Acronym",),
    "Primary sponsor": ("Primary sponsor",),
    "Date registration": ("Date of Registration", "Date of releasing the registration number"),
    "Recruitment Status": ("Recruiting status",),
    "Inclusion gender": ("Gender",),
    "Date enrollement": ("Recruiting time",),
    "Study type": ("Study type",),
    "Study design": ("Study design",),
    "Phase": ("Study phase",),
    "Countries": ("Country",),
    "Contact Firstname": ("Applicant",),
    "Contact Address": ("Applicant address",),
    "Contact Email": ("Applicant E-mail",),
    "Contact Tel": ("Applicant telephone",),
    "Contact Affiliation": ("Applicant's institution",),
    "Inclusion Criteria": ("Inclusion criteria",),
    "Exclusion Criteria": ("Exclusion criteria",),
    "Condition": ("Target disease",),
    "Primary outcome": ("Outcome",),
    "Secondary outcome": ("Outcome",),
    "Secondary ID": ("The registration number of the Partner Registry or other register", "Study subject ID"),
    "Source Name": ("Source(s) of funding",),
    "Secondary Sponsor": ("Institution hospital",),
    "Ethics Status": ("Approved by ethic committee",),
    "Ethics Approval Date": ("Date of approved by ethic committee",),
    "Ethics Contact Name": ("Contact Name of the ethic committee",),
    "Ethics Contact Address": ("Contact Address of the ethic committee",),
    "Ethics Contact Phone": ("Contact phone of the ethic committee",),
    "Ethics Contact Email": ("Contact email of the ethic committee",),
    "results ipd plan": ("IPD sharing",),
    "results ipd description": ("The way of sharing IPD”(include metadata and protocol, If use web-based public "
                                "database, please provide the url)",),
}
MEMBER_LABELS = {"group_name": ("Group",), "intervention": ("Intervention",), "intervention_code": ("Intervention code",)}
# after an outcome's name the page gives its type
OUTCOME_TYPE = {"Primary outcome": ("primaryindicator", "主要指标"), "Secondary outcome": ("secondaryindicator", "次要指标")}


def complete_pages() -> list[Path]:
    """Whole records: the seed export, the saved pages and exports of ../shared/corpus and our corpus/."""
    pages = sorted((ROOT / "corpus").rglob("*.*"))
    if SHARED.is_dir():
        pages += [seed("003"), *sorted((SHARED / "corpus" / "html").glob("*.html")),
                  *sorted((SHARED / "corpus" / "xml").glob("*.xml"))]
    return [p for p in pages if p.suffix in (".txt", ".html", ".xml", ".json")]


def partial_pages() -> list[Path]:
    return sorted((SHARED / "corpus" / "text").glob("*.txt")) if SHARED.is_dir() else []


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return re.sub(r"[\W_]+", "", text)


def _page_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    if path.suffix == ".html":
        doc = lxml.html.fromstring(raw)
        for el in doc.xpath("//script|//style"):
            el.drop_tree()
        raw = " ".join(doc.itertext())
    elif path.suffix == ".xml":
        raw = " ".join(etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False)).itertext())
    elif path.suffix == ".json":
        raw = "\n".join(f"{k}: {v}" for k, v in _strings(json.loads(raw)))
    return html.unescape(raw)


def _strings(data, key: str = ""):
    """Every (key, value) of a JSON document whose value is text or a number."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v, key)
    elif data is not None:
        yield key, data


def _dates(text: str) -> set[dt.date]:
    out = set()
    for y, m, d in re.findall(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text):
        try:
            out.add(dt.date(int(y), int(m), int(d)))
        except ValueError:
            pass
    return out


def _sizes(text: str) -> list[int]:
    found = [int(n) for n in re.findall(r"样本量\s*[:：]?\s*(\d+)", text)]
    if not found:   # an English-only export: target_size `group:n;` or an API's sample_size
        found = [int(n) for flat in re.findall(r"<target_size>([^<]*)<", text) for n in re.findall(r":\s*(\d+)", flat)]
    return found or [int(n) for n in re.findall(r'"sample_?size[^"]*"\s*:\s*"?(\d+)', text, re.I)]


def _after_label(value: str, labels: tuple[str, ...], folded: str, then: tuple[str, ...] = ()) -> bool:
    """The folded value stands right after one of its labels: at once, or after the Chinese value (a run
    without Latin letters, as layouts that give both labels, then both values, have it); with `then`, one of
    those words follows within a few characters (an outcome's type)."""
    for label in labels:
        label = _fold(label)
        at = folded.find(label)
        while at >= 0:
            rest = re.sub(r"^(?:从)?(?:from)?", "", folded[at + len(label):at + len(label) + len(value) + 500])
            gap = re.match(r"[^a-z]{0,400}", rest).end()
            for i in range(gap + 1):
                if rest.startswith(value, i) and (not then or any(t in rest[i + len(value):i + len(value) + 40] for t in then)):
                    return True
            at = folded.find(label, at + 1)
    return False


def _agrees(column: str, value, row: dict, text: str, folded: str, raw: str, labelled: bool = False,
            member: str | None = None) -> bool:
    if isinstance(value, bool):
        dates = row["Date registration"], row["Date enrollement"]
        return None not in dates and value == (dates[0] <= dates[1])
    if isinstance(value, (dt.date, dt.datetime)):
        day = value.date() if isinstance(value, dt.datetime) else value
        if labelled and column in PAGE_LABELS:   # 2026-03-23 and 2020/1/2 as they fold
            forms = {day.strftime("%Y%m%d"), f"{day.year}{day.month}{day.day}"}
            return any(_after_label(form, PAGE_LABELS[column], folded) for form in forms)
        return day in _dates(text)
    if column.startswith("Inclusion age"):
        label = r"(?:Min(?:imum)? age|最小|agemin|age_range_min)" if column.endswith("min") else r"(?:Max(?:imum)? age|最大|agemax|age_range_max)"
        return re.search(label + r"\W{0,200}" + re.escape(f"{value:g}") + r"\b", text + raw, re.I) is not None
    if column == "Target size":
        return value == sum(_sizes(text) or _sizes(raw))
    if column == "Date registration3":
        return value == row["Date registration"].strftime("%Y%m%d")
    if isinstance(value, list):   # each item after its label, or right after the item before it (`a ; b`)
        return all(_agrees(column, item, row, text, folded, raw, labelled)
                   or (i and isinstance(item, str) and _fold(value[i - 1]) + _fold(item) in folded)
                   for i, item in enumerate(value))
    if isinstance(value, dict):
        return all(_agrees(column, item, row, text, folded, raw, labelled, k) for k, item in value.items()
                   if item is not None and k != "sample_size")
    labels = MEMBER_LABELS.get(member) if member else PAGE_LABELS.get(column)
    if labelled and labels:
        return _after_label(_fold(str(value)), labels, folded, OUTCOME_TYPE.get(column, ()))
    return _fold(str(value)) in folded or _coded(str(value), text)


def _coded(value: str, text: str) -> bool:
    """A controlled value agrees when the page writes it as the registry's code (an API's `gender: 1006003`,
    `ipd_sharing: 1`) or as another spelling the vocabulary lists for it (the XML export's `Approved`)."""
    entries = [e for e in Glossary.default().vocab if value in (e.en, *e.en_variants)]
    codes = {c for e in entries for c in e.registry_id}
    spellings = {_fold(s) for e in entries for s in (e.en, *e.en_variants)}
    return (any(re.search(rf"^\w+: {re.escape(c)}$", text, re.M) for c in codes)
            or any(s and s in _fold(text) for s in spellings))


def score(path: Path) -> list[tuple[str, int, int, list[str]]]:
    """Per record of the page: (trial, columns agreeing, columns checked, the columns that disagree)."""
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    text = _page_text(path)
    folded = re.sub(r"[ivx]+(?=期)", "", _fold(text))   # III期 before a phase's 3
    labelled = path.suffix in (".txt", ".html")     # pages that show labels; exports name elements instead
    out = []
    for record in parse_file(path):
        row = to_english(record)
        checked = [c for c in ICTRP if row[c] not in (None, [], "")]
        wrong = [c for c in checked if not _agrees(c, row[c], row, text, folded, raw, labelled)]
        out.append((record.registration_number or path.name, len(checked) - len(wrong), len(checked), wrong))
    return out


def _report(title: str, pages: list[Path]) -> tuple[int, int]:
    agree = checked = 0
    print(f"\n{title}: ICTRP columns of the tidy row that agree with the page")
    for path in pages:
        for trial, ok, n, wrong in score(path):
            agree, checked = agree + ok, checked + n
            print(f"  {path.name:45} {trial:22} {ok:3}/{n:<3} {ok / n if n else 1:6.1%}  {', '.join(wrong)}")
    print(f"  all: {agree}/{checked} = {agree / checked if checked else 1:.1%}")
    return agree, checked


def test_every_complete_page_agrees_column_by_column():
    pages = complete_pages()
    assert pages
    for path in pages:
        for trial, ok, n, wrong in score(path):
            assert n >= 5, (path.name, trial)
            assert not wrong, (path.name, trial, wrong)
    _report("complete pages", pages)


@pytest.mark.skipif(not partial_pages(), reason="../shared is absent")
def test_partial_pages_agree_where_they_have_the_column():
    """Pages cut off mid-record: only the columns they reach are filled, and those must agree."""
    agree, checked = _report("partial pages (cut off)", partial_pages())
    assert checked and agree / checked >= 0.95
