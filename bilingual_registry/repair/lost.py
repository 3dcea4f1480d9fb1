"""Lost characters: a `?` standing for a character the export's encoding could not hold.

GBK and GB2312 exports with errors="replace" turn the non-breaking hyphen, en dash, ², µ, accented
letters and more into a literal `?` (reference/repair-and-qa.md A.2). The character cannot be read back
from the string, so each `?` gets candidates from evidence, strongest first: the same token on the
other language's side, the same token elsewhere in the record, the glossary, how the other records
of a batch spell it (when a `Spellings` corpus is given), then word knowledge.
When nothing decides, the `?` stays and the damage is flagged. A real question mark (sentence-final,
in a URL or query string, an e-mail, a registration or phone number) is never a candidate.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Callable, NamedTuple, Optional

import regex

from .knowledge import ACCENTED, Knowledge, default_knowledge, fill_keys, is_word, word_runs
from ..patterns import TIMEOUT, Lazy
from .corpus import Spellings
from .prior import Decision, between_words, in_chain, is_fragment
from .text import Fix, inside, protected_spans

MAX_MARKS = 200  # a value with more `?` than this is not export damage: leave it alone

_EDGE = Lazy(r"(?!\p{Han})[\p{L}\p{S}\p{No}]")
_UNIT_SQUARED = Lazy(r"(?<!\p{L})([kcmd]?m)$")
_MICRO_UNITS = frozenset({"g", "l", "L", "mol", "m", "M", "s", "IU", "U", "Ci"})
_RANGE = Lazy(r"\d([\-\u2010\u2011\u2013\u2014~])\d")
_CAPS = Lazy(r"[A-Z][A-Z0-9]{0,7}")
_CAPS_OR_NUM = Lazy(r"[A-Z]{0,3}\d+[A-Za-z]{0,3}|[A-Z]{1,3}\d*")
_PER_UNIT = frozenset("year month week day hour minute fold point item step".split())
_UNITS = frozenset("mg g kg ml mL l L mm cm m h min d s mmHg IU U times cycles cases patients "
                   "years months weeks days hours minutes".split())
_AT_LEAST = Lazy(r"or older|or above|or more|and above|and over|at least|以上|不小于|不低于|大于等于|至少")
_AT_MOST = Lazy(r"or younger|or below|or less|and below|and under|at most|以下|不大于|不超过|不高于|小于等于")
_NUMBER_AFTER = Lazy(r"\s?(\d+(?:\.\d+)?)")
_POWER_OF_TEN = Lazy(r"10(?:\^|[⁰¹²³⁴-⁹]|\?/)")
_CLAUSE = Lazy(r"[,;:(\[，；：（。\n]|\.\s")  # what ends the clause before a sign
_CLAUSE_END = Lazy(r"[,;)\]，；）。\n]|\.\s")
_LONE_SIGN = Lazy(r"\s?\? \d")
_QUANTITY = Lazy(r"%|\.\d")
_DIGIT_BEFORE = Lazy(r"\d\s?$")
_MICRO_UNIT = Lazy(r"(?:g|mol|l|L)(?:/\w+)?")
_TOKEN = Lazy(r"[^\s\p{Han}，。；：、（）]+")
# the words that say a number is a lower or upper bound, each as a pattern with the blanks after it, and
# with no number following (`_sign_said`)
_SIGN_WORDS = tuple((sign, Lazy(rf"(?:{words})\s*"), Lazy(rf"(?:{words})\s*(?!\d)"))
                    for sign, words in (("≥", "不小于|不低于|大于等于|至少|>=|＞＝"), ("≤", "不大于|不超过|不高于|小于等于|<=|＜＝")))
_DIGIT = Lazy(r"\d")
_NUMBER_CHAR = Lazy(r"[\d.]")
_AND_ABOVE = Lazy(r"\s*(?:周?岁)?\s*(?:及|或)?以上")  # after a number: 18岁以上
_AND_BELOW = Lazy(r"\s*(?:周?岁)?\s*(?:及|或)?以下")

_RULES = (
    ("lost-hyphen", "-\u2010\u2011\u00ad"), ("lost-dash", "\u2012\u2013\u2014\u2212"),
    ("lost-space", " \u00a0\u2002\u2003\u2009\u202f"), ("lost-superscript", "¹²³⁰⁴⁵⁶⁷⁸⁹⁺⁻"),
    ("lost-comparison", "≥≤⩾⩽"), ("lost-micro", "µμ"), ("lost-degree", "°"), ("lost-times", "×"),
)


_RULE_OF = {ch: name for name, chars in _RULES for ch in chars}
# every rule name a lost-character fix is reported under
RULES = frozenset(name for name, _ in _RULES) | {"lost-letter", "lost-symbol", "lost-character"}


def rule_for(ch: str) -> str:
    """The rule name a restored character is reported under."""
    return _RULE_OF.get(ch) or ("lost-letter" if ch.isalpha() else "lost-symbol")


class Scope(NamedTuple):
    """The evidence one value is repaired with."""

    other: str = ""  # the other language's value of the same field
    other_lang: str = "other language"
    record_text: Callable[[], str] = lambda: ""  # every value of the record, built only when needed
    knowledge: Optional[Knowledge] = None
    corpus: Optional[Spellings] = None  # spellings counted over the other records of a batch
    threshold: float = 0.8  # the confidence a repair is applied at (the driver's)


@lru_cache(maxsize=8)
def _lower(text: str) -> str:
    """The text lower-cased for searching, when that keeps every offset (it nearly always does)."""
    low = text.lower()
    return low if len(low) == len(text) else text


def _inner_fill(ch: str) -> bool:
    """What can sit between two words: a space, a hyphen, or a non-ASCII dash, space or symbol."""
    return ch in " -" or 0x80 <= ord(ch) <= 0x2FFF


def _edge_fill(ch: str) -> bool:
    """What can sit at a word's edge: a non-ASCII letter, symbol or superscript (not Chinese)."""
    return not ch.isascii() and _EDGE.match(ch) is not None


