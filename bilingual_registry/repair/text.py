"""What every rule shares: the fix a rule proposes, and the spans of a value no rule may touch."""
from __future__ import annotations

from typing import NamedTuple, Optional

import regex

TIMEOUT = 1.0  # seconds; every pattern run on user text carries it

_PROTECTED = regex.compile(
    r"""(?:https?://|ftp://|www\.)[^\s<>"'，。；）」]+                     # URLs
      | [\w.+?'-]+@[\w-]+(?:\.[\w-]+)+                                      # e-mail addresses
      | \b(?:ChiCTR|ChiMCTR|ITMCTR|AMCTR|NCT|ISRCTN|ACTRN|DRKS|JPRN|KCT|CTRI|IRCT|EUCTR|PACTR)[-\w]*\d[-\w]*
                                                                           # registration numbers
      | \+\d[\d\s()\-]{6,}\d                                               # phone numbers
      | \b\d{3,4}-\d{7,8}\b
      | [\w./-]*\?[\w.%-]+=[^\s]*                                          # query strings
    """,
    regex.X,
)

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
    return [m.span() for m in _PROTECTED.finditer(text, timeout=TIMEOUT)]


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)
