"""Detail-page HTML → blocks, driven by the page's own markup, never by row positions.

Every generation of the ChiCTR page (current `div.project-ms`, history versions, the old ASP.NET
`div.ProjetInfo_ms`) and the ITMCTR ProjectView page mark labels the same way: a `td.left_title` cell, or
a cell holding `p.cn` / `p.en` whose text is a known label. So the reader walks every table row in page
order and emits, cell by cell, label blocks (with the language of their `cn`/`en` class) and value blocks;
the aligner pairs them by meaning. What the markup says is used as a hint, what it does not say
(a rowspan value, a value cell with no language class) is left in reading order for the aligner:
a value after both labels of a mixed label cell is shared, split (`否No`) or bilingual, as it decides.

Text is taken as a browser shows it: runs of blanks (`&nbsp;` and ideographic spaces included) fold to
one space and are trimmed at the edges, `<br>` and block elements break lines, source line breaks do
not, `<script>`/`<style>` and comments are dropped.
`Block.lines` are the source lines of the HTML file (libxml2's `sourceline`), from the first to the last
line holding the block's visible text; an empty value takes the line of the element that holds it.

Speed: a page has a thousand cells and nearly all of them hold one text, or one childless `<p>`, so
the cost is the Python work per cell. `_plain` reads those shapes with a handful of element accesses
and `row` emits them directly (a `td.left_title` of one text too); only the rest is walked node by node
(`_walk_text`). UTF-8 pages reach libxml2 as their own bytes, checked but never decoded whole (`decode`).
libxml2 is kept over lexbor (selectolax): on the 430 KB page lexbor's parse is faster only while malloc
recycles its memory (0.8 ms, else 1.9 ms of mostly page faults, against libxml2's steady 1.8 ms), it
cannot tell invalid UTF-8 from the replacement character, and it keeps no source lines, which would then
have to be searched for; reading its nodes from Python also costs more per cell.
"""
from __future__ import annotations

from lxml import etree

from ..document import Block
from ..errors import HostileInput, NotARecord
from ..labels import Schema
from ..limits import MAX_ITEMS, capped_problem
from ..parts import Problem, Unpaired

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option", "button",
                   "input", "iframe", "object", "embed", "svg", "math", "canvas"})
_BLOCK = frozenset({"p", "div", "tr", "table", "tbody", "thead", "tfoot", "li", "ul", "ol", "dl", "dt", "dd",
                    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote",
                    "pre", "form", "center", "caption"})
