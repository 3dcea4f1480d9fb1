"""The glossary: registry vocabularies and medical terms, looked up both ways and found in text.

Data lives in glossary/vocab.tsv and glossary/terms.tsv (DESIGN.md: data over code); a user's glossary
is merged over ours and wins. Matching never rewrites a value: text is folded into a *view* (NFKC width
folding, OpenCC traditional->simplified, case folding, dash/space unification) and every hit is reported
with offsets into the original text.
"""
from __future__ import annotations

import bisect
import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

import ahocorasick
import regex

from .labels import glossary_dir
from .patterns import TIMEOUT, has_han

TERM_COLUMNS = ("zh", "en", "en_variants", "abbreviations", "forbidden", "domain", "source")
VOCAB_COLUMNS = ("field", "zh", "en", "plain_en", "registry_id", "en_variants", "source")

# Every pattern below runs on user text, so each call gets a timeout (seconds).
_HAN_RUN = regex.compile(r"\p{Han}+")
# Patterns run over whole records are plain character classes for `re` (linear, no backtracking,
# several times faster than `regex` here): Han ideographs, and the marks and jamo NFKC may combine.
_HAN_CLASS = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_SPACES = re.compile(f"(?<=[{_HAN_CLASS}]) +| +(?=[{_HAN_CLASS}])")


@lru_cache(maxsize=1)
def _composing() -> re.Pattern:
    """Every combining mark (Unicode category M) and jamo of the BMP: what NFKC may fold into its neighbour.

    A bitmap class of the BMP keeps `re` fast; texts beyond the BMP take the slow, exact per-character path.
    """
    ranges: list[list[int]] = []
    for c in range(0x10000):
        if unicodedata.category(chr(c))[0] == "M" or 0x1100 <= c <= 0x11FF or 0x3130 <= c <= 0x318F:
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad\u2043\ufe63\ufe58\uff0d"
_BLANKS = "\t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'}


# ---------------------------------------------------------------------------------------------- entries

def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


@dataclass(frozen=True)
class Term:
    """One concept: the Chinese term, its preferred English and the English forms around it."""

    zh: str
    en: str
    en_variants: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    domain: str = ""
    source: str = ""

    @classmethod
    def from_row(cls, row: dict) -> "Term":
        return cls(
            zh=(row.get("zh") or "").strip(), en=(row.get("en") or "").strip(),
            en_variants=_split(row.get("en_variants")), abbreviations=_split(row.get("abbreviations")),
            forbidden=_split(row.get("forbidden")), domain=(row.get("domain") or "").strip(),
            source=(row.get("source") or "").strip(),
        )

    def row(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en, "en_variants": "|".join(self.en_variants),
                "abbreviations": "|".join(self.abbreviations), "forbidden": "|".join(self.forbidden),
                "domain": self.domain, "source": self.source}


@dataclass(frozen=True)
class VocabEntry:
    """One controlled value of a registry field: the registry's own English kept verbatim (typos too)."""

    field: str
    zh: str
    en: str
    plain_en: str = ""
    registry_id: tuple[str, ...] = ()
    en_variants: tuple[str, ...] = ()
    source: str = ""

    @classmethod
    def from_row(cls, row: dict) -> "VocabEntry":
        return cls(
            field=(row.get("field") or "").strip(), zh=(row.get("zh") or "").strip(),
            en=(row.get("en") or "").strip(), plain_en=(row.get("plain_en") or "").strip(),
            registry_id=_split(row.get("registry_id")), en_variants=_split(row.get("en_variants")),
            source=(row.get("source") or "").strip(),
        )

    def row(self) -> dict[str, str]:
        return {"field": self.field, "zh": self.zh, "en": self.en, "plain_en": self.plain_en,
                "registry_id": "|".join(self.registry_id), "en_variants": "|".join(self.en_variants),
                "source": self.source}


@dataclass(frozen=True)
class Hit:
    """A term found in a text: [start, end) in the original text, and how it matched."""

    start: int
    end: int
    text: str
    form: str  # zh | en | variant | abbreviation | forbidden
    terms: tuple[Term, ...]

    @property
    def term(self) -> Term:
        return self.terms[0]


# ---------------------------------------------------------------------------------------------- reading

def _delimiter(path: Path) -> str:
    return "," if path.suffix.lower() == ".csv" else "\t"


