"""The glossary: registry vocabularies and medical terms, looked up both ways and found in text.

Data lives in glossary/vocab.tsv and glossary/terms.tsv (DESIGN.md: data over code); a user's glossary
is merged over ours and wins. Matching never rewrites a value: text is folded into a *view* (NFKC width
folding, OpenCC traditional->simplified, case folding, dash/space unification) and every hit is reported
with offsets into the original text.

One module per job: `entries` (Term, VocabEntry, Hit), `tables` (the one loader of glossary/*.tsv),
`files` (terms and vocabularies in and out), `fold`, `matcher`, `validate`, `segment` (jieba, loaded late),
`store` (the Glossary), `records`, `tbx`, `learn` (the last two are imported from their modules).

`fold` is a function here and a module below: importing `glossary.fold` (which Python then sets on
this package) must not hide the function.

>>> import bilingual_registry.glossary.fold
>>> from bilingual_registry.glossary import fold
>>> fold("ＰＤ－１", "abbr").text
'PD-1'
"""
from __future__ import annotations

from ..lazy import lazy_names

# Each name is loaded from its module on first use (PEP 562): labels and repair need only `tables`, and
# `bireg parse` should not pay for the matcher, the folding tables and the checks.
_HOME = {
    **dict.fromkeys(("TERM_COLUMNS", "VOCAB_COLUMNS", "Hit", "Term", "VocabEntry"), "entries"),
    **dict.fromkeys(("read_terms", "read_vocab", "terms_to_text", "vocab_to_text"), "files"),
    "fold": "fold", "iter_fields": "records", "Glossary": "store",
    **dict.fromkeys(("Issue", "check_file", "check_terms", "check_vocab"), "validate"),
}


__getattr__, __dir__ = lazy_names(__name__, _HOME)


__all__ = ["Term", "VocabEntry", "Hit", "Glossary", "read_terms", "read_vocab", "terms_to_text",
           "vocab_to_text", "fold", "iter_fields"]
