"""Run inputs through bireg under budgets, in a worker process, and count what happens.

Each case is read twice over: by the library (`parse_many`, whose outcomes give the error types) and
by the command (`bireg parse --format json -o` and `--format jsonl -o`, in-process), whose two outputs
must hold the same values. A worker process runs the cases one after another under an address-space
limit; the parent waits at most `Budget.hang_s` (wall clock) for each and kills and replaces a worker
that does not answer: that case is a hang. Per case the worker measures CPU seconds (its own, so other
work on the machine does not count) and its peak resident memory above what it held before the case
(Linux resets the peak on writing 5 to /proc/self/clear_refs); each shape runs in a fresh worker, whose
heap holds no memory an earlier case freed (reused, it would not show in the peak).

Budgets (for any input under the size limit): CPU time ≤ `time_base` + `time_per_mb` × MB, peak
memory ≤ `mem_base` + `mem_factor` × input, each output file ≤ `out_base` + `out_factor` × input.
"""
from __future__ import annotations

import contextlib
import io
import json
import multiprocessing as mp
import os
import re
import resource
import shutil
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

MB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    time_base: float = 2.0  # CPU seconds any input may take
    time_per_mb: float = 4.0  # and per MB of input
    mem_base: int = 96 * MB
    mem_factor: int = 30
    out_base: int = 1 * MB
    out_factor: int = 100
    hang_s: float = 60.0  # wall seconds before a case is called a hang (at least; grows with size)
    address_space: int = 4096 * MB  # the worker's hard limit: a runaway case fails, the machine does not

    def time_s(self, size: int) -> float:
        return self.time_base + self.time_per_mb * size / MB

    def memory(self, size: int) -> int:
        return self.mem_base + self.mem_factor * size

    def output(self, size: int) -> int:
        return self.out_base + self.out_factor * size

    def wall(self, size: int) -> float:
        """Wall seconds for a whole case (three reads) on a busy machine."""
        return max(self.hang_s, 3 * 10 * self.time_s(size))


@dataclass
class Case:
    """One input. `data`: the bytes of one file; or `build(folder)` makes files and returns the paths to
    give bireg and the input size. `check(result)` adds the case's own failures (e.g. a record lost)."""

    name: str
    data: Optional[bytes] = None
    build: Optional[Callable[[Path], tuple[list[str], int]]] = None
    check: Optional[Callable[["Result"], list[str]]] = None
    family: str = "mutant"


@dataclass
class Result:
    name: str
    family: str
    size: int = 0
    outcomes: Counter = field(default_factory=Counter)  # "record" or an error class name
    records: int = 0  # records in the command's jsonl output
    cpu_s: float = 0.0  # the slowest of the three reads
    peak: int = 0  # bytes above the worker's resident size before the case
    out_bytes: int = 0
    tracebacks: list[str] = field(default_factory=list)  # "Type: where" of every unexpected exception
    failures: list[str] = field(default_factory=list)  # json != jsonl, a lost record, ...
    breaches: list[str] = field(default_factory=list)
    hang: bool = False
    values: dict = field(default_factory=dict)  # the outputs read back, while the case is judged


def _status(key: str) -> int:
    with open("/proc/self/status") as fh:
        return int(re.search(rf"^{key}:\s+(\d+) kB", fh.read(), re.M)[1]) * 1024


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    last = next((f for f in reversed(frames) if "bilingual_registry" in f.filename), frames[-1] if frames else None)
    at = f" at {Path(last.filename).name}:{last.lineno}" if last else ""
    return f"{type(exc).__name__}{at}: {str(exc)[:160]}"


def _cli(argv: list[str]) -> tuple[int, str, Optional[BaseException]]:
    from bilingual_registry.cli import main

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rc = main(argv)
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # noqa: BLE001 - a traceback is what we count
        return -1, err.getvalue(), exc
    return rc, err.getvalue(), None


