"""Repair benchmark: precision and recall per rule on planted damage, changes to clean records, speed.

    python benchmarks/bench_repair.py [--records 1000] [--seed 0] [--glossary-share 1.0] [--corpus-evidence]

Generates clean records (bilingual_registry.synth), repairs them before planting (every applied
change there is a false alarm), plants lost characters (up to 3 a record) and each other kind of
damage, repairs again and scores against the truth. Speed: parse+align(+repair) of the rendered
records, repair off and on, in the same run. `--glossary-share 0.5` repairs with a glossary that
keeps only a random half of its terms, to see what the rules do for terms the glossary lacks;
`--corpus-evidence` also lets the spellings of all the damaged records (counted first, as
`bireg repairs --corpus-evidence` does) decide lost characters.
"""
from __future__ import annotations

import argparse
import random
import time

from bilingual_registry import parse_text, render
from scoring import Tally, score_lost

from bilingual_registry.synth import OTHER_KINDS, Generator, plant_lost, plant_other
from bilingual_registry.repair import Knowledge, Spellings, default_knowledge, repair_record
from bilingual_registry.repair.driver import values
from bilingual_registry.glossary.tables import data_table


def _speed(texts: list[str], repair: bool) -> float:
    start = time.perf_counter()
    for t in texts:
        parse_text(t, repair=repair)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--glossary-share", type=float, default=1.0, help="share of glossary terms the repair may use")
    ap.add_argument("--corpus-evidence", action="store_true", help="spellings across the damaged records as evidence")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    clean = Generator(args.seed).clean(args.records)
    knowledge = default_knowledge()
    if args.glossary_share < 1:
        terms = data_table("terms.tsv")
        kept = random.Random(args.seed).sample(terms, int(len(terms) * args.glossary_share))
        knowledge = Knowledge.from_rows(kept, data_table("vocab.tsv"))
        print(f"glossary: {len(kept)} of {len(terms)} terms")

    corpus = None

    def repair(r):
        return repair_record(r, knowledge=knowledge, corpus=corpus)

    changes = sum(sum(r.applied for r in repair(c).repairs) for c in clean)
    print(f"clean records: {len(clean)}; changes made to them before planting: {changes}")

    tally = Tally({}, {}, {}, {})
    damaged_all = [plant_lost(c, rng)[0] for c in clean]
    if args.corpus_evidence:
        corpus = Spellings()
        for damaged in damaged_all:
            corpus.observe(values(damaged))
    for c, damaged in zip(clean, damaged_all):
        score_lost(c, damaged, repair(damaged), tally)
    print("\nlost characters (per rule)      planted  recall  changes  precision")
    tp = fn = made = right = 0
    for rule in sorted(set(tally.planted) | set(tally.made)):
        p, r = tally.planted.get(rule, 0), tally.restored.get(rule, 0)
        m, k = tally.made.get(rule, 0), tally.right.get(rule, 0)
        tp, fn, made, right = tp + r, fn + p, made + m, right + k
        print(f"  {rule:28s} {p:8d}  {r / p if p else float('nan'):6.3f}  {m:7d}  {k / m if m else float('nan'):9.3f}")
    print(f"  {'all lost characters':28s} {fn:8d}  {tp / fn:6.3f}  {made:7d}  {right / made:9.3f}")

    vocab_keys = {k for k, _ in knowledge.vocab}
    print("\nother damage (whole value)      planted  recall  other values changed")
    for kind in OTHER_KINDS:
        planted = fixed = wrong = 0
        for c in clean:
            damaged, plants = plant_other(c, rng, kind, vocab_keys)
            if not plants:
                continue
            planted += 1
            repaired = repair(damaged)
            p = plants[0]
            fixed += getattr(repaired.fields[p.field], p.side).value == p.truth
            wrong += sum((a.zh.value, a.en.value) != (b.zh.value, b.en.value)
                         for n, (a, b) in enumerate(zip(c.fields, repaired.fields)) if n != p.field)
        print(f"  {kind:28s} {planted:8d}  {fixed / planted if planted else float('nan'):6.3f}  {wrong:7d}")

    clean_texts = [render(c) for c in clean]
    damaged_texts = [render(d) for d in damaged_all]
    for name, texts in (("clean", clean_texts), ("damaged", damaged_texts)):
        off, on = _speed(texts, False), _speed(texts, True)
        print(f"\nparse+align {name} records: repair off {off:,.0f} records/s, on {on:,.0f} records/s")


if __name__ == "__main__":
    main()
