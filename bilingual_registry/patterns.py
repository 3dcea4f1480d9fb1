"""What every pattern run on user text shares: the time limit `regex` calls carry, and the Han test."""
from __future__ import annotations

import regex

TIMEOUT = 1.0  # seconds any `regex` pattern may run on user text
_HAN = regex.compile(r"\p{Han}")


def has_han(text: str) -> bool:
    """True when the text holds a Chinese character.

    >>> has_han("PD-1抑制剂"), has_han("PD-1 inhibitor")
    (True, False)
    """
    return _HAN.search(text, timeout=TIMEOUT) is not None
