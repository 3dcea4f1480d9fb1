"""Text exports and copies of record pages → blocks.

Blocks are separated by blank lines. A line holding only non-breaking or ideographic spaces is a value
shown as blank (the page's `&nbsp;`), not a separator. Copies made by page-to-markdown tools write each
table cell as a line ending in ` |`; those are read cell by cell. A block may hold several labels (a
wrapped label, or a Chinese and an English label copied onto one line): `split_labels` cuts them apart
using the label inventory, so the cut is made by meaning, never by position.
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import Iterable, Iterator

from ..document import Block
from ..labels import Schema

_EXPLICIT_BLANK = "\u00a0\u3000\u2007\u202f"
_COLON = re.compile("[:：]")
_BLANK_RUN = re.compile(r"(\n[ \t\f\v]*\n(?:[ \t\f\v]*\n)*)")  # one newline first: a faster scan
_ODD_BLANKS = re.compile(r"\n(?:[ \t\f\v]|\n\n)")  # a line of blanks may start here, or a run of two blank lines
_LATIN = re.compile("[A-Za-z]")
_TEXT = re.compile(r"\S")


def _is_pipe_table(text: str) -> bool:
    """Page-to-markdown copies end most lines with ` |`."""
    if "|\n" not in text and not text.rstrip().endswith("|"):
        return False  # the common case, known without counting
    lines = text.count("\n") + 1
    return text.count("|\n") + text.rstrip().endswith("|") >= 0.3 * lines


def _raw_blocks(lines: Iterable[str], pipe: bool) -> Iterator[tuple[list[str], int, int, bool]]:
    """Group lines into (lines, first, last, explicit_blank) blocks, one at a time (a list of them would
    cost ~200 bytes a line on top of the blocks); line numbers count from 1."""
    cur: list[str] = []
    start = no = 0
    for no, line in enumerate(lines, 1):
        cell_end = False
        if pipe:
            stripped = line.rstrip()
            if stripped.endswith("|"):
                cell_end = True
                line = stripped.rstrip("|").rstrip()
                if line.startswith("|"):
                    line = line.lstrip("|").lstrip()
        if "&nbsp;" in line and not line.replace("&nbsp;", "").strip():
            line = "\u00a0"  # the entity copied as text: a blank cell all the same
        if not line.strip():
            if cur:
                yield cur, start, no - 1, False
                cur = []
            if any(ch in _EXPLICIT_BLANK for ch in line):
                yield [], no, no, True  # only non-breaking blanks: a value shown as empty
            continue
        if not cur:
            start = no
        cur.append(line)
        if cell_end:
            yield cur, start, no, False
            cur = []
    if cur:
        yield cur, start, no, False


def _lines(text: str) -> Iterator[str]:
    """`text.split("\\n")` one line at a time: a list of a pipe table's millions of short lines would cost
    ~60 bytes each while they are read."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def split_labels(lines: list[str], first: int, schema: Schema) -> list[Block]:
    """Cut a block into label blocks and value blocks.

    A block that does not start with a label is one value, however many lines it has. One that does is
    read line by line: a label may wrap onto the next line, a line may hold a label followed by another
    label or by its value, and lines that are no label gather into one value (with the value begun on
    a label's line, if any).

    >>> from ..labels import default_schema
    >>> [(b.kind, b.text) for b in split_labels(["纳入标准：1.年龄18-75岁；", "2.签署知情同意书。"], 1, default_schema())]
    [('label', '纳入标准：'), ('value', '1.年龄18-75岁；\\n2.签署知情同意书。')]
    """
    last = first + len(lines) - 1
    if len(lines) == 1:
        return _one_line(lines[0].strip(), first, schema)
    whole = " ".join(map(str.strip, lines))
    if schema.lookup(whole):
        return [Block(schema.label_text(whole), (first, last), "label")]
    out: list[Block] = []
    value: list[str] = []
    value_start = first
    i = 0
    while i < len(lines):
        no = first + i
        line = lines[i].strip()
        if i + 1 < len(lines) and schema.lookup(line + " " + lines[i + 1].strip()):
            found = [Block(line + " " + lines[i + 1].strip(), (no, no + 1), "label")]
            i += 2
        else:
            found = ([Block(schema.label_text(line), (no, no), "label")] if schema.lookup(line)
                     else _colon_labels(line, no, schema))
            i += 1
            if not found:
                if i == 1:
                    return [Block("\n".join(lines).strip(), (first, last), "value")]
                if not value:
                    value_start = no
                value.append(lines[i - 1])
                continue
        if value:
            out.append(Block("\n".join(value).strip(), (value_start, no - 1), "value"))
            value = []
        if found[-1].kind == "value":  # a label with its value on the line: the lines after go on with it
            out.extend(found[:-1])
            value, value_start = [found[-1].text], no
        else:
            out.extend(found)
    if value:
        out.append(Block("\n".join(value).strip(), (value_start, last), "value"))
    return out


