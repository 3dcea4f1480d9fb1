"""bilingual-registry: read ChiCTR/ITMCTR records into aligned, repaired, reviewable bilingual data.

>>> from bilingual_registry import parse_text
>>> r = parse_text("注册号:\\n\\nRegistration number:\\n\\nChiCTR2600120951\\n\\n注册题目:\\n\\n标题\\n\\n"
...                "Public title:\\n\\nA title\\n\\n研究类型:\\n\\n观察性研究\\n\\nStudy type:\\n\\nObservational study\\n\\n"
...                "性别:\\n\\n男女均可\\n\\nGender:\\n\\nBoth\\n\\n注册人:\\n\\nName of Registration:\\n\\n2026-03-23")
>>> r.registration_number, r.get("public_title").en.value, r.get("gender").zh.value
('ChiCTR2600120951', 'A title', '男女均可')

`render` and `review` are functions here and modules below: importing `bilingual_registry.review`
(which Python then sets on this package) must not hide the function `review()`.

>>> import bilingual_registry.review.checks, bilingual_registry.render
>>> from bilingual_registry import review, render
>>> callable(review), callable(render)
(True, True)
"""
from .lazy import lazy_names

# Each name is loaded from its module on first use (PEP 562), so `bireg parse` imports only what it needs.
_HOME = {
    "align": "align", "parse_bytes": "api", "parse_file": "api", "parse_many": "api", "parse_text": "api",
    "render": "render", "json_schema": "model", "Record": "model", "Field": "model", "Side": "model",
    "Repair": "model", "Problem": "model", "Unpaired": "model", "Finding": "model", "Span": "model",
    "Glossary": "glossary", "Spellings": "repair", "review": "review",
    **dict.fromkeys(("RecordError", "EmptyInput", "BinaryInput", "DecodingError", "TooLarge", "NotARecord",
                     "OtherRegistry", "HostileInput", "SomeInputsFailed", "Skipped", "ReaderFailure"), "errors"),
}


__getattr__, __dir__ = lazy_names(__name__, _HOME)


__all__ = [
    "align", "parse_bytes", "parse_file", "parse_many", "parse_text", "render", "json_schema",
    "Record", "Field", "Side", "Repair", "Problem", "Unpaired", "Glossary", "Spellings", "review", "Finding", "Span",
    "RecordError", "EmptyInput", "BinaryInput", "DecodingError", "TooLarge", "NotARecord", "OtherRegistry",
    "HostileInput", "SomeInputsFailed", "Skipped", "ReaderFailure",
]
__version__ = "0.1.0"
