"""ITMCTR data-API records (JSON) → records, with nothing to align: the API pairs the languages itself.

The registry's search API (`/itmctr/Project/trialsearch`) serves each record as one flat object:
`<name>_zh` / `<name>_en` pairs, single values (phones, e-mails, numbers), controlled values as registry
codes (`"gender": "1006003"`), timestamps in UTC. Each name is mapped to the field key the bilingual
record uses (glossary/fields.tsv gives the labels); codes are shown as the vocabulary's Chinese and
English (glossary/vocab.tsv, `registry_id`), and a code the vocabulary does not hold is kept as given and
reported. Values are shown as the record page shows them: trimmed, `\\r\\n` as `\\n`, times in Beijing
time, periods as `From … To …`. What has no field on the page (API bookkeeping, follow-up, the
diagnostic-test block) is kept in `unpaired`, never dropped; so are group items, since every record seen
so far (36) has its five group arrays empty and their item shape is unknown.

Accepted: a list of records, one record, or the API's own reply (`{"data": {"rows": [...]}}`).
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from ..errors import HostileInput, NotARecord
from ..labels import Schema, default_schema
from ..limits import MAX_ITEMS, capped_problem
from ..parts import Source
from ..problems import problem_data

# API name → (field key, how the value is read). `pair`: `<name>_zh` and `<name>_en`; `mono`: one value
# for both languages; `code`: a registry code; `date`: a date or timestamp. Listed in page order.
_FIELDS = (
    ("registration_number", "registration_number", "mono"),
    ("registration_status", "registration_status", "code"),
    ("publictitle", "public_title", "pair"),
    ("english_acronym", "public_title_acronym", "pair"),
    ("scientific_title", "scientific_title", "pair"),
    ("scientific_title_acronym", "scientific_title_acronym", "pair"),
    ("study_subject_id", "study_subject_id", "mono"),
    ("applicant", "applicant", "pair"),
    ("study_leader", "study_leader", "pair"),
    ("applicant_telephone", "applicant_phone", "mono"),
    ("study_leader_telephone", "study_leader_phone", "mono"),
    ("applicant_fax", "applicant_fax", "mono"),
    ("study_leader_fax", "study_leader_fax", "mono"),
    ("applicant_email", "applicant_email", "mono"),
    ("study_leader_email", "study_leader_email", "mono"),
    ("applicant_website", "applicant_website", "mono"),
    ("study_leader_website", "study_leader_website", "mono"),
    ("applicant_address", "applicant_address", "pair"),
    ("study_leader_address", "study_leader_address", "pair"),
    ("applicant_postcode", "applicant_postcode", "mono"),
    ("study_leader_postcode", "study_leader_postcode", "mono"),
    ("applicant_affiliation", "applicant_institution", "pair"),
    ("study_leader_affiliation", "study_leader_affiliation", "pair"),
    ("ethic_committee_approved", "ethics_approved", "code"),
    ("ethic_committee_approved_no", "ethics_approval_number", "mono"),
    ("ethic_committee_name", "ethics_committee_name", "pair"),
    ("ethic_committee_approved_date", "ethics_approval_date", "date"),
    ("ethic_committee_contact", "ethics_contact_name", "pair"),
    ("ethic_committee_address", "ethics_contact_address", "pair"),
    ("ethic_committee_phone", "ethics_contact_phone", "mono"),
    ("ethic_committee_email", "ethics_contact_email", "mono"),
    ("primary_sponsor", "primary_sponsor", "pair"),
    ("primary_sponsor_address", "primary_sponsor_address", "pair"),
    ("funding_source", "funding_sources", "pair"),
    ("target_disease", "target_disease", "pair"),
    ("target_disease_code", "target_disease_code", "mono"),
    ("study_type", "study_type", "code"),
    ("study_phase", "study_phase", "code"),
    ("study_design", "study_design", "code"),
    ("study_objectives", "objectives", "pair"),
    ("treatment_description", "treatment_description", "pair"),
    ("inclusion_criteria", "inclusion_criteria", "pair"),
    ("exclusion_criteria", "exclusion_criteria", "pair"),
    ("recruiting_status", "recruitment_status", "code"),
    ("gender", "gender", "code"),
    ("randomization_procedure", "randomization_procedure", "pair"),
    ("blinding", "blinding", "pair"),
    ("ipd_sharing", "ipd_sharing", "code"),
    ("ipd_sharing_way", "ipd_sharing_plan", "pair"),
    ("data_collection", "data_management", "pair"),
    ("safety_committee", "dsmc", "code"),
)
# Fields built from two API values each.
_PERIODS = (("study_period", "study_time_start", "study_time_end"),
            ("recruitment_period", "recruiting_time_start", "recruiting_time_end"))
_READ_ELSEWHERE = {"study_time_start", "study_time_end", "recruiting_time_start", "recruiting_time_end",
                   "age_range_min", "age_range_max", "partner_registry_number", "chi_reg_number",
                   "first_submit_time", "send_number_time", "use_first_submit_time_as_registration_time",
                   "display_version", "created_time"}
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # a surrogate written as an escape; lone ones are found later
_GROUPS = ("humanSample", "intervention", "sponsor", "researchSite", "measurement")
_BEIJING = timezone(timedelta(hours=8))
_TIMESTAMP = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})T(?P<clock>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:\d{2})?")


@lru_cache(maxsize=1)
def _codes() -> dict[tuple[str, str], tuple[str, str]]:
    """(field, registry code) → (Chinese, English) from glossary/vocab.tsv."""
    from ..glossary.files import default_vocab  # the glossary is large; load it only for API records

    return {(v.field, code): (v.zh, v.en) for v in default_vocab() for code in v.registry_id}


def _text(value) -> str:
    """A value as the page shows it: null and "" alike, trimmed, `\\r\\n` as `\\n`; a value that is no
    string or number is shown as its JSON.

    >>> _text(" a\\r\\nb "), _text(None), _text(5), _text(True), _text({"a": 1})
    ('a\\nb', '', '5', 'true', '{"a": 1}')
    """
    if value is None:
        return ""
    if isinstance(value, (bool, dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _time(value) -> str:
    """`2026-07-08T00:00:00` → `2026-07-08 00:00:00`; a UTC timestamp in Beijing time, as the page shows it.
    Anything that is not such a timestamp is shown as it is.

    >>> _time("2026-09-29T11:32:50.2126215+00:00"), _time("2026-07-08T00:00:00"), _time("TBD")
    ('2026-09-29 19:32:50', '2026-07-08 00:00:00', 'TBD')
    >>> _time("0001-01-01T00:00:00+01:00"), _time("9999-12-31T23:00:00Z")
    ('0001-01-01T00:00:00+01:00', '9999-12-31T23:00:00Z')
    """
    text = _text(value)
    m = _TIMESTAMP.fullmatch(text)
    if m is None:
        return text
    zone = "+00:00" if m["zone"] == "Z" else m["zone"] or ""  # fractions dropped: Python 3.10 reads at most 6 digits
    try:
        when = datetime.fromisoformat(f"{m['day']} {m['clock']}{zone}")
        return (when.astimezone(_BEIJING) if when.tzinfo else when).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, OverflowError):  # a date that does not exist (2026-02-30), or out of range in Beijing
        return text


class _Record:
    """One API record being read into the plain data the pipeline repairs and validates."""

    def __init__(self, item: dict, schema: Schema):
        self.item, self.schema = item, schema
        self.fields: dict[str, dict] = {}
        self.problems: list[dict] = []
        self.used: set[str] = set(_READ_ELSEWHERE)

    def add(self, key: str, zh: str, en: str, shared: bool = False) -> None:
        defn = self.schema.get(key)
        self.fields[key] = {"key": key, "group": None, "index": None, "shared": shared, "lines": [],
                            "zh": {"label": defn.zh_label if defn else key, "value": zh},
                            "en": {"label": defn.en_label if defn else key, "value": en}}

    def mono(self, key: str, value: str) -> None:
        self.add(key, value, value, shared=bool(value))

    def code(self, key: str, name: str) -> None:
        code = _text(self.item.get(name))
        shown = _codes().get((key, code))
        if shown:
            self.add(key, *shown)
            return
        self.mono(key, code)
        if code:
            self.problems.append(problem_data("unknown-code", field=key, message=(
                f"the API gives code {code!r} for {name}; the glossary's vocabulary does not hold it, so it is kept as given")))

    def read(self) -> None:
        item = self.item
        for name, key, kind in _FIELDS:
            if kind == "pair":
                if name + "_zh" not in item and name + "_en" not in item:
                    continue  # a field this API does not serve is not shown as an empty one
                self.used.update((name + "_zh", name + "_en"))
                self.add(key, _text(item.get(name + "_zh")), _text(item.get(name + "_en")))
            elif name not in item:
                continue
            else:
                self.used.add(name)
                if kind == "code":
                    self.code(key, name)
                else:
                    self.mono(key, _time(item.get(name)) if kind == "date" else _text(item.get(name)))
        for key, start, end in _PERIODS:
            if start in item or end in item:
                both = _text(item.get(start)) or _text(item.get(end))
                self.mono(key, f"From {_time(item.get(start))} To {_time(item.get(end))}" if both else "")
        if "age_range_min" in item or "age_range_max" in item:
            low, high = _text(item.get("age_range_min")), _text(item.get("age_range_max"))
            self.mono("age_range", f"最小 Min age {low} years\n最大 Max age {high} years" if low or high else "")
        if "partner_registry_number" in item or "chi_reg_number" in item:
            # the page shows the partner registry's number and the record's own ChiMCTR number together
            numbers = (_text(item.get("partner_registry_number")), _text(item.get("chi_reg_number")))
            self.mono("secondary_ids", " ; ".join(v for v in numbers if v))
        registered = "first_submit_time" if item.get("use_first_submit_time_as_registration_time") else "send_number_time"
        if registered in item:
            self.mono("registration_date", _time(item.get(registered)))
        self.used.discard("first_submit_time" if registered == "send_number_time" else "send_number_time")

    def ordered(self) -> list[dict]:
        """The fields in page order, the order of glossary/fields.tsv."""
        order = {d.key: n for n, d in enumerate(self.schema.defs) if d.group is None}
        return sorted(self.fields.values(), key=lambda f: order.get(f["key"], len(order)))

    def unpaired(self) -> list[dict]:
        """Every value with no field on the page, and every group item, as `name: value`. Values with no
        field past the first MAX_ITEMS (a reply of 100,000 keys) are kept together as one text."""
        out, rest = [], []
        why_loose, loose = "the record page has no field for this API value", 0
        for name, value in self.item.items():
            if name in self.used:
                continue
            if isinstance(value, list):
                why = f"the API's {name} items are not read yet: no record seen so far had any"
                for n, member in enumerate(value[:MAX_ITEMS]):
                    out.append({"text": f"{name}[{n}]: {json.dumps(member, ensure_ascii=False)}", "lines": [], "why": why})
                if len(value) > MAX_ITEMS:
                    self.problems.append(capped_problem(f"the API's {name}", len(value)))
                    out.append({"text": f"{name}[{MAX_ITEMS}:]: {json.dumps(value[MAX_ITEMS:], ensure_ascii=False)}",
                                "lines": [], "why": why})
            elif name in _GROUPS and value is not None:
                self.problems.append(problem_data("unexpected-type", (
                    f"the API's {name} is a {type(value).__name__}, not a list of items; kept as given in unpaired")))
                out.append({"text": f"{name}: {_text(value)}", "lines": [],
                            "why": f"the API's {name} should be a list of items"})
            elif _text(value):
                loose += 1
                if loose <= MAX_ITEMS:
                    out.append({"text": f"{name}: {_text(value)}", "lines": [], "why": why_loose})
                else:
                    rest.append(f"{name}: {_text(value)}")
        if rest:
            self.problems.append(capped_problem("the API's values with no field on the page", loose))
            out.append({"text": "\n".join(rest), "lines": [], "why": why_loose})
        return out


def _encodable(data):
    """The JSON's values with lone surrogates (`"\\ud800"`, which no UTF-8 output can hold) written back
    as their escapes, so they are kept, as text, rather than failing the record.

    >>> _encodable({"a\\ud800": ["\\udc00x", 1]})
    {'a\\\\ud800': ['\\\\udc00x', 1]}
    """
    if isinstance(data, str):
        return data.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(data, list):
        return [_encodable(v) for v in data]
    if isinstance(data, dict):
        return {_encodable(k): _encodable(v) for k, v in data.items()}
    return data


def _items(data, path: str | None) -> list[dict]:
    """The records of a reply: a list, one record, or the API's envelope `{"data": {"rows": [...]}}`."""
    if isinstance(data, dict) and isinstance(data.get("data"), dict) and isinstance(data["data"].get("rows"), list):
        data = data["data"]["rows"]
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) and "registration_number" in i and "publictitle_zh" in i for i in items):
        raise NotARecord(path, "a JSON document, but not ITMCTR data-API records (each needs registration_number "
                               "and publictitle_zh/_en)")
    return items


def read_itmctr_api(text: str, path: str | None = None, source: Source | None = None,
                    schema: Schema | None = None) -> list[dict]:
    """Every record of an ITMCTR data-API reply, as the plain data `align_data` gives for a page."""
    schema = schema or default_schema()
    try:
        data = json.loads(text)
        if _SURROGATE.search(text):
            data = _encodable(data)
    except RecursionError:
        raise HostileInput(path, "the JSON nests deeper than any record does; refused") from None
    except ValueError as exc:
        raise NotARecord(path, f"the JSON is not well-formed: {exc}") from None
    source = source or Source(path=path, format="json")
    records = []
    for item in _items(data, path):
        r = _Record(item, schema)
        r.read()
        fields = r.ordered()
        number = _text(item.get("registration_number")) or None
        problems = r.problems
        if not any(f["zh"]["value"] for f in fields if not f["shared"]):
            problems.append(problem_data("english-only", "the API record holds no Chinese values"))
        records.append({
            "registry": "ITMCTR", "registration_number": number, "source": source,
            "header": {"version": _text(item.get("display_version")) or None,
                       "version_created": _time(item.get("created_time")) or None},
            "fields": fields, "unpaired": r.unpaired(), "problems": problems,
        })
    return records
