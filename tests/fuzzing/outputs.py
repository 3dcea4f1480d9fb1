"""The `-o` cases: bireg run as a command against odd output targets, closed pipes and Ctrl-C.

Each case builds a folder, runs `bireg parse`, and then checks that no file but OUT changed (bytes,
type, link target), that OUT is either exactly as before or a complete JSON text of the records, that
no traceback was printed, and the exit status the case expects. `/dev/null` itself is never used as
OUT (a bireg that replaced it would break the machine): a FIFO stands for "not a regular file".
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "corpus" / "ChiCTR2699000001.txt"
BIREG = [sys.executable, "-c", "import sys; from bilingual_registry.cli import main; sys.exit(main())"]


@dataclass
class OutputCase:
    name: str
    setup: Callable[[Path], tuple[list[str], Optional[Path]]]  # → (bireg arguments, OUT)
    exit: tuple[int, ...] = (0,)  # exit statuses allowed
    records: Optional[int] = None  # records OUT must hold when it was written
    may_write: bool = True  # False: OUT must stay as it was
    extra: list[str] = field(default_factory=list)


def _snapshot(folder: Path) -> dict[str, tuple]:
    seen = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                seen[p] = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                seen[p] = ("file", hashlib.sha256(Path(p).read_bytes()).hexdigest())
            else:
                seen[p] = ("other", stat.S_IFMT(st.st_mode))
    return seen


def _good(folder: Path, name: str = "a.txt") -> str:
    p = folder / name
    p.write_bytes(EXAMPLE.read_bytes())
    return str(p)


def _old(folder: Path, name: str = "out.json") -> Path:
    p = folder / name
    p.write_text('{"old": true}\n')
    return p


def _to_dir(f: Path):
    (f / "outdir").mkdir()
    (f / "outdir" / "keep.txt").write_text("keep")
    return ["parse", _good(f), "-o", str(f / "outdir")], f / "outdir"


def _missing_dir(f: Path):
    return ["parse", _good(f), "-o", str(f / "missing" / "dir" / "x.json")], f / "missing" / "dir" / "x.json"


def _planted_part(f: Path):
    (f / "victim.txt").write_text("victim")
    os.symlink("victim.txt", f / "out.json.part")
    return ["parse", _good(f), "-o", str(f / "out.json")], f / "out.json"


def _out_is_link(f: Path):
    (f / "victim.txt").write_text("victim")
    os.symlink("victim.txt", f / "out.json")
    return ["parse", _good(f), "-o", str(f / "out.json")], f / "out.json"


def _out_is_fifo(f: Path):
    os.mkfifo(f / "out.fifo")
    return ["parse", _good(f), "-o", str(f / "out.fifo")], f / "out.fifo"


def _out_is_input(f: Path):
    a = _good(f)
    return ["parse", a, "-o", a], Path(a)


def _all_fail(f: Path):
    (f / "bad.txt").write_text("not a record at all\n")
    return ["parse", str(f / "bad.txt"), "-o", str(_old(f))], f / "out.json"


def _some_fail(f: Path):
    (f / "bad.txt").write_text("not a record at all\n")
    return ["parse", _good(f), str(f / "bad.txt"), "-o", str(_old(f))], f / "out.json"


def _fresh(f: Path):
    return ["parse", _good(f), _good(f, "b.txt"), "-o", str(f / "out.json")], f / "out.json"


def _usage(*args: str):
    def setup(f: Path):
        return ["parse", _good(f), *args], None
    return setup


def output_cases() -> list[OutputCase]:
    return [
        OutputCase("-o an existing folder", _to_dir, exit=(2,), may_write=False),
        OutputCase("-o missing/dir/x", _missing_dir, exit=(1, 2), may_write=False),
        OutputCase("-o with a planted OUT.part link", _planted_part, records=1),
        OutputCase("-o a link to another file", _out_is_link, exit=(0, 2), may_write=False),
        OutputCase("-o a FIFO", _out_is_fifo, exit=(2,), may_write=False),
        OutputCase("-o naming an input", _out_is_input, exit=(2,), may_write=False),
        OutputCase("-o when every input fails", _all_fail, exit=(1,), may_write=False),
        OutputCase("-o when some inputs fail", _some_fail, exit=(1,), records=1),
        OutputCase("-o fresh, two records", _fresh, records=2),
        OutputCase("--max-size 0", _usage("--max-size", "0"), exit=(2,)),
        OutputCase("--max-size -1", _usage("--max-size", "-1"), exit=(2,)),
        OutputCase("--max-size inf", _usage("--max-size", "inf"), exit=(2,)),
        OutputCase("--format bogus", _usage("--format", "bogus"), exit=(2,)),
    ]


def _records_in(path: Path) -> Optional[int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return len(data) if isinstance(data, list) else 1


def run_output_case(case: OutputCase) -> list[str]:
    """The case's failures ([] when it holds)."""
    with tempfile.TemporaryDirectory(prefix="bireg-o-") as tmp:
        folder = Path(tmp)
        argv, out = case.setup(folder)
        before = _snapshot(folder)
        try:
            proc = subprocess.run([*BIREG, *argv], capture_output=True, text=True, timeout=60, cwd=tmp)
        except subprocess.TimeoutExpired:
            return ["hang (60 s)"]
        after = _snapshot(folder)
        failures = []
        if "Traceback" in proc.stderr:
            failures.append("printed a traceback: " + proc.stderr.strip().splitlines()[-1][:200])
        if proc.returncode not in case.exit:
            failures.append(f"exit {proc.returncode}, expected {case.exit}: {proc.stderr.strip()[:200]}")
        key = str(out) if out is not None else None
        changed = sorted(p for p in set(before) | set(after) if p != key and before.get(p) != after.get(p))
        changed = [p for p in changed if not (key and p.startswith(key + os.sep) and case.may_write)]
        if changed:
            failures.append(f"changed other files: {[os.path.relpath(p, tmp) for p in changed]}")
        if key is not None and before.get(key) != after.get(key):
            if not case.may_write:
                failures.append(f"OUT changed: {before.get(key)} -> {after.get(key)}")
            elif after.get(key, ("",))[0] != "file" or _records_in(out) != case.records:
                failures.append(f"OUT is not complete: {after.get(key)}, {_records_in(out)} records")
        return failures


