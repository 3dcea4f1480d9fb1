"""What every pattern run on user text shares: the time limit `regex` calls carry, and the Han test.

A time limit is only for patterns that can backtrack on user text; each call that carries one also
reads the clock (2.1 µs for a character-class search against 0.7 without), so a plain character-class
test such as `has_han` carries none: it cannot take longer than one pass over the text. Patterns that
need no `regex` feature (a `\\p{...}` class, a lookbehind of varying width) are the standard library's
`re`, which has no time limit at all. `tests/test_hostile.py` times every pattern run without one on
runs built to make a backtracking pattern quadratic.
"""
from __future__ import annotations

import regex

TIMEOUT = 1.0  # seconds any `regex` pattern may run on user text
_HAN = regex.compile(r"\p{Han}")


def has_han(text: str) -> bool:
    """True when the text holds a Chinese character.

    >>> has_han("PD-1抑制剂"), has_han("PD-1 inhibitor")
    (True, False)
    """
    # `isascii` reads a flag (most English values are ASCII); one character class: linear, no time limit needed
    return not text.isascii() and _HAN.search(text) is not None


class Lazy:
    """A `regex` pattern compiled on its first use: the repair rules hold some forty patterns a clean
    record never runs (42 of 52 for our example), and compiling one costs 0.3–0.6 ms (`regex` parses in Python).
    Once compiled, the pattern's methods are this object's own attributes: a call costs what it would.

    >>> word = Lazy(r"\\p{Latin}+")
    >>> word.search("PD-1抑制剂 inhibitor").group(0), word.pattern
    ('PD', '\\\\p{Latin}+')
    """

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        compiled = regex.compile(*self._source)
        for attr in ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern", "flags"):
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)
