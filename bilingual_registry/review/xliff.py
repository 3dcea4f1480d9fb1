"""XLIFF 2.0 both ways, so a reviewer can correct the English in memoQ, Trados, Phrase or OmegaT.

Export: one `<file>` per record (`original` = its registration number), one `<unit>` per paired field with a
value, Chinese source and English target; unit ids are stable, made from the field's group, index and key
(`outcomes.2.time_point`, `public_title`); the unit's `name` holds both page labels; review findings on the
field are `<note category="review">` (record-wide ones are the file's notes); shared and language-neutral
fields (the same value on both sides) are `translate="no"`. Characters XML cannot carry are `<cp hex=…/>`.

Apply: the English of every unit whose target a reviewer changed lands in the record as an explained edit,
recorded like a repair (rule `xliff-edit`, evidence naming the file and the unit); every other value is left
exactly as it was. A unit is refused by name, as a problem of its record, when its source is no longer the
record's Chinese (`xliff-source-changed`), when its id names no field of the record (`xliff-unknown-unit`) or
when it changes a `translate="no"` field (`xliff-no-translate`); the other units still apply. A file that is
not XLIFF 2.x from Chinese to English raises XliffError; one built to attack a parser raises HostileInput.

What counts as the text of a segment, CAT tools' inline markup included (decided here):
- `<mrk>` (terms, comments, QA marks) and `<pc>` (paired formatting codes) keep their text: the wrapper goes;
- `<ph>`, `<sc>`, `<ec>` (codes) give their `equiv` text, usually none: our values are plain text, so a code
  a tool inserted carries no characters of the value; `<sm>`/`<em>` markers give nothing; `<cp hex>` gives
  its character;
- a unit a tool split into several `<segment>`s (with `<ignorable>` blanks between) is joined back in order;
- blanks are compared folded (runs of white space as one space, ends trimmed, NFC), since tools re-flow
  them: a target that differs from the record's English only in blanks is no edit, and a source that differs
  only in blanks still matches.
The reader never fetches anything nor expands entities (the same guarded parser as the XML export reader).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field as dc_field
from typing import Iterable, Optional

import regex
from lxml import etree

from ..errors import NotARecord, XliffError
from ..labels import keys_with
from ..model import Field, Finding, Problem, Record, Repair
from ..problems import problem
from ..sources.xml import parse_xml
from .report.owners import by_record

NS = "urn:oasis:names:tc:xliff:document:2.0"
RULE = "xliff-edit"
_X = "{%s}" % NS
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PRIORITY = {"error": "1", "warning": "5", "info": "9"}
# what XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF): sent as <cp hex="…"/>
_NOT_XML = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANKS = regex.compile(r"\s+")


def unit_id(f: Field) -> str:
    """The unit id of a field: stable across exports, an XML NMTOKEN.

    >>> unit_id(Field(key="time_point", group="outcomes", index=2)), unit_id(Field(key="public_title"))
    ('outcomes.2.time_point', 'public_title')
    """
    return f.key if f.group is None else f"{f.group}.{f.index}.{f.key}"


def _units(record: Record) -> dict[str, Field]:
    """Unit id → field, for the fields that get a unit (a value on either side); a repeated id gets `.2`, `.3`."""
    out: dict[str, Field] = {}
    for f in record.fields:
        if not (f.zh.value or f.en.value):
            continue
        uid = base = unit_id(f)
        n = 1
        while uid in out:
            n += 1
            uid = f"{base}.{n}"
        out[uid] = f
    return out


def _put_text(el: etree._Element, text: str) -> None:
    """`text` as the element's content, each character XML cannot hold as a <cp hex=…/> element."""
    pieces = _NOT_XML.split(text)
    bad = _NOT_XML.findall(text)
    el.text = pieces[0]
    for ch, tail in zip(bad, pieces[1:]):
        cp = etree.SubElement(el, _X + "cp", hex=f"{ord(ch):04X}")
        cp.tail = tail


def _note(parent: etree._Element, f: Finding) -> None:
    text = f"[{f.severity}] {f.check}: {f.message}" + (f" (suggestion: {f.suggestion})" if f.suggestion else "")
    note = etree.SubElement(parent, _X + "note", category="review", priority=_PRIORITY.get(f.severity, "5"))
    if f.side in ("zh", "en"):
        note.set("appliesTo", "source" if f.side == "zh" else "target")
    _put_text(note, text)


def _no_translate(f: Field, neutral: frozenset[str]) -> bool:
    return f.shared or (f.key in neutral and f.zh.value == f.en.value)


