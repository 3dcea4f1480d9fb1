"""E-mail addresses, phone numbers and URLs that differ between the two sides of a field."""
from __future__ import annotations

import re

from .text import matches
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。；）)]+", re.I)
_EIGHT_DIGITS = re.compile(r"\d[\d ()-]{6}")
_NON_DIGIT = re.compile(r"\D")
_PHONE = re.compile(r"(?<![\w.@/-])\+?\(?\d[\d ()-]{5,}\d(?![\w@])")


def contacts(text: str) -> dict[str, tuple[str, tuple[int, int]]]:
    """E-mails, URLs and phone numbers of a text, keyed by a folded form, with kind and span.

    >>> sorted(contacts("联系 trial3@example.org，电话 +86 510 8535-0345，见 https://example.org/a?id=1。").items())
    [('85350345', ('phone', (25, 42))), ('https://example.org/a?id=1', ('URL', (45, 71))), ('trial3@example.org', ('e-mail', (3, 21)))]
    """
    out: dict[str, tuple[str, tuple[int, int]]] = {}
    taken: list[tuple[int, int]] = []
    low = text.casefold()
    for kind, pattern, mark in (("e-mail", _EMAIL, "@" in text), ("URL", _URL, "http" in low or "www." in low)):
        for m in (matches(pattern, text) if mark else ()):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            found = m.group().rstrip(".,;:!?”’\"'）)")
            out[found.casefold()] = (kind, (m.start(), m.start() + len(found)))
    for m in (matches(_PHONE, text) if _EIGHT_DIGITS.search(text) else ()):
        digits = _NON_DIGIT.sub("", m.group())
        if len(digits) >= 8 and not any(a <= m.start() < b for a, b in taken):  # 7 digits: a code (`1008002`)
            out[digits[-8:]] = ("phone", m.span())  # `0510-85350345` and `+86 510 85350345` alike
    return out


def contact_spans(text: str) -> list[tuple[int, int]]:
    """Where a text holds an e-mail address or URL (their digits are no quantities)."""
    low = text.casefold()
    spans = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else []
    if "http" in low or "www." in low:
        spans += [m.span() for m in _URL.finditer(text)]
    return spans


@field_check("contact-mismatch", "error")
def contact_mismatch(p, ctx):
    """An e-mail, phone number or URL on one side that the other side does not have.

    >>> demo("contact-mismatch", "联系 trial3@example.org", "contact trial8@example.org")
    ["en: e-mail 'trial3@example.org' of the Chinese is not in the English", "en: e-mail 'trial8@example.org' of the English is not in the Chinese"]
    >>> demo("contact-mismatch", "电话：0510-85350345", "Tel: +86 510 85350345")
    []
    """
    if not p.zh.strip() or not p.en.strip() or p.value_kind == "vocab":
        return
    zh, en = contacts(p.zh), contacts(p.en)
    if not zh and not en:
        return
    for key, (kind, span) in zh.items():
        if key not in en:
            yield Hit(f"{kind} {p.zh[span[0]:span[1]]!r} of the Chinese is not in the English", "en", zh_spans=[span])
    for key, (kind, span) in en.items():
        if key not in zh:
            yield Hit(f"{kind} {p.en[span[0]:span[1]]!r} of the English is not in the Chinese", "en", en_spans=[span])
