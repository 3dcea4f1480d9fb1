"""Bytes to text: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, with the encoding reported."""
from __future__ import annotations

import codecs
import re

from ..errors import BinaryInput, DecodingError, EmptyInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters text never holds
HEAD_CHARS = 64 * 1024  # what `decode(..., whole=False)` keeps at least: enough to tell the format
_CHUNK = 32 * 1024  # small enough to be recycled by malloc: a whole-page string costs page faults


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no BOM shows NUL in every other byte of ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > half * 0.3 and (even + odd - zeros) < half * 0.05:
            try:
                return enc if data.decode(enc) else None
            except UnicodeDecodeError:
                return None
    return None


def _utf32_without_bom(data: bytes) -> str | None:
    """UTF-32 with no BOM: the two high bytes of every character of the Basic Multilingual Plane are NUL."""
    sample = data[:4096]
    quads = len(sample) // 4
    if quads < 2 or sample.count(0) < quads * 2:  # the common case, known from one count
        return None
    sample = sample[: quads * 4]
    for enc, high, low in (("utf-32-le", 2, 0), ("utf-32-be", 1, 3)):
        if sample[high::4].count(0) == quads and sample[low::4].count(0) < quads * 0.1:
            return enc if _strict(data, enc) is not None else None
    return None


def wide_encoding(data: bytes) -> str | None:
    """The codec of input that is not ASCII-compatible (UTF-16/32, by BOM or by its NUL bytes), else None.

    >>> wide_encoding("<?xml version='1.0'?><trials/>".encode("utf-16-le"))
    'utf-16-le'
    >>> wide_encoding("<trials/>".encode("utf-32"))
    'utf-32'
    >>> wide_encoding(codecs.BOM_UTF8 + b"<trials/>") is None
    True
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return None if enc == "utf-8-sig" else enc
    return _utf32_without_bom(data) or _utf16_without_bom(data)


_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b" + bytes(range(0x0e, 0x20))
_SAMPLE = 8192


def _looks_binary(text: str, data: bytes = b"") -> bool:
    """Control characters in the first 8,192 characters: NUL, or more than one in a hundred.

    `data`, the bytes of `text` in an ASCII-compatible encoding (UTF-8, GB18030), holds its control
    characters as the same bytes: when the bytes the sample came from hold none (the common case), one
    C-level pass over bytes says so four times faster than a pattern over the text.

    >>> _looks_binary("注册号" * 100, "注册号".encode() * 100), _looks_binary("a\\x00b", b"a\\x00b")
    (False, True)
    """
    if data:
        head = data[:4 * _SAMPLE]  # a character is at most four bytes in either encoding
        if len(head.translate(None, _CONTROL_BYTES)) == len(head):
            return False
    sample = text[:_SAMPLE]
    return "\x00" in sample or len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def _utf8_head(data: bytes) -> str | None:
    """The first HEAD_CHARS characters (or more) of `data` when all of it is valid UTF-8, else None.

    Validating chunk by chunk is three times faster on a 430 KB page than building its whole text; a
    file of no more than HEAD_CHARS bytes is decoded whole, in one call, and is its own head.
    """
    if len(data) <= HEAD_CHARS:
        return _strict(data, "utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    head: list[str] = []
    have = 0
    try:
        for start in range(0, len(data), _CHUNK):
            part = decoder.decode(view[start:start + _CHUNK])
            if have < HEAD_CHARS:
                head.append(part)
                have += len(part)
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        return None
    return "".join(head)


def only_head(data: bytes, encoding: str, bad: int) -> bool:
    """Whether `decode_counted(data, whole=False)` gave only the head of the text: valid UTF-8 is validated
    chunk by chunk and kept only to HEAD_CHARS, but a file of no more bytes than that is its own head
    (a seed-size export is decoded once, not as a head and again); other encodings are decoded whole."""
    return encoding == "utf-8" and not bad and len(data) > HEAD_CHARS


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _lossy_utf8(data: bytes, strict_rest: bool) -> tuple[str, int] | None:
    """UTF-8 with a few bad bytes (a lone byte damaged in transfer) as text with U+FFFD in their place,
    and how many were replaced; None when the bytes are not that (GB18030 text fails UTF-8 at nearly
    every Chinese character). With `strict_rest`, only when the bad bytes are very few among many good
    non-ASCII characters, as GB18030 is tried after.

    >>> _lossy_utf8("注册号：".encode() * 30 + b"\\xff", True)[1]
    1
    >>> _lossy_utf8("注册号：".encode("gb18030") * 30, False) is None
    True
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    if good >= 50 * bad or (not strict_rest and bad <= 4):
        return text, bad
    return None


def decode_counted(data: bytes, path: str | None = None, whole: bool = True) -> tuple[str, str, int]:
    """`decode`, and how many bytes that were not UTF-8 were replaced by U+FFFD (0 but for UTF-8 input
    with a few bad bytes, which is read rather than refused: the caller reports them)."""
    if not data.strip():
        raise EmptyInput(path)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, 0
            except UnicodeDecodeError as exc:
                raise DecodingError(path, f"starts with a {enc} byte-order mark but is not valid {enc}: {exc.reason}") from None
    enc16 = _utf32_without_bom(data) or _utf16_without_bom(data)
    if enc16:
        return data.decode(enc16), enc16, 0
    if b"\x00" in data[:8192]:
        raise BinaryInput(path)
    # UTF-8; UTF-8 with a lone bad byte among much Chinese; GB18030; UTF-8 (or ASCII) with a few bad bytes
    for enc, read in (("utf-8", lambda: _utf8_head(data) if not whole else _strict(data, "utf-8")),
                      ("utf-8", lambda: _lossy_utf8(data, True)),
                      ("gb18030", lambda: _strict(data, "gb18030")),
                      ("utf-8", lambda: _lossy_utf8(data, False))):
        text = read()
        if text is None:
            continue
        text, bad = text if isinstance(text, tuple) else (text, 0)
        if _looks_binary(text, data):
            raise BinaryInput(path)
        return text, enc, bad
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BinaryInput(path, "the file is not text in any known encoding")
    text = str(best)
    if _looks_binary(text):
        raise BinaryInput(path)
    if best.encoding not in ("big5", "cp1252", "latin_1", "utf_16", "utf_32", "cp950"):
        raise DecodingError(path, f"text encoding guessed as {best.encoding}, which no registry export uses")
    return text, best.encoding, 0


def decode(data: bytes, path: str | None = None, whole: bool = True) -> tuple[str, str]:
    """Return (text, encoding name) or raise a typed error naming the file.

    With `whole=False`, UTF-8 input (by far the most common) gives only the first HEAD_CHARS characters
    or more, after checking that all of it decodes: for callers that read the bytes themselves.

    >>> decode("注册号:".encode("gb18030"))
    ('注册号:', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + "Registration number:".encode())[1]
    'utf-8-sig'
    >>> decode("注册号：".encode() * 30 + b"\\xff")[0][-2:]
    '：\ufffd'
    """
    text, encoding, _ = decode_counted(data, path, whole)
    return text, encoding


def bad_bytes_problem(count: int):
    """The problem a record carries when bytes of its file were not UTF-8 and were replaced."""
    from ..problems import problem_part

    return problem_part("bad-bytes", (
        f"{count:,} byte{'s' if count > 1 else ''} of the file {'are' if count > 1 else 'is'} not UTF-8 and "
        "shown as U+FFFD (\ufffd); the rest of the file is read as UTF-8"))
