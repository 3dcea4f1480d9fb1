"""Blocks → Record: pair every Chinese label/value with its English twin, groups included.

Pairing is by meaning, never by position: each label is looked up in the field inventory, a Chinese
label opens a field, and the English label with the same key (and group) that comes after it closes
it, however the page batches them (pairs, two or three Chinese fields then their English twins, both
labels then one shared value, both labels then both values). Only when the English label names a field
that no open Chinese label has (ITMCTR's mislabelled website) is it paired by position, and that is
reported. Nothing is dropped: blocks that cannot be placed go to `unpaired`.
"""
from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

import regex

from .document import Block, Document
from .glossary.tables import vocab_values
from .labels import LabelDef, Schema, Sense, clean_label, default_schema, keys_with
from .limits import MAX_BLOCKS, capped_problem
from .parts import Header, PreambleBlock, Problem, Unpaired
from .patterns import TIMEOUT, has_han
from .problems import problem_part as problem

if TYPE_CHECKING:
    from .model import Record

_LATIN = regex.compile(r"\p{Latin}")
_VERSION = regex.compile(
    r"^(?P<num>[A-Za-z]+[-A-Za-z]*\d+)\s*版本\s*(?P<ver>V?[\d.]+)\s*版本创建时间\s*(?P<created>[\d/:\- ]+?)\s*(?:中国临床试验注册中心.*)?$"
)
_REGNO = regex.compile(r"\b(ChiCTR|ITMCTR|ChiMCTR|AMCTR)[-A-Z]*\d{6,}\b")
_NBSP_ENTITY = regex.compile(r"^(?:\s|&nbsp;)+|(?:\s|&nbsp;)+$")
_SENTENCE = regex.compile(r"[。；;!?！？]|\.\s|https?:|^\d+[.、)]")
UNKNOWN = "unknown"
_KEY = attrgetter("key")
_NONE: list[str] = []  # shared by fields with no values; never appended to
# The field every complete page ends with (注册人, a hidden row): a record without it was cut off.
CLOSING = keys_with("closing")  # the fields a complete record ends with


def split_mixed(value: str) -> tuple[str, str] | None:
    """Split a value shown once in both languages into its halves.

    >>> split_mixed("否No")
    ('否', 'No')
    >>> split_mixed("不公开/Private")
    ('不公开', 'Private')
    >>> split_mixed("查看附件View")
    ('查看附件', 'View')
    >>> split_mixed("最小 Min age 18 years\\n最大 Max age years") is None
    True
    >>> split_mixed("响应组(Responder)") is None
    True
    """
    latin = _LATIN.search(value)  # one character class: linear, no time limit (and its clock reads) needed
    if latin is None:
        return None
    zh, en = value[: latin.start()].rstrip(" \t/／"), value[latin.start():]
    if not has_han(zh) or has_han(en) or zh.endswith(("(", "（", "[", "【")):  # 响应组(Responder): a gloss
        return None
    return zh.strip(), en.strip()


def _unknown_label(text: str) -> bool:
    """A short single line ending in a colon that no inventory knows: a label of a page we have not seen."""
    t = text.strip()
    return (
        "\n" not in t and 1 < len(t) <= 60 and t[-1] in ":：" and not _SENTENCE.search(t[:-1])
    )


def _looked_up(block: Block, schema: Schema) -> list[Sense]:
    """The block's label senses: as the reader found them, or looked up now."""
    return schema.lookup(block.text) if block.senses is None else block.senses