def _one_line(line: str, no: int, schema: Schema, senses: list | None = None) -> list[Block]:
    """A one-line block: a label, labels followed by more text on the line, or a value.
    `senses`: the line's lookup, when the caller has made it."""
    senses = schema.lookup(line) if senses is None else senses
    if senses:
        return [Block(schema.label_text(line), (no, no), "label", None, senses)]
    if line[0] in schema.first_chars and (":" in line or "：" in line or not line[0].isascii()):
        found = _colon_labels(line, no, schema)  # an English label needs its colon, a Chinese one not
        if found:
            return found
    return [Block(line, (no, no), _value_kind(line))]


def _value_kind(line: str) -> str:
    """A line ending in a colon may be a label we do not know: leave it for the aligner to decide."""
    return "" if line.endswith((":", "：")) else "value"


def _colon_labels(line: str, no: int, schema: Schema) -> list[Block]:
    """Labels at the start of a line followed by more text (another label or a value); [] if none.

    Read label by label in a loop over offsets, so a line of thousands of labels costs neither stack
    nor copies of the rest of the line:

    >>> from ..labels import default_schema
    >>> [b.text for b in _colon_labels("注册号：Registration number:", 1, default_schema())]
    ['注册号：', 'Registration number:']
    >>> [b.text for b in _colon_labels("纳入标准：纳入标准：①年龄18-75岁", 1, default_schema())]
    ['纳入标准：', '纳入标准：①年龄18-75岁']
    >>> [b.text[:12] for b in _colon_labels("注册号：Registration number:" * 3000 + "x", 1, default_schema())][-2:]
    ['Registration', 'x']
    """
    line = line.strip()
    found: list[Block] = []
    pos = 0
    while line[pos:pos + 1] and line[pos] in schema.first_chars:
        end = _colon_head(line, pos, schema)
        if end is None or found and _same_label(found[-1].text, line[pos:end], schema):
            break  # `纳入标准：纳入标准：①…`: the label typed again into its value starts the value
        found.append(Block(line[pos:end], (no, no), "label"))
        pos = _TEXT.search(line, end).start()  # the head has more text after it
        if len(line) - pos <= schema.max_len and schema.lookup(line[pos:]) \
                and not _same_label(found[-1].text, line[pos:], schema):
            return [*found, Block(line[pos:], (no, no), "label")]
    if found:
        rest = line[pos:]
        return [*found, Block(rest, (no, no), "value" if _same_label(found[-1].text, rest, schema) else _value_kind(rest))]
    if not schema.may_start_label(line):
        return []
    latin = not line[0].isascii() and _LATIN.search(line, 1, schema.max_len)  # "注册号 Registration number"
    if latin:
        zh, en = line[: latin.start()].strip(), line[latin.start():]
        if zh and schema.lookup(zh) and schema.lookup(en):
            return [Block(zh, (no, no), "label"), Block(en, (no, no), "label")]
    return []


def _same_label(a: str, b: str, schema: Schema) -> bool:
    """Whether two label texts are one field's label in one language (`纳入标准:` and `纳入标准：`)."""
    senses = {(s.field.key, s.field.group, s.lang) for s in schema.lookup(a)}
    return any((s.field.key, s.field.group, s.lang) in senses for s in schema.lookup(b))


def _colon_head(line: str, pos: int, schema: Schema) -> int | None:
    """Where the shortest known label ending in a colon at `pos` ends, when more text follows it."""
    for colon in _COLON.finditer(line, pos, min(len(line) - 1, pos + schema.max_len)):
        end = colon.end()
        if _TEXT.search(line, end) and schema.lookup(line[pos:end]):
            return end
    return None


def _line_blocks(lines: Iterable[str], first_no: int, pipe: bool, schema: Schema) -> list[Block]:
    """Blocks of some lines, read line by line (pipe tables, blank cells inside a block)."""
    blocks: list[Block] = []
    for raw, first, last, blank in _raw_blocks(lines, pipe):
        first, last = first + first_no - 1, last + first_no - 1
        if blank:
            blocks.append(Block("", (first, last), "empty"))
        else:
            blocks.extend(split_labels(raw, first, schema))
    return blocks