def _rows(path: Path, columns: Sequence[str]) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        delimiter = _delimiter(path)
        quoting = csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE
        reader = csv.DictReader(fh, delimiter=delimiter, quoting=quoting)
        missing = [c for c in columns[:2] if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
        return list(reader)


def read_terms(path: str | Path) -> list[Term]:
    """Terms from a TSV (or .csv) file with the terms.tsv columns; TBX goes through tbx.read_tbx."""
    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        from .tbx import read_tbx
        return read_tbx(path)
    return [Term.from_row(r) for r in _rows(path, TERM_COLUMNS)]


def read_vocab(path: str | Path) -> list[VocabEntry]:
    return [VocabEntry.from_row(r) for r in _rows(Path(path), ("field", "zh", "en"))]


def _write(rows: Iterable[dict], columns: Sequence[str], fmt: str) -> str:
    out = io.StringIO()
    if fmt == "csv":
        w = csv.DictWriter(out, columns, lineterminator="\n")
    else:
        w = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def terms_to_text(terms: Iterable[Term], fmt: str = "tsv") -> str:
    """Terms as TSV (the terms.tsv layout) or CSV text."""
    return _write((t.row() for t in terms), TERM_COLUMNS, fmt)


def vocab_to_text(entries: Iterable[VocabEntry], fmt: str = "tsv") -> str:
    return _write((v.row() for v in entries), VOCAB_COLUMNS, fmt)


# ---------------------------------------------------------------------------------------------- folding

@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, int]:
    """Character-level OpenCC t2s as a translate table: one to one, so offsets stay exact and it runs in C.

    Built once by converting every CJK ideograph through OpenCC's own t2s dictionaries.
    """
    import opencc

    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # pragma: no cover - OpenCC never merges lines
        return {}
    return {ord(a): ord(b) for a, b in zip(chars, out) if len(b) == 1 and a != b}


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Characters t2s would change: most texts have none, and then the t2s pass is skipped."""
    return frozenset(chr(c) for c in _t2s_table())


@lru_cache(maxsize=None)
def _table(kind: str) -> tuple[tuple[str, str], ...]:
    """Per-view one-to-one replacements: blanks, quotes, and dashes (to `-`, or to a blank for 'en')."""
    table = {c: " " for c in _BLANKS}
    table.update(_QUOTES)
    table.update({c: " " if kind == "en" else "-" for c in _DASHES})
    if kind == "en":
        table.update({c: " " for c in "-/_"})
    return tuple(table.items())


def _replace(text: str, kind: str) -> str:
    """Apply the view's one-to-one map; a few C-speed replaces beat str.translate on non-ASCII text."""
    for old, new in _table(kind):
        if old in text:
            text = text.replace(old, new)
    if kind == "zh" and not _traditional().isdisjoint(text):
        text = text.translate(_t2s_table())
    return text


class _View:
    """Folded text plus the way back to original offsets.

    `index` maps view positions to original ones when a step changed lengths; `cut_at`/`cut_shift`
    record spans removed afterwards (blanks next to Han in the zh view), as sorted (view_pos, shift) pairs.
    """

    __slots__ = ("text", "index", "cut_at", "cut_shift")

    def __init__(self, text: str, index: Optional[list[int]] = None):
        self.text = text
        self.index = index
        self.cut_at: list[int] = []
        self.cut_shift: list[int] = []

    def orig(self, pos: int) -> int:
        if self.cut_at:
            k = bisect.bisect_right(self.cut_at, pos) - 1
            if k >= 0:
                pos += self.cut_shift[k]
        return self.index[pos] if self.index is not None else pos

    def squeeze(self, pattern: re.Pattern, keep: str) -> None:
        """Replace each match of `pattern` with `keep` ('' or ' '), remembering the shifts."""
        pieces, last, shift = [], 0, 0
        for m in pattern.finditer(self.text):
            pieces += [self.text[last:m.start()], keep]
            # view positions from the end of this piece on sit `shift` further along the old text
            self.cut_at.append(m.start() - shift + len(keep))
            shift += m.end() - m.start() - len(keep)
            self.cut_shift.append(shift)
            last = m.end()
        if pieces:
            pieces.append(self.text[last:])
            self.text = "".join(pieces)


