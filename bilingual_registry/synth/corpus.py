"""N synthetic records written as files in the registry's layouts, a share of them damaged (`bireg synth`).

Record `i` depends only on the seed and `i` (its own random source), so a corpus is the same for a seed
however it is made, and records are made in worker processes (`pool.ordered_map`). Layouts take turns
(`text, html, itmctr, text, …`); the damaged records are spread evenly, exactly ⌊n × share⌋ of them,
each with one to three lost characters and, every other one, one damage of another kind. A hidden
manifest, `.synth.jsonl`, says for each file its number, layout and planted damage (hidden, so a folder
given to `bireg parse` or `convert` never reads it).
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator, NamedTuple, Sequence

import orjson

from ..pool import ordered_map
from .damage import OTHER_KINDS, plant_lost, plant_other
from .layouts import LAYOUTS, SUFFIX, write
from .records import Generator

MANIFEST = ".synth.jsonl"


class Made(NamedTuple):
    """One generated file: its name, text and what was planted in it."""

    name: str
    text: str
    number: str
    layout: str
    damage: list[str]


def is_damaged(i: int, share: float) -> bool:
    """Exactly ⌊n × share⌋ of the first n records, spread evenly.

    >>> sum(is_damaged(i, 0.25) for i in range(100)), [i for i in range(8) if is_damaged(i, 0.25)]
    (25, [3, 7])
    """
    return int((i + 1) * share + 1e-9) > int(i * share + 1e-9)


class Maker:
    """Makes record `i` of a corpus; loaded once, then forked into the workers."""

    def __init__(self, seed: int, layouts: Sequence[str], damaged: float):
        unknown = [x for x in layouts if x not in LAYOUTS]
        if unknown or not layouts:
            raise ValueError(f"unknown layout(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(LAYOUTS)}")
        if not 0 <= damaged <= 1:
            raise ValueError(f"the damaged share must be between 0 and 1, not {damaged}")
        self.seed, self.layouts, self.damaged = seed, list(layouts), damaged
        self.gen = Generator(seed)
        self.vocab_keys = set(self.gen.vocab)

    def __call__(self, i: int) -> Made:
        layout = self.layouts[i % len(self.layouts)]
        self.gen.rng.seed(f"{self.seed}:{i}")
        record = self.gen.varied(i, registry="ITMCTR" if layout == "itmctr" else "ChiCTR")
        kinds: list[str] = []
        if is_damaged(i, self.damaged):
            rng = random.Random(f"{self.seed}:{i}:damage")
            record, plants = plant_lost(record, rng, rng.randint(1, 3))
            if i % 2:
                record, more = plant_other(record, rng, rng.choice(OTHER_KINDS), self.vocab_keys)
                plants += more
            kinds = [p.kind for p in plants]
        number = record.registration_number
        return Made(number + SUFFIX[layout], write(record, layout), number, layout, kinds)


def generate(n: int, seed: int = 0, layouts: Sequence[str] = LAYOUTS, damaged: float = 0.1,
             jobs: int | None = 1) -> Iterator[Made]:
    """The corpus's records in order."""
    return ordered_map(Maker(seed, layouts, damaged), range(n), jobs, window=64)


def write_corpus(n: int, folder: str | Path, seed: int = 0, layouts: Sequence[str] = LAYOUTS,
                 damaged: float = 0.1, jobs: int | None = None) -> int:
    """Write n records into `folder` (made if need be) and its manifest; the number of damaged ones."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(folder / MANIFEST, "wb") as manifest:
        for made in generate(n, seed, layouts, damaged, jobs):
            (folder / made.name).write_text(made.text, encoding="utf-8")
            manifest.write(orjson.dumps({"file": made.name, "registration_number": made.number,
                                         "layout": made.layout, "damage": made.damage},
                                        option=orjson.OPT_APPEND_NEWLINE))
            count += bool(made.damage)
    return count