@lru_cache(maxsize=32)
def _seen(left: str, right: str, text: str) -> tuple[dict[str, int], dict[str, str]]:
    """Which characters stand between `left` and `right` in the text, as whole words, ignoring case:
    how often each, in the order first seen, and where it was first seen. Remembered: the same word
    is often damaged on both sides, and each asks the whole record (the answers are only read)."""
    seen: dict[str, int] = {}
    shown: dict[str, str] = {}
    low = _lower(text)
    anchor, before = (left, True) if left else (right, False)
    anchor = anchor.lower() if low is not text else anchor
    at = low.find(anchor)
    if at < 0:
        return seen, shown
    other = (right if before else left)
    other = other.lower() if low is not text else other
    fits = _inner_fill if left and right else _edge_fill
    while at >= 0:
        if before:
            start, fill_at, end = at, at + len(anchor), at + len(anchor) + 1 + len(other)
            ok = low.startswith(other, fill_at + 1)
        else:
            start, fill_at, end = at - 1, at - 1, at + len(anchor)
            ok = start >= 0
        if ok and fits(text[fill_at]) and text[fill_at] != "?" \
                and not (start > 0 and is_word(text[start - 1])) and not (end < len(text) and is_word(text[end])):
            ch = text[fill_at]
            seen[ch] = seen.get(ch, 0) + 1
            shown.setdefault(ch, text[start:end])
        at = low.find(anchor, at + 1)
    return seen, shown


def _from_text(left: str, right: str, text: str, where: str, conf: float) -> Optional[Decision]:
    """The fill the text shows for this word, when it shows one clearly (3 to 1 or better)."""
    if not text:
        return None
    seen, shown = _seen(left, right, text)
    if not seen:
        return None
    best = max(seen, key=seen.__getitem__)  # the first seen of the commonest
    n = seen[best]
    if any(3 * count > n for ch, count in seen.items() if ch != best):
        return None
    return Decision(best, f"{where} has {shown[best]!r}" + (f" ({n}×)" if n > 1 else ""), conf)


def _number_after(value: str, i: int) -> str:
    m = _NUMBER_AFTER.match(value[i + 1:])
    return m.group(1) if m else ""


def _bound(value: str, i: int, number: str, knowledge: Knowledge) -> Optional[Decision]:
    """≥ or ≤ as what the clause bounds says (glossary/bounds.tsv): the last cue before the sign in
    its clause, `life expectancy ?12 weeks`, `ECOG ?1`, `年龄?18岁`.

    >>> _bound("Estimated life expectancy ?12 weeks.", 26, "12", default_knowledge()).fill
    '≥'
    >>> _bound("ECOG performance status ?1", 24, "1", default_knowledge()).fill
    '≤'
    >>> _bound("a stable dose ?14 days", 14, "14", default_knowledge()) is None  # a dose cue bounds doses only
    True
    """
    clause = _CLAUSE.split(value[max(0, i - 40):i])[-1].casefold()
    best = None
    after = value[i + 1 + len(number):i + 12] if value[i + 1:i + 1 + len(number)] == number else ""
    for cue, sign, up_to, then, why in knowledge.bounds:
        at = clause.rfind(cue.casefold())
        if at < 0 or (up_to is not None and not (number and float(number) <= up_to)) \
                or (then is not None and not then.match(after)):
            continue
        if cue.isascii() and (clause[at - 1:at].isalnum() or clause[at + len(cue):at + len(cue) + 1].isalpha()):
            continue  # a whole word only
        if best is None or at > best[0]:
            best = (at, sign, cue, why)
    if best is None:
        return None
    return Decision(best[1], f"'{best[2]}': {best[3]}", 0.85)


