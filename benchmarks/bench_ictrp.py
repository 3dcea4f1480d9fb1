"""ICTRP exports: what became of every `?` run and best-fit look-alike, per damage kind, and speed.

    python benchmarks/bench_ictrp.py [--corpus ../shared/corpus/ictrp] [--samples 3]

Reads the real ICTRP files of the shared corpus twice (repair off, on). Every run of `?` in an English
value (URLs, e-mails and numbers aside) is put under what the repair did with it: repaired (the rule
that applied), proposed below the threshold, reported as lost text, flagged as a lost character nothing
explains, or left (nothing claimed it: a real question mark, or damage no rule saw). The look-alikes
best fit leaves without a `?` (`=` for ≥/≤, `ß` for β, `109` for 10⁹) are counted by the repairs made to
them. The damaged excerpts and the two whole exports are counted apart, with a sample of each kind
to read. Speed: the ICTRP reader (repair off and on) against a bare `csv.DictReader` pass over the
same CSV, in one run, as a ratio.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from bilingual_registry import parse_file
from bilingual_registry.repair.text import inside, protected_spans

_RUN = re.compile(r"\?+")
_AT = re.compile(r"^en value at (\d+):")
_LOOKALIKE = {"bestfit-comparison": "= for ≥/≤", "bestfit-superscript": "109 for 10⁹"}


def _fates(raw, fixed) -> tuple[Counter, dict[str, list[str]]]:
    """(count per fate, samples per fate) of the `?` runs and look-alikes of one record."""
    counts: Counter = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    reported = [(p.field, int(m.group(1)), p.code) for p in fixed.problems if p.field
                for m in [_AT.match(p.message)] if m]  # a problem names its field's key, not the member
    for f0, f1 in zip(raw.fields, fixed.fields):
        value = f0.en.value
        spans = protected_spans(value)
        for r in f1.repairs:
            if r.side == "en" and r.rule in _LOOKALIKE or r.rule == "bestfit-greek" and "ß" in r.before:
                fate = f"{'repaired' if r.applied else 'proposed'}: {_LOOKALIKE.get(r.rule, 'ß for β')}"
                counts[fate] += 1
                samples[fate].append(f"{raw.registration_number} {f0.key}: …{value[max(0, r.at - 30):r.at + 30]}… "
                                     f"[{r.before} → {r.after}]")
        for m in _RUN.finditer(value):
            if inside(m.start(), spans):
                continue
            covering = [r for r in f1.repairs if r.side == "en" and r.at <= m.start() < r.at + len(r.before)]
            code = next((c for key, at, c in reported if key == f0.key and at <= m.start() < at + 40), None)
            if covering:
                r = covering[0]
                fate = f"{'repaired' if r.applied else 'proposed'}: {r.rule}"
                shown = f"[{r.before} → {r.after}]"
            elif code:
                fate, shown = f"reported: {code}", ""
            else:
                fate, shown = "left", ""
            counts[fate] += 1
            samples[fate].append(f"{raw.registration_number} {f0.key}: …{value[max(0, m.start() - 30):m.end() + 30]}… {shown}")
    return counts, samples


def _report(title: str, paths: list[Path], n_samples: int) -> None:
    counts: Counter = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    records = 0
    for path in paths:
        for raw, fixed in zip(parse_file(path, repair=False), parse_file(path)):
            records += 1
            c, s = _fates(raw, fixed)
            counts += c
            for k, v in s.items():
                samples[k] += v
    print(f"\n== {title}: {records} records from {len(paths)} files")
    for fate, n in sorted(counts.items()):
        print(f"{n:6d}  {fate}")
    for fate in sorted(samples):
        print(f"-- {fate}")
        for line in samples[fate][:n_samples]:
            print("   ", line.replace("\n", "⏎"))


def _speed(path: Path) -> None:
    rounds = {"csv.DictReader": [], "ictrp reader, repair off": [], "ictrp reader, repair on": []}
    for _ in range(3):  # in turns, best of three
        start = time.perf_counter()
        rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
        rounds["csv.DictReader"].append(len(rows) / (time.perf_counter() - start))
        for name, repair in (("ictrp reader, repair off", False), ("ictrp reader, repair on", True)):
            start = time.perf_counter()
            n = len(parse_file(path, repair=repair))
            rounds[name].append(n / (time.perf_counter() - start))
    base = max(rounds["csv.DictReader"])
    print(f"\n== speed on {path.name} (rows/s, best of 3, taken in turns)")
    for name, rates in rounds.items():
        print(f"{max(rates):10.0f}  {name}  ({max(rates) / base:.3f} × csv.DictReader)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ictrp")
    ap.add_argument("--samples", type=int, default=3)
    args = ap.parse_args()
    damaged = sorted((args.corpus / "damaged").glob("*.csv"))
    whole = sorted(args.corpus.glob("ICTRP*.csv")) + sorted(args.corpus.glob("ICTRP*.xml"))
    _report("damaged excerpts (damaged/)", damaged, args.samples)
    _report("whole exports (500-row CSV, 120-trial XML)", whole, args.samples)
    _speed(whole[0])


if __name__ == "__main__":
    main()
