"""Parse+align throughput on seed-size records, side by side with ftfy and with plain block splitting.

Run on demand (not in CI):  python benchmarks/bench_core.py [--records 1000]
Prints records/s for each contender in the same run, the ratios, and peak memory (tracemalloc).
"""
from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from pathlib import Path

import ftfy

from bilingual_registry import parse_text
from bilingual_registry.labels import default_schema
from bilingual_registry.throughput import batch_collection

ROOT = Path(__file__).resolve().parents[1]
TUNED_SUFFIX = " (bireg's GC)"
TUNED = "bireg parse+align, no repair" + TUNED_SUFFIX


def sample_texts(n: int) -> list[str]:
    """n distinct seed-size records: seed 003 when ../shared is there, else our example, with varied values."""
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("003_*.txt"))
    base = (seeds[0] if seeds else ROOT / "corpus" / "ChiCTR2699000001.txt").read_text(encoding="utf-8")
    rng = random.Random(7)
    digits = [i for i, ch in enumerate(base) if ch.isdigit()]
    texts = []
    for i in range(n):
        chars = list(base)
        for j in rng.sample(digits, 20):
            chars[j] = str(rng.randrange(10))
        texts.append("".join(chars))
    return texts


def timed(name: str, fn, texts: list[str]) -> float:
    fn(texts[0])
    start = time.perf_counter()
    for t in texts:
        fn(t)
    rate = len(texts) / (time.perf_counter() - start)
    print(f"{name:<44} {rate:>10,.0f} records/s")
    return rate


def peak_kib(fn, texts: list[str]) -> float:
    tracemalloc.start()
    for t in texts:
        fn(t)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=1000)
    args = ap.parse_args()
    texts = sample_texts(args.records)
    default_schema()
    size = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} records, {size:,.0f} characters each on average, one core\n")
    contenders = {
        "plain block splitting (floor)": lambda t: t.split("\n\n"),
        "bireg parse+align, no repair": lambda t: parse_text(t, repair=False),
        "bireg parse+align+repair": lambda t: parse_text(t, repair=True),
        "ftfy.fix_text": ftfy.fix_text,
    }
    rates = {name: timed(name, fn, texts) for name, fn in contenders.items()}
    with batch_collection():  # how `bireg` runs: the collector tuned for batches
        for name in ("bireg parse+align, no repair", "bireg parse+align+repair"):
            rates[name + TUNED_SUFFIX] = timed(name + TUNED_SUFFIX, contenders[name], texts)
    print()
    ours = rates["bireg parse+align, no repair"]
    print(f"bireg vs ftfy.fix_text:        {ours / rates['ftfy.fix_text']:.1f}x faster")
    print(f"bireg vs plain block splitting: {rates['plain block splitting (floor)'] / ours:.1f}x slower")
    print(f"repair on / repair off:         {rates['bireg parse+align+repair'] / ours:.2f}")
    print(f"with bireg's GC settings:       {rates[TUNED] / ours:.2f}x")
    print()
    for name, fn in contenders.items():
        print(f"peak memory {name:<34} {peak_kib(fn, texts[:100]):>8,.0f} KiB (100 records)")


if __name__ == "__main__":
    main()
