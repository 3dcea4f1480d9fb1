"""E-mail addresses, phone numbers and URLs that differ between the two sides of a field."""
from __future__ import annotations

import re

from .text import matches, may_hold_url
from ..registry import Hit, demo, field_check  # noqa: F401  (demo: for the doctests)

_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")  # an e-mail is `[\w.+-]+@` and this
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。；）)]+", re.I)
_EIGHT_DIGITS = re.compile(r"\d[\d ()-]{6}")
_NON_DIGIT = re.compile(r"\D")
_PHONE = re.compile(r"(?<![\w.@/-])\+?\(?\d[\d ()-]{5,}\d(?![\w@])")


def emails(text: str) -> list[tuple[int, int]]:
    """The spans of the e-mail addresses (`[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+`, leftmost first), found from each `@`.

    That pattern, tried at every character, reads on to the end of each run of word characters, and
    Chinese is all word characters: a 10,000-character Chinese value with an address took 0.4 s, in
    the square of its length. From each `@` back to its run's start is one pass.

    >>> emails("联系 trial3@example.org。a@b, x@y.org+z@w.cn"), emails("电话：0510-85350345")
    ([(3, 21), (27, 34), (34, 41)], [])
    """
    out: list[tuple[int, int]] = []
    done = 0  # where the last address ended: the next starts there at the earliest
    at = text.find("@")
    while at >= 0:
        start = at
        while start > done and (text[start - 1].isalnum() or text[start - 1] in "_.+-"):  # `\\w` is isalnum or `_`
            start -= 1
        m = _DOMAIN.match(text, at + 1) if start < at else None
        if m:
            out.append((start, m.end()))
            done = m.end()
        at = text.find("@", m.end() if m else at + 1)
    return out


def addresses(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of a text's e-mail addresses and of its URLs: read once (`ctx.once`) for the two checks
    that want them, contact-mismatch and number-mismatch (whose digits they hide).

    >>> addresses("联系 trial3@example.org，见 www.example.org/a")
    ([(3, 21)], [(24, 41)])
    """
    return (emails(text) if "@" in text else [],
            [m.span() for m in _URL.finditer(text)] if may_hold_url(text) else [])


def contacts(text: str, ctx=None) -> dict[str, tuple[str, tuple[int, int]]]:
    """E-mails, URLs and phone numbers of a text, keyed by a folded form, with kind and span (the
    addresses of `ctx.once`, with a review's context).

    >>> sorted(contacts("联系 trial3@example.org，电话 +86 510 8535-0345，见 https://example.org/a?id=1。").items())
    [('85350345', ('phone', (25, 42))), ('https://example.org/a?id=1', ('URL', (45, 71))), ('trial3@example.org', ('e-mail', (3, 21)))]
    """
    out: dict[str, tuple[str, tuple[int, int]]] = {}
    taken: list[tuple[int, int]] = []
    for kind, spans in zip(("e-mail", "URL"), ctx.once(addresses, text) if ctx else addresses(text)):
        for start, end in spans:
            if any(a <= start < b for a, b in taken):
                continue
            taken.append((start, end))
            found = text[start:end].rstrip(".,;:!?”’\"'）)")
            out[found.casefold()] = (kind, (start, start + len(found)))
    for m in (matches(_PHONE, text) if _EIGHT_DIGITS.search(text) else ()):
        digits = _NON_DIGIT.sub("", m.group())
        if len(digits) >= 8 and not any(a <= m.start() < b for a, b in taken):  # 7 digits: a code (`1008002`)
            out[digits[-8:]] = ("phone", m.span())  # `0510-85350345` and `+86 510 85350345` alike
    return out


def contact_spans(text: str) -> list[tuple[int, int]]:
    """Where a text holds an e-mail address or URL (their digits are no quantities)."""
    mails, urls = addresses(text)
    return mails + urls


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
    zh, en = ctx.once(contacts, p.zh, ctx), ctx.once(contacts, p.en, ctx)
    if not zh and not en:
        return
    for key, (kind, span) in zh.items():
        if key not in en:
            yield Hit(f"{kind} {p.zh[span[0]:span[1]]!r} of the Chinese is not in the English", "en", zh_spans=[span])
    for key, (kind, span) in en.items():
        if key not in zh:
            yield Hit(f"{kind} {p.en[span[0]:span[1]]!r} of the English is not in the Chinese", "en", en_spans=[span])
