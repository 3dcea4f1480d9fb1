"""What every check may consult: the glossary, the field schema and the review's configuration."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional, TypeVar

from ..glossary import Glossary
from ..labels import Schema, default_schema
from .config import ReviewConfig
from .registry import Pair

T = TypeVar("T")
_MISSING = object()

# Values that say "nothing here" on either side: never a translation to check.
PLACEHOLDERS = frozenset({"", "na", "n/a", "n.a.", "none", "nil", "null", "no", "-", "--", "/", "无", "暂无", "否", "空",
                          "不适用", "not applicable"})


_LONGEST = max(map(len, PLACEHOLDERS))


def is_placeholder(text: str) -> bool:
    """True for a value that only says there is nothing (`NA`, `无`, `/`).

    >>> is_placeholder(" N/A "), is_placeholder("无"), is_placeholder("None of the above")
    (True, True, False)
    """
    text = text.strip()
    return len(text) <= _LONGEST and text.casefold() in PLACEHOLDERS  # folding never shortens a text


@dataclass
class Context:
    """The glossary, schema and config a review runs with, plus caches the checks share.

    `cache` holds what is built from the glossary (kept from one review to the next); `memo` holds what
    was read from the texts of this review (`once`), gone with it.
    """

    glossary: Glossary
    schema: Schema
    config: ReviewConfig = field(default_factory=ReviewConfig)
    cache: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "Context":
        return cls(Glossary.default(), default_schema())

    def pair(self, key: str, zh: str, en: str, group: Optional[str] = None, index: Optional[int] = None,
             record: Optional[str] = None, position: int = 0, zh_label: str = "", en_label: str = "",
             source: Optional[str] = None, repairs: tuple = (), row=_MISSING) -> Pair:
        """A pair for this field key with its traits from fields.tsv (the group member's row first);
        `row`, that row (or None) when the caller has looked it up already."""
        d = self.field_def(key, group) if row is _MISSING else row
        traits = d.traits if d else frozenset()
        kind = d.value_kind if d else "bi"
        return Pair(key, zh, en, group, index, zh_label or (d.zh_label if d else ""),
                    en_label or (d.en_label if d else ""), traits, kind, record, position, source, repairs)

    def field_def(self, key: str, group: Optional[str] = None):
        """The field's row of fields.tsv (the group member's first), or None: looked up once per key."""
        defs = self.cache.setdefault("field_defs", {})
        d = defs.get((key, group), _MISSING)
        if d is _MISSING:
            d = self.schema.get(key, group) or self.schema.get(key, None)
            if d is None and group is None:
                d = next((x for x in self.schema.defs if x.key == key), None)
            defs[key, group] = d
        return d

    def once(self, fn: Callable[..., T], text: str, *args) -> T:
        """`fn(text, *args)`, computed once per distinct text of the review (`args`, if any, must be the
        same at every call with this `fn`: the context's own tables). A value recurs across the fields of
        a record and a batch (an institution, an address), and several checks read the same facts of it.

        >>> ctx = Context.default()
        >>> ctx.once(len, "无锡市") == 3 and ctx.memo[len]["无锡市"] == 3
        True
        """
        memo = self.memo.get(fn)
        if memo is None:
            memo = self.memo[fn] = {}
        got = memo.get(text, _MISSING)
        if got is _MISSING:
            if len(memo) >= 50_000:  # a big batch, or a long-lived context, stays small
                memo.clear()
            got = memo[text] = fn(text, *args)
        return got

    def vocab_fields(self) -> frozenset[str]:
        """Fields whose values come from a controlled vocabulary (vocab.tsv), places included."""
        got = self.cache.get("vocab_fields")
        if got is None:
            got = self.cache["vocab_fields"] = frozenset(v.field for v in self.glossary.vocab)
        return got
