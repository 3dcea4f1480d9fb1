"""Text measures the checks share: lengths of each side, English words, Chinese script.

The checks' patterns are the standard library's `re`: each is linear (no quantifier nested in another
that can match the same text), so none needs the time limit `regex` calls carry on user text, and `re`
runs them two to three times faster, which a review of every field of every record needs.
"""
from __future__ import annotations

from functools import lru_cache

import re


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# every byte but ASCII letters and digits: deleted from a text's UTF-8, what is left is its letters and
# digits (a character beyond ASCII is bytes of 0x80 and up, none of them kept), counted in one C pass
_NOT_LATIN = bytes(b for b in range(256) if not (chr(b).isascii() and chr(b).isalnum()))
WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")


def zh_length(text: str) -> int:
    """The Chinese characters of a text: what an English translation's length scales with.

    >>> zh_length("采用RECIST 1.1标准评估")
    6
    """
    return sum(map(len, _HAN_RUN.findall(text)))  # runs, not characters: a few strings, not one each


def en_length(text: str, source: str = "") -> int:
    """The English's letters and digits, less those copied as they are from the Chinese (`RECIST`, `1.1`).

    >>> en_length("According to RECIST 1.1", "根据RECIST 1.1")
    11
    """
    return max(latin_length(text) - latin_length(source), 0)


def latin_length(text: str) -> int:
    """The ASCII letters and digits of a text (`[A-Za-z0-9]`): four times faster than summing its runs.

    >>> latin_length("采用RECIST 1.1标准，Ｒ"), latin_length("\\ud800 é_1")
    (8, 1)
    """
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_LATIN))


@lru_cache(maxsize=65536)
def word_frequency(word: str) -> float:
    """The word's Zipf frequency in English (wordfreq): 0 for no word, about 3 for a common one."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=None)
def frequent_words(zipf: float) -> frozenset[str]:
    """Every word wordfreq gives at least this Zipf frequency in English: `w in frequent_words(3.0)` is
    `word_frequency(w) >= 3.0` for a word in lower case, a set lookup instead of a call. wordfreq's list
    is in buckets of 0.01 Zipf from 9 down: bucket i holds the words of Zipf 9 - i/100.

    >>> "hospital" in frequent_words(3.0), "hostipal" in frequent_words(3.0)
    (True, False)
    """
    from wordfreq import get_frequency_list

    return frozenset(w for bucket in get_frequency_list("en")[:round((9 - zipf) * 100) + 1] for w in bucket)


def is_english_word(word: str) -> bool:
    """True for a word wordfreq knows in English (folded; a possessive or plural form counts).

    >>> is_english_word("hospital"), is_english_word("hostipal")
    (True, False)
    """
    w = word.casefold().replace("’", "'")
    return word_frequency(w) > 1.0 or (w.endswith("'s") and word_frequency(w[:-2]) > 1.0)


def may_hold_url(text: str) -> bool:
    """Whether the text holds what every URL does (`https?://` or `www.`, in any case, as `re.I` finds
    them: it matches no other character for these letters, and no character lowers to one): a `://`, or
    `www.` in any case, which holds `w.` or `W.`. Plain substring tests, the text lowered only for the
    few that hold one of these, before a pattern tried at every character.

    >>> may_hold_url("见 HTTPS://example.org"), may_hold_url("a@b.cn"), may_hold_url("WwW.example.org"), may_hold_url("new.")
    (True, False, True, False)
    """
    if "://" in text:
        return True
    return ("w." in text or "W." in text) and "www." in text.lower()


def matches(pattern: re.Pattern, text: str) -> list:
    """Every match, taken at once (a check may yield between them)."""
    return list(pattern.finditer(text))