def _sign_said(words: Lazy, bare: Lazy, number: str, other: str) -> Optional[str]:
    r"""What `(?:words)\s*{number}(?!\d)` finds in `other`, without compiling a pattern per number
    (0.2 ms each, and numbers vary from record to record): the words' pattern finds where a number may
    follow. `bare`, that pattern without a number, decides when there is none."""
    if not number:
        found = bare.search(other)
        return found and found.group(0)
    for found in words.finditer(other):
        end = found.end() + len(number)
        if other.startswith(number, found.end()) and not _DIGIT.match(other, end):
            return other[found.start():end]
    return None


def _bound_said(tail: Lazy, number: str, other: str) -> bool:
    r"""Whether `(?<![\d.]){number}` followed by `tail` is in `other`, without compiling a pattern per number."""
    at = other.find(number)
    while at >= 0:
        if not (at and _NUMBER_CHAR.match(other, at - 1)) and tail.match(other, at + len(number), timeout=TIMEOUT):
            return True
        at = other.find(number, at + 1)
    return False


def _comparison(value: str, i: int, other: str, other_lang: str,
                knowledge: Optional[Knowledge] = None) -> Optional[Decision]:
    """`?18 years`: ≥ or ≤ as the other side, the sentence itself or what it bounds says."""
    plain = _number_after(value, i)
    number = regex.escape(plain)  # as the evidence has always shown it
    for sign, words, bare in _SIGN_WORDS:
        said = _sign_said(words, bare, plain, other) if other else None
        if said:
            return Decision(sign, f"{other_lang} side says {said}", 0.95)
    if other:
        if _bound_said(_AND_ABOVE, plain, other):
            return Decision("≥", f"{other_lang} side says {number} 以上 (and above)", 0.95)
        if _bound_said(_AND_BELOW, plain, other):
            return Decision("≤", f"{other_lang} side says {number} 以下 (and below)", 0.95)
    sentence = _CLAUSE_END.split(value[i:i + 80], maxsplit=1)[0]  # `以上` further on bounds something else
    up, down = _AT_LEAST.search(sentence), _AT_MOST.search(sentence)
    if up and not down:
        return Decision("≥", f"the sentence says '{up.group(0)}'", 0.85)
    if down and not up:
        return Decision("≤", f"the sentence says '{down.group(0)}'", 0.85)
    bound = _bound(value, i, _number_after(value, i), knowledge or default_knowledge())
    return bound or Decision("≥", "a number after a lost sign; ≥ is only the commoner", 0.5)


def _range_style(scope: Scope) -> tuple[str, str, float]:
    """How this record writes its number ranges: (dash, evidence, confidence)."""
    styles = Counter(m.group(1) for m in _RANGE.finditer(scope.record_text()))
    if styles:
        (best, n), *rest = styles.most_common(2)
        if not rest or n >= 3 * rest[0][1]:
            return best, f"number ranges in this record are written with {best!r}", 0.85
    return "-", "a lost character between two numbers, most often a range dash", 0.6


