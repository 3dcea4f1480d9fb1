"""What every pattern run on user text shares: the time limit `regex` calls carry, and the Han test.

A time limit is only for patterns that can backtrack on user text; each call that carries one also
reads the clock (2.1 µs for a character-class search against 0.7 without), so a plain character-class
test such as `has_han` carries none: it cannot take longer than one pass over the text. Patterns that
need no `regex` feature (`\p{...}`, variable lookbehind) are the standard library's `re`, which has no
time limit at all. `tests/test_hostile.py` times every pattern run without one on runs built to make a
backtracking pattern quadratic.
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
    return _HAN.search(text) is not None  # one character class: linear, no time limit needed
