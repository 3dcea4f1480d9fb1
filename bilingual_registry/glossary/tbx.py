"""TBX (ISO 30042) in and out, so the glossary travels to and from memoQ, Trados, Phrase or translate-toolkit.

We write TBX-Basic v3 (`<tbx type="TBX-Basic" style="dca">`, ISO 30042:2019) by default and TBX v2
(`<martif>`, which translate-toolkit and older tools read) on request; we read both. One concept entry
per term: Chinese and English preferred terms, English variants as admitted terms, abbreviations as
admitted terms with termType `abbreviation`, forbidden renderings as deprecated terms; domain goes to
subjectField and source to a concept-level `admin type="source"`.
Parsing never resolves entities, loads DTDs or touches the network.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from lxml import etree

from .entries import Term

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUS = {DEPRECATED, "notRecommendedTerm-admn-sts", "supersededTerm-admn-sts", "obsoleteTerm-admn-sts",
                     "forbidden", "obsolete"}
_ABBREVIATION_TYPES = {"abbreviation", "acronym", "shortForm", "initialism"}


class TBXError(ValueError):
    """The file is not TBX we can read."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                           remove_blank_text=True)


# ---------------------------------------------------------------------------------------------- writing

def _term_sec(parent, tag: str, text: str, status: str, term_type: Optional[str] = None) -> None:
    sec = etree.SubElement(parent, tag)
    term = etree.SubElement(sec, "term")
    term.text = text
    if term_type:
        etree.SubElement(sec, "termNote", type="termType").text = term_type
    etree.SubElement(sec, "termNote", type="administrativeStatus").text = status


def to_tbx(terms: Iterable[Term], version: int = 3) -> bytes:
    """TBX-Basic bytes (v3 `<tbx>` by default, v2 `<martif>` with version=2) for a term list.

    >>> data = to_tbx([Term("客观缓解率", "objective response rate", abbreviations=("ORR",))])
    >>> [t.abbreviations for t in from_tbx(data)]
    [('ORR',)]
    """
    v3 = version == 3
    if v3:
        root = etree.Element("tbx", nsmap={None: NS}, type="TBX-Basic", style="dca")
        header = etree.SubElement(root, "tbxHeader")
    else:
        root = etree.Element("martif", type="TBX-Basic")
        header = etree.SubElement(root, "martifHeader")
    root.set(XML_LANG, "zh")
    source = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(source, "p").text = "bilingual-registry glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    entry_tag, lang_tag, term_tag = ("conceptEntry", "langSec", "termSec") if v3 else ("termEntry", "langSet", "tig")
    for n, t in enumerate(terms, 1):
        entry = etree.SubElement(body, entry_tag, id=f"c{n}")
        if t.domain:
            etree.SubElement(entry, "descrip", type="subjectField").text = t.domain
        if t.source:
            etree.SubElement(entry, "admin", type="source").text = t.source
        zh = etree.SubElement(entry, lang_tag)
        zh.set(XML_LANG, "zh")
        _term_sec(zh, term_tag, t.zh, PREFERRED)
        en = etree.SubElement(entry, lang_tag)
        en.set(XML_LANG, "en")
        _term_sec(en, term_tag, t.en, PREFERRED)
        for v in t.en_variants:
            _term_sec(en, term_tag, v, ADMITTED)
        for a in t.abbreviations:
            _term_sec(en, term_tag, a, ADMITTED, "abbreviation")
        for f in t.forbidden:
            _term_sec(en, term_tag, f, DEPRECATED)
    tree = etree.ElementTree(root)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_tbx(terms: Iterable[Term], path: str | Path, version: int = 3) -> None:
    Path(path).write_bytes(to_tbx(terms, version))


# ---------------------------------------------------------------------------------------------- reading

def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, *names: str):
    return [c for c in el if _local(c) in names]


def _notes(sec) -> dict[str, str]:
    """termNote type -> text for a termSec/tig/ntig, also looking inside an ntig's termGrp."""
    out = {}
    for el in sec.iter():
        if _local(el) == "termNote" and el.get("type"):
            out[el.get("type")] = (el.text or "").strip()
    return out


def _terms_of(lang_el) -> list[tuple[str, str, str]]:
    """(term, administrativeStatus, termType) for every term of a language section."""
    out = []
    for sec in _children(lang_el, "termSec", "tig", "ntig"):
        term = next((e for e in sec.iter() if _local(e) == "term"), None)
        if term is None:
            continue
        text = "".join(term.itertext()).strip()
        notes = _notes(sec)
        out.append((text, notes.get("administrativeStatus", ""), notes.get("termType", "")))
    return out


def _lang(lang: Optional[str]) -> str:
    return (lang or "").lower().split("-")[0].split("_")[0]


def from_tbx(data: bytes) -> list[Term]:
    """Terms from TBX v3 or v2 bytes: the first Chinese and the preferred (else first) English term lead."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise TBXError(f"not well-formed XML: {exc}") from exc
    if _local(root) not in ("tbx", "martif"):
        raise TBXError(f"root element is <{_local(root)}>, not <tbx> or <martif>")
    terms: list[Term] = []
    for entry in root.iter():
        if _local(entry) not in ("conceptEntry", "termEntry"):
            continue
        domain = source = ""
        zh_terms: list[tuple[str, str, str]] = []
        en_terms: list[tuple[str, str, str]] = []
        for el in entry:
            name = _local(el)
            if name == "descrip" and el.get("type") == "subjectField":
                domain = (el.text or "").strip()
            elif name == "admin" and el.get("type") == "source":
                source = (el.text or "").strip()
            elif name in ("langSec", "langSet"):
                lang = _lang(el.get(XML_LANG) or el.get("lang"))
                if lang == "zh":
                    zh_terms += _terms_of(el)
                elif lang == "en":
                    en_terms += _terms_of(el)
        usable = [t for t in en_terms if t[1] not in _FORBIDDEN_STATUS]
        if not zh_terms or not usable:
            continue
        lead = next((t for t in usable if t[1] == PREFERRED and t[2] not in _ABBREVIATION_TYPES), usable[0])
        rest = [t for t in en_terms if t is not lead]
        terms.append(Term(
            zh=zh_terms[0][0], en=lead[0],
            en_variants=tuple(t[0] for t in rest if t[1] not in _FORBIDDEN_STATUS and t[2] not in _ABBREVIATION_TYPES),
            abbreviations=tuple(t[0] for t in rest if t[1] not in _FORBIDDEN_STATUS and t[2] in _ABBREVIATION_TYPES),
            forbidden=tuple(t[0] for t in rest if t[1] in _FORBIDDEN_STATUS),
            domain=domain, source=source,
        ))
    return terms


def read_tbx(path: str | Path) -> list[Term]:
    return from_tbx(Path(path).read_bytes())
