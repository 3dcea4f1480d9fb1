"""The length ratio `partial-translation` uses, calibrated on the real pages of ../shared/corpus.

    python benchmarks/calibrate_review.py

For every reviewed field pair of the real records (text copies, the 2024 HTML page, the ITMCTR API
records) with 20 or more Chinese characters, the English's letters and digits per Chinese character
(`text.en_length` / `text.zh_length`); prints the spread, the pairs below `truncation.MIN_RATIO`, and the
seed 003 time point the threshold must catch. Fields the record's own problems say were cut off by the
copy are left out, as the review leaves them out.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_review import SHARED, real_records  # noqa: E402

from bilingual_registry import parse_file  # noqa: E402
from bilingual_registry.review import pairs_of  # noqa: E402
from bilingual_registry.review.checks.text import en_length, zh_length  # noqa: E402
from bilingual_registry.review.checks.truncation import MIN_RATIO, MIN_ZH  # noqa: E402
from bilingual_registry.review.context import Context  # noqa: E402


def main() -> int:
    ctx = Context.default()
    ratios = []
    for record in real_records():
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
