"""What every rule shares: the fix a rule proposes, and the spans of a value no rule may touch."""
from __future__ import annotations

from typing import NamedTuple, Optional

import regex

TIMEOUT = 1.0  # seconds; every pattern run on user text carries it

# Spans no rule touches, each pattern with a substring that must be there for it to match. Separate
# patterns: one alternation of them all is ten times slower.
_PROTECTED = tuple((needs, regex.compile(p)) for needs, p in (
    (("//", "www."), r"(?:https?://|ftp://|www\.)[^\s<>\"'，。；）」]+"),  # URLs
    (("@",), r"(?<![\w.+?'-])[\w.+?'-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    (("CTR", "NCT", "ISRCTN", "DRKS", "JPRN", "KCT", "IRCT"),
     r"\b(?:ChiCTR|ChiMCTR|ITMCTR|AMCTR|NCT|ISRCTN|ACTRN|DRKS|JPRN|KCT|CTRI|IRCT|EUCTR|PACTR)[-\w]*\d[-\w]*"),
    (("+", "-"), r"\+\d[\d\s()\-]{6,}\d|\b\d{3,4}-\d{7,8}\b"),  # phone numbers
    (("=",), r"(?<![\w./-])[\w./-]*\?[\w.%-]+=[^\s]*"),  # query strings
))

# Fields whose whole value is an identifier: never repaired.
PROTECTED_KEYS = frozenset({
    "registration_number", "secondary_ids", "study_subject_id", "ethics_approval_number",
    "applicant_phone", "study_leader_phone", "ethics_contact_phone", "applicant_fax", "study_leader_fax",
    "applicant_email", "study_leader_email", "ethics_contact_email", "applicant_website",
    "study_leader_website", "applicant_postcode", "study_leader_postcode", "target_disease_code",
    "intervention_code",
})


class Fix(NamedTuple):
    """A change one rule proposes to one value; `after` None flags damage that cannot be undone."""

    at: int
    before: str
    after: Optional[str]
    rule: str
    evidence: str
    confidence: float


def protected_spans(text: str) -> list[tuple[int, int]]:
    """URLs, e-mails, registration and phone numbers, query strings: spans left as they are.

    >>> t = "see https://example.org/trials?proj=17 or mail a?b@example.org"
    >>> [t[s:e] for s, e in protected_spans(t)]
    ['https://example.org/trials?proj=17', 'a?b@example.org']
    """
    spans: list[tuple[int, int]] = []
    found = (m.span() for needs, p in _PROTECTED if any(n in text for n in needs)
             for m in p.finditer(text, timeout=TIMEOUT))
    for start, end in sorted(found):
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)
