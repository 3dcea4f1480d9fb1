"""Finding glossary terms in a text: three Aho-Corasick automata (zh, en, abbreviation views), leftmost-longest,
with offsets into the original text."""
from __future__ import annotations

from typing import Sequence

import ahocorasick

from .entries import Hit, Term
from .fold import _ASTRAL, _key, _plurals, _views

def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def _wordish(ch: str) -> bool:
    return ch.isalnum() and not _is_cjk(ch)


_FORM_RANK = {"zh": 0, "en": 0, "abbreviation": 1, "variant": 2, "forbidden": 3}



def _bytewise(text: str) -> str:
    """Text as UTF-16 code-unit bytes, one Latin-1 character per byte.

    pyahocorasick looks a node's children up one by one, and the root of the Chinese automaton has a
    thousand of them; over bytes it has about eighty, which makes the scan several times faster.
    Matches must start on an even byte. Characters beyond the BMP all become U+E000 (one code unit).
    """
    if _ASTRAL.search(text):
        text = _ASTRAL.sub("\ue000", text)
    return text.encode("utf-16-be").decode("latin-1")


class _Matcher:
    """Three Aho-Corasick automata (zh, en, abbreviation views) over one term list."""

    def __init__(self, terms: Sequence[Term]):
        self.automata: dict[str, ahocorasick.Automaton] = {}
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
            automaton = ahocorasick.Automaton()
            for key, owners in entries.items():
                owners.sort(key=lambda o: o[0])  # preferred forms first, then file order
                terms = tuple(dict.fromkeys(o[2] for o in owners))
                automaton.add_word(_bytewise(key) if kind == "zh" else key, (len(key), owners[0][1], terms))
            if entries:
                automaton.make_automaton()
                self.automata[kind] = automaton
    def find(self, text: str) -> list[Hit]:
        candidates: list[tuple[int, int, str, tuple[Term, ...], int]] = []
        views = _views(text)
        for rank, (kind, automaton) in enumerate(self.automata.items()):
            view = views[kind]
            if kind == "zh":
                matches = ((end // 2, value) for end, value in automaton.iter(_bytewise(view.text))
                           if (end + 1) % 2 == 0 and (end + 1 - 2 * value[0]) % 2 == 0)
            else:
                matches = automaton.iter(view.text)
            for end, (length, form, owners) in matches:
                start = view.orig(end - length + 1)
                stop = view.orig(end) + 1
                key_first, key_last = view.text[end - length + 1], view.text[end]
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


