"""The length ratio `partial-translation` uses, calibrated on the real pages of ../shared/corpus.

    python benchmarks/calibrate_review.py

For every reviewed field pair of the real records (text copies, the 2024 HTML page, the ITMCTR API
records) with 20 or more Chinese characters, the English's letters and digits per Chinese character
(`text.en_length` / `text.zh_length`); prints the spread, the pairs below `truncation.MIN_RATIO`, and the
seed 003 time point the threshold must catch. Fields the record's own problems say were cut off by the
copy are left out, as the review leaves them out.
"""
from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from bilingual_registry import parse_file
from bilingual_registry.review import pairs_of
from bilingual_registry.review.checks.text import en_length, zh_length
from bilingual_registry.review.checks.truncation import MIN_RATIO, MIN_ZH
from bilingual_registry.review.context import Context

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BIREG_SHARED") or ROOT.parent / "shared")


def main() -> int:
    corpus = SHARED / "corpus"
    paths = sorted((corpus / "text").glob("*.txt")) + sorted((corpus / "html").glob("*.html")) + \
        sorted((corpus / "json").glob("*.json"))
    ctx = Context.default()
    ratios = []
    for path in paths:
        for record in parse_file(path):
            for p in pairs_of(record, ctx):
                if p.value_kind != "vocab" and p.en.strip() and zh_length(p.zh) >= MIN_ZH:
                    ratios.append((en_length(p.en, p.zh) / zh_length(p.zh), record.registration_number, p.where, p.en[:70]))
    ratios.sort()
    values = [r for r, *_ in ratios]
    q = statistics.quantiles(values, n=100)
    print(f"{len(values)} real pairs with {MIN_ZH}+ Chinese characters; English letters per Chinese character:")
    print(f"  min {values[0]:.2f}  p1 {q[0]:.2f}  p5 {q[4]:.2f}  p25 {q[24]:.2f}  median {q[49]:.2f}  p95 {q[94]:.2f}")
    below = [r for r in ratios if r[0] < MIN_RATIO]
    print(f"  below MIN_RATIO={MIN_RATIO}: {len(below)} ({len(below) / len(values):.1%})")
    print("  the lowest ten:")
    for r, number, where, en in ratios[:10]:
        print(f"    {r:.2f} {number} {where}: {en!r}")
    seed = next((SHARED / "seeds").glob("003_*.txt"), None)
    if seed:
        [record] = parse_file(seed)
        for p in pairs_of(record, ctx):
            if p.key == "time_point" and zh_length(p.zh) >= MIN_ZH:
                print(f"  seed 003 {p.where}: {en_length(p.en, p.zh) / zh_length(p.zh):.2f} {p.en[:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