def _knowledge(value: str, i: int, left: str, right: str, scope: Scope) -> Optional[Decision]:
    """Word knowledge, when no evidence in the record or glossary decides."""
    before = value[i - len(left) - 1] if i - len(left) > 0 else ""
    knowledge = scope.knowledge or default_knowledge()
    if left and right:
        ll, rl = left.casefold(), right.casefold()
        if left.isdigit() and right[0].isdigit():
            if _POWER_OF_TEN.match(value[i + 1:i + 5]):  # `10?/L`: the ⁹ lost too
                return Decision("×", f"'{left}?10^n' is a count times a power of ten", 0.9)
            if len(left) >= 3 and len(right) >= 3 and not (len(left) == len(right) == 4 and left[:2] in ("19", "20")):
                return None  # a phone-like number: not ours to guess
            return Decision(*_range_style(scope))
        if left.isdigit():
            if rl in _PER_UNIT:
                return Decision("-", f"'{left}-{right}' is a compound adjective", 0.85)
            if right in _UNITS:
                return Decision(" ", f"a number is followed by its unit '{right}' after a space", 0.85)
            if _CAPS.fullmatch(right) or regex.fullmatch(r"\p{Ll}*\p{Lu}[\p{L}\d]*", right):
                return Decision("-", f"'{left}-{right}' is an abbreviation with a number (as 5-FU, 2019-nCoV)", 0.85)
            if right.isalpha() and right.islower() and rl not in knowledge.of("function") and not is_fragment(right):
                return Decision("-", f"'{left}-{right}' is a compound adjective with a number", 0.8)
            return None
        if right[0].isdigit():
            if _QUANTITY.match(value, i + 1 + len(right)):  # `PD-L1?50%`, `ICC?0.85`: a bound, not a name
                return _comparison(value, i, scope.other, scope.other_lang, scope.knowledge)
            if ll in knowledge.of("before-number"):
                return Decision(" ", f"'{left}' is followed by its number after a space", 0.85)
            if _CAPS.fullmatch(left) and _CAPS_OR_NUM.fullmatch(right):
                return Decision("-", f"'{left}-{right}' is an abbreviation with a number (as PD-1, IL-6)", 0.85)
            if left.isalpha() and regex.fullmatch(r"\d{1,2}[a-z]", right) and not is_fragment(left):
                return Decision("-", f"'{left}-{right}' names a subtype (as alpha-2b)", 0.85)
            return None
        return between_words(value, i, left, right, knowledge, lambda: _range_style(scope)[0])
    if left:  # `kg/m?`, `1.73 m?`
        unit = _UNIT_SQUARED.search(left)
        if unit and (len(unit.group(1)) < len(left) or before in "/ \t(" or before.isdigit()):
            if unit.group(1) == "m":
                return Decision("²", f"'{left}?' is the unit {left}² (as kg/m², mg/m²)", 0.95)
            if before == "/" and unit.group(1) == "mm":
                return Decision("³", "'/mm?' is a count per mm³", 0.85)
            return Decision("²", f"'{left}?' is a unit squared or cubed", 0.5)
        return None
    # right only: `?18`, `5 ?g`, `37 ?C`
    if right[0].isdigit():
        return _comparison(value, i, scope.other, scope.other_lang, scope.knowledge)
    digit_before = _DIGIT_BEFORE.search(value[:i]) is not None
    if digit_before and (right in _MICRO_UNITS or _MICRO_UNIT.fullmatch(right)):
        return Decision("µ", f"'?{right}' after a number is the unit µ{right}", 0.9)
    if digit_before and right in ("C", "F"):
        return Decision("°", f"'?{right}' after a number is a temperature in °{right}", 0.9)
    return None


_NAME_FILLS = {(left, right): ch for name in ACCENTED for left, right, ch in fill_keys(name)}


def decide(value: str, i: int, scope: Scope, run: Optional[tuple[int, int]] = None) -> Optional[Decision]:
    """The character the `?` at position i stood for, with its evidence; None leaves it alone.

    >>> decide("PD?1 antibodies", 2, Scope(other="PD-1抗体", other_lang="zh")).fill
    '-'
    >>> decide("Example Chest?Hospital", 13, Scope()).fill
    ' '
    >>> decide("500 mg/m? and carboplatin", 8, Scope()).fill
    '²'
    >>> decide("WBC ≥3.5?10^9/L", 8, Scope()).fill
    '×'
    >>> decide("Is the patient eligible?", 23, Scope()) is None
    True
    """
    start, end = run or word_runs(value, i)  # `run`: the word around i, when the caller has it
    left, right = value[start:i], value[i + 1:end]
    if _LONE_SIGN.match(value, max(i - 1, 0)) and (i == 0 or value[i - 1].isspace()):
        return _comparison(value, i, scope.other, scope.other_lang, scope.knowledge)  # `[ICC] ? 0.85`: a sign standing alone
    if not left and not right:
        if i > 1 and value[i - 1] == "-" and not right:  # `TNF-?`: the word before the hyphen is the context
            start, _ = word_runs(value, i - 1)
            left = value[start:i]
        if len(left) < 2:
            return None
    found = None
    if right[:1].isdigit() and (not left or _QUANTITY.match(value, end)):
        # `?75×10⁹/L`: the whole token tells `≥75×10⁹/L` from `≤75岁`; `PD-L1?50%` is a bound too
        token = _TOKEN.match(value[i + 1:]).group(0).rstrip(".,;:)")
        if token != right:
            found = _from_text("", token, scope.other, f"{scope.other_lang} side", 0.98)
        if not found and token.endswith("%"):  # a cut-off (`≥50%`) is the same one across the record
            found = _from_text("", token, scope.record_text(), "the record elsewhere", 0.85)
    found = found or _from_text(left, right, scope.other, f"{scope.other_lang} side", 0.98)
    if left or not right[0].isdigit():  # a sign before a number elsewhere says nothing about this one
        found = found or _from_text(left, right, scope.record_text(), "the record elsewhere", 0.95)
    if found:
        return found
    key = (left.casefold(), right.casefold())
    knowledge = scope.knowledge or default_knowledge()
    chained = in_chain(value, i, left, right, knowledge) if left and right else None
    if chained:
        return chained
    # a bare number says nothing of what a term put before it (`β2-microglobulin` is no word on `?2 weeks`)
    ch = knowledge.fills.get(key) if left and right or not (left or right).isdigit() else None
    if ch and (left and right or not ch.isspace()):
        return Decision(ch, f"glossary spells {left}{ch}{right}", 0.95)
    if key in _NAME_FILLS:
        ch = _NAME_FILLS[key]
        return Decision(ch, f"the name is spelt {left}{ch}{right}", 0.9)
    seen = scope.corpus.fill(left, right) if scope.corpus is not None else None
    if seen:
        return Decision(seen[0], f"the batch's records spell {left}{seen[0]}{right} ({seen[1]}×)", 0.9)
    return _knowledge(value, i, left, right, scope)


