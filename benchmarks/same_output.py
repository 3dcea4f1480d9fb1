"""Byte-identical output before and after a refactoring: `bireg parse --format json` of seed 003, of every
file of the shared corpus (html, text, xml, json), of our own `corpus/` and of the folders `corpus/text` and
`corpus/` read as batches, with and without `--no-repair`.

Run on demand (not in CI):
    python benchmarks/same_output.py save DIR     # before the change: one file of stdout per input and mode
    python benchmarks/same_output.py check DIR    # after: the same outputs, byte for byte; exit 1 on a difference

`bireg` is run as `python -c "...cli.main()"` with this interpreter. With PYTHONPATH set to another
checkout of the package (e.g. `git archive main | tar -x -C /tmp/main`), that checkout is run instead
(without site hooks, so an editable install of this one cannot win), to save the other side's outputs.
"""
from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared") if Path("/work/shared").is_dir() else ROOT.parent / "shared"


def inputs() -> list[Path]:
    found = sorted(SHARED.glob("seeds/003_*.txt"))
    for sub in ("html", "text", "xml", "json"):
        found += sorted(p for p in (SHARED / "corpus" / sub).rglob("*") if p.is_file())
    found += sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file())
    return found + [SHARED / "corpus" / "text", ROOT / "corpus"]  # folders too: a batch written as one array


def outputs():
    other = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([other, *site.getsitepackages()])} if other else None
    bireg = [sys.executable, *(["-S"] if other else []), "-c",
             "import sys; from bilingual_registry.cli import main; sys.exit(main())"]
    for path in inputs():
        for extra in ([], ["--no-repair"]):
            run = subprocess.run([*bireg, "parse", "--format", "json", *extra, str(path)], capture_output=True, env=env)
            name = path.relative_to(path.anchor).as_posix().replace("/", "__") + ("." + extra[0][2:] if extra else "")
            yield name, run.stdout + f"\n# exit {run.returncode}\n".encode()


def main(argv: list[str]) -> int:
    mode, folder = argv[1], Path(argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    differ = 0
    count = 0
    for name, data in outputs():
        count += 1
        target = folder / name
        if mode == "save":
            target.write_bytes(data)
        elif not target.exists() or target.read_bytes() != data:
            differ += 1
            print(f"differs: {name}", file=sys.stderr)
    print(f"{count} outputs {'saved' if mode == 'save' else 'compared'}; {differ} differ", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