class _Open:
    """A field being built."""

    __slots__ = ("defn", "key", "group", "index", "zh_label", "en_label", "zh", "en", "both",
                 "zh_blank", "en_blank", "first", "last", "adjacent", "zh_block", "unknown_at")

    def __init__(self, defn: LabelDef | None, key: str, group, index, first: int, zh_label: str = "",
                 zh_block: Block | None = None):
        self.defn, self.key, self.group, self.index = defn, key, group, index
        self.zh_label, self.en_label = zh_label, ""
        # values per side, and values after both labels (shared, mixed or one per language);
        # a list is made only when a value comes, as most fields have few or none
        self.zh: list[str] = _NONE
        self.en: list[str] = _NONE
        self.both: list[str] = _NONE
        self.zh_blank = self.en_blank = False
        self.first = self.last = first  # blocks come in page order: a field's span only grows at its end
        self.adjacent = False
        self.zh_block = zh_block  # the Chinese label block, to see an English label follow it directly
        self.unknown_at: int | None = None  # where its unknown-label problem is, to remake it with both labels

    def finish(self) -> dict:
        """The field as plain data: the record is validated once, in one call, which is much faster."""
        zh, en, both = self.zh, self.en, self.both
        zh = zh[0] if len(zh) == 1 else "\n\n".join(zh)
        en = en[0] if len(en) == 1 else "\n\n".join(en)
        shared = False
        if both:
            mono = self.defn is not None and self.defn.value_kind == "mono"
            halves = split_mixed(both[0]) if len(both) == 1 and not mono else None
            cut = next((i for i, v in enumerate(both) if not has_han(v)), len(both)) if len(both) > 1 else 0
            if halves:
                zh, en = halves
            elif 0 < cut < len(both) and not any(has_han(v) for v in both[cut:]):
                zh, en = "\n\n".join(both[:cut]), "\n\n".join(both[cut:])
            else:
                zh = en = "\n\n".join(both)
                shared = True
        elif bool(zh) != bool(en) and self.zh_label and self.en_label and self.defn is not None \
                and self.defn.value_kind == "mono":
            if not (self.zh_blank or self.en_blank):
                zh = en = zh or en
                shared = True
        return {
            "key": self.key, "group": self.group, "index": self.index,
            "zh": {"label": self.zh_label, "value": zh}, "en": {"label": self.en_label, "value": en},
            "shared": shared, "lines": [self.first, self.last], "repairs": [],
        }


def choose_sense(senses: list[Sense], context: str | None) -> Sense:
    """The sense that fits where we are: a group member inside its group, else a top-level field."""
    if len(senses) == 1:
        return senses[0]
    if context:
        for s in senses:
            if s.field.group == context:
                return s
    for s in senses:
        if s.field.group is None:
            return s
    return senses[0]


class _Groups:
    """Which repeated group we are inside, and the index of each group's member as it comes, per language."""

    __slots__ = ("context", "members")

    def __init__(self):
        self.context: str | None = None
        self.members: dict[tuple[str, str], tuple[int, set[str]]] = {}  # (group, lang) -> (index, keys seen)

    def member_index(self, defn: LabelDef, lang: str) -> int:
        """A member's index: the next one when its key was already seen in the current member."""
        at = (defn.group, lang)
        got = self.members.get(at)
        if got is None or defn.key in got[1]:
            got = self.members[at] = (got[0] + 1 if got else 0, set())
        got[1].add(defn.key)
        return got[0]

    def enter(self, defn: LabelDef, lang: str, pending: list[_Open]) -> None:
        """A group's header label: members counted from here on start afresh."""
        self.context = defn.key
        if lang == "zh" or not any(p.key == defn.key for p in pending):
            for la in ("zh", "en"):
                self.members.pop((defn.key, la), None)


class _Problems:
    """The aligner's problems, each built from the catalogue; an unknown field's is remade once both labels are known."""

    __slots__ = ("found",)
    _UNKNOWN_WHY = "is not in the field inventory; paired by position and language"

    def __init__(self):
        self.found: list[Problem] = []

    def no_chinese_twin(self, block: Block, key: str) -> None:
        self.found.append(problem("no-chinese-twin", f"English label {clean_label(block.text)!r} has no Chinese "
                                  "label before it", field=key, lines=list(block.lines)))

    def no_english_twin(self, f: _Open, before: str = "") -> None:
        self.found.append(problem("no-english-twin", f"Chinese label {f.zh_label!r} has no English twin{before}",
                                  field=f.key, lines=[f.first, f.last]))

    def paired_by_position(self, block: Block, key: str, cand: _Open) -> None:
        self.found.append(problem(
            "paired-by-position", f"English label {clean_label(block.text)!r} names {key!r}, but the open Chinese "
                                  f"label is {cand.zh_label!r} ({cand.key}); paired by position",
            field=cand.key, lines=list(block.lines)))

    def unknown(self, f: _Open, lang: str, block: Block) -> None:
        """One problem per unknown field, naming both of its labels once the English one is seen."""
        label = clean_label(block.text)
        if lang == "en" and f.key == UNKNOWN and f.unknown_at is not None:  # the Chinese label's, made with both
            self.found[f.unknown_at] = problem("unknown-label", f"label {f.zh_label!r} / {label!r} {self._UNKNOWN_WHY}",
                                               field=UNKNOWN, lines=[f.first, block.lines[1]])
            return
        f.unknown_at = len(self.found)
        self.found.append(problem("unknown-label", f"label {label!r} {self._UNKNOWN_WHY}", field=UNKNOWN,
                                  lines=list(block.lines)))

    def truncated(self, f: _Open, where: list[int]) -> None:
        self.found.append(problem(
            "truncated", f"the record stops at line {where[1]}, in or after field {f.key!r}, before its closing "
                         "fields (注册人/Name of Registration); fields after that point are missing",
            field=f.key, lines=where))


