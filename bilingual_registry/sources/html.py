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
line holding the block's visible text.
"""
from __future__ import annotations

from lxml import etree

from ..document import Block
from ..errors import HostileInput, NotARecord
from ..labels import Schema

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option", "button",
                   "input", "textarea", "iframe", "object", "embed", "svg", "math", "canvas"})
_BLOCK = frozenset({"p", "div", "tr", "table", "tbody", "thead", "tfoot", "li", "ul", "ol", "dl", "dt", "dd",
                    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote",
                    "pre", "form", "center", "caption"})
_CELLS = frozenset({"td", "th"})
_NOT_PLAIN = _SKIP | {"br"}
_LANG_BLOCKS = frozenset({"p", "div"})
_WS = str.maketrans("\n\r\t\f\v", "     ")
_SOFT = "\x00"  # a block boundary: breaks a line, never makes an empty one
_VERSION_MARK = "版本创建时间"
MAX_LABEL_CHARS = 400


def _lang(el) -> str | None:
    cls = el.get("class")
    if not cls:
        return None
    tokens = cls.split()
    if "cn" in tokens or "zh" in tokens:
        return "zh"
    if "en" in tokens:
        return "en"
    return None


def _squeeze(line: str) -> str:
    return " ".join(line.split())


def _plain(el, line: int) -> tuple[str, tuple[int, int], object] | None:
    """The common shapes, read without walking: no child element, or one childless child and blanks.

    Gives (text, lines, the element holding the text), or None for anything else.
    """
    n = len(el)
    if n:
        if n != 1:
            return None
        child = el[0]
        tag = child.tag
        if len(child) or not isinstance(tag, str) or tag in _NOT_PLAIN:
            return None
        t = el.text
        if t is not None and not t.isspace():
            return None
        t = child.tail
        if t is not None and not t.isspace():
            return None
        el = child
        line = child.sourceline or line
    t = el.text
    body = " ".join(t.split()) if t else ""
    if not body:
        return "", (line, line), el
    if "\n" not in t:
        return body, (line, line), el
    lead = len(t) - len(t.lstrip())
    first = line + t.count("\n", 0, lead)
    return body, (first, first + t.count("\n", lead, len(t.rstrip()))), el


def render(el) -> tuple[str, tuple[int, int]]:
    """Visible text of an element and the source lines that hold it."""
    start = el.sourceline or 0
    plain = _plain(el, start)
    if plain is not None:
        return plain[0], plain[1]
    parts: list[str] = []
    span = [0, 0]

    def text(t: str, line: int) -> int:
        body = t.strip()
        if body:
            lead = len(t) - len(t.lstrip())
            if not span[0]:
                span[0] = line + t.count("\n", 0, lead)
            span[1] = line + t.count("\n", 0, lead + len(body))
            parts.append(t.translate(_WS))
        else:
            parts.append(" ")
        return line + t.count("\n")

    def walk(e, line: int) -> int:
        tag = e.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return line
        line = e.sourceline or line
        if tag == "br":
            parts.append("\n")
            return line
        block = tag in _BLOCK
        if block:
            parts.append(_SOFT)
        if e.text:
            line = text(e.text, line)
        for child in e:
            line = walk(child, line)
            if child.tail:
                line = text(child.tail, line)
        if block:
            parts.append(_SOFT)
        elif tag in _CELLS:
            parts.append(" ")
        return line

    walk(el, start)
    out: list[str] = []
    for segment in "".join(parts).split(_SOFT):
        lines = [_squeeze(ln) for ln in segment.split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        out.extend(lines)
    return "\n".join(out), (span[0] or start, span[1] or start)


def _lang_parts(cell) -> list:
    """The outermost elements inside a cell that carry a `cn`/`en` class."""
    if not len(cell):
        return []
    found = []
    stack = list(reversed(cell))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        if _lang(el):
            found.append(el)
        else:
            stack.extend(reversed(el))
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
    plain = _plain(el, 0)
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


class _Reader:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.blocks: list[Block] = []
        self.seen_label = False

    # -- what a cell is ----------------------------------------------------------------------------
    def classify(self, cell, after_label: bool) -> tuple[bool, tuple | None]:
        """(is it a label, the cell's plain reading or None when it needs a closer look).

        A label cell is `td.left_title`/`th`, or a cell whose text (or each `cn`/`en` part) is a label.
        A known label text right after another label cell is still a value (a group named "Group"),
        unless it ends with a colon as labels do and values do not.
        """
        cls = cell.get("class")
        if cls and "left_title" in cls.split() or cell.tag == "th":
            return True, None
        plain = _plain(cell, cell.sourceline or 0)
        if plain is None:
            if next(cell.iter("table"), None) is not None:
                return False, None  # a label never holds a table
            text = _short(cell)
        else:
            text = plain[0]
        if not text or len(text) > MAX_LABEL_CHARS:
            return False, plain
        if self.schema.lookup(text):
            return not after_label or text.endswith((":", "：")), plain
        if after_label:
            return False, plain
        parts = [plain[2]] if plain is not None and _lang(plain[2]) else _lang_parts(cell)
        if parts and all(self.schema.lookup(_short(p) or "") or _colon_label(_raw(p)) for p in parts):
            return True, None
        return False, plain

    def holds_labels(self, table) -> bool:
        """A nested table of a repeated group (it has labels), not a value laid out as a table (ages)."""
        for el in table.iter("td", "th", "p", "span", "div"):
            if el.tag in _CELLS and "left_title" in (el.get("class") or "").split():
                return True
            if _lang(el) and self.schema.lookup(_short(el) or ""):
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

    def emit(self, el, kind: str, lang: str | None) -> None:
        text, lines = render(el)
        self.add(text, lines, kind, lang)

    def label_cell(self, cell, plain) -> None:
        if plain is not None:
            self.add(plain[0], plain[1], "label", _lang(plain[2]))
            return
        parts = _lang_parts(cell)
        if not parts:
            self.emit(cell, "label", None)
        for p in parts:
            self.emit(p, "label", _lang(p))

    def value_cell(self, cell, plain) -> None:
        if plain is not None:
            self.add(plain[0], plain[1], "value", None)
            return
        outer = _outer_tables(cell)
        if outer and any(self.holds_labels(t) for t in outer):
            for t in outer:
                self.table(t)
            return
        parts = [p for p in _lang_parts(cell) if p.tag in _LANG_BLOCKS]
        if len({_lang(p) for p in parts}) == 2:
            for p in parts:  # a value given in both languages inside one cell
                self.emit(p, "value", _lang(p))
        else:
            self.emit(cell, "value", None)

    # -- walking -----------------------------------------------------------------------------------
    def row(self, tr) -> None:
        plan = []
        is_label = labelled = False
        for c in tr:
            if c.tag in _CELLS:
                is_label = self.classify(c, is_label)
                labelled = labelled or is_label[0]
                plan.append((c, *is_label))
                is_label = is_label[0]
        if not labelled:  # a layout row: only tables inside it can hold the record
            for c, _, _ in plan:
                self.walk(c)
            return
        for c, is_label, plain in plan:
            if is_label:
                self.label_cell(c, plain)
            else:
                self.value_cell(c, plain)

    def table(self, t) -> None:
        for child in t:
            tag = child.tag
            if tag == "tr":
                self.row(child)
            elif tag in ("tbody", "thead", "tfoot", "table"):
                self.table(child)
            elif isinstance(tag, str) and tag not in _SKIP:
                self.walk(child)

    def is_heading(self, el) -> bool:
        """The page title or the history-version header line, before the first label."""
        if el.tag in ("h1", "h2", "h3", "h4") or "tit" in (el.get("class") or "").lower():
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


def read_html(text: str, schema: Schema, path: str | None = None, utf8: bytes | None = None) -> list[Block]:
    """All label and value blocks of a detail page, in reading order."""
    root = parse_html(text, path, utf8)
    reader = _Reader(schema)
    body = root.find("body")
    try:
        reader.walk(body if body is not None else root)
    except RecursionError:
        raise HostileInput(path, "the page nests tables too deeply to be a registry page") from None
    return reader.blocks
