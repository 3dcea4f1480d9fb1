"""The page's "download XML" export (WHO ICTRP style, `<trials><Triall>…`) → English-only Records.

The export holds no Chinese and no labels, so there is nothing to align: each element is mapped to the
field key the bilingual record uses (glossary/fields.tsv), with the schema's English label, and the
Chinese sides stay empty (a problem says so). Flattened lists are split back into group members:
`target_size` `2019 Y:2418;2020 Y:821;` and `i_freetext` `group:intervention;` become interventions,
`prim_outcome`/`sec_outcome` become outcomes, `sponsor_name` secondary sponsors, `country2` sites.
Elements with no home in the bilingual record are kept in `unpaired`, never dropped.

The parser never fetches anything and never expands entities: a document declaring entities (billion
laughs) or pointing at an external DTD or entity (XXE) is refused with HostileInput.
"""
from __future__ import annotations

import codecs

from lxml import etree

from ..errors import HostileInput, NotARecord
from ..labels import AFFILIATION, Schema, default_schema
from ..limits import MAX_ITEMS, capped_problem
from ..model import Field, Problem, Record, Side, Source, Unpaired
from ..problems import problem
from .decode import wide_encoding

# <main> child → field key (top-level fields)
_MAIN = {
    "trial_id": "registration_number",
    "date_registration": "registration_date",
    "primary_sponsor": "primary_sponsor",
    "public_title": "public_title",
    "acronym": "public_title_acronym",
    "scientific_title": "scientific_title",
    "Scientific_acronym": "scientific_title_acronym",
    "recruitment_status": "recruitment_status",
    "study_type": "study_type",
    "study_design": "study_design",
    "phase": "study_phase",
    "hc_freetext": "target_disease",
    "results_IPD_plan": "ipd_sharing",
    "results_IPD_description": "ipd_sharing_plan",
}
# <main> children that are read elsewhere or say nothing about the trial
_MAIN_HANDLED = {"UTRN", "utrn", "reg_name", "target_size", "i_freetext", "date_enrolment"}
# contact type → field key prefix, and contact child → key suffix
_CONTACT = {"public": "applicant", "scientific": "study_leader"}
_CONTACT_FIELDS = {"address": "address", "telephone": "phone", "email": "email", "zip": "postcode"}
# each contact person's institution field (the ICTRP reader uses it too)
_ETHICS = {"status": "ethics_approved", "approval_date": "ethics_approval_date",
           "contact_name": "ethics_contact_name", "contact_address": "ethics_contact_address",
           "contact_phone": "ethics_contact_phone", "contact_email": "ethics_contact_email"}
_CRITERIA = {"inclusion_criteria": "inclusion_criteria", "exclusion_criteria": "exclusion_criteria",
             "gender": "gender"}


def _parser(encoding: str | None = None) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True, encoding=encoding)


def _from_start(data: bytes) -> tuple[bytes, str | None]:
    """The document as bytes libxml2 reads, and the encoding to read them in when it is not their own.

    UTF-16 and UTF-32 exports (with or without BOM) are handed over as UTF-8. Blanks before the XML
    declaration make a document ill-formed, yet exports have them: the declaration moves before them,
    so every line keeps its number.

    >>> _from_start(b'\\n\\n <?xml version="1.0"?>\\n<trials/>')
    (b'<?xml version="1.0"?>\\n\\n\\n<trials/>', None)
    """
    encoding = None
    wide = wide_encoding(data[:4096])
    if wide:
        data, encoding = data.decode(wide, "replace").lstrip("\ufeff").encode("utf-8"), "utf-8"
    elif data.startswith(codecs.BOM_UTF8):
        data, encoding = data[3:], "utf-8"
    body = data.lstrip()
    if len(body) < len(data) and body.startswith(b"<?xml"):
        end = body.find(b"?>") + 2
        if end > 1:
            data = body[:end] + b"\n" * data[:len(data) - len(body)].count(b"\n") + body[end:]
    return data, encoding


def _refuse_dtd(tree, path: str | None) -> None:
    """Entity declarations and external DTDs are how billion-laughs and XXE files work; the export has none."""
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or dtd.system_url or dtd.external_id):
        raise HostileInput(path, "the XML declares entities or an external DTD (entity expansion / external "
                                 "entity attack); refused")
    if docinfo.system_url or docinfo.public_id:
        raise HostileInput(path, f"the XML points at an external DTD ({docinfo.system_url or docinfo.public_id}); refused")


def parse_xml(data: bytes, path: str | None = None):
    """The lxml tree of an XML document, or a typed error; nothing is fetched or expanded."""
    data, encoding = _from_start(data)
    parser = _parser(encoding)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "amplification" in str(exc):
            raise HostileInput(path, "the XML declares entities that expand without bound (a billion-laughs "
                                     "attack); refused") from None
        if exc.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise HostileInput(path, f"the XML goes past a parser limit: {exc}") from None
        raise NotARecord(path, f"the XML is not well-formed: {exc}") from None
    if root is None:
        raise NotARecord(path, "the XML holds no elements")
    _refuse_dtd(root.getroottree(), path)
    for el in root.iter(etree.Entity):
        raise HostileInput(path, f"the XML uses the entity &{el.name}; which is not expanded; refused")
    return root