def _blank_split(text: str) -> tuple[list[str], list[int]]:
    r"""The text cut at runs of blank lines: the chunks, and the newlines of the run after each (0 after the last).

    Most exports separate blocks by exactly one blank line and hold no line of spaces: then a plain
    `str.split` cuts them as the blank-run pattern does, four times faster; anything else takes the pattern.
    Whether the text is such is one scan (a substring test per blank character would be five).

    >>> _blank_split("a\n\nb\nc\n\nd")
    (['a', 'b\nc', 'd'], [2, 2, 0])
    >>> _blank_split("a\n\n\n \nb")
    (['a', 'b'], [4, 0])
    """
    if _ODD_BLANKS.search(text) is None:
        chunks = text.split("\n\n")
        return chunks, [2] * (len(chunks) - 1) + [0]
    parts = _BLANK_RUN.split(text)
    return parts[0::2], [*map(str.count, parts[1::2], repeat("\n")), 0]


def _label_typed_in(found: list[Block], blocks: list[Block], schema: Schema) -> bool:
    """Whether a block that starts with a label and its value follows a label of that same field (not a
    group's: a group repeats its labels member after member): the registrant typed the label into the
    value (`纳入标准:`, then `纳入标准：①符合…`), or copied the Chinese, label and all, as the English
    (`Inclusion criteria:`, then `纳入标准`, `1.符合…`); the whole block is the value.

    >>> from ..labels import default_schema
    >>> [(b.kind, b.text[:8]) for b in read_text("纳入标准:\\n\\n纳入标准：①年龄18-75岁；\\n②签署知情同意书。\\n\\nInclusion criteria:", default_schema())]
    [('label', '纳入标准:'), ('value', '纳入标准：①年龄'), ('label', 'Inclusio')]
    >>> [(b.kind, b.text[:8]) for b in read_text("注册号:\\n\\nRegistration number: ChiCTR2600120951", default_schema())]
    [('label', '注册号:'), ('label', 'Registra'), ('value', 'ChiCTR26')]
    """
    if len(found) < 2 or found[0].kind != "label" or not blocks or blocks[-1].kind != "label" \
            or any(b.kind != "value" for b in found[1:]):
        return False
    before = {(s.field.key, s.lang) for s in schema.lookup(blocks[-1].text) if s.field.group is None}
    # the same label again, or the Chinese one after the English: an English label with its value on the
    # line after the Chinese label is the value shown once for both (`注册号:`, `Registration number: …`)
    return any((s.field.key, s.lang) in before or (s.lang == "zh" and (s.field.key, "en") in before)
               for s in schema.lookup(found[0].text) if s.field.group is None)


def read_text(text: str, schema: Schema) -> list[Block]:
    """All blocks of a text export, in page order.

    Most exports are blocks between blank lines: those are cut with one regex split, and only a block
    holding a blank cell or a page-to-markdown copy is read line by line.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _is_pipe_table(text):
        return _line_blocks(_lines(text), 1, True, schema)
    # the blanks that end a text end its last block: a one-line block then, read as any other
    chunks, gaps = _blank_split(text.rstrip(" \t\n"))  # the split's separators are freed in there, before the blocks are made
    lookup, seen, first_chars = schema.lookup, schema.seen, schema.first_chars
    same_text = schema.label_texts().setdefault  # `label_text` without its call, for the commonest block
    blocks: list[Block] = []
    append = blocks.append
    no = 1
    entity = "&nbsp;" in text  # most exports hold none: then no block need be searched for it
    for chunk, gap in zip(chunks, gaps):
        line = chunk.strip()
        if line and "\n" not in chunk and not (entity and "&nbsp;" in line):  # one-line block: the hot path
            senses = seen(line)  # most labels and values were looked up before: a dict read, not a call
            if senses is None:
                senses = lookup(line)
            if senses:  # a label, the commonest block: made here, without a call
                append(Block(same_text(line, line), (no, no), "label", None, senses))
            elif line[-1] not in ":：" and (line[0] not in first_chars or (
                    line[0].isascii() and ":" not in line and "：" not in line)):  # as `_one_line` would find: a value
                append(Block(line, (no, no), "value"))  # no label can start it (an English one needs its colon)
            else:
                found = _one_line(line, no, schema, senses)
                if found[0].kind == "" and blocks and lookup(joined := blocks[-1].text + " " + line):
                    blocks[-1] = Block(joined, (blocks[-1].lines[0], no), "label")  # a label wrapped over a blank line
                elif _label_typed_in(found, blocks, schema):
                    append(Block(line, (no, no), "value"))
                else:
                    blocks.extend(found)
        else:
            lines = chunk.split("\n")
            height = len(lines) - 1
            if (entity and "&nbsp;" in chunk) or not all(map(str.strip, lines)):
                blocks.extend(_line_blocks(lines, no, False, schema))
            elif _label_typed_in(found := split_labels(lines, no, schema), blocks, schema):
                append(Block(line, (no, no + height), "value"))
            else:
                blocks.extend(found)
            no += height
        no += gap
    return blocks
