"""Instructions per record of `review()` over generated seed-size records, counted by valgrind's callgrind.

The clock on a shared VM moves by 20-40% from run to run; instruction counts do not move with load, so a
change to the review is judged by them (the speed ratio to pofilter is still `bench_review.py`'s, side by
side). Two processes, each importing the checkout in the current directory (a worktree too), generate
the same `--records` records; one reviews them, the other does not, and the difference over the records
is printed. With `--checks ID,...`, only those checks run. With `--real`, the records are the real pages'
(`bench_review.real_records`, needs ../shared), reviewed once before the count as `bench_review.py`'s
best-of-three rounds over them are.

    python benchmarks/bench_review_instructions.py [--records 50] [--real] [--checks number-mismatch,spelling]

Needs valgrind (Debian's package). Slow: about three minutes.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

WORKER = """
import sys
sys.path.insert(0, sys.argv[4])
from bilingual_registry.synth import Generator
from bilingual_registry.review import review, ReviewConfig
gen = Generator(11)
# warm, as in a long run: the glossary's tables built, and what loads at its first use loaded (cn2an's import,
# 0.25 s, comes with the first Chinese numeral: one in 40 generated records)
review([gen.varied(i) for i in range(60)])
if sys.argv[3] == "real":
    from bench_review import real_records
    records = real_records()
    review(records)
else:
    records = [gen.varied(1000 + i) for i in range(int(sys.argv[1]))]
if sys.argv[2] != "none":
    review(records, config=ReviewConfig(None if sys.argv[2] == "all" else frozenset(sys.argv[2].split(","))))
"""


def python() -> str:
    """The interpreter itself, not a pyenv shim (valgrind would count the shim's shell)."""
    return str(Path(sysconfig.get_config_var("BINDIR")) / f"python{sysconfig.get_python_version()}")


def instructions(records: int, checks: str, interpreter: str, real: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", interpreter, "-c", WORKER,
                        str(records), checks, "real" if real else "generated", str(Path(__file__).parent)], capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        return int(re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M).group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=50)
    ap.add_argument("--real", action="store_true", help="the real pages' records instead of generated ones")
    ap.add_argument("--checks", default="all", help="these checks' cost alone (ids, comma-separated)")
    args = ap.parse_args()
    interpreter = python()  # once, here: sysconfig's first call is not safe from two threads
    if args.real:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_review import real_records
        args.records = len(real_records())
    with ThreadPoolExecutor(2) as pool:
        full, base = pool.map(instructions, [args.records] * 2, [args.checks, "none"], [interpreter] * 2, [args.real] * 2)
    what = "review" if args.checks == "all" else args.checks
    print(f"{what} of {Path.cwd().name}: {(full - base) / args.records / 1e6:.2f} M instructions a record "
          f"({args.records} {'real' if args.real else 'generated'} records)")


if __name__ == "__main__":
    sys.exit(main())