def export_xliff(records: Iterable[Record], findings: Iterable[Finding] = ()) -> bytes:
    """An XLIFF 2.0 document of the records (Chinese source, English target), findings as notes."""
    records = list(records)
    owned, _ = by_record(findings, records)
    neutral = keys_with("language-neutral")
    root = etree.Element(_X + "xliff", nsmap={None: NS}, version="2.0", srcLang="zh-CN", trgLang="en")
    for n, record in enumerate(records, start=1):
        number = record.registration_number
        file_el = etree.SubElement(root, _X + "file", id=f"f{n}", original=number or f"record-{n}")
        file_el.set(_XML_SPACE, "preserve")
        by_field: dict[tuple, list[Finding]] = {}
        for f in owned.get(n - 1, []):
            by_field.setdefault((f.field, f.group, f.index), []).append(f)
        loose = by_field.get((None, None, None), [])
        if loose:
            notes = etree.SubElement(file_el, _X + "notes")
            for f in loose:
                _note(notes, f)
        for uid, fld in _units(record).items():
            unit = etree.SubElement(file_el, _X + "unit", id=uid, name=f"{fld.zh.label} / {fld.en.label}")
            if _no_translate(fld, neutral):
                unit.set("translate", "no")
            on_field = by_field.get((fld.key, fld.group, fld.index), [])
            if on_field:
                notes = etree.SubElement(unit, _X + "notes")
                for f in on_field:
                    _note(notes, f)
            segment = etree.SubElement(unit, _X + "segment", state="translated" if fld.en.value else "initial")
            _put_text(etree.SubElement(segment, _X + "source"), fld.zh.value)
            _put_text(etree.SubElement(segment, _X + "target"), fld.en.value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- apply -----------------------------------------------------------------------------------------------

@dataclass
class Unit:
    """What a unit of a corrected XLIFF says: its source and target text, and whether it may be translated."""

    id: str
    source: str
    target: Optional[str]
    translate: bool = True


@dataclass
class XliffFile:
    """One `<file>` of the document: the record it belongs to and its units in order."""

    original: str
    units: list[Unit] = dc_field(default_factory=list)


def _inline(el: etree._Element) -> str:
    """The text of a source or target, inline markup resolved as the module docstring says.

    >>> t = etree.fromstring('<target xmlns="urn:oasis:names:tc:xliff:document:2.0">a <mrk id="m1" '
    ...     'type="term">PD-1</mrk> <ph id="1" equiv=""/>inhibitor<cp hex="000B"/> <pc id="2">plus</pc></target>')
    >>> _inline(t)
    'a PD-1 inhibitor\\x0b plus'
    """
    out = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            out.append(child.tail or "")
            continue
        name = etree.QName(child).localname
        if name == "cp":
            try:
                out.append(chr(int(child.get("hex", ""), 16)))
            except (ValueError, OverflowError):
                pass
        elif name in ("mrk", "pc"):
            out.append(_inline(child))
        elif name in ("ph", "sc", "ec"):
            out.append(child.get("equiv") or "")
        out.append(child.tail or "")
    return "".join(out)


def _unit(el: etree._Element) -> Unit:
    """A unit's text: its segments and the ignorable blanks between them joined in order."""
    sources, targets, any_target = [], [], False
    for part in el:
        if not isinstance(part.tag, str) or etree.QName(part).localname not in ("segment", "ignorable"):
            continue
        src, tgt = part.find(_X + "source"), part.find(_X + "target")
        source = _inline(src) if src is not None else ""
        sources.append(source)
        if tgt is not None:
            any_target = True
            targets.append(_inline(tgt))
        else:  # an ignorable (or an untranslated segment) stands for itself
            targets.append(source if etree.QName(part).localname == "ignorable" else "")
    return Unit(id=el.get("id", ""), source="".join(sources), target="".join(targets) if any_target else None,
                translate=el.get("translate", "yes") != "no")


def read_xliff(data: bytes, path: Optional[str] = None) -> list[XliffFile]:
    """The files and units of an XLIFF 2.x document from Chinese to English, read without fetching or
    expanding anything; XliffError (naming `path`) for anything else."""
    try:
        root = parse_xml(data, path)
    except NotARecord as exc:
        raise XliffError(path, exc.detail) from None
    tag = etree.QName(root)
    if tag.localname != "xliff":
        raise XliffError(path, f"the root element is <{tag.localname}>, not <xliff>")
    if tag.namespace != NS or not (root.get("version") or "").startswith("2."):
        found = root.get("version") or tag.namespace or "no namespace"
        raise XliffError(path, f"this is XLIFF {found}, not XLIFF 2.0; export XLIFF 2.0 from the CAT tool")
    src, trg = root.get("srcLang", ""), root.get("trgLang", "")
    if not src.lower().startswith("zh") or not trg.lower().startswith("en"):
        raise XliffError(path, f"the file translates {src or '?'} into {trg or '?'}, not Chinese into English")
    files = []
    for file_el in root.iter(_X + "file"):
        xf = XliffFile(original=file_el.get("original") or file_el.get("id", ""))
        xf.units = [_unit(u) for u in file_el.iter(_X + "unit")]
        files.append(xf)
    if not files:
        raise XliffError(path, "the XLIFF holds no <file>")
    return files


def _fold(text: str) -> str:
    """Text as compared: NFC, runs of white space as one space, ends trimmed.

    >>> _fold("No. 299  Qingyang\\nRoad ") == _fold("No. 299 Qingyang Road")
    True
    """
    return _BLANKS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _edit(f: Field, new: str, evidence: str) -> Repair:
    """The change from the field's English to `new` as a repair: the differing middle, at its offset."""
    old = f.en.value
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    return Repair(field=f.key, side="en", at=start, before=old[start:end_old], after=new[start:end_new], rule=RULE,
                  evidence=evidence, confidence=1.0, group=f.group, index=f.index)


def _problem(code: str, f: Optional[Field], message: str) -> Problem:
    return problem(code, message, field=f.key if f else None, lines=(f.lines or None) if f else None)


def apply_to_record(record: Record, xf: XliffFile, name: str) -> tuple[Record, list[Repair], list[Problem]]:
    """The record with the English of the units a reviewer changed, the edits made and the units refused
    (also added to the record's `repairs` and `problems`); `name` is the XLIFF's file name, for the evidence."""
    fields = _units(record)
    neutral = keys_with("language-neutral")
    changed: dict[int, tuple[Field, Repair]] = {}
    refused: list[Problem] = []
    for unit in xf.units:
        f = fields.get(unit.id)
        where = f"{name}: unit {unit.id}"
        if f is None:
            refused.append(_problem("xliff-unknown-unit", None, f"{where}: no field of {xf.original} has this id; "
                                                               "unit refused"))
            continue
        if _fold(unit.source) != _fold(f.zh.value):
            refused.append(_problem("xliff-source-changed", f, f"{where}: its source {unit.source!r} is no longer "
                                                              f"the record's Chinese {f.zh.value!r}; unit refused"))
            continue
        if unit.target is None or _fold(unit.target) == _fold(f.en.value):
            continue
        if not unit.translate or _no_translate(f, neutral):
            refused.append(_problem("xliff-no-translate", f, f"{where}: the field is not to be translated (the same "
                                                            f"value on both sides) but its target was changed to "
                                                            f"{unit.target!r}; unit refused"))
            continue
        repair = _edit(f, unit.target, f"{where}: the reviewer's target in the corrected XLIFF")
        changed[id(f)] = (f.model_copy(update={"en": f.en.model_copy(update={"value": unit.target}),
                                               "repairs": [*f.repairs, repair]}), repair)
    if not changed and not refused:
        return record, [], []
    edits = [repair for _, repair in changed.values()]
    new_fields = [changed[id(f)][0] if id(f) in changed else f for f in record.fields]
    return (record.model_copy(update={"fields": new_fields, "repairs": [*record.repairs, *edits],
                                      "problems": [*record.problems, *refused]}), edits, refused)


@dataclass
class Applied:
    """What applying a corrected XLIFF did: the records (edited or as they were), the edits, the refused
    units, and the XLIFF files whose record was not among the inputs."""

    records: list[Record]
    edits: list[Repair] = dc_field(default_factory=list)
    refused: list[Problem] = dc_field(default_factory=list)
    unmatched: list[str] = dc_field(default_factory=list)


def apply_xliff(data: bytes, records: Iterable[Record], path: Optional[str] = None) -> Applied:
    """Apply a corrected XLIFF (the bytes of `path`) to the records: each `<file>` to the record whose
    registration number is its `original` (the first such record), every other record unchanged."""
    name = path or "<xliff>"
    files = read_xliff(data, path)
    out = Applied(records=list(records))
    position = {}
    for n, r in enumerate(out.records):
        position.setdefault(r.registration_number, n)
    for xf in files:
        n = position.get(xf.original)
        if n is None:
            out.unmatched.append(xf.original)
            continue
        out.records[n], edits, refused = apply_to_record(out.records[n], xf, name)
        out.edits += edits
        out.refused += refused
    return out