class _Aligner:
    """Pairs labels and values in page order into fields; leaves the blocks as they were given."""

    def __init__(self, blocks: list[Block], schema: Schema):
        self.schema = schema
        self.blocks = blocks
        self.fields: list[_Open] = []
        self.pending: list[_Open] = []  # fields with a Chinese label still waiting for the English one
        self.problems = _Problems()
        self.groups = _Groups()
        self.unpaired: list[Unpaired] = []
        self.current: _Open | None = None  # the field the next value belongs to, and in which language
        self.lang = "zh"
        self.last_kind = ""  # the kind the last block was taken for
        self.ahead: tuple[int, int, set[str]] = (-1, -1, set())  # english_ahead's last answer: from, to, keys

    def senses(self, block: Block) -> list[Sense]:
        senses = _looked_up(block, self.schema)
        if block.lang:
            senses = [s for s in senses if s.lang == block.lang] or senses
        return senses

    def run(self) -> tuple[Header, list[dict]]:
        header = Header()
        label, value, lookup = self.label, self.value, self.schema.lookup
        kind = ""
        for i, block in enumerate(self.blocks):
            kind = block.kind  # the reader's, else a label when the inventory knows it (or it looks like one)
            if not kind:
                known = lookup(block.text) or (_unknown_label(block.text) and self.current is not None
                                               and not self.goes_on_in_english(block, i))
                kind = "label" if known else "value"
            if kind == "label":
                label(block, i)
            elif self.current is not None:
                value(block, kind)
            elif block.text:
                header.preamble.append(PreambleBlock(text=block.text, lines=list(block.lines)))
        self.last_kind = kind
        self.check_cut()
        return header, [f.finish() for f in self.fields]

    def label(self, block: Block, i: int) -> None:
        senses = block.senses
        if senses is None or block.lang:
            senses = self.senses(block)
        groups = self.groups
        if senses:
            sense = senses[0] if len(senses) == 1 else choose_sense(senses, groups.context)
            defn, lang = sense.field, sense.lang
            key, group = defn.key, defn.group
            if defn.role == "header":
                groups.enter(defn, lang, self.pending)
            else:
                groups.context = group
        else:
            defn, lang = None, ("zh" if has_han(block.text) else "en")
            key, group = UNKNOWN, None
        if lang == "zh":
            index = groups.member_index(defn, "zh") if defn and defn.role == "member" else None
            f = _Open(defn, key, group, index, block.lines[0], clean_label(block.text), block)
            self.fields.append(f)
            self.pending.append(f)
        else:
            pending = self.pending
            if pending and pending[0].key == key and pending[0].group == group:  # the common case, first
                f = pending.pop(0)
            else:
                f = self.twin(key, group, i, block)
            if f is None:
                index = groups.member_index(defn, "en") if defn and defn.role == "member" else None
                f = _Open(defn, key, group, index, block.lines[0])
                self.fields.append(f)
                if defn is not None:
                    self.problems.no_chinese_twin(block, key)
            f.en_label = clean_label(block.text)
            f.adjacent = i > 0 and self.blocks[i - 1] is f.zh_block and not f.zh_blank
        if defn is None:
            self.problems.unknown(f, lang, block)
        f.last = block.lines[1]
        self.current, self.lang = f, lang

    def goes_on_in_english(self, block: Block, i: int) -> bool:
        """Whether a line that looks like a label we do not know (`Research treatment groups:`) goes on
        the English value being read: a label has a Chinese twin, and none waits for this one (no
        unknown Chinese label is open, and the oldest open field's own English label is still ahead)."""
        if self.lang != "en" or self.current.en is _NONE or has_han(block.text):
            return False
        pending = self.pending
        return not pending or (all(p.key != UNKNOWN for p in pending) and pending[0].key in self.english_ahead(i))

    def twin(self, key: str, group, i: int, block: Block) -> _Open | None:
        """The open Chinese field this English label closes."""
        for n, f in enumerate(self.pending):
            if f.key == key and f.group == group:
                del self.pending[n]
                return f
        if not self.pending:
            return None
        # No open field has this key: the label may be mislabelled. Pair it by position with the oldest
        # open field, but only when that field's own English label is not coming before the next Chinese one.
        cand = self.pending[0]
        if cand.key in self.english_ahead(i):
            return None
        del self.pending[0]
        self.problems.paired_by_position(block, key, cand)
        return cand

    def english_ahead(self, i: int) -> set[str]:
        """The keys of the labels the reader marked as such after block i, up to the next Chinese one.

        The answer holds for every block up to the next label: thousands of label-like lines inside one
        value ask once, not each (which took the square of their number)."""
        start, first_label, keys = self.ahead
        if start <= i < first_label:
            return keys
        keys, first_label = set(), len(self.blocks)
        for n in range(i + 1, len(self.blocks)):
            b = self.blocks[n]
            if b.kind != "label":
                continue
            first_label = min(first_label, n)
            senses = self.senses(b)
            if any(s.lang == "zh" for s in senses) or (not senses and has_han(b.text)):
                break
            keys.update(s.field.key for s in senses)
        self.ahead = (i, first_label, keys)
        return keys

    def value(self, block: Block, kind: str) -> None:
        f, lang = self.current, self.lang
        f.last = block.lines[1]
        text = _NBSP_ENTITY.sub("", block.text, timeout=TIMEOUT).strip() if "&nbsp;" in block.text else block.text.strip()
        if lang == "en" and f.adjacent:
            if kind == "empty":
                f.adjacent = False
                f.zh_blank = True
                return
            side = "both"
        elif kind == "empty":
            if lang == "zh":
                f.zh_blank = True
            else:
                f.en_blank = True
            return
        else:
            side = lang
        values = getattr(f, side)  # added to in place (a copy per value made 80,000 values quadratic)
        if values is _NONE:  # the shared empty list, replaced
            setattr(f, side, [text])
        else:
            values.append(text)

    def check_cut(self) -> None:
        """A record that never reaches its closing fields was cut off: say where."""
        # read from the end, where a complete record has them
        if not self.fields or not CLOSING.isdisjoint(map(_KEY, reversed(self.fields))):
            return
        last = self.blocks[-1]
        where = list(last.lines)
        f, lang = self.current, self.lang
        fragment = (f.en if lang == "en" else f.zh) or f.both
        cut_label = (self.last_kind == "value" and fragment and len(last.text) < 40
                     and self.schema.is_label_prefix(last.text) and (len(fragment) > 1 or len(last.text) > 1)
                     and last.text.strip() not in vocab_values(f.key))  # `No`: a whole value, not `Name of Re`
        if cut_label:
            fragment.pop()
            self.unpaired.append(Unpaired(text=last.text, lines=where, why="the record is cut off inside this label"))
        self.problems.truncated(f, where)
        for p in self.pending:
            if p is not f:
                self.problems.no_english_twin(p, " before the cut")
        self.pending = []


