"""The Glossary: terms and vocabularies merged (a user's glossary over ours), looked up both ways and found
in text."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from .entries import Hit, Term, VocabEntry
from .files import default_terms, default_vocab, is_vocab_file, read_terms, read_vocab
from .fold import _key, _plurals
from .matcher import _Matcher
from .segment import segment, tokenizer


@dataclass
class Glossary:
    """Terms and vocabularies, with lookups both ways and term finding in text.

    >>> g = Glossary([Term("非小细胞肺癌", "non-small cell lung cancer", abbreviations=("NSCLC",))])
    >>> [h.text for h in g.find("晚期非小細胞肺癌(NSCLC)患者")]
    ['非小細胞肺癌', 'NSCLC']
    >>> [t.zh for t in g.lookup("Non-Small-Cell Lung Cancers")]
    ['非小细胞肺癌']
    """

    terms: list[Term] = field(default_factory=list)
    vocab: list[VocabEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._matcher: Optional[_Matcher] = None
        self._index: Optional[dict[tuple[str, str], list[Term]]] = None
        self._tokenizer = None

    # loading and merging ------------------------------------------------------------------------
    @classmethod
    def load(cls, *paths: str | Path) -> "Glossary":
        """Read glossary files; a file with a `field` column is a vocabulary, anything else terms."""
        out = cls()
        for p in paths:
            p = Path(p)
            if is_vocab_file(p):
                out = out.merge(cls(vocab=read_vocab(p)))
            else:
                out = out.merge(cls(terms=read_terms(p)))
        return out

    @classmethod
    def default(cls) -> "Glossary":
        """Our own glossary: glossary/terms.tsv and glossary/vocab.tsv."""
        return _default()

    def merge(self, *others: "Glossary") -> "Glossary":
        """A new glossary with the others laid over this one, later ones winning for the same Chinese term.

        >>> ours = Glossary([Term("随访", "follow-up")])
        >>> [t.en for t in ours.merge(Glossary([Term("随訪", "follow up visit")])).terms]
        ['follow up visit']
        """
        terms = {_key(t.zh, "zh"): t for t in self.terms}
        vocab = {(v.field, _key(v.zh, "zh")): v for v in self.vocab}
        for other in others:
            for t in other.terms:
                terms.pop(_key(t.zh, "zh"), None)
                terms[_key(t.zh, "zh")] = t
            for v in other.vocab:
                vocab.pop((v.field, _key(v.zh, "zh")), None)
                vocab[(v.field, _key(v.zh, "zh"))] = v
        return Glossary(list(terms.values()), list(vocab.values()))

    # lookups --------------------------------------------------------------------------------------
    def lookup(self, text: str) -> list[Term]:
        """Terms whose Chinese, English, variant, abbreviation or forbidden form is this text."""
        if self._index is None:
            self._index = _index(self.terms)
        found: list[Term] = []
        for kind in ("zh", "en", "abbr"):
            for t in self._index.get((kind, _key(text, kind)), ()):
                if t not in found:
                    found.append(t)
        return found

    def lookup_vocab(self, text: str, field: Optional[str] = None) -> list[VocabEntry]:
        """Controlled values (of one field, or any) whose Chinese, English, variant or id is this text.

        >>> g = Glossary.default()
        >>> [(v.zh, v.plain_en) for v in g.lookup_vocab("3", "study_phase")]
        [('III期临床试验', 'Phase 3')]
        """
        zh, en = _key(text, "zh"), _key(text, "en")
        return [
            v for v in self.vocab
            if (field is None or v.field == field)
            and (_key(v.zh, "zh") == zh or text.strip() in v.registry_id
                 or any(_key(e, "en") == en for e in (v.en, *v.en_variants)))
        ]

    def vocab_for(self, field: str) -> list[VocabEntry]:
        return [v for v in self.vocab if v.field == field]

    # finding --------------------------------------------------------------------------------------
    def find(self, text: str) -> list[Hit]:
        """Every glossary term in a Chinese or English text, leftmost-longest, with original offsets.

        >>> g = Glossary.default()
        >>> [(h.text, h.term.zh) for h in g.find("median progression‑free survival and 95% CI")]
        [('median progression‑free survival', '中位无进展生存期'), ('95% CI', '95%置信区间')]
        """
        if self._matcher is None:
            self._matcher = _Matcher(self.terms)
        return self._matcher.find(text)

    # segmentation -------------------------------------------------------------------------------
    def segment(self, text: str) -> list[str]:
        """Words of a Chinese text by jieba, with glossary terms kept whole and Latin/number spans untouched.

        >>> Glossary([Term("客观缓解率", "objective response rate")]).segment("客观缓解率(ORR)为30.5%")
        ['客观缓解率', '(', 'ORR', ')', '为', '30.5%']
        """
        if self._tokenizer is None:
            self._tokenizer = tokenizer(tuple(t.zh for t in self.terms))
        return segment(text, self._tokenizer)


def _index(terms: Sequence[Term]) -> dict[tuple[str, str], list[Term]]:
    """Exact-key index for lookups: folded Chinese, English forms (with plurals) and abbreviations."""
    index: dict[tuple[str, str], list[Term]] = {}
    for t in terms:
        keys = {("zh", _key(t.zh, "zh"))}
        for e in (t.en, *t.en_variants, *t.forbidden):
            k = _key(e, "en")
            keys.update(("en", x) for x in (k, *_plurals(k)))
        keys.update(("abbr", _key(a, "abbr")) for a in t.abbreviations)
        for k in keys:
            index.setdefault(k, []).append(t)
    return index


@lru_cache(maxsize=1)
def _default() -> Glossary:
    return Glossary(list(default_terms()), list(default_vocab()))