def _json_values(text: str, fmt: str) -> list:
    if fmt == "jsonl":
        return [json.loads(line) for line in text.split("\n") if line.strip()]  # not splitlines: U+2028 is no line end
    if not text.strip():
        return []
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def run_case(case: Case, folder: Path, budget: Budget) -> Result:
    """Read one case three ways in this process (the worker) and judge it."""
    from bilingual_registry.api import parse_many
    from bilingual_registry.errors import RecordError

    if case.build is not None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / "out").mkdir()
        inputs, size = case.build(folder)
    else:  # the common case: one file, the folder kept from case to case (removing it costs more than reading)
        (folder / "out").mkdir(parents=True, exist_ok=True)
        for old in (folder / "out").iterdir():
            old.unlink()
        (folder / "input").write_bytes(case.data)
        inputs, size = [str(folder / "input")], _input_size(case.data)
    res = Result(case.name, case.family, size)
    out = folder / "out"
    base = _status("VmRSS")
    _reset_peak()
    t0 = time.process_time()
    formatted = case.family == "mutant" and _formatter() is not None
    records = []
    try:
        for _, outcome in parse_many(inputs):
            res.outcomes["record" if not isinstance(outcome, RecordError) else type(outcome).__name__] += 1
            if type(outcome).__name__ == "ReaderFailure":  # an exception the library caught: a bug all the same
                res.tracebacks.append(f"ReaderFailure: {str(outcome).split(': ', 1)[-1][:200]}")
            if formatted and not isinstance(outcome, RecordError):
                records.append(outcome)
    except BaseException as exc:  # noqa: BLE001
        res.tracebacks.append("library " + _where(exc))
        formatted = False
    res.cpu_s = time.process_time() - t0
    if formatted:
        _formatted(res, records, t0, base)
    else:
        _through_the_command(case, res, inputs, out, base)
    res.records = len(res.values.pop("jsonl", []))
    if res.cpu_s > budget.time_s(size):
        res.breaches.append(f"time {res.cpu_s:.2f} s > {budget.time_s(size):.2f} s")
    if res.peak > budget.memory(size):
        res.breaches.append(f"memory {res.peak / MB:.0f} MB > {budget.memory(size) / MB:.0f} MB")
    if res.out_bytes > budget.output(size):
        res.breaches.append(f"output {res.out_bytes / MB:.1f} MB > {budget.output(size) / MB:.1f} MB")
    if case.check is not None:
        res.failures.extend(case.check(res))
    res.values.clear()
    if case.build is not None:
        shutil.rmtree(folder, ignore_errors=True)
    return res


def _formatter():
    """bireg's own writer of records as JSON texts (`--format json|jsonl`), when it can be called alone."""
    from bilingual_registry import cli

    return getattr(cli, "_json_texts", None)


def _formatted(res: Result, records: list, t0: float, base: int) -> None:
    """A mutant's records written by bireg's own writer in both formats (the command around it, `-o`
    included, is exercised by the shapes and filesystem cases, which run `bireg parse`)."""
    try:
        texts = {fmt: "".join(_formatter()(records, fmt)) for fmt in ("json", "jsonl")}
    except BaseException as exc:  # noqa: BLE001
        res.tracebacks.append("bireg's writer " + _where(exc))
        return
    res.cpu_s = time.process_time() - t0  # the read and both writes
    res.peak = max(0, _status("VmHWM") - base)
    res.out_bytes = max(len(t.encode("utf-8", "surrogatepass")) for t in texts.values())
    _compare(res, texts)


def _compare(res: Result, texts: dict[str, str]) -> None:
    for fmt, text in texts.items():
        try:
            res.values[fmt] = _json_values(text, fmt)
        except ValueError as e:
            res.failures.append(f"--format {fmt} wrote text that is no JSON: {e}")
    if "json" in res.values and "jsonl" in res.values and res.values["json"] != res.values["jsonl"]:
        res.failures.append("--format json and --format jsonl give different values")


def _through_the_command(case: Case, res: Result, inputs: list[str], out: Path, base: int) -> None:
    written = []
    for fmt in ("json", "jsonl"):
        target = out / f"records.{fmt}"
        t0 = time.process_time()
        rc, err, exc = _cli(["parse", *inputs, "--format", fmt, "-o", str(target)])
        res.cpu_s = max(res.cpu_s, time.process_time() - t0)
        if exc is not None:
            res.tracebacks.append(f"bireg --format {fmt} " + _where(exc))
            continue
        if "Traceback" in err:
            res.tracebacks.append(f"bireg --format {fmt} printed a traceback")
        if rc not in (0, 1):
            res.failures.append(f"bireg --format {fmt} exited {rc}")
        if target.exists():
            res.out_bytes = max(res.out_bytes, target.stat().st_size)
            written.append((fmt, target))
    res.peak = max(0, _status("VmHWM") - base)  # before the outputs are loaded to be compared
    _compare(res, {fmt: target.read_text(encoding="utf-8") for fmt, target in written})


def _parser_once() -> None:
    """bireg builds its argument parser on every call (tens of ms, mostly gettext): build it once here,
    so the worker's time goes to reading inputs."""
    from functools import lru_cache

    from bilingual_registry import cli

    if hasattr(cli, "build_parser") and not hasattr(cli.build_parser, "cache_info"):
        cli.build_parser = lru_cache(maxsize=1)(cli.build_parser)


def _input_size(data: bytes) -> int:
    """What the budgets scale with: the bytes of a file, or for a zip archive the bytes its entries hold,
    as far as the reader unpacks them (at most MAX_RATIO times the archive's size, past a floor)."""
    import zipfile

    from bilingual_registry.sources.archive import MAX_RATIO, RATIO_FLOOR, is_zip

    if not is_zip(data):
        return len(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return len(data)
    return max(len(data), min(unpacked, max(RATIO_FLOOR, MAX_RATIO * len(data))))


def _worker(conn, folder: str, budget: Budget) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (budget.address_space, budget.address_space))
    _parser_once()
    while True:
        case = conn.recv()
        if case is None:
            return
        try:
            result = run_case(case, Path(folder) / "case", budget)
        except BaseException as exc:  # noqa: BLE001 - the harness itself must keep going
            result = Result(case.name, case.family, failures=[f"harness: {_where(exc)}"])
        conn.send(result)


