"""End to end, as a user runs it: `bireg parse` over many seed-size files, a whole process each run,
side by side in the same run with ftfy's `fix_text` and with plain reading + block splitting over the
same files (each also a whole process, so start-up counts for every contender alike).

Run on demand (not in CI):  python benchmarks/bench_e2e.py [--files 3000] [--rounds 3] [--jobs 1,2]
Prints records/s, the ratio to ftfy on one core, and the peak memory of each run's whole process tree
(every process's RSS summed, sampled every 20 ms from /proc). Contenders are timed in turns, round after
round, each keeping its best round; the machine's load is printed with the figures.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_core import machine, sample_texts  # noqa: E402

BIREG = str(Path(sys.executable).with_name("bireg"))
FTFY = """
import sys, ftfy
from pathlib import Path
for p in sorted(Path(sys.argv[1]).iterdir()):
    ftfy.fix_text(p.read_text(encoding="utf-8"))
"""
SPLIT = """
import re, sys
from pathlib import Path
blank = re.compile(r"\\n[ \\t]*\\n")
for p in sorted(Path(sys.argv[1]).iterdir()):
    [b.strip() for b in blank.split(p.read_text(encoding="utf-8"))]
"""


def tree_rss(pid: int) -> int:
    """Bytes of resident memory of a process and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak tree RSS of one whole run; the run must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.02)
    took = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"{cmd[:3]} failed ({proc.returncode}): {proc.stderr.read().decode()[-500:]}")
    return took, peak


def supports_jobs(bireg: str) -> bool:
    out = subprocess.run([bireg, "parse", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in out or " -j" in out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", default="1,2", help="-j values for bireg parse (when it has -j)")
    ap.add_argument("--bireg", default=BIREG, help="the bireg to run (default: the one next to this python, which an editable install points at its checkout; a script doing sys.path.insert(0, CHECKOUT) measures another)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        for i, text in enumerate(sample_texts(args.files)):
            (inputs / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
        out = str(Path(tmp) / "out.jsonl")
        contenders = {"ftfy fix_text": [sys.executable, "-c", FTFY, str(inputs)],
                      "plain read + block split": [sys.executable, "-c", SPLIT, str(inputs)]}
        jobs = [int(j) for j in args.jobs.split(",")] if supports_jobs(args.bireg) else [None]
        for j in jobs:
            name = "bireg parse" + (f" -j {j}" if j else "")
            contenders[name] = [args.bireg, "parse", str(inputs), "--format", "jsonl", "-o", out] + (["-j", str(j)] if j else [])
        best = {name: (float("inf"), 0) for name in contenders}
        for _ in range(args.rounds):
            for name, cmd in contenders.items():
                took, peak = run(cmd)
                best[name] = (min(best[name][0], took), max(best[name][1], peak))
        startup = min(run([args.bireg, "parse", str(Path(__file__).resolve().parents[1] / "corpus" / "ChiCTR2699000001.txt"),
                           "-o", out])[0] for _ in range(5))
    ftfy_rate = args.files / best["ftfy fix_text"][0]
    print(f"{args.files} files, best of {args.rounds} rounds; load average {os.getloadavg()[0]:.2f}; {machine()}")
    for name, (took, peak) in best.items():
        rate = args.files / took
        print(f"{name:<28} {rate:>9,.0f} records/s  {rate / ftfy_rate:>6.2f}x ftfy  peak {peak / 2**20:>7.1f} MiB")
    print(f"start-up, bireg parse on one small file: {startup:.3f} s")


if __name__ == "__main__":
    main()
