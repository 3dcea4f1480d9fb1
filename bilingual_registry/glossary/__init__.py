"""The glossary: registry vocabularies and medical terms, looked up both ways and found in text.

Data lives in glossary/vocab.tsv and glossary/terms.tsv (DESIGN.md: data over code); a user's glossary
is merged over ours and wins. Matching never rewrites a value: text is folded into a *view* (NFKC width
folding, OpenCC traditional->simplified, case folding, dash/space unification) and every hit is reported
with offsets into the original text.

One module per job: `entries` (Term, VocabEntry, Hit), `tables` (the one loader of glossary/*.tsv),
`files` (terms and vocabularies in and out), `fold`, `matcher`, `validate`, `segment` (jieba, loaded late),
`store` (the Glossary), `records`, `tbx`, `learn` (the last two are imported from their modules).
"""
from __future__ import annotations

from .entries import TERM_COLUMNS, VOCAB_COLUMNS, Hit, Term, VocabEntry
from .files import read_terms, read_vocab, terms_to_text, vocab_to_text
from .fold import fold
from .records import iter_fields
from .store import Glossary
from .validate import Issue, check_file, check_terms, check_vocab

__all__ = ["Term", "VocabEntry", "Hit", "Glossary", "read_terms", "read_vocab", "terms_to_text",
           "vocab_to_text", "fold", "iter_fields"]
