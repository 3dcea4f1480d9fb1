"""How many items of one kind a record keeps one by one: the rest are kept whole, with a problem saying so.

A flattened list (`target_size` of millions of `;`, an API group of millions of members) would otherwise
cost a field or an `unpaired` entry, hundreds of bytes of memory and output, per byte or two of input.
Real records have at most a few hundred members in a group.
"""
from __future__ import annotations

from .problems import problem_data

MAX_ITEMS = 2_000
# Blocks (labels and values) one record is aligned from; the largest real page has 1,269. Past it the
# blocks are kept as one text in `unpaired`: a line of 200,000 labels would cost a field each.
MAX_BLOCKS = 20_000


def capped_problem(what: str, count: int, field: str | None = None, limit: int = MAX_ITEMS) -> dict:
    """The problem that says a list was cut at MAX_ITEMS (its rest kept in `unpaired` as one text).

    >>> capped_problem("interventions", 5_000_000)["message"]
    'interventions: 5,000,000 items, more than the 2,000 a record keeps one by one; the other 4,998,000 are kept as one text in unpaired'
    """
    return problem_data("too-many-items", field=field, message=(
        f"{what}: {count:,} items, more than the {limit:,} a record keeps one by one; "
        f"the other {count - limit:,} are kept as one text in unpaired"))
