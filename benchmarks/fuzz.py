"""The long fuzz run (on demand, not in CI): mutants of the real corpus, pathological shapes, filesystem
cases and the `-o` cases, each under a time and memory budget (tests/fuzzing/harness.py).

    nice python benchmarks/fuzz.py                 # 50,000 mutants + shapes + filesystem + -o cases
    python benchmarks/fuzz.py --mutants 2000 --no-shapes --seed 7

Prints progress on stderr and the counts at the end: cases, outcomes (records and error types),
tracebacks, hangs, budget breaches, other failures (json ≠ jsonl, a lost record, an -o case that
touched another file), peak memory and the slowest input's CPU seconds per MB. Exit status 1 when
anything was wrong; the cases that were are listed, to be replayed with --only NAME.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing.harness import Budget, Case, run_all  # noqa: E402
from fuzzing.mutate import mutant  # noqa: E402
from fuzzing.outputs import output_cases, pipe_and_interrupt_failures, run_output_case  # noqa: E402
from fuzzing.shapes import fs_cases, shape_cases  # noqa: E402

SHARED = ROOT.parent / "shared"


MAX_SOURCE = 512 * 1024  # the two whole ICTRP exports (0.6 and 1.9 MB) are left to their excerpts in ictrp/rows, damaged


def corpus_sources(extra: list[Path] = ()) -> list[Path]:
    """Every file up to 512 KB of the real corpus and the seeds (../shared, or /work/shared), and of our corpus/."""
    shared = next((p for p in (SHARED, Path("/work/shared")) if p.is_dir()), None)
    roots = [ROOT / "corpus", *([shared / "corpus", shared / "seeds"] if shared else []), *extra]
    return sorted(p for r in roots if r.is_dir() for p in r.rglob("*") if p.is_file() and 0 < p.stat().st_size <= MAX_SOURCE)


def mutant_cases(count: int, seed: int, sources: list[Path]):
    cache: dict = {}
    for n in range(count):
        name, data = mutant(seed, n, sources, cache)
        yield Case(name, data=data, family="mutant")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutants", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="size of the pathological shapes (1: full)")
    ap.add_argument("--no-shapes", action="store_true")
    ap.add_argument("--no-fs", action="store_true")
    ap.add_argument("--no-output", action="store_true", help="skip the -o cases (bireg run as a command)")
    ap.add_argument("--only", help="run only the cases whose name contains this")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args = ap.parse_args(argv)

    sources = corpus_sources()
    cases = []
    if not args.no_fs:
        cases += fs_cases()
    if not args.no_shapes:
        cases += shape_cases(args.scale)
    started = time.time()
    total = len(cases) + args.mutants

    def everything():
        yield from cases
        yield from mutant_cases(args.mutants, args.seed, sources)

    selected = (c for c in everything() if args.only is None or args.only in c.name)

    def progress(n, tally):
        if n % 500 == 0 or n == total:
            print(f"fuzz: {n:,}/{total:,} cases, {time.time() - started:.0f} s, "
                  f"{sum(tally.tracebacks.values())} tracebacks, {len(tally.hangs)} hangs, "
                  f"{sum(tally.breaches.values())} breaches, {sum(tally.failures.values())} failures",
                  file=sys.stderr, flush=True)
        if n % 5000 == 0:  # the whole tally now and then: a run cut short still says what it found
            print(f"fuzz: tally after {n:,} cases\n{tally.report()}", file=sys.stderr, flush=True)

    print(f"fuzz: {len(sources)} corpus files, seed {args.seed}, budget {Budget()}", file=sys.stderr)
    tally = run_all(selected, Budget(), progress, args.jobs)
    bad_outputs = []
    if not args.no_output:
        for case in output_cases():
            if args.only is None or args.only in case.name:
                failures = run_output_case(case)
                tally.cases["output"] += 1
                for f in failures:
                    tally.failures["-o case"] += 1
                    tally.examples.setdefault(f"-o: {case.name}", f"{case.name}: {f}")
                    bad_outputs.append(f"{case.name}: {f}")
        tally.cases["output"] += 1
        for f in pipe_and_interrupt_failures():
            tally.failures["-o case"] += 1
            bad_outputs.append(f)
    print(f"fuzz: done in {time.time() - started:.0f} s")
    print(tally.report())
    for r in tally.bad[:40]:
        print(f"BAD {r.name}: {r.tracebacks + r.failures + r.breaches + (['hang'] if r.hang else [])}")
    for line in bad_outputs:
        print(f"BAD -o {line}")
    return 0 if tally.clean else 1


if __name__ == "__main__":
    sys.exit(main())
