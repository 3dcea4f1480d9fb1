"""Chinese word segmentation by jieba with glossary terms kept whole; jieba is imported only when a
text is first segmented (folding, matching and vocabularies never load it)."""
from __future__ import annotations

import logging

import regex


# Latin words, numbers, units and gene/protein names: never handed to jieba.
_LATIN_SPAN = regex.compile(r"[\p{Latin}\p{Greek}0-9][\p{Latin}\p{Greek}0-9.\-+/%²³µ_]*(?<![.\-/])%?")


def tokenizer(words: tuple[str, ...]):
    """A jieba tokenizer that knows these Chinese words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in words:
        if regex.fullmatch(r"\p{Han}+", w):
            tok.add_word(w, max(tok.suggest_freq(w, False), 1000))
    return tok


def segment(text: str, tok) -> list[str]:
    """Words of a Chinese text by a jieba tokenizer, Latin/number spans untouched."""
    out: list[str] = []
    last = 0
    for m in _LATIN_SPAN.finditer(text):
        if m.start() > last:
            out.extend(tok.lcut(text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    if last < len(text):
        out.extend(tok.lcut(text[last:]))
    return [w for w in out if w.strip()]
