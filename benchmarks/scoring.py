"""Scoring planted damage against its truth, for the repair benchmark and its test."""
from __future__ import annotations

from typing import NamedTuple

from bilingual_registry.model import Record


class Tally(NamedTuple):
    """Per rule: planted sites, sites restored right, changes made, changes that were right."""

    planted: dict
    restored: dict
    made: dict
    right: dict


def score_lost(clean: Record, damaged: Record, repaired: Record, tally: Tally) -> None:
    """Count, per rule, planted `?` restored to the truth (recall) and restorations that were right
    (precision). Lost-character damage keeps lengths, so positions line up across the three records."""
    from bilingual_registry.repair.lost import rule_for

    for c, d, r in zip(clean.fields, damaged.fields, repaired.fields):
        for side in ("zh", "en"):
            cv, dv, rv = getattr(c, side).value, getattr(d, side).value, getattr(r, side).value
            if "?" not in dv or len(rv) != len(dv):
                continue
            for i, ch in enumerate(dv):
                if ch != "?":
                    continue
                if cv[i] != "?":
                    truth = rule_for(cv[i])
                    tally.planted[truth] = tally.planted.get(truth, 0) + 1
                    if rv[i] == cv[i]:
                        tally.restored[truth] = tally.restored.get(truth, 0) + 1
                if rv[i] != "?":
                    made = rule_for(rv[i])
                    tally.made[made] = tally.made.get(made, 0) + 1
                    if rv[i] == cv[i]:
                        tally.right[made] = tally.right.get(made, 0) + 1
