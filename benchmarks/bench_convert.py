"""Convert at scale: `bireg convert` over N generated records (time, peak memory of all its processes),
-j 2 against -j 1, and records/s of each stage beside ftfy and plain line splitting, in one run.

    python benchmarks/bench_convert.py [--records 100000] [--sample 600] [--subset 3000] [--corpus DIR]

The corpus is `bireg synth N` (text exports, detail pages, ITMCTR API JSON in turns, 10% damaged), made
once into `--corpus` (default /tmp/bireg-bench-convert-N) and reused when it is already there.

1. Stages, in this process on one core, over the same `--sample` files, in turns (best of 3 rounds):
   plain line splitting, ftfy.fix_text, parse (no repair), parse+repair, +review (when
   bilingual_registry.review exists), convert (parse+repair+to_english, from plain data as `bireg convert`
   makes rows: no Record validated); then the same over the real
   records of ../shared/corpus, when present, given apart.
2. -j 1 against -j 2: `bireg convert` over `--subset` files, in turns, best of 2 each; the two outputs must
   be the same bytes.
3. The whole corpus: `bireg convert CORPUS -o OUT.parquet` on all cores, wall time and the peak memory of
   the process tree sampled from /proc every 0.2 s (the sum of RSS, which counts pages the forked
   workers share once per process, and the sum of PSS, which shares them out).
Targets: under 5 minutes and 500 MB for 100,000 records; -j 2 at least 1.7x -j 1. The machine's load
(`uptime`) is printed before and after: other work on the same cores slows every figure.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIREG = [str(Path(sys.executable).with_name("bireg"))]  # the installed command, as a user runs it


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def corpus(folder: Path, n: int, seed: int) -> list[Path]:
    from bilingual_registry.synth.corpus import MANIFEST, write_corpus

    manifest = folder / MANIFEST
    if not (manifest.is_file() and sum(1 for _ in open(manifest, "rb")) == n):
        start = time.perf_counter()
        write_corpus(n, folder, seed=seed, damaged=0.1)
        print(f"corpus: {n:,} records made in {time.perf_counter() - start:.0f} s -> {folder}")
    else:
        print(f"corpus: {n:,} records reused from {folder}")
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _stages() -> dict:
    import ftfy

    from bilingual_registry import parse_bytes

    stages = {"plain line splitting": lambda data: data.decode("utf-8").splitlines(),
              "ftfy.fix_text": lambda data: ftfy.fix_text(data.decode("utf-8")),
              "parse (no repair)": lambda data: parse_bytes(data, repair=False),
              "parse+repair": lambda data: parse_bytes(data)}
    if importlib.util.find_spec("bilingual_registry.review"):
        from bilingual_registry.review import review

        stages["parse+repair+review"] = lambda data: review(parse_bytes(data))
    from bilingual_registry.convert import to_english

    stages["convert (parse+repair+to_english)"] = lambda data: [to_english(r) for r in parse_bytes(data, validate=False)]
    return stages


def real_pages() -> list[Path]:
    """The real records of ../shared/corpus (pages, text copies, XML, API JSON) that parse, when present."""
    from bilingual_registry import parse_bytes
    from bilingual_registry.errors import RecordError

    shared = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    found = []
    for kind in ("html", "text", "xml", "json"):
        for p in sorted((shared / kind).glob("*.*")):
            try:
                parse_bytes(p.read_bytes(), str(p))
            except RecordError:
                continue
            found.append(p)
    return found


def stage_rates(files: list[Path], what: str, rounds: int = 3) -> None:
    texts = [p.read_bytes() for p in files]
    stages = _stages()
    for fn in stages.values():  # load what each loads lazily, outside the clock
        fn(texts[0])
    best = {name: float("inf") for name in stages}
    for _ in range(rounds):
        for name, fn in stages.items():
            start = time.perf_counter()
            for t in texts:
                fn(t)
            best[name] = min(best[name], time.perf_counter() - start)
    base = len(texts) / best["plain line splitting"]
    print(f"\n1. stages over the same {len(texts):,} files ({what}), one core, best of {rounds} rounds in turns")
    print(f"   {'stage':38} {'records/s':>12} {'vs splitting':>13}")
    for name, seconds in best.items():
        rate = len(texts) / seconds
        print(f"   {name:38} {rate:12,.0f} {rate / base:12.4f}x")


def _convert(inputs: list[str], out: Path, jobs: int, sample=None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its workers) of one `bireg convert`."""
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.Popen(BIREG + ["convert", *inputs, "-o", str(out), "-j", str(jobs), "--quiet"],
                            stderr=subprocess.PIPE, text=True)
    if sample:
        sample(proc.pid)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bireg convert failed ({proc.returncode}): {err}")
    print(f"   {err.strip()[:160]}")
    return seconds, usage.ru_utime + usage.ru_stime


