"""Brackets and quotes unbalanced on one side; acronyms present on one side only."""
from __future__ import annotations

import re

from .text import matches
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

# Full-width and ASCII forms as one family: （ and ( open the same bracket.
OPEN = {"(": "(", "（": "(", "[": "[", "【": "[", "［": "[", "{": "{", "｛": "{", "《": "《", "〈": "《",
        "“": "“", "「": "「", "『": "『", "‘": "‘"}
CLOSE = {")": "(", "）": "(", "]": "[", "】": "[", "］": "[", "}": "{", "｝": "{", "》": "《", "〉": "《",
         "”": "“", "」": "「", "』": "『", "’": "‘"}
# `1)` `a）` `ii)` enumerate a list: a closing bracket that never had an opening one.
_ENUMERATOR = re.compile(r"(?:^|(?<=[\s;；,，。.:：、]))(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4}|[一二三四五六七八九十]{1,2})[)）]",
                            re.M)
_QUOTES = re.compile(r'"')
_MARKS = re.compile("[" + re.escape("".join(OPEN) + "".join(CLOSE)) + '"\n]')
_BRACKETS = re.compile("[" + re.escape("".join(OPEN) + "".join(CLOSE)) + '"]')  # the marks but line ends


def unmatched(text: str) -> list[tuple[int, str]]:
    """Positions of the brackets and quotes that have no partner, list enumerators aside.

    A bracket may close on the next line (a value wrapped inside a bracket), no further: a list item
    that opens one and never closes it is caught even when a later item closes one it never opened.

    >>> unmatched("(such as EGFR/ALK, PD-L1 expression level;")
    [(0, '(')]
    >>> unmatched("剂量（50 mg）与“假性进展”"), unmatched("1) dose; 2) time"), unmatched("People’s Hospital")
    ([], [], [])
    >>> unmatched("14. therapy ((prednisone <10 mg) at\\n15. other\\n22. including (but not: oxygen, disorder)).")
    [(12, '('), (87, ')')]
    """
    if not _BRACKETS.search(text):  # most values have no bracket or quote: their lines need no reading
        return []
    marks = [(m.start(), m.group()) for m in _MARKS.finditer(text)]
    skip = None  # the enumerators' brackets, found when a bracket closes nothing: most never does
    has_left_single = "‘" in text
    stack: list[tuple[int, str, int]] = []  # (position, bracket, line)
    lost: list[tuple[int, str]] = []
    line = 0
    for i, ch in marks:
        if ch == "\n":
            line += 1
            if stack and stack[0][2] < line - 1:  # the stack is in line order: its oldest first
                lost.extend((j, c) for j, c, n in stack if n < line - 1)
                stack = [s for s in stack if s[2] >= line - 1]
        elif ch in OPEN and (ch != "‘" or has_left_single):
            stack.append((i, ch, line))
        elif ch in CLOSE and (ch != "’" or has_left_single):
            family = CLOSE[ch]
            if ch == "’" and not (stack and OPEN[stack[-1][1]] == "‘"):
                continue  # an apostrophe
            for k in range(len(stack) - 1, -1, -1):
                if OPEN[stack[k][1]] == family:
                    lost.extend((j, c) for j, c, _ in stack[k + 1:])
                    del stack[k:]
                    break
            else:
                if skip is None:
                    skip = {m.end() - 1 for m in matches(_ENUMERATOR, text)}
                if i not in skip:  # `1)` with nothing open enumerates; inside `(Part A)` it closes
                    lost.append((i, ch))
    if '"' in text:
        quotes = [m.start() for m in matches(_QUOTES, text)]
        if len(quotes) % 2:
            lost.append((quotes[-1], '"'))
    return sorted(lost + [(j, c) for j, c, _ in stack])


@field_check("unbalanced-brackets", "error")
def unbalanced_brackets(p, ctx):
    """A bracket or quote opened and never closed (or the reverse) on one side while the other side is balanced.

    >>> demo("unbalanced-brackets", "（如EGFR/ALK基因突变状态、PD-L1表达水平等）。", "(such as EGFR/ALK gene mutation status, PD-L1 expression level;")
    ["en: '(' is never closed in the English (the Chinese is balanced)"]
    >>> demo("unbalanced-brackets", "免疫检查点抑制剂（如PD-1/PD-L1抗体）", "immune checkpoint inhibitors (PD-1/PD-L1 antibodies)")
    []
    """
    zh_lost, en_lost = ctx.once(unmatched, p.zh), ctx.once(unmatched, p.en)
    if bool(zh_lost) == bool(en_lost):
        return  # both balanced, or the source itself is unbalanced and the English follows it
    side, lost, text = ("en", en_lost, "English") if en_lost else ("zh", zh_lost, "Chinese")
    other = "Chinese" if side == "en" else "English"
    i, ch = lost[0]
    what = "is never closed" if ch in OPEN else "closes nothing"
    spans = [(j, j + 1) for j, _ in lost]
    yield Hit(f"{ch!r} {what} in the {text} (the {other} is balanced)", side,
              zh_spans=spans if side == "zh" else [], en_spans=spans if side == "en" else [],
              severity=None if side == "en" else "warning")