def _header_info(header: Header) -> str | None:
    """Read the history-version header line and pick the page title; return the registration number seen."""
    number = None
    lines = []
    for p in header.preamble:
        m = _VERSION.match(p.text.strip(), timeout=TIMEOUT) if "版本创建时间" in p.text else None
        if m:
            header.version, header.version_created = m["ver"], m["created"].strip()
            number = m["num"]
        else:
            lines += [ln.strip() for ln in p.text.split("\n")]
    if lines:
        header.title = max(lines, key=len)
    return number


def align(doc: Document, schema: Schema | None = None) -> Record:
    """Pair the blocks of a document into a Record."""
    from .model import Record
    return Record.model_validate(align_data(doc, schema))


def align_data(doc: Document, schema: Schema | None = None) -> dict:
    """The record as plain data, not yet validated: the pipeline repairs it first, then validates once."""
    schema = schema or default_schema()
    blocks, rest = doc.blocks[:MAX_BLOCKS], doc.blocks[MAX_BLOCKS:]
    aligner = _Aligner(blocks, schema)
    header, fields = aligner.run()
    number = _header_info(header)
    problems, unpaired = aligner.problems.found, aligner.unpaired
    if rest:  # more blocks than any record has: kept whole, not aligned one by one
        unpaired.append(Unpaired(text="\n\n".join(b.text for b in rest), lines=[rest[0].lines[0], rest[-1].lines[1]],
                                 why=f"blocks past the first {MAX_BLOCKS:,} of a record"))
        problems.append(Problem(**capped_problem("blocks of the record", len(doc.blocks), limit=MAX_BLOCKS)))
    for f in aligner.pending:
        aligner.problems.no_english_twin(f)
    for lang, code, name in (("zh", "no-chinese-twin", "english-only"), ("en", "no-english-twin", "chinese-only")):
        if fields and not any(f[lang]["label"] for f in fields):  # one problem for the record, not one a field
            problems[:] = [p for p in problems if p.code != code]
            problems.append(problem(name, f"the record has no {'Chinese' if lang == 'zh' else 'English'} labels"))
    reg = next((f for f in fields if f["key"] == "registration_number"), None)
    regno = (reg["en"]["value"] or reg["zh"]["value"]).strip() if reg else None
    regno = regno or number
    m = _REGNO.search(regno or "", timeout=TIMEOUT)
    registry = {"ChiMCTR": "ITMCTR"}.get(m[1], m[1]) if m else None
    return {
        "registry": registry, "registration_number": regno or None, "source": doc.source,
        "header": header, "fields": fields, "unpaired": unpaired, "problems": problems,
    }


