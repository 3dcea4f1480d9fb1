"""The batch data path writes the validated path's JSON byte for byte, and `-j N` writes what `-j 1` writes."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual_registry import model, parts
from bilingual_registry.api import _parse_one
from bilingual_registry.model import Record
from bilingual_registry.plain import dump
from bilingual_registry.sources import DEFAULT_MAX_BYTES

from conftest import ROOT, SHARED

INPUTS = sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file() and p.suffix != ".md")
SHARED_INPUTS = sorted(p for p in (SHARED / "corpus").rglob("*") if p.is_file() and p.suffix not in (".md", ".tsv")) \
    + sorted((SHARED / "seeds").glob("003_*")) if SHARED.is_dir() else []


def assert_same_json(data) -> None:
    """Both writers, both layouts: compact (jsonl) and indented (`--format json`)."""
    record = data if isinstance(data, Record) else Record.model_validate(data)
    for indent in (False, True):
        made = dump(data, indent=indent)
        assert made.json == record.model_dump_json(indent=2 if indent else None).encode("utf-8")
        assert made.registration_number == record.registration_number


def plain_records(path: Path, repair: bool) -> list:
    return _parse_one(path.read_bytes(), str(path), repair, DEFAULT_MAX_BYTES, validate=False)


@pytest.mark.parametrize("repair", [True, False])
@pytest.mark.parametrize("path", INPUTS + SHARED_INPUTS, ids=lambda p: p.name)
def test_data_path_writes_the_validated_json_over_real_records(path: Path, repair: bool) -> None:
    try:
        found = plain_records(path, repair)
    except Exception as exc:  # noqa: BLE001 - a file that is no record (README, another registry) has nothing to write
        pytest.skip(f"not a record: {exc}")
    assert found
    for data in found:
        assert_same_json(data)


TEXT = st.text(st.one_of(st.characters(codec="utf-8"),  # controls, U+2028/2029/0085, quotes, backslashes, emoji
                         st.sampled_from("\x00\x1f\x7f\u2028\u2029\x85\"\\/\b\f\t\n\r\ufeff锟斤拷?")), max_size=12)
def either(name: str, **fields) -> st.SearchStrategy:
    """The model or its `parts` twin, as readers leave either in the plain data."""
    return st.one_of(st.builds(getattr(model, name), **fields), st.builds(getattr(parts, name), **fields))


SIDE = st.fixed_dictionaries({}, optional={"label": TEXT, "value": TEXT})
REPAIR = st.fixed_dictionaries(
    {"field": TEXT, "side": st.sampled_from(["zh", "en"]), "at": st.integers(0, 10**6), "before": TEXT, "after": TEXT,
     "rule": TEXT, "evidence": TEXT,
     "confidence": st.one_of(st.floats(0, 1), st.integers(0, 1), st.floats(1e-300, 1e15), st.just(1e16))},
    optional={"group": st.none() | TEXT, "index": st.none() | st.integers(0, 99), "applied": st.booleans()})
FIELD = st.fixed_dictionaries(
    {"key": TEXT}, optional={"group": st.none() | TEXT, "index": st.none() | st.integers(0, 99), "zh": SIDE, "en": SIDE,
                             "shared": st.booleans(), "lines": st.lists(st.integers(1, 10**5), max_size=2),
                             "repairs": st.lists(REPAIR, max_size=2)})
PROBLEM = st.fixed_dictionaries(
    {"code": TEXT, "message": TEXT},
    optional={"severity": st.sampled_from(["info", "warning", "error"]), "lines": st.none() | st.lists(st.integers(1, 99)),
              "field": st.none() | TEXT, "side": st.sampled_from([None, "zh", "en"]), "at": st.none() | st.integers(0, 9)})
RECORD = st.fixed_dictionaries(
    {"fields": st.lists(FIELD, max_size=3)},
    optional={"registry": st.none() | TEXT, "registration_number": st.none() | TEXT,
              "source": either("Source", path=st.none() | TEXT, format=TEXT),
              "header": st.fixed_dictionaries({}, optional={"title": st.none() | TEXT,
                                                            "preamble": st.lists(st.fixed_dictionaries(
                                                                {"text": TEXT, "lines": st.lists(st.integers(1, 9))}),
                                                                max_size=2)}),
              "unpaired": st.lists(either("Unpaired", text=TEXT,
                                            lines=st.lists(st.integers(1, 9)), why=TEXT), max_size=2),
              "repairs": st.lists(REPAIR, max_size=2),
              "problems": st.lists(st.one_of(PROBLEM, either("Problem", code=TEXT,
                                                                message=TEXT)), max_size=3)})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORD)
def test_data_path_writes_the_validated_json_for_any_record(data: dict) -> None:
    """Plain data as the aligner and repair leave it (dicts with model objects inside, defaults left out,
    int confidences) gives the bytes pydantic writes; what orjson would write otherwise falls back to it."""
    assert_same_json(data)


PARTS = [c for c in vars(parts).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]


def _shown(tp) -> str:
    return str(tp).replace("bilingual_registry.model.", "").replace("bilingual_registry.parts.", "")


@pytest.mark.parametrize("part", PARTS, ids=lambda c: c.__name__)
def test_each_part_mirrors_its_model(part: type) -> None:
    """`plain.shape` writes what `parts` declares: the same fields, order, defaults and types as model.py."""
    hints = typing.get_type_hints(part)
    made = [(f.name, _shown(hints[f.name]), f.default if f.default_factory is dataclasses.MISSING
             else f.default_factory().__class__.__name__) for f in dataclasses.fields(part)]
    wanted = [(name, _shown(info.annotation),
               dataclasses.MISSING if info.is_required() else
               info.default if info.default_factory is None else info.default_factory().__class__.__name__)
              for name, info in getattr(model, part.__name__).__pydantic_fields__.items()]
    assert made == wanted


def test_every_model_of_a_record_has_its_part() -> None:
    def nested(cls: type) -> set[str]:
        names = {cls.__name__}
        for info in cls.__pydantic_fields__.values():
            for arg in (info.annotation, *typing.get_args(info.annotation)):
                if hasattr(arg, "__pydantic_fields__"):
                    names |= nested(arg)
        return names
    assert nested(Record) == {c.__name__ for c in PARTS}


def test_data_path_refuses_what_validation_refuses() -> None:
    with pytest.raises(ValueError, match="colour"):
        dump({"fields": [{"key": "k", "colour": "red"}]})


def bireg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilingual_registry", "parse", *args], capture_output=True)


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A folder of records (the repo's corpus, twice over) with one input that fails among them."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n, path in enumerate(INPUTS * 2):
        (folder / f"{n:02d}_{path.name}").write_bytes(path.read_bytes())
    (folder / "05_broken.txt").write_bytes("注册号:\n\nRegistration number:\n\n".encode() + b"\xff" * 4000)
    return folder


def test_jobs_write_what_one_process_writes(many: Path) -> None:
    one, two, valid = (bireg(str(many), *opts) for opts in (["-j", "1"], ["-j", "2"], ["-j", "2", "--validate"]))
    assert one.stdout and one.stdout == two.stdout == valid.stdout
    lines = bireg(str(many), "--format", "jsonl", "-j", "2").stdout.splitlines()
    assert len(lines) == len(INPUTS) * 2 and lines[0].startswith(b'{"schema_version":1')


def test_a_failing_input_fails_alone(many: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    inputs = [str(p) for p in sorted(many.iterdir())]
    proc = bireg(*inputs[:3], str(bad), *inputs[3:], "--format", "jsonl", "-j", "2")
    assert proc.returncode == 1
    broken = str(many / "05_broken.txt")
    assert f"{bad}: the file is empty".encode() in proc.stderr and f"{broken}: text encoding".encode() in proc.stderr
    names = [line.split(b'"path":"')[1].split(b'"')[0].decode() for line in proc.stdout.splitlines()]
    assert names == [p for p in inputs if p != broken]  # every other record, in input order


def test_repairs_jobs_write_what_one_process_writes(many: Path) -> None:
    def repairs(jobs: str) -> bytes:
        return subprocess.run([sys.executable, "-m", "bilingual_registry", "repairs", str(many), "-j", jobs],
                              capture_output=True).stdout
    one = repairs("1")
    assert one.startswith(b"file\tfield\t") and one == repairs("2")
