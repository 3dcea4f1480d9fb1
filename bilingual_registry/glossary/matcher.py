"""Finding glossary terms in a text: three Aho-Corasick automata (zh, en, abbreviation views), leftmost-longest,
with offsets into the original text."""
from __future__ import annotations

from typing import Sequence

import ahocorasick_rs

from .entries import Hit, Term
from .fold import _key, _plurals, _views


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def _wordish(ch: str) -> bool:
    return ch.isalnum() and not _is_cjk(ch)


_FORM_RANK = {"zh": 0, "en": 0, "abbreviation": 1, "variant": 2, "forbidden": 3}


class _Matcher:
    """Three Aho-Corasick automata (zh, en, abbreviation views) over one term list."""

    def __init__(self, terms: Sequence[Term]):
        self.automata: dict[str, tuple[ahocorasick_rs.AhoCorasick, list]] = {}
        table: dict[str, dict[str, list[tuple[int, str, Term]]]] = {"zh": {}, "en": {}, "abbr": {}}

        def put(kind: str, text: str, form: str, term: Term) -> None:
            key = _key(text, kind)
            if key:
                table[kind].setdefault(key, []).append((_FORM_RANK[form], form, term))

        for t in terms:
            put("zh", t.zh, "zh", t)
            for form, texts in (("en", (t.en,)), ("variant", t.en_variants), ("forbidden", t.forbidden)):
                for text in texts:
                    put("en", text, form, t)
                    for plural in _plurals(_key(text, "en")):
                        put("en", plural, form, t)
            for a in t.abbreviations:
                put("abbr", a, "abbreviation", t)
                if "-" in a:
                    put("abbr", a.replace("-", ""), "abbreviation", t)
        for kind, entries in table.items():
            values = []
            for key, owners in entries.items():
                owners.sort(key=lambda o: o[0])  # preferred forms first, then file order
                values.append((owners[0][1], tuple(dict.fromkeys(o[2] for o in owners))))
            if entries:  # every match, overlapping: a longest one may fail its word boundaries
                self.automata[kind] = (ahocorasick_rs.AhoCorasick(list(entries)), values)

    def find(self, text: str) -> list[Hit]:
        candidates: list[tuple[int, int, str, tuple[Term, ...], int]] = []
        views = _views(text)
        for rank, (kind, (automaton, values)) in enumerate(self.automata.items()):
            view = views[kind]
            for i, first, after in automaton.find_matches_as_indexes(view.text, overlapping=True):
                form, owners = values[i]
                start = view.orig(first)
                stop = view.orig(after - 1) + 1
                key_first, key_last = view.text[first], view.text[after - 1]
                if kind != "zh" or _wordish(key_first):
                    if start > 0 and _wordish(text[start - 1]):
                        continue
                if kind != "zh" or _wordish(key_last):
                    if stop < len(text) and _wordish(text[stop]):
                        continue
                candidates.append((start, stop, form, owners, rank))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1], c[4]))
        hits: list[Hit] = []
        reach = 0
        for start, stop, form, owners, _ in candidates:
            if start >= reach:
                hits.append(Hit(start, stop, text[start:stop], form, owners))
                reach = stop
        return hits


