"""The parse benchmark run fairly on two versions of the code: records/s of each and the ratio new/old.

Run on demand (not in CI):
    python benchmarks/bench_versions.py [--old 0cecf4f] [--new REV] [--records 1000] [--rounds 5]

`--old` defaults to 0cecf4f, the state before the house issue (#9); `--new` defaults to the working tree
of this checkout. A revision is unpacked with `git archive` into a temporary folder (the working tree
is used where it is). Each version runs in a subprocess of its own that imports that version only
(`-S`, the version's folder first on sys.path, so an editable install cannot win; it says which file
it imported). Both read the SAME sample texts, made once here as bench_core.sample_texts makes them
(seed 003 with 20 digits varied in each) and passed to both in one file.

The subprocesses are timed in turns, round after round, one at a time (the other waits), and each
contender keeps its best round: on a busy machine both are slowed alike, and the best round is the one
least disturbed. ftfy.fix_text runs in both subprocesses in the same turns: the same code, so its
ratio shows how fair the turns were (near 1.00). Both versions' JSON of the first texts is compared too.
"""
from __future__ import annotations

import argparse
import json
import os
import site
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bench_core import sample_texts

ROOT = Path(__file__).resolve().parents[1]
BEFORE_HOUSE = "0cecf4f"
CONTENDERS = ("parse", "repair", "ftfy")
NAMES = {"parse": "parse_text(t, repair=False)", "repair": "parse_text(t, repair=True)",
         "ftfy": "ftfy.fix_text(t) (control)"}

# One version's side: imports its own package, reads the texts, then times one round per command line.
WORKER = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
import ftfy
import bilingual_registry
from bilingual_registry import parse_text
texts = json.load(open(sys.argv[2], encoding="utf-8"))
run = {"parse": lambda t: parse_text(t, repair=False), "repair": lambda t: parse_text(t, repair=True),
       "ftfy": ftfy.fix_text}
for fn in run.values():
    fn(texts[0])  # warm: schema, glossary and patterns loaded before any round
same = hashlib.sha256("".join(parse_text(t, repair=r).model_dump_json() for t in texts[:20]
                              for r in (False, True)).encode()).hexdigest()
print(json.dumps({"module": bilingual_registry.__file__, "output": same}), flush=True)
for line in sys.stdin:
    fn = run[line.strip()]
    start = time.perf_counter()
    for t in texts:
        fn(t)
    print(time.perf_counter() - start, flush=True)
"""


def unpack(rev: str, into: Path) -> Path:
    """The tree of a git revision, unpacked into a folder (the package and its glossary/ data)."""
    into.mkdir(parents=True)
    archive = into.with_suffix(".tar")
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    archive.unlink()
    return into


def describe(rev: str | None) -> str:
    if rev is None:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return f"working tree ({head.stdout.strip()}{' + uncommitted changes' if dirty else ''})"
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True,
                          check=True).stdout.strip()


class Version:
    """One version's subprocess: started with its folder first on sys.path, fed one command a round."""

    def __init__(self, label: str, folder: Path, texts_file: Path):
        self.label = label
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), *site.getsitepackages()])}
        self.proc = subprocess.Popen([sys.executable, "-S", "-c", WORKER, str(folder), str(texts_file)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                     cwd=texts_file.parent)
        ready = self.proc.stdout.readline()
        if not ready:
            raise SystemExit(f"{label}: the worker failed to start (see its error above)")
        info = json.loads(ready)
        self.module, self.output = info["module"], info["output"]
        if not Path(self.module).resolve().is_relative_to(folder.resolve()):
            raise SystemExit(f"{label}: imported {self.module}, not the version in {folder}")
        self.best = {name: float("inf") for name in CONTENDERS}

    def round(self, name: str) -> None:
        self.proc.stdin.write(name + "\n")
        self.proc.stdin.flush()
        self.best[name] = min(self.best[name], float(self.proc.stdout.readline()))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", default=BEFORE_HOUSE, help=f"the revision to compare against (default {BEFORE_HOUSE})")
    ap.add_argument("--new", default=None, help="the revision to measure (default: this working tree)")
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_versions_") as tmp:
        tmp = Path(tmp)
        texts = sample_texts(args.records)
        texts_file = tmp / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        folders = {"old": unpack(args.old, tmp / "old"),
                   "new": ROOT if args.new is None else unpack(args.new, tmp / "new")}
        labels = {"old": describe(args.old), "new": describe(args.new)}
        print(f"{len(texts)} records of {sum(map(len, texts)) / len(texts):,.0f} characters (seed 003, digits "
              f"varied), the same file for both; best of {args.rounds} rounds, taken in turns; "
              f"load average {os.getloadavg()[0]:.2f}")
        versions = [Version(side, folders[side], texts_file) for side in ("old", "new")]
        try:
            for v in versions:
                print(f"{v.label}: {labels[v.label]}, imports {v.module}")
            for n in range(args.rounds):
                for name in CONTENDERS:
                    for v in (versions if n % 2 == 0 else versions[::-1]):  # neither always goes first
                        v.round(name)
        finally:
            for v in versions:
                v.close()
    old, new = versions
    print(f"\n{'':<30} {'old rec/s':>10} {'new rec/s':>10} {'new/old':>8}")
    for name in CONTENDERS:
        a, b = len(texts) / old.best[name], len(texts) / new.best[name]
        print(f"{NAMES[name]:<30} {a:>10,.0f} {b:>10,.0f} {b / a:>8.2f}")
    same = "identical" if old.output == new.output else "DIFFERENT"
    print(f"\nJSON of the first {min(20, len(texts))} records, repair off and on: {same}; "
          f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