def _per_char(text: str, fn) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = fn(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


def _nfkc(text: str) -> tuple[str, Optional[list[int]]]:
    """NFKC width folding, with an offset index only when a character changed length."""
    if unicodedata.is_normalized("NFKC", text):
        return text, None
    normal = unicodedata.normalize("NFKC", text)
    # width folding is one to one; only marks, jamo and compatibility expansions move offsets
    if len(normal) == len(text) and not _ASTRAL.search(text) and not _composing().search(text):
        return normal, None
    return _per_char(text, lambda c: unicodedata.normalize("NFKC", c))


def _casefold(text: str, index: Optional[list[int]]) -> tuple[str, Optional[list[int]]]:
    folded = text.casefold()
    if len(folded) == len(text):
        return folded, index
    folded, idx = _per_char(text, str.casefold)
    return folded, idx if index is None else [index[i] for i in idx]


def _finish(text: str, index: Optional[list[int]], kind: str) -> _View:
    view = _View(_replace(text, kind), index)
    if kind == "zh":  # Chinese writers space Latin words off at will: `PD-1 抑制剂` is `PD-1抑制剂`
        view.squeeze(_HAN_SPACES, "")
    return view


def fold(text: str, kind: str) -> _View:
    """Fold text for matching: 'zh' (t2s, blanks next to Han dropped), 'en' (dashes to blanks) or 'abbr'.

    >>> fold("ＰＤ－１ 抑制劑", "zh").text
    'pd-1抑制剂'
    >>> fold("Progression‑Free Survival", "en").text
    'progression free survival'
    >>> fold("ＰＤ－Ｌ１", "abbr").text
    'PD-L1'
    """
    base = _nfkc(text)
    return _finish(*(base if kind == "abbr" else _casefold(*base)), kind)


def _views(text: str) -> dict[str, _View]:
    """All three views of a text, sharing the NFKC and case-folding passes."""
    base = _nfkc(text)
    lower = _casefold(*base)
    return {"zh": _finish(*lower, "zh"), "en": _finish(*lower, "en"), "abbr": _finish(*base, "abbr")}


def _key(text: str, kind: str) -> str:
    key = fold(text, kind).text
    return " ".join(key.split()) if kind != "zh" else key


def _plurals(key: str) -> list[str]:
    """Plural forms of an English key's last word (`cancer` -> `cancers`, `therapy` -> `therapies`)."""
    if not key or not key[-1].isalpha() or not key.isascii():
        return []
    head, _, last = key.rpartition(" ")
    if len(last) < 3:
        return []
    if last.endswith("y") and last[-2] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [(head + " " + f) if head else f for f in forms]


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def _wordish(ch: str) -> bool:
    return ch.isalnum() and not _is_cjk(ch)


# ---------------------------------------------------------------------------------------------- matcher

_FORM_RANK = {"zh": 0, "en": 0, "abbreviation": 1, "variant": 2, "forbidden": 3}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _bytewise(text: str) -> str:
    """Text as UTF-16 code-unit bytes, one Latin-1 character per byte.

    pyahocorasick looks a node's children up one by one, and the root of the Chinese automaton has a
    thousand of them; over bytes it has about eighty, which makes the scan several times faster.
    Matches must start on an even byte. Characters beyond the BMP all become U+E000 (one code unit).
    """
    if _ASTRAL.search(text):
        text = _ASTRAL.sub("\ue000", text)
    return text.encode("utf-16-be").decode("latin-1")


class _Matcher:
    """Three Aho-Corasick automata (zh, en, abbreviation views) over one term list."""

    def __init__(self, terms: Sequence[Term]):
        self.automata: dict[str, ahocorasick.Automaton] = {}
        table: dict[str, dict[str, list[tuple[int, str, Term]]]] = {"zh": {}, "en": {}, "abbr": {}}

        def put(kind: str, text: str, form: str, term: Term) -> None:
            key = _key(text, kind)
            if key:
                table[kind].setdefault(key, []).append((_FORM_RANK[form], form, term))

        for t in terms:
            put("zh", t.zh, "zh", t)
            for form, texts in (("en", (t.en,)), ("variant", t.en_variants), ("forbidden", t.forbidden)):
                for text in texts:
                    put("en", text, form, t)
                    for plural in _plurals(_key(text, "en")):
                        put("en", plural, form, t)
            for a in t.abbreviations:
                put("abbr", a, "abbreviation", t)
                if "-" in a:
                    put("abbr", a.replace("-", ""), "abbreviation", t)
        for kind, entries in table.items():
            automaton = ahocorasick.Automaton()
            for key, owners in entries.items():
                owners.sort(key=lambda o: o[0])  # preferred forms first, then file order
                terms = tuple(dict.fromkeys(o[2] for o in owners))
                automaton.add_word(_bytewise(key) if kind == "zh" else key, (len(key), owners[0][1], terms))
            if entries:
                automaton.make_automaton()
                self.automata[kind] = automaton
    def find(self, text: str) -> list[Hit]:
        candidates: list[tuple[int, int, str, tuple[Term, ...], int]] = []
        views = _views(text)
        for rank, (kind, automaton) in enumerate(self.automata.items()):
            view = views[kind]
            if kind == "zh":
                matches = ((end // 2, value) for end, value in automaton.iter(_bytewise(view.text))
                           if (end + 1) % 2 == 0 and (end + 1 - 2 * value[0]) % 2 == 0)
            else:
                matches = automaton.iter(view.text)
            for end, (length, form, owners) in matches:
                start = view.orig(end - length + 1)
                stop = view.orig(end) + 1
                key_first, key_last = view.text[end - length + 1], view.text[end]
                if kind != "zh" or _wordish(key_first):
                    if start > 0 and _wordish(text[start - 1]):
                        continue
                if kind != "zh" or _wordish(key_last):
                    if stop < len(text) and _wordish(text[stop]):
                        continue
                candidates.append((start, stop, form, owners, rank))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1], c[4]))
        hits: list[Hit] = []
        reach = 0
        for start, stop, form, owners, _ in candidates:
            if start >= reach:
                hits.append(Hit(start, stop, text[start:stop], form, owners))
                reach = stop
        return hits


