"""English datasets: records as one flat English row each (ICTRP's columns, then ChiCTR's own).

`to_english(record, glossary=None, style="tidy", with_chinese=False)` builds a row; `arrow_schema(style,
with_chinese)` gives its pyarrow schema; `column_names(style, with_chinese)` its keys in order. The column
list itself is `convert.columns.columns()` (the submodule keeps its name: the runner imports it).
"""
from .columns import arrow_schema, column_names
from .english import to_english

__all__ = ["arrow_schema", "column_names", "to_english"]
