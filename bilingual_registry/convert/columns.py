"""The English row's columns, read from `glossary/english_columns.tsv` (data, not code).

Each line names a column (ICTRP's spelling for the items ICTRP has, then the ChiCTR fields ICTRP drops),
the rule that fills it (a function in `english.py`), the field keys it reads, the rule's argument, its type
in the tidy style (the ictrp style is all strings) and whether `with_chinese` adds a `(zh)` twin.
`arrow_schema(style, with_chinese)` gives the pyarrow schema the Parquet writer uses.

>>> [c.name for c in columns()][:4]
['TrialID', 'Last Refreshed on', 'Public title', 'Scientific title']
>>> column_names("ictrp")[16]
'Date enrollement'
>>> parse_type("list<struct<group_name:string,sample_size:int>>")
('list', ('struct', (('group_name', 'string'), ('sample_size', 'int'))))
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from ..glossary.tables import glossary_dir, read_table

STYLES = ("tidy", "ictrp")
PROVENANCE = "provenance"
ZH_SUFFIX = " (zh)"

Type = Union[str, tuple]


@dataclass(frozen=True)
class Column:
    """One column of the English row."""

    name: str
    ictrp: bool
    rule: str
    keys: tuple[str, ...]
    arg: str
    tidy_type: Type
    chinese: bool
    styles: tuple[str, ...]
    source: str

    def in_style(self, style: str) -> bool:
        """Plain-English twins of controlled values are tidy only; the old export's flag is ictrp only."""
        return style in self.styles


def parse_type(text: str) -> Type:
    """`string`, `int`, `float`, `bool`, `date`, `timestamp`, `list<T>`, `struct<name:T,...>`."""
    text = text.strip()
    if text.startswith("list<") and text.endswith(">"):
        return ("list", parse_type(text[5:-1]))
    if text.startswith("struct<") and text.endswith(">"):
        members, depth, start, body = [], 0, 0, text[7:-1]
        for i, ch in enumerate(body + ","):
            depth += ch == "<"
            depth -= ch == ">"
            if ch == "," and depth == 0:
                name, _, kind = body[start:i].partition(":")
                members.append((name.strip(), parse_type(kind)))
                start = i + 1
        return ("struct", tuple(members))
    if text not in ("string", "int", "float", "bool", "date", "timestamp"):
        raise ValueError(f"english_columns.tsv: unknown column type {text!r}")
    return text


@lru_cache(maxsize=None)
def struct_keys(kind: Type) -> tuple[str, ...]:
    """The member field keys of a `list<struct<…>>` type (its struct field names are field keys)."""
    if isinstance(kind, tuple) and kind[0] == "list" and isinstance(kind[1], tuple) and kind[1][0] == "struct":
        return tuple(name for name, _ in kind[1][1])
    return ()


def read_columns(path) -> tuple[Column, ...]:
    rows = read_table(path)
    return tuple(
        Column(name=r["column"], ictrp=r["ictrp"] == "yes", rule=r["rule"],
               keys=tuple(k for k in r["keys"].split("|") if k), arg=r["arg"],
               tidy_type=parse_type(r["tidy_type"]), chinese=r["chinese"] == "yes",
               styles=tuple(r["styles"].split("|")), source=r["source"])
        for r in rows
    )


@lru_cache(maxsize=None)
def columns() -> tuple[Column, ...]:
    return read_columns(glossary_dir() / "english_columns.tsv")


def _check_style(style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: choose one of {', '.join(STYLES)}")


@lru_cache(maxsize=None)
def column_names(style: str = "tidy", with_chinese: bool = False) -> tuple[str, ...]:
    """The row's keys in order: each column, its `(zh)` twin when asked, then `provenance`."""
    _check_style(style)
    out: list[str] = []
    for c in columns():
        if c.in_style(style):
            out.append(c.name)
            if with_chinese and c.chinese:
                out.append(c.name + ZH_SUFFIX)
    return (*out, PROVENANCE)


def _arrow(kind: Type):
    import pyarrow as pa

    if isinstance(kind, tuple):
        if kind[0] == "list":
            return pa.list_(_arrow(kind[1]))
        return pa.struct([(name, _arrow(k)) for name, k in kind[1]])
    return {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
            "date": pa.date32(), "timestamp": pa.timestamp("s")}[kind]


def arrow_schema(style: str = "tidy", with_chinese: bool = False):
    """The pyarrow schema of rows of a style: tidy types from the TSV, every ictrp cell a string;
    `provenance` a struct with one string per English column.

    >>> s = arrow_schema("tidy")
    >>> str(s.field("Date registration").type), str(s.field("Target size").type)
    ('date32[day]', 'int64')
    >>> str(arrow_schema("ictrp").field("Target size").type)
    'string'
    """
    import pyarrow as pa

    _check_style(style)
    fields, english = [], []
    for c in columns():
        if not c.in_style(style):
            continue
        kind = _arrow(c.tidy_type) if style == "tidy" else pa.string()
        fields.append(pa.field(c.name, kind))
        english.append(pa.field(c.name, pa.string()))
        if with_chinese and c.chinese:
            fields.append(pa.field(c.name + ZH_SUFFIX, kind))
    fields.append(pa.field(PROVENANCE, pa.struct(english)))
    return pa.schema(fields)