def _text(el) -> str:
    return (el.text or "").strip() if el is not None else ""


def _items(flat: str) -> list[str]:
    """`a;b;` → ['a', 'b'], keeping empty items between separators (`;;` is two empty items); at most
    MAX_ITEMS items and the unsplit rest (see `_Builder.items`)."""
    parts = [p.strip() for p in flat.split(";", MAX_ITEMS)]
    if parts and not parts[-1]:
        parts.pop()
    return parts


def _pair(item: str) -> tuple[str, str]:
    """`2019 Y:2418` → ('2019 Y', '2418')."""
    name, sep, value = item.rpartition(":")
    return (name.strip(), value.strip()) if sep else (item, "")


class _Builder:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.fields: list[Field] = []
        self.unpaired: list[Unpaired] = []
        self.problems: list[Problem] = []

    def add(self, key: str, value: str, line: int, group: str | None = None, index: int | None = None) -> None:
        defn = self.schema.get(key, group)
        label = defn.en_label if defn else key
        self.fields.append(Field(key=key, group=group, index=index, en=Side(label=label, value=value),
                                 lines=[line, line]))

    def items(self, el) -> list[str]:
        """The items of a flattened list (`a;b;`); past MAX_ITEMS its rest is kept whole, with a problem."""
        parts = _items(_text(el))
        if len(parts) > MAX_ITEMS:
            rest = parts.pop()
            self.unpaired.append(Unpaired(text=f"{el.tag}: {rest}", lines=[el.sourceline or 0] * 2,
                                          why=f"items of <{el.tag}> past the first {MAX_ITEMS:,}"))
            self.problems.append(Problem.model_validate(capped_problem(f"<{el.tag}>", MAX_ITEMS + rest.count(";") + 1)))
        return parts

    def keep(self, el, why: str) -> None:
        if _text(el):
            self.unpaired.append(Unpaired(text=f"{el.tag}: {_text(el)}", lines=[el.sourceline or 0] * 2, why=why))

    def header(self, key: str, line: int) -> None:
        self.add(key, "", line)

    def members(self, group: str, rows: list[dict[str, tuple[str, int]]]) -> None:
        """A group header field, then each member's fields in index order; past MAX_ITEMS members the
        rest is kept as one text, with a problem."""
        if not rows:
            return
        if len(rows) > MAX_ITEMS:
            rest = rows[MAX_ITEMS:]
            self.unpaired.append(Unpaired(
                text="\n".join("; ".join(f"{key}: {value}" for key, (value, _) in row.items()) for row in rest),
                lines=[min(line for row in rest for _, line in row.values())] * 2,
                why=f"{group} members past the first {MAX_ITEMS:,}"))
            self.problems.append(Problem(**capped_problem(group, len(rows))))
            rows = rows[:MAX_ITEMS]
        self.header(group, min(line for row in rows for _, line in row.values()))
        for i, row in enumerate(rows):
            for key, (value, line) in row.items():
                self.add(key, value, line, group, i)


def _interventions(main, b: _Builder) -> list[dict[str, tuple[str, int]]]:
    """Members from `target_size` (group:size;) and `i_freetext` (group:intervention;), matched by group name."""
    rows: dict[str, dict[str, tuple[str, int]]] = {}
    for tag, key in (("target_size", "sample_size"), ("i_freetext", "intervention")):
        el = main.find(tag)
        if el is None or not _text(el):
            continue
        for name, value in map(_pair, b.items(el)):
            row = rows.setdefault(name, {"group_name": (name, el.sourceline or 0)})
            row[key] = (value, el.sourceline or 0)
    return list(rows.values())


