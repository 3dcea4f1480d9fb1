"""Instructions per record of `parse_text` (repair off, on) for two revisions, counted by valgrind.

On a shared machine the clock varies by 20% from run to run (another process on the sibling core slows
ours), and a ratio of two timings inherits it. The number of instructions a record takes does not
change with load: valgrind's callgrind counts them. Each version runs `parse_text` over the same
seed-size texts (`bench_core.sample_texts`) once with N records and once with none, in its own process
importing that version only; the difference over N is the cost of a record, start-up left out.

    python benchmarks/bench_instructions.py [--old 0cecf4f] [--new REV] [--records 100]

Needs valgrind (Debian's package). Slow: a few minutes (each run is about 50 times slower than native).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import site
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_core import sample_texts
from bench_versions import describe, unpack

ROOT = Path(__file__).resolve().parents[1]
WORKER = """
import sys, json
sys.path.insert(0, sys.argv[1])
import bilingual_registry as api
assert api.__file__.startswith(sys.argv[1]), api.__file__
from bilingual_registry.throughput import batch_collection
texts, n, repair = json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4] == "on"
with batch_collection():
    api.parse_text(texts[0], repair=True)  # every lazy load done before the count that matters
    for t in texts[:n]:
        api.parse_text(t, repair=repair)
"""


def instructions(folder: Path, texts: Path, n: int, repair: str) -> int:
    """Instructions of one whole run of the worker (the real interpreter, not a shim script)."""
    python = os.path.realpath(sys.executable)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), *site.getsitepackages()])}  # no site hooks:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-S", "-c",
                          WORKER, str(folder), str(texts), str(n), repair], capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"valgrind run failed: {out.stderr[-500:]}")
    return int(found[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--old", default="0cecf4f")
    ap.add_argument("--new", default=None, help="a revision; the working tree when left out")
    ap.add_argument("--records", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        texts = tmp / "texts.json"
        texts.write_text(json.dumps(sample_texts(args.records)), encoding="utf-8")
        folders = {"old": unpack(args.old, tmp / "old"), "new": unpack(args.new, tmp / "new") if args.new else ROOT}
        runs = [(side, repair, n) for side in folders for repair in ("off", "on") for n in (0, args.records)]
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # counts do not depend on load: run side by side
            # (an editable install of this checkout would otherwise win over the old folder)
            counted = dict(zip(runs, pool.map(lambda r: instructions(folders[r[0]], texts, r[2], r[1]), runs)))
    print(f"old: {describe(args.old)}, new: {describe(args.new)}; {args.records} records, instructions per record\n")
    print(f"{'':18}{'old':>14}{'new':>14}  new/old speed")
    for repair in ("off", "on"):
        old, new = ((counted[(s, repair, args.records)] - counted[(s, repair, 0)]) / args.records for s in ("old", "new"))
        print(f"repair {repair:<11}{old:>14,.0f}{new:>14,.0f}  {old / new:.3f}x")


if __name__ == "__main__":
    main()