def _ctrl_c_as_in_a_terminal() -> None:
    """Ctrl-C delivered to bireg as in a terminal, however this run was started: a shell without job control
    starts `cmd &` with SIGINT ignored, its children inherit that, and Python then never raises
    KeyboardInterrupt (the long run, started so, saw bireg finish with exit 0 after the signal)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def pipe_and_interrupt_failures(folder_of: int = 1000) -> list[str]:
    """`bireg parse ... | head -1` must end quietly; Ctrl-C must exit 130 with one line, no traceback."""
    failures = []
    with tempfile.TemporaryDirectory(prefix="bireg-sig-") as tmp:
        for i in range(folder_of):
            _good(Path(tmp), f"r{i}.txt")
        proc = subprocess.Popen([*BIREG, "parse", "--format", "jsonl", tmp], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.wait(60)
        if "Traceback" in err or "BrokenPipe" in err:
            failures.append("closed pipe: " + err.strip().splitlines()[-1][:200])
        inputs = set(os.listdir(tmp))
        proc = subprocess.Popen([*BIREG, "parse", "--format", "jsonl", "-o", os.path.join(tmp, "o.jsonl"), tmp],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_ctrl_c_as_in_a_terminal)
        started = time.time()  # interrupt once it writes (its temporary OUT is there), not while Python starts
        while set(os.listdir(tmp)) == inputs and proc.poll() is None and time.time() - started < 60:
            time.sleep(0.05)
        finished_first = proc.poll() is not None
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        err = err.decode()
        if finished_first:
            failures.append(f"Ctrl-C: not tested, bireg read all {folder_of} records before it could be interrupted")
        elif proc.returncode != 130 or "Traceback" in err or len(err.strip().splitlines()) > 1:
            failures.append(f"Ctrl-C: exit {proc.returncode}, stderr {err.strip()[-200:]!r}")
    return failures
