"""The repair stage (DESIGN.md §4–5): small named rules, each explaining the change it proposes.

Rules: lost characters (`lost-hyphen`, `lost-space`, `lost-superscript`, ...), `lookalike`,
`mojibake-latin1`, `mojibake-gbk`, `mojibake-lost` (flag only), `fullwidth-ascii`, `html-entity`,
`line-separator`, `zero-width`.
"""
from .corpus import Spellings
from .driver import THRESHOLD, plan, repair_data, repair_record
from .knowledge import Knowledge, default_knowledge

__all__ = ["THRESHOLD", "Knowledge", "default_knowledge", "plan", "repair_data", "repair_record", "Spellings"]
