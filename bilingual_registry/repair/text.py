"""What every rule shares: the fix a rule proposes, and the spans of a value no rule may touch."""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

import regex

from ..labels import keys_with
from ..patterns import TIMEOUT


# Spans no rule touches, each pattern with substrings one of which must be there for it to match, a
# cheap pattern any match must hold (or None), whether a match can hold a `?`, and whether the pattern
# can backtrack (then it runs with the time limit). Separate patterns: one alternation of them all is
# ten times slower. A hint cannot backtrack far, so it is the standard library's `re`, with no timeout
# to pay for. The others start where a run starts (a prefix, a lookbehind) and scan it once; a
# registration number's `[-\w]*\d[-\w]*` rescans the rest of a run from every prefix in it
# (`ChiCTR-ChiCTR-...`), so it keeps its limit.
_PROTECTED = tuple((needs, hint and re.compile(hint), regex.compile(p), mark, limited)
                   for needs, hint, p, mark, limited in (
    (("//", "www."), None, r"(?:https?://|ftp://|www\.)[^\s<>\"'，。；）」]+", True, False),  # URLs
    (("@",), None, r"(?<![\w.+?'-])[\w.+?'-]+@[\w-]+(?:\.[\w-]+)+", True, False),  # e-mail addresses
    (("CTR", "NCT", "ISRCTN", "DRKS", "JPRN", "KCT", "IRCT"), None,
     r"\b(?:ChiCTR|ChiMCTR|ITMCTR|AMCTR|NCT|ISRCTN|ACTRN|DRKS|JPRN|KCT|CTRI|IRCT|EUCTR|PACTR)[-\w]*\d[-\w]*", False, True),
    (("+", "-"), None, r"\+\d[\d\s()\-]{6,}\d|\b\d{3,4}-\d{7,8}\b", False, False),  # phone numbers
    # query strings: the full pattern tries every position, the hint starts only at a `?`
    (("=",), r"\?[^\s=]+=", r"(?<![\w./-])[\w./-]*\?[\w.%-]+=[^\s]*", True, False),
))

# Fields whose whole value is an identifier or a contact (phone, e-mail, website, postcode): never repaired.
PROTECTED_KEYS = keys_with("identifier") | keys_with("contact")


class Fix(NamedTuple):
    """A change one rule proposes to one value; `after` None flags damage that cannot be undone."""

    at: int
    before: str
    after: Optional[str]
    rule: str
    evidence: str
    confidence: float


def protected_spans(text: str, marks_only: bool = False) -> list[tuple[int, int]]:
    """URLs, e-mails, registration and phone numbers, query strings: spans left as they are.
    With `marks_only`, only the spans that can hold a `?`: all the lost-character rule asks about.

    >>> t = "see https://example.org/trials?proj=17 or mail a?b@example.org"
    >>> [t[s:e] for s, e in protected_spans(t)]
    ['https://example.org/trials?proj=17', 'a?b@example.org']
    """
    found = []
    for needs, hint, pattern, mark, limited in _PROTECTED:
        if (mark or not marks_only) and any(n in text for n in needs) \
                and (hint is None or hint.search(text)):
            matches = pattern.finditer(text, timeout=TIMEOUT) if limited else pattern.finditer(text)
            found += [m.span() for m in matches]
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)
