"""WHO ICTRP Search Portal exports (CSV and XML) → English-only Records of their ChiCTR/ITMCTR rows.

Review teams get ChiCTR trials from the portal, not from ChiCTR: a CSV (the 40-column COVID-19 layout,
the 58-column current one, the headerless weekly/full export in the order of ICTRP's own field list, or
a CSV a team derived from one, keeping ICTRP's column names with spaces or underscores) or the XML
export (`<Trials_downloaded_from_ICTRP><Trial>`, element names the CSV headers with `_`). Both are read
into one mapping of column → text per trial, so a trial gives the same fields from either file.

Each column is mapped to the field key a page uses (glossary/fields.tsv); flattened lists are split back
into group members (`Target size` `group:n;` and `Intervention` `group:text;` into interventions, outcomes
on `;`, countries into sites). Columns with no field go to `unpaired`, never dropped. Rows of other
registries (NCT, ISRCTN …) are skipped and counted, not failed: a user's export holds them too.
`<br>`, CR and Excel's `_x000D_` are line breaks; dates become `YYYY-MM-DD`; the `Inclusion criteria:` label
ICTRP puts before the criteria is the field's label, not its value. The text keeps its
Windows-1252 best-fit damage; `repair/bestfit.py` explains and mends it.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field as dc_field, replace
from datetime import datetime
from itertools import chain
from typing import Iterable, Iterator, Optional

from ..errors import NotARecord
from ..labels import AFFILIATION as _AFFILIATION, Schema, default_schema
from ..parts import Source
from ..problems import problem_data

# ICTRP_export_datafields.txt: the column order of the headerless weekly/full CSV export.
DATAFIELDS = (
    "TrialID", "SecondaryIDs", "public_title", "Scientific_title", "url", "Public_Contact_Firstname",
    "Public_Contact_Lastname", "Public_Contact_Address", "Public_Contact_Email", "Public_Contact_Tel",
    "Public_Contact_Affiliation", "Scientific_Contact_Firstname", "Scientific_Contact_Lastname",
    "Scientific_Contact_Address", "Scientific_Contact_Email", "Scientific_Contact_Tel",
    "Scientific_Contact_Affiliation", "study_type", "study_design", "phase", "Date_registration",
    "Date_enrollement", "Target_size", "Recruitment_status", "Primary_sponsor", "Secondary_sponsors",
    "Source_Support", "Countries", "Conditions", "Interventions", "Agemin", "Agemax", "Gender",
    "Inclusion_Criteria", "Exclusion_Criteria", "Primary_Outcome", "Secondary_Outcomes", "Bridging_flag",
    "Bridged_type", "Childs", "type_enrolment", "Retrospective_flag", "results_actual_enrollment",
    "results_url_link", "results_summary", "results_date_posted", "results_date_first_publication",
    "results_baseline_char", "results_participant_flow", "results_adverse_events",
    "results_outcome_measures", "results_url_protocol", "results_IPD_plan", "results_IPD_description",
    "results_date_completed", "results_yes_no", "Ethics_Status", "Ethics_Approval_Date",
    "Ethics_Contact_Name", "Ethics_Contact_Address", "Ethics_Contact_Phone", "Ethics_Contact_Email",
)

# Column (normalised: lower case, `_` for blanks) → field key, for columns that are one field each.
_SCALAR = {
    "public_title": "public_title", "scientific_title": "scientific_title", "acronym": "public_title_acronym",
    "primary_sponsor": "primary_sponsor", "recruitment_status": "recruitment_status",
    "study_type": "study_type", "study_design": "study_design", "phase": "study_phase",
    "condition": "target_disease", "conditions": "target_disease",
    "inclusion_gender": "gender", "gender": "gender",
    "inclusion_criteria": "inclusion_criteria", "exclusion_criteria": "exclusion_criteria",
    "secondary_id": "secondary_ids", "secondaryids": "secondary_ids", "secondary_ids": "secondary_ids",
    "source_name": "funding_sources", "source_support": "funding_sources",
    "ethics_status": "ethics_approved", "ethics_review_status": "ethics_approved",
    "ethics_contact_name": "ethics_contact_name", "ethics_contact_address": "ethics_contact_address",
    "ethics_contact_phone": "ethics_contact_phone", "ethics_contact_email": "ethics_contact_email",
    "results_ipd_plan": "ipd_sharing", "results_ipd_description": "ipd_sharing_plan",
}
_DATES = {"last_refreshed_on": "last_refreshed_on", "date_registration": "registration_date",
          "ethics_approval_date": "ethics_approval_date", "ethics_review_approval_date": "ethics_approval_date"}
_ENROLMENT = ("date_enrollement", "date_enrollment")
_AGES = (("inclusion_agemin", "agemin"), ("inclusion_agemax", "agemax"))
_TARGET, _INTERVENTION = ("target_size",), ("intervention", "interventions")
_PRIMARY, _SECONDARY = ("primary_outcome",), ("secondary_outcome", "secondary_outcomes")
_SPONSORS, _COUNTRIES = ("secondary_sponsor", "secondary_sponsors"), ("countries",)
# Contacts: the 40/58-column exports give one contact; the full export a public and a scientific one.
_CONTACTS = {"contact_": "applicant", "public_contact_": "applicant", "scientific_contact_": "study_leader"}
_CONTACT_PARTS = {"address": "address", "email": "email", "tel": "phone"}
_NAME_PARTS = ("firstname", "middlename", "lastname")
# Columns whose only use is telling the reader what a row is.
_TRIAL_ID = "trialid"
# Cells that say "no value": ICTRP's own empty dates, and the placeholders R/SQL tools write.
_PLACEHOLDERS = frozenset({"", "NULL", "NA", "1900-01-01", "01/01/1900", "Jan  1 1900 12:00AM"})
# A column set that only an ICTRP export (or a file derived from one) has.
_KNOWN = frozenset(_SCALAR) | frozenset(_DATES) | {_TRIAL_ID, *_ENROLMENT, *_TARGET, *_INTERVENTION,
                                                   *_PRIMARY, *_SECONDARY, *_SPONSORS, *_COUNTRIES,
                                                   "source_register", "web_address", "url", "date_registration3"}
MIN_KNOWN_COLUMNS = 4

_BREAK = re.compile(r"(?:_x000D_|\r)*\n?(?:<br\s*/?>|&lt;br\s*/?&gt;)|_x000D_\n?|\r\n?", re.I)
# ICTRP opens the criteria with their own label, which the page shows as the field's label.
_CRITERIA_LABEL = re.compile(r"^(?:Inclusion|Exclusion) criteria\s*:\s*", re.I)
_BREAK_MARKS = ("\n", "\r", "<", "_x000D_", "&lt;")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
_REGNO = re.compile(r"^(ChiCTR|ITMCTR|ChiMCTR)[-A-Za-z]*\d{6,}$")
_OTHER_PREFIX = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+)?")
_TRIAL_ID_CELL = re.compile(r"^[A-Za-z][A-Za-z/-]*[-/]?\d[\w/-]*$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d", "%d %B %Y", "%d/%m/%Y", "%d-%b-%y", "%d %b %Y",
                 "%b %d %Y %I:%M%p", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S")


def column_key(name: str) -> str:
    """ICTRP's column names come with spaces, underscores or dashes: one spelling for all.

    >>> column_key("Date enrollement"), column_key("Public_Contact_Firstname"), column_key(" TrialID ")
    ('date_enrollement', 'public_contact_firstname', 'trialid')
    """
    return re.sub(r"[\s_-]+", "_", name.strip().lstrip("\ufeff")).lower()


def clean(text: str) -> str:
    """A cell's text with its line breaks (`<br>`, CR, `_x000D_`) as `\\n` and no padding.

    >>> clean("1. Aged >= 18;\\r<br>2. Signed  ")
    '1. Aged >= 18;\\n2. Signed'
    >>> clean("a;_x000D_<br>b")
    'a;\\nb'
    """
    if not any(mark in text for mark in _BREAK_MARKS):
        return text.strip()
    return "\n".join(line.strip() for line in _BREAK.sub("\n", text).split("\n")).strip()


def iso_date(text: str) -> str:
    """`17 February 2020`, `2020-02-17 00:00:00`, `21/05/2019`, `May 10 2019 12:00AM` → `YYYY-MM-DD`; text
    that is no date it knows is kept as it is.

    >>> iso_date("17 February 2020"), iso_date("2020-05-18 00:00:00"), iso_date("May 10 2019 12:00AM")
    ('2020-02-17', '2020-05-18', '2019-05-10')
    >>> iso_date("21/05/2019"), iso_date("27-May-19"), iso_date("spring 2020")
    ('2019-05-21', '2019-05-27', 'spring 2020')
    """
    text = " ".join(text.split())
    iso = _ISO_DATE.match(text)
    if iso:
        return iso.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def items(flat: str) -> list[str]:
    """`a;b;` → ['a', 'b']; blank items are dropped.

    >>> items("duration of in hospital;in hospital mortality;")
    ['duration of in hospital', 'in hospital mortality']
    """
    return [p.strip() for p in flat.split(";") if p.strip()]


def _split_groups(flat: str, names: list[str]) -> list[tuple[str, str]]:
    """`group:text;group:text;` → [(group, text)], cut only before a group the target size names when
    each of them opens an item here (an intervention's text may hold `;` and `:` of its own).

    >>> _split_groups("TR group:Phase I: T; Phase II: R;RT group:Phase I: R;", ["TR group", "RT group"])
    [('TR group', 'Phase I: T; Phase II: R'), ('RT group', 'Phase I: R')]
    >>> _split_groups("survival group:none;died:none;", [])
    [('survival group', 'none'), ('died', 'none')]
    """
    pieces = flat.split(";")
    named = {n for n in names if n}
    if not named <= {p.partition(":")[0].strip() for p in pieces}:  # the two columns name other groups
        named = set()
    parts: list[str] = []
    for piece in pieces:
        starts = not named or piece.partition(":")[0].strip() in named
        if parts and not starts:
            parts[-1] += ";" + piece
        else:
            parts.append(piece)
    out = []
    for part in (p.strip().rstrip(";").strip() for p in parts):
        if part:
            name, sep, text = part.partition(":")
            out.append((name.strip(), text.strip()) if sep else ("", part))
    return out


def _sizes(flat: str) -> list[tuple[str, str]]:
    """`survival group:200;died:200;` → [('survival group', '200'), ('died', '200')]; a bare `100` has no group."""
    out = []
    for item in items(flat):
        name, sep, n = item.rpartition(":")
        out.append((name.strip(), n.strip()) if sep else ("", item))
    return out


@dataclass
class Row:
    """One trial of an export: its cells by normalised column name, in the export's order."""

    cells: dict[str, tuple[str, str]]  # normalised name → (column as written, raw text)
    line: int

    def get(self, *names: str) -> str:
        for n in names:
            if n in self.cells:
                value = self.cells[n][1].strip()
                return "" if value in _PLACEHOLDERS else value
        return ""


@dataclass
class Export:
    """An export read: the records of its ChiCTR/ITMCTR rows (plain data, for `Record.model_validate`
    after repair), and how many rows of each other registry (by the trial ID's prefix) were skipped."""

    records: list[dict]
    skipped: Counter = dc_field(default_factory=Counter)


class _Builder:
    def __init__(self, schema: Schema, row: Row):
        self.schema, self.row = schema, row
        self.fields: list[dict] = []
        self.unpaired: list[dict] = []
        self.lines = [row.line, row.line]

    def add(self, key: str, value: str, group: Optional[str] = None, index: Optional[int] = None) -> None:
        if not value and index is not None:
            return
        defn = self.schema.get(key, group)
        self.fields.append({"key": key, "group": group, "index": index, "zh": {"label": "", "value": ""},
                            "en": {"label": defn.en_label if defn else key, "value": value},
                            "shared": False, "lines": list(self.lines), "repairs": []})

    def keep(self, column: str, value: str) -> None:
        self.unpaired.append({"text": f"{column}: {value}", "lines": list(self.lines),
                              "why": f"the ICTRP column {column!r} has no field in the bilingual record"})

    def members(self, group: str, rows: list[dict[str, str]]) -> None:
        rows = [r for r in rows if any(r.values())]
        if not rows:
            return
        self.add(group, "")
        for i, row in enumerate(rows):
            for key, value in row.items():
                self.add(key, value, group, i)


def _interventions(row: Row) -> list[dict[str, str]]:
    """Members from `Target size` and `Intervention`, matched by group name, in the order first seen."""
    members: dict[str, dict[str, str]] = {}
    sizes = _sizes(clean(row.get(*_TARGET)))
    for n, (name, size) in enumerate(sizes):
        members.setdefault(name or f"#{n}", {"group_name": name})["sample_size"] = size
    for n, (name, text) in enumerate(_split_groups(clean(row.get(*_INTERVENTION)), [s[0] for s in sizes])):
        member = members.setdefault(name or f"#i{n}", {"group_name": name})
        member["intervention"] = f"{member['intervention']}; {text}" if member.get("intervention") else text
    return list(members.values())


def _contacts(b: _Builder, row: Row, used: set[str]) -> list[dict]:
    problems = []
    for prefix, who in _CONTACTS.items():
        parts = {n[len(prefix):]: n for n in row.cells if n.startswith(prefix)}
        if not parts:
            continue
        used.update(parts.values())
        name = " ".join(v for v in (row.get(parts[p]) for p in _NAME_PARTS if p in parts) if v)
        b.add(who, name)
        for part, column in parts.items():
            value = clean(row.get(column))
            if part in _CONTACT_PARTS:
                b.add(f"{who}_{_CONTACT_PARTS[part]}", value)
            elif part == "affiliation":
                b.add(_AFFILIATION[who], value)
            elif part not in _NAME_PARTS and value:
                b.keep(row.cells[column][0], value)
        if prefix == "contact_":
            problems.append(problem_data("ictrp-one-contact", "the export gives one contact for the trial; it is "
                                                          "read as the applicant (ICTRP's contact for public queries)",
                                     "applicant"))
    return problems


def record(row: Row, schema: Schema, source: Source) -> dict:
    """One ChiCTR/ITMCTR row as an English-only record with the page's field keys, as plain data (the
    aligner's kind: the pipeline repairs it and validates it once)."""
    b = _Builder(schema, row)
    reg = row.get(_TRIAL_ID)
    b.add("registration_number", reg)
    used = {_TRIAL_ID}
    for name in row.cells:
        if name in _SCALAR:
            b.add(_SCALAR[name], _CRITERIA_LABEL.sub("", clean(row.get(name)), count=1))
        elif name in _DATES:
            b.add(_DATES[name], iso_date(row.get(name)))
        elif name in _ENROLMENT and row.get(name):
            b.add("recruitment_period", f"From {iso_date(row.get(name))}")
        else:
            continue
        used.add(name)
    ages = [row.get(*names) for names in _AGES]
    if any(ages):
        b.add("age_range", f"Min age {ages[0]} years\nMax age {ages[1]} years")
    used.update(n for names in _AGES for n in names)
    problems = _contacts(b, row, used)

    b.members("secondary_sponsors", [{"institution": s} for s in items(clean(row.get(*_SPONSORS)))])
    b.members("interventions", _interventions(row))
    b.members("sites", [{"country": c} for c in items(row.get(*_COUNTRIES))])
    b.members("outcomes", [{"outcome_name": name, "outcome_type": kind}
                           for names, kind in ((_PRIMARY, "Primary indicator"), (_SECONDARY, "Secondary indicator"))
                           for name in items(clean(row.get(*names)))])
    used.update((*_ENROLMENT, *_TARGET, *_INTERVENTION, *_PRIMARY, *_SECONDARY, *_SPONSORS, *_COUNTRIES))
    for name, (column, _) in row.cells.items():
        if name not in used and row.get(name):
            b.keep(column, clean(row.get(name)))
    problems.insert(0, problem_data("english-only", "the ICTRP export holds English only: every Chinese side is empty"))
    return {"registry": "ChiCTR" if reg.startswith("ChiCTR") else "ITMCTR", "registration_number": reg,
            "source": source, "fields": b.fields, "unpaired": b.unpaired, "problems": problems}


def read_rows(rows: Iterable[Row], schema: Schema, source: Source) -> Export:
    """The records of the ChiCTR/ITMCTR rows; other rows counted by their ID's prefix."""
    export = Export(records=[])
    for row in rows:
        reg = row.get(_TRIAL_ID)
        if _REGNO.match(reg):
            export.records.append(record(row, schema, source))
        else:
            m = _OTHER_PREFIX.match(reg)
            export.skipped[m.group(0) if m else "(no trial ID)"] += 1
    return export


# --- CSV --------------------------------------------------------------------------------------------

def csv_layout(first_row: list[str]) -> Optional[list[str]]:
    """The column names of a CSV export, from its first row: the header itself, or ICTRP's field list
    when the row is a headerless weekly export's first trial; None when it is no ICTRP export.

    >>> csv_layout(["TrialID", "Last Refreshed on", "Public title", "Scientific title", "Countries"])[:2]
    ['TrialID', 'Last Refreshed on']
    >>> csv_layout(["ChiCTR2000029953"] + [""] * (len(DATAFIELDS) - 1))[:2]
    ['TrialID', 'SecondaryIDs']
    >>> csv_layout(["name", "age"]) is None
    True
    """
    names = [column_key(c) for c in first_row]
    if _TRIAL_ID in names and sum(n in _KNOWN for n in names) >= MIN_KNOWN_COLUMNS:
        return [c.strip().lstrip("\ufeff") for c in first_row]
    if len(first_row) == len(DATAFIELDS) and _TRIAL_ID_CELL.match(first_row[0].strip().lstrip("\ufeff")):
        return list(DATAFIELDS)
    return None


_DELIMITERS = (",", ";", "\t")  # ICTRP writes commas; a spreadsheet may save a derived file with `;` or tabs


def _delimiter(text: str) -> Optional[str]:
    """The delimiter under which the text's first row is an ICTRP layout, or None.

    >>> _delimiter("TrialID;Public title;Scientific title;Countries;Phase\\n"), _delimiter("a,b\\n")
    (';', None)
    """
    head = text[:256 * 1024]
    ends = [i for i in (head.find("\r"), head.find("\n")) if i >= 0]
    line = head[:min(ends)] if ends else head  # the first line, ended where csv ends one
    for delimiter in _DELIMITERS:
        if delimiter not in head[:4096]:
            continue
        if '"' not in line and line.count(delimiter) < MIN_KNOWN_COLUMNS - 1:
            continue  # an unquoted first line is the first row: too few cells for any layout (a text record)
        try:
            first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if csv_layout(first) is not None:
            return delimiter
    return None


def is_csv_export(text: str) -> bool:
    """Whether decoded text starts as an ICTRP CSV export (or a CSV derived from one)."""
    return _delimiter(text.lstrip("\ufeff")) is not None


def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells) for each row of a csv reader."""
    start = reader.line_num + 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _csv_rows(text: str, path: Optional[str]) -> Iterator[Row]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text) or ",")
    try:
        first = next(reader, [])
        columns = csv_layout(first)
        if columns is None:
            raise NotARecord(path, "the CSV has no ICTRP columns (TrialID, Public title, …); not an ICTRP export")
        names = [column_key(c) for c in columns]
        headerless = [] if _TRIAL_ID in map(column_key, first) else [(1, first)]  # the first row is a trial
        for line, cells in chain(headerless, _numbered(reader)):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(names):
                raise NotARecord(path, f"the CSV row at line {line} has {len(cells)} cells where the export has "
                                       f"{len(names)} columns: the file is cut or not one export")
            yield Row({n: (c, v) for n, c, v in zip(names, columns, cells)}, line)
    except csv.Error as exc:
        raise NotARecord(path, f"the CSV cannot be read past line {reader.line_num}: {exc}") from None


def read_csv(text: str, path: Optional[str] = None, source: Optional[Source] = None,
             schema: Optional[Schema] = None) -> Export:
    """Every ChiCTR/ITMCTR row of an ICTRP CSV export (decoded text) as an English-only record."""
    source = source or Source(path=path, format="ictrp-csv")
    return read_rows(_csv_rows(text, path), schema or default_schema(), source)


# --- XML --------------------------------------------------------------------------------------------

def is_xml_export(head: str) -> bool:
    """Whether decoded text starts as ICTRP's XML export (root `Trials_downloaded_from_ICTRP`, or one `<Trial>`).

    >>> is_xml_export("<?xml version='1.0' ?><Trials_downloaded_from_ICTRP>\\n  <Trial>")
    True
    >>> is_xml_export("<?xml version='1.0'?><trials><Triall>")
    False
    """
    head = head.lstrip("\ufeff \t\r\n")
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2:].lstrip()
    return head.startswith("<Trials_downloaded_from_ICTRP") or (head.startswith("<Trial>") and "<TrialID>" in head[:2048])


def read_xml_export(data: bytes, path: Optional[str] = None, source: Optional[Source] = None,
                    schema: Optional[Schema] = None) -> Export:
    """Every ChiCTR/ITMCTR `<Trial>` of ICTRP's XML export as an English-only record; parsed as the
    page's XML is (nothing fetched, no entity expanded)."""
    from .xml import export_trials  # lxml, loaded for the first XML export
    root, trials = export_trials(data, path, "Trial", "an ICTRP export")
    source = source or Source(path=path, format="ictrp-xml")
    if source.encoding is None:
        source = replace(source, encoding=root.getroottree().docinfo.encoding)
    rows = (Row({column_key(el.tag): (el.tag, el.text or "") for el in trial if isinstance(el.tag, str)},
                trial.sourceline or 0) for trial in trials)
    return read_rows(rows, schema or default_schema(), source)
