"""Mutations of real records: the damage that transfers, editors, tools and hostile hands do to a file.

Each mutator takes a seeded `random.Random` and the bytes of a record and gives new bytes; text-level
mutators work on the UTF-8 text (or on bytes when the file is no UTF-8) so that they cut at characters.
`mutant(seed, n, sources)` is the n-th mutant of a run: the same seed gives the same inputs.
"""
from __future__ import annotations

import codecs
import random
from pathlib import Path
from typing import Callable

Mutator = Callable[[random.Random, bytes], bytes]
MUTATORS: dict[str, Mutator] = {}


def mutator(fn: Mutator) -> Mutator:
    MUTATORS[fn.__name__] = fn
    return fn


def _on_text(data: bytes, edit: Callable[[str], str]) -> bytes:
    """Apply a text edit to UTF-8 bytes; bytes that are no UTF-8 are edited as Latin-1 (byte for byte)."""
    try:
        return edit(data.decode("utf-8")).encode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return edit(data.decode("latin-1")).encode("latin-1", "replace")


def _insert(rng: random.Random, text: str, pieces: list[str], times: int) -> str:
    for _ in range(times):
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(pieces) + text[i:]
    return text


@mutator
def byte_flips(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


@mutator
def random_bytes(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(b))
        b[i:i + rng.randint(0, 4)] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    return bytes(b)


def _blocks(data: bytes) -> list[bytes]:
    sep = b"\n\n" if b"\n\n" in data else b"\n"
    return data.split(sep)


@mutator
def shuffled_blocks(rng, data):
    blocks = _blocks(data)
    lo = rng.randrange(len(blocks))
    hi = min(len(blocks), lo + rng.randint(2, 40))
    window = blocks[lo:hi]
    rng.shuffle(window)
    blocks[lo:hi] = window
    return (b"\n\n" if b"\n\n" in data else b"\n").join(blocks)


@mutator
def duplicated_blocks(rng, data):
    blocks = _blocks(data)
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(blocks))
        blocks[i:i] = [blocks[i]] * rng.choice((1, 2, 5, 50))
    return (b"\n\n" if b"\n\n" in data else b"\n").join(blocks)


@mutator
def truncation(rng, data):
    cut = rng.randrange(len(data))
    return data[:cut] if rng.random() < 0.7 else data[cut:]


_CONTROLS = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)] + ["\x85", "\x1b[31m", "\f", "\v"]


@mutator
def control_chars(rng, data):
    return _on_text(data, lambda t: _insert(rng, t, _CONTROLS, rng.randint(1, 20)))


@mutator
def line_separators(rng, data):
    """U+2028, U+2029, U+0085 and friends, which some tools take for line breaks."""
    return _on_text(data, lambda t: _insert(rng, t, ["\u2028", "\u2029", "\x85", "\u2028\u2028", "\x1c", "\x1e"],
                                            rng.randint(1, 30)))


@mutator
def nul_bytes(rng, data):
    return _on_text(data, lambda t: _insert(rng, t, ["\x00", "\x00" * 8], rng.randint(1, 5)))


_BAD_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80",
             b"\xf4\x90\x80\x80"]


@mutator
def bad_utf8(rng, data):
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 5, 50))):
        i = rng.randrange(len(b) + 1)
        b[i:i] = rng.choice(_BAD_UTF8)
    return bytes(b)


_BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, "\ufeff".encode()]


@mutator
def boms_mid_file(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        i = 0 if rng.random() < 0.3 else rng.randrange(len(b) + 1)
        b[i:i] = rng.choice(_BOMS)
    return bytes(b)


@mutator
def line_ends(rng, data):
    """CR/LF mixes: some line ends made CRLF or CR, stray CRs put in."""
    def edit(t: str) -> str:
        lines = t.split("\n")
        ends = [rng.choice(("\n", "\r\n", "\r", "\n\r", "\r\r\n")) if rng.random() < 0.5 else "\n" for _ in lines]
        return "".join(ln + end for ln, end in zip(lines, ends))[:-1]
    return _on_text(data, edit)


@mutator
def encodings(rng, data):
    """The text re-encoded (UTF-16/32 with and without BOM, GB18030), maybe cut at an odd byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    enc = rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "gb18030", "utf-8-sig"))
    out = text.encode(enc, "replace")
    return out[:-rng.randint(1, 3)] if rng.random() < 0.2 else out


_MARKUP = ["<td>", "</tr>", "<tr>", "</table>", "<table>", "&#0;", "&#xD800;", "&#x110000;", "<textarea>", "</textarea>",
           "<!--", "-->", "]]>", "<![CDATA[", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "<p class=\"cn\">", "<p class=\"en\">",
           "<br>", "&nbsp;", " | ", "|\n", "{", "}", "[", "]", "\"", "\\u0000", "\\ud800", ":", "：", ";"]


@mutator
def markup_noise(rng, data):
    return _on_text(data, lambda t: _insert(rng, t, _MARKUP, rng.randint(1, 30)))


_LABELS = ["注册号：", "Registration number:", "干预措施：", "Intervention:", "样本量：", "Sample size:", "注册人：",
           "Name of Registration:", "研究实施地点：", "国家：", "Country:", "组别：", "Group:"]


@mutator
def label_storm(rng, data):
    return _on_text(data, lambda t: _insert(rng, t, [lb * rng.choice((1, 3, 100)) for lb in _LABELS],
                                            rng.randint(1, 20)))


@mutator
def stacked(rng, data):
    names = [n for n in MUTATORS if n != "stacked"]
    for name in rng.sample(names, rng.randint(2, 4)):
        if data:
            data = MUTATORS[name](rng, data)
    return data


def mutant(seed: int, n: int, sources: list[Path], cache: dict | None = None) -> tuple[str, bytes]:
    """(name, bytes) of the n-th mutant of a run over `sources`."""
    rng = random.Random(f"{seed}:{n}")
    src = rng.choice(sources)
    if cache is None or src not in cache:
        data = src.read_bytes()
        if cache is not None:
            cache[src] = data
    else:
        data = cache[src]
    name = rng.choice(sorted(MUTATORS))
    out = MUTATORS[name](rng, data) if data else data
    return f"{name}:{src.name}#{n}", out