def restore(value: str, scope: Scope = Scope()) -> list[Fix]:
    """Fixes for every `?` in a value that stood for a lost character; one fix per word.

    >>> [f[1:4] for f in restore("PD?1/PD?L1 antibodies as first?line", Scope(other="PD-1/PD-L1抗体", other_lang="zh"))]
    [('PD?1', 'PD-1', 'lost-hyphen'), ('PD?L1', 'PD-L1', 'lost-hyphen'), ('first?line', 'first-line', 'lost-hyphen')]
    >>> restore("Eligible? See https://example.org/a?b=1 or a?b@example.org")
    []
    >>> [f[1:3] for f in restore("1. Aged ?18 years;", Scope(other="1. 年龄≥18岁；", other_lang="zh"))]
    [('?18', '≥18')]
    """
    if "?" not in value or value.count("?") > MAX_MARKS:
        return []
    spans = protected_spans(value, marks_only=True)
    found: list[tuple[int, int, int, Decision | None]] = []
    i = -1
    while (i := value.find("?", i + 1)) >= 0:
        if inside(i, spans):
            continue
        start, end = run = word_runs(value, i)
        if start == i and end == i + 1:
            if _LONE_SIGN.match(value, max(i - 1, 0)):
                start = i  # `ICC ? 0.85`: a sign standing alone
            elif i > 1 and value[i - 1] == "-":
                start = word_runs(value, i - 1)[0]  # `TNF-?`: the fix shows the word before the hyphen
            else:
                continue
        d = decide(value, i, scope, run)
        if d is None and not (start < i and end > i + 1):
            continue  # a `?` at a word's edge with no evidence: a real question mark
        found.append((start, end, i, d))
    fixes: list[Fix] = []
    k = 0
    while k < len(found):
        chain = [found[k]]
        while k + 1 < len(found) and found[k + 1][0] < chain[-1][1]:
            k += 1
            chain.append(found[k])
        k += 1
        fixes.append(_merge(value, chain, scope.threshold))
    return fixes


def _merge(value: str, chain, threshold: float) -> Fix:
    """One fix for a word with one or more lost characters (`non?small?cell`). A guess below the
    threshold does not hold back the sure ones beside it (`PD?L1?50%`): it stays a `?`."""
    start, end = chain[0][0], chain[-1][1]
    chars = list(value[start:end])
    decided = [(i, d) for _, _, i, d in chain if d is not None]
    if any(d.confidence >= threshold for _, d in decided):
        decided = [(i, d) for i, d in decided if d.confidence >= threshold]
    for i, d in decided:
        chars[i - start] = d.fill
    before = value[start:end]
    if not decided:  # flagged, never guessed
        return Fix(start, before, None, "lost-character",
                   "a `?` inside a word stands for a lost character, but nothing says which", 0.0)
    rule = rule_for(decided[0][1].fill)
    evidence = decided[0][1].evidence if len(decided) == 1 else "; ".join(dict.fromkeys(d.evidence for _, d in decided))
    # a `?` nothing explains stays; once its neighbours are restored the next round may explain it
    return Fix(start, before, "".join(chars), rule, evidence, min(d.confidence for _, d in decided))