def _record(trial, schema: Schema, source: Source) -> Record:
    b = _Builder(schema)
    main = trial.find("main")
    if main is None:
        raise NotARecord(source.path, "a <Triall> element has no <main> part")
    for el in main:
        if not isinstance(el.tag, str):
            continue
        if el.tag in _MAIN:
            b.add(_MAIN[el.tag], _text(el), el.sourceline or 0)
        elif el.tag == "date_enrolment" and _text(el):
            b.add("recruitment_period", f"From {_text(el)}", el.sourceline or 0)
        elif el.tag not in _MAIN_HANDLED:
            b.keep(el, f"the XML element <{el.tag}> has no field in the bilingual record")

    for contact in trial.iterfind("contacts/contact"):
        prefix = _CONTACT.get(_text(contact.find("type")).lower())
        if prefix is None:
            b.keep(contact.find("type"), "a contact of a type the page does not show")
            continue
        name = " ".join(_text(contact.find(t)) for t in ("firstname", "middlename", "lastname") if _text(contact.find(t)))
        b.add(prefix, name, contact.sourceline or 0)
        for child in contact:
            if child.tag in _CONTACT_FIELDS:
                b.add(f"{prefix}_{_CONTACT_FIELDS[child.tag]}", _text(child), child.sourceline or 0)
            elif child.tag == "affiliation":
                b.add(AFFILIATION[prefix], _text(child), child.sourceline or 0)
            elif child.tag in ("city", "country1"):
                b.keep(child, f"the page has no {prefix} {child.tag} field")

    criteria = trial.find("criteria")
    if criteria is not None:
        for child in criteria:
            if child.tag in _CRITERIA:
                b.add(_CRITERIA[child.tag], _text(child), child.sourceline or 0)
        ages = [(_text(criteria.find(t)), t) for t in ("agemin", "agemax")]
        if any(a for a, _ in ages):
            b.add("age_range", f"Min age {ages[0][0]} years\nMax age {ages[1][0]} years", criteria.sourceline or 0)

    codes = [_text(e) for e in trial.iterfind("health_condition_code/hc_code") if _text(e)]
    if codes:
        b.add("target_disease_code", "; ".join(codes), trial.find("health_condition_code").sourceline or 0)
    for el in trial.iterfind("health_condition_keyword/hc_keyword"):
        b.keep(el, "health-condition keywords have no field in the bilingual record")
    for el in trial.iterfind("intervention_keyword/i_keyword"):
        b.keep(el, "intervention keywords have no field in the bilingual record")

    ids = [_text(e.find("sec_id")) for e in trial.iterfind("secondary_ids/secondary_id") if _text(e.find("sec_id"))]
    if ids:
        b.add("secondary_ids", " ; ".join(ids), trial.find("secondary_ids").sourceline or 0)
    for el in trial.iterfind("secondary_ids/secondary_id/issuing_authority"):
        b.keep(el, "the page does not name who issued a secondary ID")
    funding = [_text(e) for e in trial.iterfind("source_support/source_name") if _text(e)]
    if funding:
        b.add("funding_sources", "\n".join(funding), trial.find("source_support").sourceline or 0)
    for review in trial.iterfind("ethics_reviews/ethics_review"):
        for child in review:
            if child.tag in _ETHICS:
                b.add(_ETHICS[child.tag], _text(child), child.sourceline or 0)

    sponsors = [{"institution": (name, e.sourceline or 0)}
                for e in trial.iterfind("secondary_sponsor/sponsor_name") for name in b.items(e) if name]
    b.members("secondary_sponsors", sponsors)
    interventions = _interventions(main, b)
    i_codes = [(c, e.sourceline or 0) for e in trial.iterfind("intervention_code/i_code") for c in b.items(e)]
    for row, code in zip(interventions, i_codes):
        row["intervention_code"] = code
    b.members("interventions", interventions)
    b.members("sites", [{"country": (_text(e), e.sourceline or 0)} for e in trial.iterfind("countries/country2") if _text(e)])
    outcomes = []
    for tag, kind in (("primary_outcome/prim_outcome", "Primary indicator"), ("secondary_outcome/sec_outcome", "Secondary indicator")):
        for e in trial.iterfind(tag):
            for name in b.items(e):
                if name:
                    outcomes.append({"outcome_name": (name, e.sourceline or 0), "outcome_type": (kind, e.sourceline or 0)})
    b.members("outcomes", outcomes)

    reg = next((f.en.value for f in b.fields if f.key == "registration_number"), "")
    registry = next((r for r in ("ChiCTR", "ITMCTR") if reg.startswith(r)), "ITMCTR" if reg.startswith("ChiMCTR") else None)
    return Record(
        registry=registry or (_text(main.find("reg_name")) or None), registration_number=reg or None,
        source=source, fields=b.fields, unpaired=b.unpaired,
        problems=[problem("english-only", "the XML export holds English only: every Chinese side is empty"),
                  *b.problems],
    )


def export_trials(data: bytes, path: str | None, tag: str, export: str) -> tuple:
    """The root of an XML export and its trials: the root itself when it is one `<tag>`, else every `<tag>`
    below it. An export with none is NotARecord naming the root it has (`export` says what it is not).

    >>> root, trials = export_trials(b"<trials><Triall/><Triall/></trials>", "x.xml", "Triall", "a registry export")
    >>> root.tag, len(trials)
    ('trials', 2)
    >>> export_trials(b"<html><body/></html>", "x.xml", "Trial", "an ICTRP export")
    Traceback (most recent call last):
    bilingual_registry.errors.NotARecord: x.xml: the XML has no <Trial> element (its root is <html>); not an ICTRP export
    """
    root = parse_xml(data, path)
    trials = [root] if root.tag == tag else list(root.iter(tag))
    if not trials:
        raise NotARecord(path, f"the XML has no <{tag}> element (its root is <{root.tag}>); not {export}")
    return root, trials


def read_xml(data: bytes, path: str | None = None, source: Source | None = None,
             schema: Schema | None = None) -> list[Record]:
    """Every `<Triall>` of an export as an English-only Record."""
    schema = schema or default_schema()
    root, trials = export_trials(data, path, "Triall", "a registry export")
    source = Source.model_validate(source or {"path": path, "format": "xml"})  # the model, from a `parts.Source` too
    if source.encoding is None:
        wide = wide_encoding(data[:4096])
        source = source.model_copy(update={"encoding": wide or root.getroottree().docinfo.encoding})
    return [_record(t, schema, source) for t in trials]