_CELLS = frozenset({"td", "th"})
_NOT_PLAIN = _SKIP | {"br", "textarea"}
_LANG_BLOCKS = frozenset({"p", "div"})
_SECTIONS = frozenset({"tbody", "thead", "tfoot", "table"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_BR = "\x00"  # a `<br>`: source line breaks are blanks, so a shown one needs its own mark
_SOFT = "\x01"  # a block boundary: breaks a line, never makes an empty one
_VERSION_MARK = "版本创建时间"
MAX_LABEL_CHARS = 400


def _lang(el) -> str | None:
    cls = el.get("class")
    if not cls:
        return None
    if cls == "cn":  # how the pages spell it, nearly always
        return "zh"
    if cls == "en":
        return "en"
    tokens = cls.split()
    if "cn" in tokens or "zh" in tokens:
        return "zh"
    if "en" in tokens:
        return "en"
    return None


def _squeeze(line: str) -> str:
    return " ".join(line.split())


def _plain(el) -> tuple[str, tuple[int, int], object] | None:
    """The common shapes, read without walking: no child element, or one childless child and blanks.

    Gives (text, lines, the element holding the text), or None for anything else. A text with no blank but
    single ASCII spaces is taken as it is; any other is folded as a browser shows it.

    >>> from lxml import etree
    >>> cells = etree.fromstring("<tr><td><p class='cn'>Aged 0–1 years.</p></td><td>A\\xa0 B\\u3000</td><td>\\n x</td></tr>")
    >>> [(text, el.tag) for text, _, el in map(_plain, cells)]
    [('Aged 0–1 years.', 'p'), ('A B', 'td'), ('x', 'td')]
    """
    n = len(el)
    if n:
        if n != 1:
            return None
        child = el[0]
        tag = child.tag
        if len(child) or tag in _NOT_PLAIN or tag.__class__ is not str:
            return None
        t = el.text
        if t is not None and not t.isspace():
            return None
        t = child.tail
        if t is not None and not t.isspace():
            return None
        el = child
    line = el.sourceline or 0
    t = el.text
    if not t:
        return "", (line, line), el
    if t.isprintable() and t[0] != " " and t[-1] != " " and "  " not in t:
        return t, (line, line), el  # no blank but single ASCII spaces inside (the commonest text): as it is
    body = " ".join(t.split())
    if not body or "\n" not in t:
        return body, (line, line), el
    lead = t.find(body[0])  # everything before the first visible character is blank
    first = line + t.count("\n", 0, lead)
    return body, (first, first + t.count("\n", lead, t.rfind(body[-1]))), el


def _text(t: str, line: int, parts: list, span: list) -> int:
    body = t.strip()
    if body:
        lead = len(t) - len(t.lstrip())
        if not span[0]:
            span[0] = line + t.count("\n", 0, lead)
        span[1] = line + t.count("\n", 0, lead + len(body))
        parts.append(t)
    else:
        parts.append(" ")
    return line + t.count("\n")


def _walk(e, line: int, parts: list, span: list) -> int:
    tag = e.tag
    if not isinstance(tag, str) or tag in _SKIP:
        return line
    line = e.sourceline or line
    if tag == "br":
        parts.append(_BR)
        return line
    block = tag in _BLOCK or tag == "textarea"
    if block:
        parts.append(_SOFT)
    if e.text:  # a <textarea> (2026 pages hold criteria in one, shown by script) keeps its line breaks
        line = _text(e.text.replace("\n", _BR + "\n") if tag == "textarea" else e.text, line, parts, span)
    for child in e:
        line = _walk(child, line, parts, span)
        if child.tail:
            line = _text(child.tail, line, parts, span)
    if block:
        parts.append(_SOFT)
    elif tag in _CELLS:
        parts.append(" ")
    return line


def render(el) -> tuple[str, tuple[int, int]]:
    """Visible text of an element and the source lines that hold it."""
    plain = _plain(el)
    if plain is not None:
        return plain[0], plain[1]
    return _walk_text(el)


def _walk_text(el) -> tuple[str, tuple[int, int]]:
    """`render` for any element, node by node: blocks and `<br>` break lines, blanks fold."""
    start = el.sourceline or 0
    parts: list[str] = []
    span = [0, 0]
    _walk(el, start, parts, span)
    out: list[str] = []
    for segment in "".join(parts).split(_SOFT):
        lines = [_squeeze(ln) for ln in segment.split(_BR)]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        out.extend(lines)
    return "\n".join(out), (span[0] or start, span[1] or start)


def _lang_parts(el, found: list) -> list:
    """The outermost elements inside `el` that carry a `cn`/`en` class, as (element, language)."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        lang = _lang(child)
        if lang:
            found.append((child, lang))
        elif len(child):
            _lang_parts(child, found)
    return found


def _outer_tables(el) -> list:
    """The tables inside an element that are not inside another table there."""
    found = []
    for child in el:
        tag = child.tag
        if tag == "table":
            found.append(child)
        elif isinstance(tag, str) and tag not in _SKIP and len(child):
            found.extend(_outer_tables(child))
    return found


def _raw(el) -> str:
    return "".join(el.itertext())


def _short(el) -> str | None:
    """The element's text with blanks folded when it is short enough to be a label, else None."""
    plain = _plain(el)
    if plain is not None:
        return plain[0] if len(plain[0]) <= MAX_LABEL_CHARS else None
    text = _raw(el)
    if len(text) > 20 * MAX_LABEL_CHARS:
        return None
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL_CHARS else None


def _colon_label(text: str) -> bool:
    """A short one-line text ending in a colon: the look of a label the inventory does not know yet."""
    t = text.strip()
    return 1 < len(t) <= 60 and "\n" not in t and t[-1] in ":："


def _is_left_title(cell) -> bool:
    cls = cell.get("class")
    return cls is not None and "left_title" in cls and "left_title" in cls.split()


class _Reader:
    def __init__(self, schema: Schema):
        self.lookup = schema.lookup
        self.blocks: list[Block] = []
        self.loose: list[tuple] = []  # (table, text, lines): text of rows with no label
        self.record_tables: set = set()  # tables with a labelled row
        self.seen_label = False

    # -- what a cell is ----------------------------------------------------------------------------
    def classify(self, cell, after_label: bool) -> tuple[bool, tuple | None]:
        """(is it a label, the cell's plain reading or None when it needs a closer look).

        Called for cells other than `td.left_title`/`th`, which are labels by their markup: such a cell
        is a label when its text (or each `cn`/`en` part) is one. A known label text right after another
        label cell is still a value (a group named "Group"), unless it ends with a colon as labels do.
        """
        plain = _plain(cell)
        if plain is None:
            if next(cell.iter("table"), None) is not None:
                return False, None  # a label never holds a table
            text = _short(cell)
        else:
            text = plain[0]
        if not text or len(text) > MAX_LABEL_CHARS:
            return False, plain
        if after_label:  # a label only if known and ending with a colon: most values end otherwise, unlooked-up
            return text[-1] in ":：" and bool(self.lookup(text)), plain
        if self.lookup(text):
            return True, plain
        lang = _lang(plain[2]) if plain is not None else None
        parts = [(plain[2], lang)] if lang else _lang_parts(cell, [])
        if parts and all(self.lookup(_short(p) or "") or _colon_label(_raw(p)) for p, _ in parts):
            return True, None
        return False, plain

    def holds_labels(self, table) -> bool:
        """A nested table of a repeated group (it has labels), not a value laid out as a table (ages)."""
        for el in table.iter("td", "th", "p", "span", "div"):
            if el.tag in _CELLS and _is_left_title(el):
                return True
            if _lang(el) and self.lookup(_short(el) or ""):
                return True
        return False

    # -- emitting ----------------------------------------------------------------------------------
    def add(self, text: str, lines: tuple[int, int], kind: str, lang: str | None) -> None:
        if kind == "label":
            if not text:
                return
            self.seen_label = True
        elif not text:
            kind = "empty"
        self.blocks.append(Block(text, lines, kind, lang))

    def keep(self, cell, table) -> None:
        """A cell of a row with no label: its text is no field's, so it goes to `unpaired` when its table
        is one of the record's (see `kept`)."""
        text, lines = render(cell)
        if text:  # a plain tuple until `kept`: a page of 100,000 such rows would hold an object each
            self.loose.append((table, text, lines))

    def kept(self, problems: list | None) -> list[Unpaired]:
        """The text of label-less rows in tables that hold labelled rows: the record's own tables, not the
        page's navigation or footer. Past MAX_ITEMS rows (a page of 100,000) the rest are one text, with
        a problem added to `problems`."""
        rows = [(text, lines) for table, text, lines in self.loose if table in self.record_tables]
        why = "a table row with no label cell"
        out = [Unpaired(text=text, lines=list(lines), why=why) for text, lines in rows[:MAX_ITEMS]]
        if len(rows) > MAX_ITEMS:
            rest = rows[MAX_ITEMS:]
            out.append(Unpaired(text="\n".join(text for text, _ in rest), lines=[rest[0][1][0], rest[-1][1][1]],
                                why=f"table rows with no label cell past the first {MAX_ITEMS:,}"))
            if problems is not None:
                problems.append(Problem(**capped_problem("table rows with no label cell", len(rows))))
        return out

    def label_cell(self, cell) -> None:
        parts = _lang_parts(cell, [])
        if not parts:
            self.add(*render(cell), "label", None)
        for p, lang in parts:
            self.add(*render(p), "label", lang)

    def value_cell(self, cell) -> None:
        outer = _outer_tables(cell)
        if outer and any(self.holds_labels(t) for t in outer):
            for t in outer:
                self.table(t)
            return
        parts = [(p, lang) for p, lang in _lang_parts(cell, []) if p.tag in _LANG_BLOCKS]
        if len({lang for _, lang in parts}) == 2:
            for p, lang in parts:  # a value given in both languages inside one cell
                self.add(*render(p), "value", lang)
        else:
            self.add(*render(cell), "value", None)

    # -- walking -----------------------------------------------------------------------------------
    def row(self, tr, table) -> None:
        """One table row (`table` the nearest table holding it): its cells as label and value blocks."""
        plan = []
        is_label = labelled = False
        for c in tr:
            tag = c.tag
            if tag == "td" or tag == "th":
                if tag == "th" or _is_left_title(c):
                    is_label, plain = True, _plain(c)
                else:
                    is_label, plain = self.classify(c, is_label)
                labelled = labelled or is_label
                plan.append((c, is_label, plain))
        if not labelled:  # a layout row: tables inside it hold the record, any other text is kept aside
            for c, _, _ in plan:
                if next(c.iter("table"), None) is None:
                    self.keep(c, table)
                else:
                    self.walk(c)
            return
        self.record_tables.add(table)
        blocks = self.blocks
        for c, is_label, plain in plan:
            if plain is not None:  # most cells: one text, emitted here
                text = plain[0]
                if is_label:
                    if text:  # the language is that of the cell's one child, never of the cell itself
                        el = plain[2]
                        blocks.append(Block(text, plain[1], "label", None if el is c else _lang(el)))
                        self.seen_label = True
                else:
                    blocks.append(Block(text, plain[1], "value" if text else "empty"))
            elif is_label:
                self.label_cell(c)
            else:
                self.value_cell(c)

    def table(self, t, owner=None) -> None:
        """The rows of a table, or of a section of `owner`, the table holding it (known here, not looked
        up from each row)."""
        owner = t if owner is None else owner
        for child in t:
            tag = child.tag
            if tag == "tr":
                self.row(child, owner)
            elif tag in _SECTIONS:
                self.table(child, child if tag == "table" else owner)
            elif isinstance(tag, str) and tag not in _SKIP:
                self.walk(child)

    def is_heading(self, el) -> bool:
        """The page title or the history-version header line, before the first label."""
        if el.tag in _HEADINGS or "tit" in (el.get("class") or "").lower():
            return next(el.iter("table"), None) is None
        own = [el.text or ""] + [(c.text or "") + (c.tail or "") for c in el if isinstance(c.tag, str)]
        return any(_VERSION_MARK in t for t in own)

    def walk(self, el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == "table":
                self.table(child)
            elif not self.seen_label and tag not in _CELLS and self.is_heading(child):
                text, lines = render(child)
                if text:
                    self.blocks.append(Block(text, lines, "value"))
            else:
                self.walk(child)


def parse_html(text: str, path: str | None = None, utf8: bytes | None = None):
    """The lxml tree of a page; no network, no external entities, comments dropped.

    `utf8` is the page's own bytes when they are UTF-8 already, which spares encoding the text again.
    """
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass"), parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise NotARecord(path, f"the HTML could not be parsed: {exc}") from None
    for err in parser.error_log:
        if err.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise HostileInput(path, f"the page goes past a parser limit ({err.message.strip()})")
    if root is None:
        raise NotARecord(path, "the HTML holds no elements")
    etree.strip_elements(root, "script", "style", "noscript", "template", with_tail=False)
    return root


def read_tree(root, schema: Schema, path: str | None = None, unpaired: list | None = None,
              problems: list | None = None) -> list[Block]:
    """All label and value blocks of a parsed page, in reading order; text of table rows with no label
    is added to `unpaired` (when given) as Unpaired entries, a problem when there are too many to `problems`."""
    reader = _Reader(schema)
    body = root.find("body")
    try:
        reader.walk(body if body is not None else root)
    except RecursionError:
        raise HostileInput(path, "the page nests tables too deeply to be a registry page") from None
    if unpaired is not None:
        unpaired.extend(reader.kept(problems))
    return reader.blocks


def read_html(text: str, schema: Schema, path: str | None = None, utf8: bytes | None = None,
              unpaired: list | None = None, problems: list | None = None) -> list[Block]:
    """All label and value blocks of a detail page, in reading order (see `read_tree` for `unpaired`)."""
    return read_tree(parse_html(text, path, utf8), schema, path, unpaired, problems)
