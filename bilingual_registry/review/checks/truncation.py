"""Truncation and partial translation: English that stops mid-sentence or is far shorter than its Chinese."""
from __future__ import annotations

import re

from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)
from .text import en_length, is_english_word, zh_length

# Words an English sentence never ends on: articles, prepositions, conjunctions, auxiliaries.
DANGLING = frozenset("""a an the of and or nor but to with without by for in into on onto at from as than
that which who whose whom whether if because while when where was were is are be been being has have had will
would shall should can could may might must do does did its their his her our your my this these those such
per via versus vs between among within under over after before during including e.g i.e mainly both either""".split())
# `([A-Za-z][A-Za-z'’-]*)\W*$`, tried only where a word begins and taking the whole run there: the plain
# pattern is tried at every letter and, in each word, gives back a letter at a time (a third of the time)
_LAST_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z][A-Za-z'’-]*+)\W*$")
_OPEN_END = re.compile(r"[,:(\[{/&+\-–—]\s*$")
_OPEN_CHARS = frozenset(",:([{/&+-–—")  # what `_OPEN_END` ends on (the English is stripped)
_WORD_TAIL = re.compile(r"[\w'’-]")  # what `_LAST_WORD` and `_FRAGMENT` end on
_ZH_CUT = re.compile(r"[的和与及或、，,；;：:（(]\s*$")
# One short unterminated fragment after a complete sentence: `…therapy. Start`
_FRAGMENT = re.compile(r"(?<=[a-z]{2}[.!?])\s+((?:[A-Za-z][\w'’-]*\s*){1,3})$")

# The length ratio below which English is too short for its Chinese: English letters and digits per
# Chinese character. Calibrated on the 121 real pairs of 20+ Chinese characters of ../shared/corpus
# (benchmarks/calibrate_review.py): median 4.2, 5th percentile 2.6, lowest right translation 2.25; the
# three pairs below 1.8 are defects (an English cut off at 1.01, an address given as its institution's
# name at 1.65), as is seed 003's PFS time point at 0.89.
MIN_RATIO = 1.8
MIN_ZH = 20


@field_check("truncated", "error")
def truncated(p, ctx):
    """English that stops mid-sentence: on an article, a preposition, a comma, a cut word.

    >>> demo("truncated", "以末次随访时达到最佳总体疗效的时间点作为客观缓解率的判定时间点。",
    ...      "The time point at which the best overall response is achieved at the last follow-up was used as the")
    ["en: the English stops mid-sentence, on 'the'"]
    >>> demo("truncated", "每6周进行一次评估。从66周开始，应每12周进行一次评估",
    ...      "Perform assessment every 6 weeks as calculated from the first dose of study therapy. Start")
    ["en: the English stops after one word of a new sentence: 'Start'"]
    >>> demo("truncated", "无进展生存期", "Progression-free survival (PFS)"), demo("truncated", "研究者", "Investigator")
    ([], [])
    """
    whole = p.en.rstrip()
    if not whole or p.value_kind == "vocab" or _ZH_CUT.search(p.zh[-4:]):
        return
    en = whole[-120:]  # an end is all this check reads
    words = len(whole.split(None, 2))  # 3 means three words or more
    shift = len(whole) - len(en)
    end = [(len(whole) - 1, len(whole))]
    last = en[-1]  # the end's patterns need a word's letter here (most English ends on `.`): tested first
    m = _LAST_WORD.search(en) if _WORD_TAIL.match(last) else None
    if m and m.end(1) == len(en) and m.group(1).casefold() in DANGLING and words > 2:
        yield Hit(f"the English stops mid-sentence, on {m.group(1)!r}", "en",
                  en_spans=[(m.start(1) + shift, m.end(1) + shift)])
    elif last in _OPEN_CHARS and _OPEN_END.search(en) and words > 2 and not _OPEN_END.search(p.zh.rstrip()[-4:]):
        yield Hit(f"the English stops on {en[-1]!r}, mid-sentence", "en", en_spans=end)
    elif m and m.end(1) == len(en) and len(whole) >= 40 and _cut_word(m.group(1)):
        yield Hit(f"the English stops inside a word: {m.group(1)!r}", "en",
                  en_spans=[(m.start(1) + shift, m.end(1) + shift)])
    else:
        f = _FRAGMENT.search(en) if _WORD_TAIL.match(last) else None
        if f and len(begun := f.group(1).split()) <= 2 and f.group(1)[0].isupper() and "。" in p.zh.rstrip()[:-1]:
            yield Hit(f"the English stops after {('one word', 'two words')[len(begun) - 1]} of a new sentence: "
                      f"{f.group(1).strip()!r}", "en", en_spans=[(f.start(1) + shift, f.end(1) + shift)])


@field_check("partial-translation", "warning")
def partial_translation(p, ctx):
    """English far shorter than its Chinese warrants: only part of the text was translated.

    >>> demo("partial-translation", "从开始免疫联合化疗之日起,至首次出现疾病进展或任何原因死亡之日止。 随访截止日期为研究规定的终点日期。",
    ...      "first disease progression or death from any cause", key="time_point")
    ['en: the English (42 characters) is short for 47 Chinese characters: 0.9 per character, real translations have 1.8 or more']
    >>> demo("partial-translation", "从开始治疗之日起至首次出现疾病进展或任何原因死亡之日止",
    ...      "From the start of treatment to first disease progression or death from any cause", key="time_point")
    []
    """
    if p.value_kind == "vocab" or len(p.zh) < MIN_ZH or not p.en.strip():
        return  # fewer characters than MIN_ZH hold fewer Chinese ones: most fields, no counting
    n_zh = ctx.once(zh_length, p.zh)
    if n_zh < MIN_ZH:
        return
    n_en = en_length(p.en, p.zh)
    ratio = n_en / n_zh
    if ratio < MIN_RATIO:
        yield Hit(f"the English ({n_en} characters) is short for {n_zh} Chinese characters: {ratio:.1f} per character, "
                  f"real translations have {MIN_RATIO} or more", "en", [(0, len(p.zh))], [(0, len(p.en))])


def _cut_word(word: str) -> bool:
    """A last word that is no word: the tail of a text cut at a length limit (`…will n`)."""
    return word.islower() and (not is_english_word(word) or (len(word) == 1 and word not in "ai"))