# ---------------------------------------------------------------------------------------------- checks

@dataclass(frozen=True)
class Issue:
    """A problem in a glossary file: what, where (line), and a short message."""

    code: str  # empty-side | bad-char | duplicate | conflict | unknown-field
    line: int
    message: str


_BAD = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd?]|锟斤拷|Ã|â€|\s{2,}|^\s|\s$")


def _bad_chars(text: str, zh: bool) -> Optional[str]:
    if _BAD.search(text, timeout=TIMEOUT):
        return "control, replacement, '?' or mojibake character, or stray blanks"
    if not zh and has_han(text):
        return "Chinese characters on the English side"
    if not zh and fold(text, "abbr").text != text:
        return "full-width or non-standard dash/blank characters (fold them)"
    if zh and text.translate(_t2s_table()) != text:
        return "traditional characters on the Chinese side"
    if zh and not has_han(text):
        return "no Chinese characters on the Chinese side"
    return None


def check_terms(terms: Sequence[Term], first_line: int = 2) -> list[Issue]:
    """Duplicates, conflicts, empty sides and bad characters in a term list (line = file line).

    >>> terms = [Term("随访", "follow-up"), Term("隨訪", "follow up", forbidden=("follow-up",))]
    >>> [(i.line, i.code) for i in check_terms(terms)]
    [(3, 'duplicate'), (3, 'bad-char'), (3, 'conflict')]
    """
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    allowed: dict[str, int] = {}
    for n, t in enumerate(terms, first_line):
        if not t.zh or not t.en:
            issues.append(Issue("empty-side", n, f"empty {'zh' if not t.zh else 'en'} side: {t.zh or t.en!r}"))
            continue
        key = _key(t.zh, "zh")
        if key in seen:
            issues.append(Issue("duplicate", n, f"{t.zh} is already on line {seen[key]}"))
        seen.setdefault(key, n)
        for text, zh in ((t.zh, True), *((x, False) for x in (t.en, *t.en_variants, *t.abbreviations, *t.forbidden))):
            why = _bad_chars(text, zh)
            if why:
                issues.append(Issue("bad-char", n, f"{text!r}: {why}"))
        # spelling variants that fold alike (`drug-eluting`, `drug eluting`) are kept on purpose for
        # tools that match literally, so only an exact repeat is a duplicate
        forms = [x.casefold() for x in (t.en, *t.en_variants)]
        if len(set(forms)) != len(forms):
            issues.append(Issue("duplicate", n, f"{t.zh}: an English variant repeats the term or another variant"))
        for x in (t.en, *t.en_variants):
            allowed.setdefault(_key(x, "en"), n)
    for n, t in enumerate(terms, first_line):
        for bad in t.forbidden:
            if _key(bad, "en") in allowed:
                issues.append(Issue("conflict", n, f"{t.zh}: forbidden {bad!r} is an accepted form on line "
                                                   f"{allowed[_key(bad, 'en')]}"))
    return sorted(issues, key=lambda i: i.line)


def check_vocab(entries: Sequence[VocabEntry], fields: Iterable[str], first_line: int = 2) -> list[Issue]:
    """Vocabulary problems: unknown fields, empty sides, duplicate values, bad characters."""
    known = set(fields)
    issues: list[Issue] = []
    seen: dict[tuple[str, str], int] = {}
    for n, v in enumerate(entries, first_line):
        if v.field not in known:
            issues.append(Issue("unknown-field", n, f"field {v.field!r} is not in fields.tsv"))
        for side in ("zh", "en", "plain_en"):
            if not getattr(v, side):
                issues.append(Issue("empty-side", n, f"{v.field}: empty {side} for {v.zh or v.en!r}"))
        key = (v.field, _key(v.zh, "zh"))
        if v.zh and key in seen:
            issues.append(Issue("duplicate", n, f"{v.field} {v.zh} is already on line {seen[key]}"))
        seen.setdefault(key, n)
        for text, zh in ((v.zh, True), (v.en, False), (v.plain_en, False), *((x, False) for x in v.en_variants)):
            why = text and _bad_chars(text, zh)
            if why:
                issues.append(Issue("bad-char", n, f"{text!r}: {why}"))
    return issues


def check_file(path: str | Path, fields: Iterable[str] = ()) -> list[Issue]:
    """Check one glossary file (terms or vocabulary, told apart by its `field` column)."""
    path = Path(path)
    if path.suffix.lower() not in (".tbx", ".xml") and "field" in _header(path):
        return check_vocab(read_vocab(path), fields)
    return check_terms(read_terms(path))


# ---------------------------------------------------------------------------------------------- glossary

@dataclass
class Glossary:
    """Terms and vocabularies, with lookups both ways and term finding in text.

    >>> g = Glossary([Term("非小细胞肺癌", "non-small cell lung cancer", abbreviations=("NSCLC",))])
    >>> [h.text for h in g.find("晚期非小細胞肺癌(NSCLC)患者")]
    ['非小細胞肺癌', 'NSCLC']
    >>> [t.zh for t in g.lookup("Non-Small-Cell Lung Cancers")]
    ['非小细胞肺癌']
    """

    terms: list[Term] = field(default_factory=list)
    vocab: list[VocabEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._matcher: Optional[_Matcher] = None
        self._index: Optional[dict[tuple[str, str], list[Term]]] = None
        self._tokenizer = None

    # loading and merging ------------------------------------------------------------------------
    @classmethod
    def load(cls, *paths: str | Path) -> "Glossary":
        """Read glossary files; a file with a `field` column is a vocabulary, anything else terms."""
        out = cls()
        for p in paths:
            p = Path(p)
            if p.suffix.lower() not in (".tbx", ".xml") and "field" in _header(p):
                out = out.merge(cls(vocab=read_vocab(p)))
            else:
                out = out.merge(cls(terms=read_terms(p)))
        return out

    @classmethod
    def default(cls) -> "Glossary":
        """Our own glossary: glossary/terms.tsv and glossary/vocab.tsv."""
        return _default()

    def merge(self, *others: "Glossary") -> "Glossary":
        """A new glossary with the others laid over this one, later ones winning for the same Chinese term.

        >>> ours = Glossary([Term("随访", "follow-up")])
        >>> [t.en for t in ours.merge(Glossary([Term("随訪", "follow up visit")])).terms]
        ['follow up visit']
        """
        terms = {_key(t.zh, "zh"): t for t in self.terms}
        vocab = {(v.field, _key(v.zh, "zh")): v for v in self.vocab}
        for other in others:
            for t in other.terms:
                terms.pop(_key(t.zh, "zh"), None)
                terms[_key(t.zh, "zh")] = t
            for v in other.vocab:
                vocab.pop((v.field, _key(v.zh, "zh")), None)
                vocab[(v.field, _key(v.zh, "zh"))] = v
        return Glossary(list(terms.values()), list(vocab.values()))

    # lookups --------------------------------------------------------------------------------------
    def lookup(self, text: str) -> list[Term]:
        """Terms whose Chinese, English, variant, abbreviation or forbidden form is this text."""
        if self._index is None:
            self._index = _index(self.terms)
        found: list[Term] = []
        for kind in ("zh", "en", "abbr"):
            for t in self._index.get((kind, _key(text, kind)), ()):
                if t not in found:
                    found.append(t)
        return found

    def lookup_vocab(self, text: str, field: Optional[str] = None) -> list[VocabEntry]:
        """Controlled values (of one field, or any) whose Chinese, English, variant or id is this text.

        >>> g = Glossary.default()
        >>> [(v.zh, v.plain_en) for v in g.lookup_vocab("3", "study_phase")]
        [('III期临床试验', 'Phase 3')]
        """
        zh, en = _key(text, "zh"), _key(text, "en")
        return [
            v for v in self.vocab
            if (field is None or v.field == field)
            and (_key(v.zh, "zh") == zh or text.strip() in v.registry_id
                 or any(_key(e, "en") == en for e in (v.en, *v.en_variants)))
        ]

    def vocab_for(self, field: str) -> list[VocabEntry]:
        return [v for v in self.vocab if v.field == field]

    # finding --------------------------------------------------------------------------------------
    def find(self, text: str) -> list[Hit]:
        """Every glossary term in a Chinese or English text, leftmost-longest, with original offsets.

        >>> g = Glossary.default()
        >>> [(h.text, h.term.zh) for h in g.find("median progression‑free survival and 95% CI")]
        [('median progression‑free survival', '中位无进展生存期'), ('95% CI', '95%置信区间')]
        """
        if self._matcher is None:
            self._matcher = _Matcher(self.terms)
        return self._matcher.find(text)

    # segmentation -------------------------------------------------------------------------------
    def segment(self, text: str) -> list[str]:
        """Words of a Chinese text by jieba, with glossary terms kept whole and Latin/number spans untouched.

        >>> Glossary([Term("客观缓解率", "objective response rate")]).segment("客观缓解率(ORR)为30.5%")
        ['客观缓解率', '(', 'ORR', ')', '为', '30.5%']
        """
        if self._tokenizer is None:
            self._tokenizer = _tokenizer(tuple(t.zh for t in self.terms))
        out: list[str] = []
        last = 0
        for m in _LATIN_SPAN.finditer(text, timeout=TIMEOUT):
            if m.start() > last:
                out.extend(self._tokenizer.lcut(text[last:m.start()]))
            out.append(m.group())
            last = m.end()
        if last < len(text):
            out.extend(self._tokenizer.lcut(text[last:]))
        return [w for w in out if w.strip()]


# Latin words, numbers, units and gene/protein names: never handed to jieba.
_LATIN_SPAN = regex.compile(r"[\p{Latin}\p{Greek}0-9][\p{Latin}\p{Greek}0-9.\-+/%²³µ_]*(?<![.\-/])%?")


def _tokenizer(words: tuple[str, ...]):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in words:
        if regex.fullmatch(r"\p{Han}+", w, timeout=TIMEOUT):
            tok.add_word(w, max(tok.suggest_freq(w, False), 1000))
    return tok


def _index(terms: Sequence[Term]) -> dict[tuple[str, str], list[Term]]:
    """Exact-key index for lookups: folded Chinese, English forms (with plurals) and abbreviations."""
    index: dict[tuple[str, str], list[Term]] = {}
    for t in terms:
        keys = {("zh", _key(t.zh, "zh"))}
        for e in (t.en, *t.en_variants, *t.forbidden):
            k = _key(e, "en")
            keys.update(("en", x) for x in (k, *_plurals(k)))
        keys.update(("abbr", _key(a, "abbr")) for a in t.abbreviations)
        for k in keys:
            index.setdefault(k, []).append(t)
    return index


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig") as fh:
        return next(csv.reader(fh, delimiter=_delimiter(path)), [])


@lru_cache(maxsize=1)
def _default() -> Glossary:
    d = glossary_dir()
    return Glossary(read_terms(d / "terms.tsv"), read_vocab(d / "vocab.tsv"))


def iter_fields(record) -> Iterator[tuple[str, str, str]]:
    """(field name, side, value) for every non-empty value of a record, group members named key[index]."""
    for f in record.fields:
        name = f.key if f.group is None else f"{f.group}[{f.index}].{f.key}"
        for side in ("zh", "en"):
            value = getattr(f, side).value
            if value and not (side == "en" and f.shared):
                yield name, side, value


__all__ = ["Term", "VocabEntry", "Hit", "Glossary", "read_terms", "read_vocab", "terms_to_text",
           "vocab_to_text", "fold", "iter_fields"]