_MARKS: dict[int, tuple[list, bool, bool]] = {}  # id of a label's senses -> (senses, names the number, closing)


def _mark(senses: list[Sense]) -> tuple[list, bool, bool]:
    """Whether a label is the registration number or a closing field; kept per senses list (labels repeat)."""
    keys = [s.field.key for s in senses]
    mark = (senses, "registration_number" in keys, not CLOSING.isdisjoint(keys))
    if len(_MARKS) > 10_000:
        _MARKS.clear()
    _MARKS[id(senses)] = mark
    return mark


def _carried(record: list[Block], closing_values: int) -> list[Block]:
    """The value blocks after the closing 注册人 value: the next record's title, moved out of `record`."""
    carried = record[len(record) - closing_values + 1:] if closing_values > 1 else []
    if carried:
        del record[-len(carried):]
    return carried


def split_records(blocks: list[Block], schema: Schema | None = None) -> list[list[Block]]:
    """Cut a file holding several records one after another into one block list per record.

    A record starts at a history-version header line, at the first label after the closing 注册人
    value of the record before, or at a second registration-number label (records cut short). Value
    blocks after the closing 注册人 value are the next record's title, so they move with it.
    """
    schema = schema or default_schema()
    current: list[Block] = []  # the last of `records`
    records = [current]
    seen_number = previous_was_number = False
    closing_values = -1  # value blocks since the last 注册人 label; -1 when not after one
    marks, lookup = _MARKS, schema.lookup
    for block in blocks:
        if block.kind == "value" or not (senses := block.senses if block.senses is not None else lookup(block.text)):
            if (closing_values >= 1 or seen_number) and "版本" in block.text and current \
                    and _VERSION.match(block.text.strip(), timeout=TIMEOUT):  # a history-version header line
                records.append(current := _carried(current, closing_values))
                seen_number, closing_values = False, -1
            current.append(block)
            if closing_values >= 0:
                closing_values += 1
            continue
        mark = marks.get(id(senses))
        if mark is None or mark[0] is not senses:
            mark = _mark(senses)
        is_number, is_closing = mark[1], mark[2]
        if current and ((not is_closing and closing_values >= 1) or (is_number and seen_number and not previous_was_number)):
            records.append(current := _carried(current, closing_values))
            seen_number = False
        current.append(block)
        seen_number = seen_number or is_number
        previous_was_number = is_number
        closing_values = 0 if is_closing else -1
    return [r for r in records if r]


def align_records(doc: Document, schema: Schema | None = None) -> list[Record]:
    """Every record of a document (most files hold one)."""
    from .model import Record
    return [Record.model_validate(d) for d in records_data(doc, schema)]


def records_data(doc: Document, schema: Schema | None = None) -> list[dict]:
    """Every record of a document as plain data (see `align_data`)."""
    return [align_data(Document(blocks, doc.source), schema) for blocks in split_records(doc.blocks, schema)]