class Runner:
    """A worker process fed cases one at a time, replaced when a case hangs or kills it."""

    def __init__(self, budget: Budget = Budget()):
        self.budget = budget
        self.tmp = tempfile.mkdtemp(prefix="bireg-fuzz-")
        self.ctx = mp.get_context("fork")  # the worker starts with bireg imported
        self.proc = self.conn = None

    def _start(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child, os.path.join(self.tmp, "w"), self.budget), daemon=True)
        self.proc.start()

    def _stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None

    def run(self, case: Case) -> Result:
        if case.family == "shape":  # a fresh worker: memory an earlier case freed would be reused unseen
            self._stop()
        if self.proc is None or not self.proc.is_alive():
            self._start()
        size = len(case.data) if case.data is not None else 0
        self.conn.send(case)
        wall = self.budget.wall(size) if case.build is None else 5 * self.budget.hang_s  # a folder: some MB
        if self.conn.poll(wall):
            try:
                return self.conn.recv()
            except EOFError:
                pass
            self._stop()
            return Result(case.name, case.family, size, tracebacks=["the worker died (killed by a signal?)"])
        self._stop()
        return Result(case.name, case.family, size, hang=True)

    def close(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(10)
        self._stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


@dataclass
class Tally:
    """Counts over a run: what a report prints."""

    cases: Counter = field(default_factory=Counter)  # per family
    outcomes: Counter = field(default_factory=Counter)
    tracebacks: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    breaches: Counter = field(default_factory=Counter)
    hangs: list = field(default_factory=list)
    examples: dict = field(default_factory=dict)  # a problem → the first case showing it
    peak: int = 0
    peak_case: str = ""
    slowest: tuple = (0.0, "", 0)  # (CPU seconds per MB, case, size) over inputs of 64 KB or more
    slowest_any: tuple = (0.0, "", 0)  # (CPU seconds, case, size)
    bad: list = field(default_factory=list)  # results with anything wrong

    def add(self, r: Result) -> None:
        self.cases[r.family] += 1
        self.outcomes.update(r.outcomes)
        for kind, items in (("tracebacks", r.tracebacks), ("failures", r.failures), ("breaches", r.breaches)):
            for item in items:
                key = item.split(":")[0] if kind != "breaches" else item.split()[0]
                getattr(self, kind)[key] += 1
                self.examples.setdefault(key, f"{r.name}: {item}")
        if r.hang:
            self.hangs.append(r.name)
        if r.peak > self.peak:
            self.peak, self.peak_case = r.peak, r.name
        if r.size >= 64 * 1024 and r.cpu_s / (r.size / MB) > self.slowest[0]:
            self.slowest = (r.cpu_s / (r.size / MB), r.name, r.size)
        if r.cpu_s > self.slowest_any[0]:
            self.slowest_any = (r.cpu_s, r.name, r.size)
        if r.tracebacks or r.failures or r.breaches or r.hang:
            self.bad.append(r)

    @property
    def clean(self) -> bool:
        return not (self.tracebacks or self.failures or self.breaches or self.hangs)

    def report(self) -> str:
        lines = [f"cases: {sum(self.cases.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(self.cases.items()))})",
                 f"outcomes: {dict(self.outcomes.most_common())}",
                 f"tracebacks: {sum(self.tracebacks.values())} {dict(self.tracebacks)}",
                 f"hangs: {len(self.hangs)} {self.hangs[:5]}",
                 f"budget breaches: {sum(self.breaches.values())} {dict(self.breaches)}",
                 f"other failures: {sum(self.failures.values())} {dict(self.failures)}",
                 f"peak memory above the worker's base: {self.peak / MB:.1f} MB ({self.peak_case})",
                 f"slowest per MB (inputs >= 64 KB): {self.slowest[0]:.2f} CPU s/MB ({self.slowest[1]}, "
                 f"{self.slowest[2] / MB:.2f} MB)",
                 f"slowest: {self.slowest_any[0]:.2f} CPU s ({self.slowest_any[1]}, {self.slowest_any[2] / MB:.2f} MB)"]
        lines += [f"  e.g. {v}" for v in self.examples.values()]
        return "\n".join(lines)


def run_all(cases: Iterable[Case], budget: Budget = Budget(), progress: Callable[[int, Tally], None] | None = None,
            jobs: int = 1) -> Tally:
    """Every case through `jobs` workers (each fed by a thread of its own), counted in one Tally."""
    import threading

    tally = Tally()
    lock = threading.Lock()
    cases = iter(cases)
    done = [0]

    def feed() -> None:
        runner = Runner(budget)
        try:
            while True:
                with lock:
                    case = next(cases, None)
                if case is None:
                    return
                result = runner.run(case)
                with lock:
                    tally.add(result)
                    done[0] += 1
                    if progress is not None:
                        progress(done[0], tally)
        finally:
            runner.close()

    threads = [threading.Thread(target=feed) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally
