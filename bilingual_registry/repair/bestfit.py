"""Windows-1252 "best fit" damage of WHO ICTRP exports, undone where the text around it says how.

ICTRP pushes ChiCTR's English through Windows-1252: characters with a look-alike are replaced silently
(`≥`/`≤` → `=`, `β` → `ß`, `⁹` → `9`), the others become `?` (circled digits, Roman numerals, `℃`, `κ`,
the list comma `、`, Chinese typed into an English field). `?` alone says nothing, so every rule here
reads the numbering, units or names around it, or the rest of the record; a run of `?` that stood for
Chinese text cannot be read back and is reported as `lost-text`, never filled. These rules run on
ICTRP-sourced records only (`source.format` starting `ictrp`), before the general lost-character
rule, which they overrule where they overlap. Every fix keeps the value's length.
"""
from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Callable, Optional

import re

import regex

from ..patterns import TIMEOUT, Lazy
from .knowledge import Knowledge, default_knowledge
from .lost import _bound as clause_bound  # what a clause bounds (glossary/bounds.tsv), as for a lost sign
from .text import Fix, inside, protected_spans

LOST_TEXT = "lost-text"  # the problem code of a `?` run no rule may fill
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = {"1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ", "4": "Ⅳ", "I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ"}

# What any rule looks at: a value with none of these costs one search.
SUSPECT = Lazy(r"[?=ß]|10\d")
SUSPECT_CHARS = re.compile(r"[?=ß]|10\d")  # the same, for the driver's one scan over every value
_RUN = Lazy(r"\?{2,}")
_ALONE = Lazy(r"(?:^|(?<=[:;\s]))\s*(\?)(?=\s(?!\s?\d)|$|[;,)])")  # not `? 18`: a sign the lost-character rule reads
# An item's start: the value's start, after a colon, a `;`, a line break or a sentence's full stop.
_ITEM_MARK = Lazy(r"(?:^|(?<=[:;\n]|\.\s|\)\s))\s*(\?)(?=\s?[\p{L}\d(])")
_NUMBERED = Lazy(r"(?m)^(\d{1,2})(\?)(?=\s)")
_ENUM = Lazy(r"(?<=([A-Z][\p{Ll}]*))\?(?=[A-Z])")
_LOST_SPACE = Lazy(r"(?<=[,;:)]|\p{Ll}{2})\?(?=\p{Ll}{2})")
_CELSIUS = Lazy(r"(?<!\d)(?:3[4-9]|4[0-2])(?:\.\d{1,2})?\s?(\?)(?![\w?])")
_ROMAN_AFTER = Lazy(r"(?i)\b(NYHA|class|grade|stage|phase|level|type|function)\b[^?\n;]{0,12}?(\?)"
                             r"(?:(\s?[-~,]\s?)(\?))?(?![\w?])")
# The same kind of range written with Latin letters elsewhere in the record (`NYHA class III-IV`).
_ROMAN_SEEN = Lazy(r"(?i:\b(?:NYHA|class|grade|level|function)\b)[^;\n?]{0,16}?\b(III|II|I)\s?[-~,]\s?(IV|III)\b")
_SHARP_S = Lazy(r"(?<=[-\dA-Z(/]|^|\s)ß(?=[-\d\s/)A-Z,;]|$)|(?<=[A-Z\d]-?)ß")
_GREEK_LOST = Lazy(r"\b(IFN|TNF|TGF|IL-1|HIF-1|PPAR|NF|PI3K|ER|PKC)-?(\?)(?![\w?])")
_GREEK = {"α": ("alpha", "a"), "β": ("beta", "ß"), "γ": ("gamma",), "δ": ("delta",), "κ": ("kappa",),
          "λ": ("lambda",), "ω": ("omega",)}
_EQUALS = Lazy(r"(?<![<>=!≥≤]\s?)(?<=([\w%)]+)\s?)=(?=\s?(\d+(?:\.\d+)?))(?!\s?\d+(?:\.\d+)?\s?[a-zA-Z]*\s?=)")
_AGE_LIMIT = Lazy(r"(?i)\b(min(?:imum)? age|max(?:imum)? age)\s?(=)\s?\d+")  # the reader's age range
_UNIT_AFTER = r"\s?(?:/\s?(?:L|l|kg|ml|mL)\b|cells|copies|CFU|IU)"
_POWER = Lazy(r"[×xX*]\s?10(9|12|[5-8])(?=" + _UNIT_AFTER + r"|\s?[-–—~]\s?\d+\s?[×xX*]\s?10\d{1,2}" + _UNIT_AFTER + ")")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _lost(value: str, spans: list[tuple[int, int]]) -> list[Fix]:
    return [Fix(start, value[start:end], None, LOST_TEXT,
                f"{end - start} `?` where the export lost text it could not write in Windows-1252 "
                "(Chinese, most often); only a page of the trial can give it back", 0.0) for start, end in spans]


def lost_text(value: str) -> list[Fix]:
    """Runs of `?` where Chinese text was: kept, reported, never filled (checked before every rule).

    >>> [(f.before, f.after, f.rule) for f in lost_text("????;time to clinical improvement;")]
    [('????', None, 'lost-text')]
    >>> lost_text("NYHA level ?-?")
    []
    """
    return _lost(value, [m.span() for m in _RUN.finditer(value)])


def lost_alone(value: str) -> list[Fix]:
    """A `?` standing alone (a whole item, or between blanks) that no rule explained: a lost word or
    character, reported like a run (checked after every rule, which may explain it).

    >>> [f.before for f in lost_alone("Case series:?;")], [f.at for f in lost_alone("Min age 18 years\\nMax age ? years")]
    (['?'], [25])
    >>> lost_alone("Is it safe? Yes"), lost_alone("China?")
    ([], [])
    """
    return _lost(value, [(m.start(1), m.end(1)) for m in _ALONE.finditer(value, timeout=TIMEOUT)])


def circled(value: str) -> list[Fix]:
    """`?` opening two or more items of a list: the circled digits ①②③ in order (the list keeps its style).

    >>> "".join(f.after for f in circled("Exclusion criteria: ?Allergic constitution;\\n?Patients who do not agree"))
    '①②'
    >>> circled("Is it safe? Yes")
    []
    """
    marks = [m.start(1) for m in _ITEM_MARK.finditer(value, timeout=TIMEOUT)]
    if not 2 <= len(marks) <= len(CIRCLED):
        return []
    return [Fix(at, "?", CIRCLED[n], "bestfit-circled-digit",
                 f"`?` opens {len(marks)} items of one list: circled digits, which Windows-1252 cannot hold, "
                 f"numbered in order ({n + 1} of {len(marks)})", 0.9) for n, at in enumerate(marks)]


def list_comma(value: str, names_field: bool, knowledge: Optional[Knowledge] = None) -> list[Fix]:
    """`?` between Chinese-style list items: `12? Patients`, `Hospital?Renmin Hospital` (after a word that
    ends a name, glossary/words.tsv kind `name-end`), `A?B?C`, or two names in a field of names: the list comma 、.

    >>> [(f.at, f.after) for f in list_comma("11 Patients\\n12? Patients with pancreatitis", False)]
    [(14, '、')]
    >>> [f.after for f in list_comma("Hebei Yiling Hospital?Renmin Hospital", False)]
    ['、']
    >>> list_comma("Kaplan?Meier curve", False), [f.after for f in list_comma("Shentu Jianzhong?Wu Lihua", True)]
    ([], ['、'])
    """
    out = [Fix(m.start(2), "?", "、", "bestfit-list-comma",
                f"`{m.group(0)}` opens a numbered item: the list comma 、 after a number has no Windows-1252 form", 0.85)
           for m in _NUMBERED.finditer(value)]
    for m in _ENUM.finditer(value, timeout=TIMEOUT):
        word = m.group(1)
        single = len(word) == 1 and (m.end() >= len(value) - 1 or not value[m.end() + 1].isalpha())
        if names_field or single or word.casefold() in (knowledge or default_knowledge()).of("name-end"):
            why = ("two names in a field of names" if names_field else "single letters in a row" if single
                   else f"`{word}` ends a name and another begins")
            out.append(Fix(m.start(), "?", "、", "bestfit-list-comma",
                            f"`?` between list items ({why}): the list comma 、", 0.85))
    return out


def lost_space(value: str) -> list[Fix]:
    """`?` between two words, or after a comma (`;`, `:`, `)`) before one: a space-like character
    Windows-1252 could not write (U+3000 and its kin). Not a hyphen: every hyphen and dash survives best
    fit (`‐`/`‑` as `-`, `–`/`—` as themselves), and a question mark does not stand there.

    >>> [(f.before, f.after) for f in lost_space("gastrointestinal tract,?may affect certain autoimmune?diseases")]
    [('?', ' '), ('?', ' ')]
    >>> lost_space("a,?B"), lost_space("PD?1"), lost_space("Is it?")
    ([], [], [])
    """
    return [Fix(m.start(), "?", " ", "bestfit-space",
                f"`?` {'between two words' if value[m.start() - 1].isalpha() else 'after a comma, before a word'}: "
                "a space-like character Windows-1252 lacks (hyphens survive it as `-`)", 0.85)
            for m in _LOST_SPACE.finditer(value)]


def celsius(value: str) -> list[Fix]:
    """`?` after a body temperature: ℃.

    >>> [(f.before, f.after) for f in celsius("body temperature = 37.3 ?), respiratory rate")]
    [('?', '℃')]
    >>> celsius("aged 40 ? or older")
    []
    """
    if "temperat" not in value.lower() and "fever" not in value.lower():
        return []
    return [Fix(m.start(1), "?", "℃", "bestfit-celsius", f"`{m.group(0)}` is a body temperature: ℃", 0.95)
            for m in _CELSIUS.finditer(value)]


def roman(value: str, phase: str, record_text: str) -> list[Fix]:
    """`?` after NYHA, stage, grade, phase …: a Roman numeral, when the record says which (its phase, or
    the same words written with Latin letters elsewhere); else proposed below the threshold.

    >>> [(f.after, f.confidence) for f in roman("Phase ? trial", "1", "")]
    [('Ⅰ', 0.9)]
    >>> [(f.after, f.confidence) for f in roman("NYHA level ?-?;", "", "")]
    [('Ⅲ-Ⅳ', 0.6)]
    >>> [(f.after, f.confidence) for f in roman("NYHA level ?-?;", "", "cardiac function grade II-IV")]
    [('Ⅱ-Ⅳ', 0.9)]
    >>> [f.confidence for f in roman("NYHA level ?-?;", "", "TNM stage II-IV")]  # another scale says nothing
    [0.6]
    """
    out = []
    for m in _ROMAN_AFTER.finditer(value):
        word = m.group(1).lower()
        start, end = m.start(2), m.end(4) if m.group(4) else m.end(2)
        if word == "phase" and phase.strip() in ROMAN and not m.group(4):
            out.append(Fix(start, "?", ROMAN[phase.strip()], "bestfit-roman",
                            f"`phase ?`: the record's study phase is {phase.strip()}", 0.9))
            continue
        if m.group(4) and word in ("nyha", "level", "function", "class", "grade"):
            seen = _ROMAN_SEEN.search(record_text)
            first, last = (ROMAN[seen.group(1)], ROMAN[seen.group(2)]) if seen else ("Ⅲ", "Ⅳ")
            after = first + m.group(3) + last
            out.append(Fix(start, value[start:end], after, "bestfit-roman",
                            f"`{m.group(0)}`: Roman numerals the export could not write; "
                            + (f"the record writes `{seen.group(0)}` elsewhere" if seen else
                               "heart-function classes Ⅰ–Ⅳ, a range most often Ⅲ–Ⅳ, which only a page can confirm"),
                            0.9 if seen else 0.6))
    return out


def greek(value: str, record_text: str, terms: Callable[[str], list[str]]) -> list[Fix]:
    """`ß` in a biomarker name is β (`IL-1ß`, `ß2-microglobulin`); `IFN-?` is the Greek letter the record or
    the glossary names for that marker, and stays flagged when neither does.

    >>> [(f.before, f.after) for f in greek("IL-1ß elevated; ß2-microglobulin; Straße", "", lambda p: [])]
    [('ß', 'β'), ('ß', 'β')]
    >>> [(f.after, f.rule) for f in greek("2mg IFN-?/ 5 mg TFF2", "interferon kappa (IFN-kappa) spray", lambda p: [])]
    [('κ', 'bestfit-greek')]
    >>> [(f.after, f.rule) for f in greek("2mg IFN-?/ 5 mg", "", lambda p: [])]
    [(None, 'bestfit-greek')]
    """
    out = [Fix(m.start(), "ß", "β", "bestfit-greek",
                "`ß` beside a digit, hyphen or capital is a biomarker's β (Windows-1252 best fit)", 0.95)
           for m in _SHARP_S.finditer(value)]
    low = record_text.lower()
    for m in _GREEK_LOST.finditer(value):
        prefix = m.group(1)
        named = {letter for letter, names in _GREEK.items()
                 if regex.search(regex.escape(prefix.lower()) + r"-?\s?(?:" + "|".join((letter, names[0])) + r")\b",
                                 low, timeout=TIMEOUT)}
        named |= {t for t in terms(prefix) if t in _GREEK}
        if len(named) == 1:
            letter = named.pop()
            out.append(Fix(m.start(2), "?", letter, "bestfit-greek",
                            f"`{prefix}-?`: the record or glossary names {prefix}-{letter} ({_GREEK[letter][0]})", 0.9))
        else:
            out.append(Fix(m.start(2), "?", None, "bestfit-greek",
                            f"`{prefix}-?`: a Greek letter the export could not write, and nothing says which", 0.0))
    return out


def comparison(value: str, record_text: str, knowledge: Optional[Knowledge] = None) -> list[Fix]:
    """`=` that stood for `≥`/`≤`: when the record writes the same quantity with `>=`/`<=` elsewhere
    (`QTc=480ms` beside `QTc >= 480ms`), for the limits of the age range, and where what the clause bounds
    says which (glossary/bounds.tsv, as for a lost sign: `age =18`, `SpO2 = 93%`, `RR = 30`). Other `=`
    are equalities as far as anything here can tell (`1mmHg = 0.133kPa`, `n = 200`) and are left alone.

    >>> [(f.before, f.after) for f in comparison("8 QTc=480ms", "8 QTc=480ms\\n8. QTc >= 480ms;")]
    [('=', '≥')]
    >>> [f.after for f in comparison("Min age 18 years\\nMax age =60 years", "")]
    ['≤']
    >>> [f.after for f in comparison("(1) age =18 years old; SpO2 = 93% (quiet, resting state)", "")]
    ['≥', '≤']
    >>> comparison("(1mmHg = 0.133kPa); (n = 200); aged =60", "(1mmHg = 0.133kPa)")
    []
    """
    out = {}
    for m in _AGE_LIMIT.finditer(value):
        op = "≤" if m.group(1).lower().startswith("max") else "≥"
        out[m.start(2)] = Fix(m.start(2), "=", op, "bestfit-comparison",
                              f"`{m.group(0)}`: the age range's limit; its `=` is Windows-1252's best fit for {op}", 0.9)
    for m in _EQUALS.finditer(value, timeout=TIMEOUT):
        if m.start() in out:
            continue
        what, number = m.group(1), m.group(2)
        seen = regex.search(r"(?<!\w)" + regex.escape(what) + r"\s?(>=|<=|≥|≤)\s?" + regex.escape(number) + r"(?!\d)",
                            record_text, timeout=TIMEOUT)
        if seen:
            op = {">=": "≥", "<=": "≤"}.get(seen.group(1), seen.group(1))
            out[m.start()] = Fix(m.start(), "=", op, "bestfit-comparison",
                                 f"the record writes `{seen.group(0)}` elsewhere: this `=` is the best fit of {op}", 0.9)
            continue
        bound = clause_bound(value, m.start(), number, knowledge or default_knowledge())
        if bound is not None:
            out[m.start()] = Fix(m.start(), "=", bound.fill, "bestfit-comparison",
                                 f"{bound.evidence}; `=` is Windows-1252's best fit for {bound.fill}",
                                 min(bound.confidence, 0.85))
    return list(out.values())


def power_of_ten(value: str) -> list[Fix]:
    """`4 × 109 / L` in a blood count: 10⁹ lost its superscript.

    >>> [(f.before, f.after) for f in power_of_ten("less than 4 × 109 / L or")]
    [('109', '10⁹')]
    >>> [f.after for f in power_of_ten("1*107—1*108/kg body weight")]
    ['10⁷', '10⁸']
    >>> power_of_ten("109 Baoyu Road"), power_of_ten("2 x 107 mg")
    ([], [])
    """
    return [Fix(m.start() + m.group(0).index("10"), "10" + m.group(1), "10" + m.group(1).translate(_SUPERSCRIPT),
                 "bestfit-superscript", f"`{m.group(0)}`: a count per unit is a power of ten, whose superscript "
                                        "Windows-1252 writes as a plain digit", 0.95 if m.group(1) in ("9", "12") else 0.85)
            for m in _POWER.finditer(value)]


class Context:
    """What the rules read besides the value: the record's text and study phase, and the glossary's
    Greek-lettered terms; built once a record, each part only when a rule asks."""

    def __init__(self, keys: list[str], values: list[str], names_keys: frozenset[str] = frozenset()):
        self.keys, self.values, self.names_keys = keys, values, names_keys

    @cached_property
    def record_text(self) -> str:
        return "\n".join(filter(None, self.values))

    @cached_property
    def phase(self) -> str:
        return next((v for k, v in zip(self.keys, self.values) if k == "study_phase"), "")

    @staticmethod
    def terms(prefix: str) -> list[str]:
        """The Greek letters the glossary's English terms put after `prefix` (`IFN-γ` → ['γ'])."""
        pattern = regex.compile(r"(?<!\w)" + regex.escape(prefix) + r"-?([α-ω])", regex.I)
        return [m.group(1) for t in _greek_terms() for m in [pattern.search(t)] if m]

    def fixes(self, value: str, key: str) -> list[Fix]:
        """Every fix the rules propose for one English value, strongest first (lost text before all)."""
        if not SUSPECT.search(value):
            return []
        spans = protected_spans(value)
        found = lost_text(value) + circled(value) + list_comma(value, key in self.names_keys) + celsius(value)
        found += lost_space(value)
        if "?" in value:
            found += roman(value, self.phase, self.record_text)
        found += greek(value, self.record_text, self.terms) + comparison(value, self.record_text) + power_of_ten(value)
        found += lost_alone(value)
        return [f for f in found if not inside(f.at, spans)]


@lru_cache(maxsize=1)
def _greek_terms() -> tuple[str, ...]:
    """The glossary's English terms and variants that hold a Greek letter (`IFN-γ`, `β-blocker`)."""
    from ..glossary import Glossary  # the glossary is loaded only when a `?` after a marker asks
    return tuple(text for t in Glossary.default().terms for text in (t.en, *t.en_variants, *t.abbreviations)
                 if regex.search(r"[α-ω]", text))


def is_ictrp(record) -> bool:
    """Whether a record (or its plain data) came from an ICTRP export, whose damage these rules know."""
    source = record["source"] if isinstance(record, dict) else record.source
    fmt = (source.get("format") if isinstance(source, dict) else source.format) or ""
    return fmt.startswith("ictrp")
