"""bilingual-registry: read ChiCTR/ITMCTR records into aligned, repaired, reviewable bilingual data.

>>> from bilingual_registry import parse_text
>>> r = parse_text("注册号:\\n\\nRegistration number:\\n\\nChiCTR2600120951\\n\\n注册题目:\\n\\n标题\\n\\n"
...                "Public title:\\n\\nA title\\n\\n研究类型:\\n\\n观察性研究\\n\\nStudy type:\\n\\nObservational study\\n\\n"
...                "性别:\\n\\n男女均可\\n\\nGender:\\n\\nBoth\\n\\n注册人:\\n\\nName of Registration:\\n\\n2026-03-23")
>>> r.registration_number, r.get("public_title").en.value, r.get("gender").zh.value
('ChiCTR2600120951', 'A title', '男女均可')
"""
from .align import align
from .api import parse_bytes, parse_file, parse_many, parse_text
from .errors import (BinaryInput, DecodingError, EmptyInput, HostileInput, NotARecord, OtherRegistry, ReaderFailure,
                     RecordError, Skipped, SomeInputsFailed, TooLarge)
from .glossary import Glossary
from .model import Field, Finding, Problem, Record, Repair, Side, Span, Unpaired, json_schema
from .render import render
from .repair import Spellings
from .review import review

__all__ = [
    "align", "parse_bytes", "parse_file", "parse_many", "parse_text", "render", "json_schema",
    "Record", "Field", "Side", "Repair", "Problem", "Unpaired", "Glossary", "Spellings", "review", "Finding", "Span",
    "RecordError", "EmptyInput", "BinaryInput", "DecodingError", "TooLarge", "NotARecord", "OtherRegistry",
    "HostileInput", "SomeInputsFailed", "Skipped", "ReaderFailure",
]
__version__ = "0.1.0"
