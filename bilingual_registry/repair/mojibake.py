"""Mojibake: UTF-8 bytes read in the wrong encoding, fixed only when the round trip proves it.

UTF-8 read as Latin-1/cp1252 (`cafÃ©`, `â€™`) is ftfy's case and ftfy decides it. UTF-8 read as GBK
(`鍩轰簬`) is not (ftfy gives up on CJK legacy encodings): the run is re-encoded as GBK and the bytes
must decode as UTF-8 into CJK text. `锟斤拷` is U+FFFD read as GBK: the text was lost before the
mis-decoding, so it is flagged and never "fixed".
"""
from __future__ import annotations

import re

from functools import cache

import regex

from ..patterns import TIMEOUT, Lazy
from .text import Fix

_WESTERN = Lazy(
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    r"\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2,}"
)
# The mis-decodings we undo: ftfy also tries MacRoman and others, which on a short span can turn
# legitimate text (`–â€™`) into other scripts.
_WESTERN_CODECS = frozenset({"latin-1", "sloppy-windows-1252", "windows-1252", "sloppy-windows-1250"})
_NON_ASCII_RUN = Lazy(r"[^\x00-\x7f\s\u200b-\u200d\u2028\u2029\u2060\ufeff]{2,}")
_CJK = Lazy(r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’…—·]")
_LOST = Lazy(r"(?:锟斤拷)+|锟斤|斤拷")


@cache
def _detector() -> "regex.Pattern":
    """ftfy's detector of UTF-8 read as cp1252, recompiled with `regex` so it runs with a timeout; ftfy
    is loaded for the first value with a run of Western characters, not at start-up."""
    from ftfy.chardata import UTF8_DETECTOR_RE
    return regex.compile(UTF8_DETECTOR_RE.pattern, regex.VERBOSE)


def _gbk_mojibake_chars() -> str:
    """The characters a UTF-8 CJK lead byte (E4–E9) makes when read as the first byte of a GBK pair."""
    out = []
    for lead in range(0xE4, 0xEA):
        for trail in range(0x80, 0xC0):
            try:
                out.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


GBK_MARKS = _gbk_mojibake_chars()
# Cheap check first, with no timeout to pay: a run is only decoded when it holds one of these.
_ANY_GBK_MARK = re.compile("[" + re.escape(GBK_MARKS) + "]")


# Letters of a script that neither language of a record is written in (Latin, Greek symbols, Han): a
# "decoding" into them is a coincidence of bytes, not the text the registrant typed.
_FOREIGN_LETTER = Lazy(r"(?=\p{L})[^\p{Latin}\p{Greek}\p{Han}\p{Common}]")


def western(value: str) -> list[Fix]:
    """UTF-8 read as Latin-1 or cp1252: each sequence ftfy's detector finds, undone when ftfy's
    encode/decode plan for it is a Western one and the sequence is bad by ftfy's measure.

    >>> [f[1:3] for f in western("Sj\u00c3\u00b6gren\u00e2\u20ac\u2122s syndrome")]
    [('Ã¶', 'ö'), ('â€™', '’')]
    >>> western("Sjögren’s syndrome, café, “quoted”")
    []
    >>> western("PD–â")  # MacRoman would "decode" this into Cyrillic: not ours
    []
    >>> western("10×² cells")  # ftfy reads this as Hebrew ײ; no record of ours holds Hebrew
    []
    """
    if not _WESTERN.search(value):
        return []
    import ftfy
    from ftfy.badness import is_bad
    fixes = []
    for m in _detector().finditer(value, timeout=TIMEOUT):
        if not is_bad(m.group(0)):
            continue
        fixed, plan = ftfy.fix_encoding_and_explain(m.group(0))
        if fixed != m.group(0) and all(p in _WESTERN_CODECS for a, p in plan if a == "encode") \
                and not _FOREIGN_LETTER.search(fixed):
            steps = ", ".join(f"{a} {p}" for a, p in plan)
            fixes.append(Fix(m.start(), m.group(0), fixed, "mojibake-latin1",
                             f"UTF-8 read as a Western encoding; the round trip ({steps}) decodes", 0.95))
    return fixes


def gbk(value: str) -> list[Fix]:
    """UTF-8 read as GBK: re-encode as GBK, decode as UTF-8; applied only when every byte decodes.

    >>> [f[1:4] for f in gbk("鍩轰簬娣卞害瀛︿範")]
    [('鍩轰簬娣卞害瀛︿範', '基于深度学习', 'mojibake-gbk')]
    >>> gbk("基于深度学习的实体瘤智能诊断；繁體字不改")
    []
    >>> [(f[2], f[3]) for f in gbk("数据锟斤拷锟斤拷")]
    [(None, 'mojibake-lost')]
    """
    fixes = [Fix(m.start(), m.group(0), None, "mojibake-lost",
                 "锟斤拷 is U+FFFD read as GBK: the original characters were lost before this export", 0.0)
             for m in _LOST.finditer(value)] if "斤" in value else []  # each form holds 斤
    if not _ANY_GBK_MARK.search(value):
        return fixes
    for m in _NON_ASCII_RUN.finditer(value):
        run = m.group(0)
        if not any(ch in GBK_MARKS for ch in run) or "锟" in run:
            continue
        try:
            data = run.encode("gbk")
        except UnicodeEncodeError:
            continue
        if min(data) < 0x80:  # UTF-8 for Chinese never holds an ASCII byte
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = data[:exc.start].decode("utf-8")
            if len(text) >= 2 and _mostly_cjk(text) and exc.start >= len(data) - 2:
                fixes.append(Fix(m.start(), run, text + "\ufffd", "mojibake-gbk",
                                 "UTF-8 read as GBK; the last character's bytes are incomplete", 0.5))
            continue
        if len(text) >= 2 and _mostly_cjk(text) and _common(text):
            fixes.append(Fix(m.start(), run, text, "mojibake-gbk",
                             "UTF-8 read as GBK: re-encoded as GBK the bytes are valid UTF-8 Chinese", 0.95))
    return sorted(fixes)


def _common(text: str) -> bool:
    """Decoded Chinese is nearly all in GB2312's common characters; a chance decoding of real
    (say traditional) text into other Chinese characters is not."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    common = sum(1 for ch in han if _in_gb2312(ch))
    return common >= 0.9 * len(han)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _mostly_cjk(text: str) -> bool:
    return all(_CJK.match(ch) for ch in text)