def jobs_ratio(files: list[Path], work: Path) -> None:
    inputs = [str(p) for p in files]
    times: dict[int, list] = {1: [], 2: []}
    digests = {}
    print(f"\n2. bireg convert over {len(files):,} files, -j 1 and -j 2 in turns")
    for _ in range(2):
        for jobs in (1, 2):
            out = work / f"j{jobs}.parquet"
            times[jobs].append(_convert(inputs, out, jobs))
            digests[jobs] = hashlib.sha256(out.read_bytes()).hexdigest()
    (one, cpu1), (two, cpu2) = min(times[1]), min(times[2])
    print(f"   -j 1 {one:.1f} s ({len(files) / one:,.0f} files/s), -j 2 {two:.1f} s ({len(files) / two:,.0f} files/s): "
          f"{one / two:.2f}x wall (target 1.7x); outputs the same bytes: {digests[1] == digests[2]}")
    print(f"   CPU seconds, the command and its workers: -j 1 {cpu1:.1f}, -j 2 {cpu2:.1f} ({cpu2 / cpu1:.2f}x the work: "
          f"what two processes add; on two idle cores -j 2 would reach at most {2 * cpu1 / cpu2:.2f}x)")


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _memory(pids: list[int]) -> tuple[int, int]:
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def whole_run(folder: Path, n: int, work: Path) -> None:
    peak = {"rss": 0, "pss": 0}

    def sample(pid: int) -> None:
        def loop() -> None:
            while True:
                try:
                    os.kill(pid, 0)
                except OSError:
                    return
                rss, pss = _memory(_tree(pid))
                peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
                time.sleep(0.2)
        threading.Thread(target=loop, daemon=True).start()

    print(f"\n3. bireg convert over the whole corpus ({n:,} records), all cores")
    out = work / "all.parquet"
    seconds, cpu = _convert([str(folder)], out, os.cpu_count() or 1, sample)
    mb = 1024 * 1024
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    print(f"   {seconds:.0f} s, {n / seconds:,.0f} records/s (target: under 300 s); peak memory of the process tree: "
          f"RSS sum {peak['rss'] / mb:,.0f} MB, PSS sum {peak['pss'] / mb:,.0f} MB (target: under 500 MB), "
          f"largest single process {largest:,.0f} MB; {cpu:,.0f} CPU seconds; output {out.stat().st_size / mb:,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=600, help="files timed stage by stage")
    ap.add_argument("--subset", type=int, default=3000, help="files for -j 1 against -j 2")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", type=Path, help="where the generated corpus is kept")
    args = ap.parse_args()
    from bilingual_registry.throughput import batch_collection

    batch_collection().__enter__()  # the collector tuned as bireg runs it, for every contender alike
    print(f"load before: {_uptime()}")
    folder = args.corpus or Path(tempfile.gettempdir()) / f"bireg-bench-convert-{args.records}-{args.seed}"
    files = corpus(folder, args.records, args.seed)
    step = max(1, len(files) // args.sample)
    stage_rates(files[::step][:args.sample], "generated")
    real = real_pages()
    if real:
        stage_rates(real, "the real records of ../shared/corpus")
    with tempfile.TemporaryDirectory() as work:
        jobs_ratio(files[:args.subset], Path(work))
        whole_run(folder, args.records, Path(work))
    print(f"\nload after: {_uptime()}")


if __name__ == "__main__":
    main()