# An acronym: two or more capitals, maybe digits and hyphens (`NSCLC`, `PD-1`, `HbA1c` is not one).
# (`(?<![A-Za-z0-9])(?:[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*|[A-Z]{1,3}-?\d+[A-Z]?)…` with the first capital taken out
# of both branches: a pattern that starts on a class lets re skip the Chinese to the capitals)
_ACRONYM = re.compile(r"[A-Z](?<![A-Za-z0-9][A-Z])(?:[A-Z0-9]*[A-Z][A-Z0-9]*|[A-Z]{0,2}-?\d+[A-Z]?)(?:-[A-Z0-9]+)*(?![A-Za-z])")
_CAPITALS = re.compile(r"[A-Z][A-Z0-9-]")
_ROMAN = re.compile(r"^[IVX]+[A-C]?$")
_DASHES = re.compile(r"[‐‑‒–—]")
_HYPHENS = re.compile(r"[-‐‑]")
_LETTERS = re.compile(r"[A-Za-z]+")


def acronyms(text: str) -> dict[str, tuple[int, int]]:
    """Acronyms of a text (Roman numerals aside), folded (`PD-1` as `PD1`), with their first span.

    >>> list(acronyms("非小细胞肺癌(NSCLC)III期，PD-1抑制剂"))
    ['NSCLC', 'PD1']
    """
    out: dict[str, tuple[int, int]] = {}
    for m in matches(_ACRONYM, text):
        word = m.group()
        if _ROMAN.match(word) or sum(c.isdigit() for c in word) >= 3:
            continue  # a Roman numeral, or a code (`YQYB2024110`: number-mismatch compares codes)
        out.setdefault(word.replace("-", ""), m.span())
    return out


@field_check("acronym-one-side", "warning")
def acronym_one_side(p, ctx):
    """An acronym of the Chinese (`NSCLC`, `PD-1`, `RECIST`) that the English neither keeps nor spells out.

    >>> demo("acronym-one-side", "根据RECIST 1.1标准评估ORR", "Evaluated according to the criteria")
    ["en: 'RECIST' is in the Chinese, not in the English", "en: 'ORR' is in the Chinese, not in the English"]
    >>> demo("acronym-one-side", "根据RECIST 1.1标准", "according to Response Evaluation Criteria in Solid Tumors version 1.1")
    []
    """
    zh_acr = ctx.once(acronyms, p.zh) if _CAPITALS.search(p.zh) else {}
    if not zh_acr or not p.en.strip():
        return
    en = _DASHES.sub("-", p.en)  # `AAO‑HNS` with a non-breaking hyphen is `AAO-HNS`
    en_acr = acronyms(en)
    en_fold = en.casefold().replace("-", "")
    for acr, span in zh_acr.items():
        if acr in en_acr or acr.casefold() in en_fold or _spelt_out(acr, en, ctx) or _initials(acr, en):
            continue
        yield Hit(f"{p.zh[span[0]:span[1]]!r} is in the Chinese, not in the English", "en", zh_spans=[span])


_MINOR = frozenset("of and the in on for with to a an".split())


def _initials(acr: str, en: str) -> bool:
    """True when words of the English start with the acronym's letters: `PCIV`, posterior circulation ischemic vertigo.

    >>> _initials("PCIV", "treatment of posterior circulation ischemic vertigo"), _initials("PCIV", "vertigo")
    (True, False)
    """
    letters = [c for c in acr.casefold() if c.isalpha()]
    if len(letters) < 2 or any(c.isdigit() for c in acr):
        return False
    words = [w.casefold() for w in _LETTERS.findall(en) if w.casefold() not in _MINOR]
    n = len(letters)
    return any([w[0] for w in words[i:i + n]] == letters for i in range(len(words) - n + 1))


def _spelt_out(acr: str, en: str, ctx) -> bool:
    """True when the English holds the glossary's expansion of the acronym."""
    folded = " ".join(_HYPHENS.sub(" ", en).casefold().split())
    for term in ctx.glossary.lookup(acr):
        for form in (term.en, *term.en_variants):
            if form and " ".join(_HYPHENS.sub(" ", form).casefold().split()) in folded:
                return True
    return False
