"""Start-up of `bireg parse` on one small file, as a whole process: wall and CPU seconds, best of N, side
by side in one run with the bare interpreter, the imports alone, ftfy's command line on the same file
(the ratio to it holds from machine to machine) and (with --other) another checkout.

Run on demand (not in CI):
    python benchmarks/bench_startup.py [--runs 10] [--other /tmp/main]   # e.g. `git archive main | tar -x -C /tmp/main`

Every contender is run as `python -S` with PYTHONPATH=checkout:site-packages (so neither editable install
wins), .pyc files written in a first round that is not counted, each run in turn, round after round. CPU
time (user + sys, from wait4) is what a busy machine disturbs least; the load average is printed. Then the
imports that cost most (`-X importtime`, self time, best of 5) of this checkout.
"""
from __future__ import annotations

import argparse
import os
import site
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "corpus" / "ChiCTR2699000001.txt"


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one whole run, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env, cwd="/")
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def env_for(checkout: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": os.pathsep.join([str(checkout), *site.getsitepackages()])}


def top_imports(checkout: Path, rounds: int = 5, top: int = 12) -> list[tuple[float, str]]:
    """The imports of `bireg parse FILE` that cost most, self time in ms, best of `rounds`."""
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(rounds):
        err = subprocess.run([sys.executable, "-S", "-X", "importtime", "-m", "bilingual_registry", "parse", str(FILE)],
                             capture_output=True, text=True, env=env_for(checkout), cwd="/").stderr
        for line in err.splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                own, _, name = line[len("import time:"):].split("|")
                best[name.strip()] = min(best[name.strip()], int(own) / 1000)
    return sorted(((ms, name) for name, ms in best.items()), reverse=True)[:top]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--other", type=Path, help="another checkout, run side by side (e.g. main's)")
    args = ap.parse_args()
    py = [sys.executable, "-S"]
    parse = ["-m", "bilingual_registry", "parse", str(FILE)]
    contenders = {"python -S -c pass": ([*py, "-c", "pass"], ROOT),
                  "import bilingual_registry.cli.parse": ([*py, "-c", "import bilingual_registry.cli.parse"], ROOT),
                  "bireg parse FILE": ([*py, *parse], ROOT),
                  # ftfy's own command on the same file: the machine's measure for a text tool's start
                  "ftfy FILE (ftfy's command line)": ([*py, "-c", "from ftfy.cli import main; main()", str(FILE)], ROOT)}
    if args.other:
        contenders[f"bireg parse FILE ({args.other})"] = ([*py, *parse], args.other)
    times = {name: [] for name in contenders}
    for n in range(args.runs + 1):
        for name, (cmd, checkout) in contenders.items():
            took = run(cmd, env_for(checkout))
            if n:  # the first round writes the .pyc files
                times[name].append(took)
    print(f"{FILE.name}, best of {args.runs}; load average {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")
    for name, got in times.items():
        wall, cpu = min(w for w, _ in got), min(c for _, c in got)
        print(f"{name:<60} wall {wall:.3f} s  cpu {cpu:.3f} s")
    ours, ftfy = (min(c for _, c in times[k]) for k in ("bireg parse FILE", "ftfy FILE (ftfy's command line)"))
    print(f"cpu ratio, bireg parse / ftfy: {ours / ftfy:.2f}")
    if args.other:
        ours, other = (min(c for _, c in times[k]) for k in ("bireg parse FILE", f"bireg parse FILE ({args.other})"))
        print(f"cpu ratio, this checkout / other: {ours / other:.2f}")
    print("\nimports that cost most (-X importtime, self ms, best of 5):")
    for ms, name in top_imports(ROOT):
        print(f"{ms:8.2f}  {name}")


if __name__ == "__main__":
    main()
