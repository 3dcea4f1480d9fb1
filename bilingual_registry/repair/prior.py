"""The prior for a lost character between two words when no evidence in the record, glossary or batch says.

A GBK export turns the U+2010/U+2011 hyphens, U+2013 dashes and U+00A0 spaces a registrant pasted from
Word or a PDF into `?`. Between two letters of a word run registry English far more often had a hyphen
than a space, except inside institution names (`Chest?Hospital`), whose head words are data in
glossary/words.tsv along with the prefixes, second parts of compounds and function words read here.
As ftfy ranks its candidate fixes, each rule that recognises the pair proposes a candidate with a
confidence; the specific rules (names, prefixes, abbreviations, ranges) are ranked first and the
general one (a hyphen inside a word run) only speaks when none of them does; two specific rules that
disagree by less than a clear margin leave the `?` in place. A piece that is no English word and too
short to be a name (`Sj?gren`, `M?ller`: a lost accented letter) gets no candidate at all; that test
reads wordfreq's small English list, loaded only when a `?` needs it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, NamedTuple, Optional

import regex

from ..patterns import Lazy
from .knowledge import Knowledge

MARGIN = 0.1  # a specific candidate must beat a different one by this much


class Decision(NamedTuple):
    fill: str
    evidence: str
    confidence: float


_ROMAN_STAGE = Lazy(r"[IVX]+[A-C]?")
_CAPS = Lazy(r"[A-Z][A-Z0-9]{0,7}")
_CAPS_NUMBER = Lazy(r"[A-Z]+\d+[A-Za-z]?")
_ABBREVIATION = Lazy(r"(?=.*[A-Z].*[A-Z0-9])[A-Z0-9]{2,8}[a-z]?")  # CNS, G12C, HER2, ST
_CAPITALISED = Lazy(r"\p{Lu}\p{Ll}+")
_NAME_WORD = Lazy(r"(?:\p{Lu}[\p{L}'’]*|&)")
_JOINS = ("of", "and", "for", "the")


@lru_cache(maxsize=1)
def _frequencies() -> Callable[[str], float]:
    """wordfreq's Zipf frequency over its small English list, imported on first use: start-up stays
    cheap for the many records with no `?` that needs it."""
    import wordfreq

    return lambda word: wordfreq.zipf_frequency(word, "en", wordlist="small")


# A syllable of Hanyu Pinyin without tones: Chinese names and terms written in Latin letters
# (`Yiqi?Huoxue`, `Li Xiao?ming`) are words of their own, not pieces of a European name.
_PINYIN = Lazy(
    r"(?:(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:iang|iong|uang|ueng|ang|eng|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en"
    r"|er|ia|ie|iu|in|ing|ua|uo|ui|un|ue|ve|a|o|e|i|u|v))+", regex.IGNORECASE)


@lru_cache(maxsize=4096)
def is_fragment(piece: str) -> bool:
    """A piece of a word, not a word: short, unknown to the English word list and no Pinyin (`gren`
    of `Sj?gren`). Long unknown pieces are names or terms (`Clavien`, `spatio`), not fragments.

    >>> is_fragment("gren"), is_fragment("party"), is_fragment("Clavien"), is_fragment("qi")
    (True, False, False, False)
    """
    if len(piece) > 4 or not piece.isalpha() or sum(ch.isupper() for ch in piece) > 1:  # `MSCs`: an abbreviation
        return False
    return _frequencies()(piece.casefold()) == 0 and not _PINYIN.fullmatch(piece)


def _whole(piece: str) -> bool:
    """A piece that can stand as half of a compound: three letters or more, or a Pinyin syllable
    (`Qi?gong`), and no fragment (`Kr?ger` is Krüger)."""
    return (len(piece) >= 3 or _PINYIN.fullmatch(piece) is not None) and not is_fragment(piece)


def _name_around(value: str, start: int, end: int, heads: frozenset[str] = frozenset()) -> list[str]:
    """The words of the capitalised name around value[start:end], out to its ends (a comma or a
    bracket ends it; `of`, `and`, `for`, `the` may join it: `Hospital of Traditional Chinese Medicine`)."""
    words: list[str] = []
    for text, outward in ((value[:start], -1), (value[end:], 1)):
        if outward > 0:
            text = regex.sub(r"^['’]s\b", "", text)  # `Xiamen?Children's Hospital`
        tokens = regex.split(r"[ \u00a0?]+", text.strip(" \u00a0?"))[::outward][:8]
        for token in tokens:
            word = token.strip(",.;:()[]")
            closed = word != token  # punctuation at the token's outer edge ends the name there
            if (outward < 0 and closed) or not (_NAME_WORD.fullmatch(word) or word in _JOINS
                                                or outward > 0 and word.casefold() in heads):  # `Yin?tan hospital`
                break
            words.append(word)
            if closed:
                break
    return words


def _next_word(value: str, at: int) -> str:
    m = regex.match(r"[\s\u00a0]*([\p{L}\d]*)", value[at:at + 40])
    return m.group(1) if m else ""


def in_chain(value: str, i: int, left: str, right: str, knowledge: Knowledge) -> Optional[Decision]:
    """A small word with a lost character on both sides is inside a compound (`lost?to?follow?up`,
    `end?of?treatment`): hyphens, even where the glossary spells the phrase with spaces.

    >>> in_chain("lost?to?follow?up", 4, "lost", "to", Knowledge.from_rows([], [])).fill
    '-'
    """
    function = knowledge.of("function")
    before = value[i - len(left) - 1] if i - len(left) > 0 else ""
    after = value[i + len(right) + 1] if i + len(right) + 1 < len(value) else ""
    if left.casefold() in function and before == "?" or right.casefold() in function and after == "?":
        word = left if left.casefold() in function else right
        return Decision("-", f"'{word}' between two lost characters is inside a compound (lost-to-follow-up)", 0.9)
    return None


def between_words(value: str, i: int, left: str, right: str, knowledge: Knowledge,
                  range_style: Callable[[], str] = lambda: "-") -> Optional[Decision]:
    """The character a `?` between two words most likely stood for, when nothing else says.

    >>> k = Knowledge.from_rows([], [])
    >>> def fill(text): d = between_words(text, text.index("?"), *_pieces(text), k); return d and d.fill
    >>> fill("Clavien?Dindo classification"), fill("Breast?Q"), fill("De?identified data"), fill("Third?party")
    ('-', '-', '-', '-')
    >>> fill("Shanghai Chest?Hospital"), fill("Shanghai?Chest Hospital"), fill("Stage IB?IIIA")
    (' ', ' ', '-')
    >>> fill("Xiamen?Children's Hospital"), fill("Wuxi People's?Hospital")
    (' ', ' ')
    >>> fill("Sj?gren syndrome") is None  # a lost letter, not a joiner: left for review
    True
    """
    ll, rl = left.casefold(), right.casefold()
    of = knowledge.of
    function, particle = of("function"), of("particle")
    specific: list[Decision] = []
    chained = in_chain(value, i, left, right, knowledge)
    if chained:
        specific.append(chained)
    elif rl in particle and ll not in function and not left.isupper() and not ll.endswith(("s", "ed")) \
            and _next_word(value, i + 1 + len(right)).casefold() not in function:  # not `patients?in the`
        specific.append(Decision("-", f"'{left}-{right}' is a compound with a particle (run-in, add-on)", 0.85))
    elif ll in particle and right.isalpha() and right.islower() and rl not in function and _whole(right):
        specific.append(Decision("-", f"'{left}-{right}' is a compound with a particle (in-hospital, on-site)", 0.8))
    elif ll in function or rl in function:
        word, other = (left, right) if ll in function else (right, left)
        if _CAPITALISED.fullmatch(other) or word.casefold() in ("a", "an", "the", "et"):
            specific.append(Decision(" ", f"'{word}' is a word of its own", 0.9))
        return _rank(specific, [])  # a small word between two lower-case words: nothing clear
    institution = of("institution")
    if rl in institution and right[0].isupper():
        specific.append(Decision(" ", f"'{right}' is a word of its own in a name", 0.9))
    elif ll in institution and left[0].isupper() and right[:1].isupper():  # `Hospital?Affiliated to`
        specific.append(Decision(" ", f"'{left}' ends a name's word, '{right}' begins the next", 0.9))
    elif _CAPITALISED.fullmatch(left) and right[:1].isupper():
        head = next((w for w in _name_around(value, i - len(left), i + 1 + len(right), institution) if w.casefold() in institution), None)
        if head:
            specific.append(Decision(" ", f"'{left} {right}' is inside the name of a {head.casefold()}", 0.9))
    if _ROMAN_STAGE.fullmatch(left) and _ROMAN_STAGE.fullmatch(right):
        specific.append(Decision(range_style(), f"'{left}–{right}' is a range of Roman numerals (stage, phase)", 0.85))
    elif _CAPS.fullmatch(left) and _CAPS_NUMBER.fullmatch(right):
        specific.append(Decision("-", f"'{left}-{right}' is an abbreviation (as PD-L1)", 0.85))
    elif (_ABBREVIATION.fullmatch(left) or _ABBREVIATION.fullmatch(right)) and not (is_fragment(left) or is_fragment(right)):
        specific.append(Decision("-", f"an abbreviation joined to a word ('{left}-{right}', as CNS-directed)", 0.85))
    if ll in of("prefix"):
        specific.append(Decision("-", f"'{left}-' is a prefix written with a hyphen", 0.9))
    if rl in of("suffix"):
        specific.append(Decision("-", f"'-{right}' makes a hyphenated compound", 0.9))
    possessive = len(left) == 1 and value[i - 2:i - 1] in ("'", "’")  # `People's?Hospital`: no letter of its own
    if (len(left) == 1) != (len(right) == 1) and left.isalpha() and right.isalpha() and not possessive \
            and not is_fragment(right if len(left) == 1 else left):
        specific.append(Decision("-", f"a single letter joined to a word ('{left}-{right}', as X-ray, Breast-Q)", 0.85))
    general: list[Decision] = []
    if _whole(left) and _whole(right):
        if _CAPITALISED.fullmatch(left) and _CAPITALISED.fullmatch(right):
            general.append(Decision("-", f"'{left}-{right}' pairs two names (as Kaplan-Meier)", 0.85))
        elif right[:1].islower() and left.isalpha() and right.isalpha():
            general.append(Decision("-", "a lost character inside a word run is most often a hyphen", 0.8))
    return _rank(specific, general)


def _rank(specific: list[Decision], general: list[Decision]) -> Optional[Decision]:
    """The best candidate: specific ones first; a different fill close behind leaves the `?`."""
    for found in (specific, general):
        if not found:
            continue
        best = max(found, key=lambda d: d.confidence)
        if any(d.fill != best.fill and d.confidence > best.confidence - MARGIN for d in found):
            return None
        return best
    return None


def _pieces(text: str) -> tuple[str, str]:
    """The words either side of the first `?` (for the doctests)."""
    i = text.index("?")
    left = regex.search(r"[\p{L}\d]*$", text[:i]).group(0)
    right = regex.match(r"[\p{L}\d]*", text[i + 1:]).group(0)
    return left, right
