"""The batch convert: outputs load in DuckDB, pandas and openpyxl with their types; -j 2 writes the bytes
of -j 1; rejects are listed while the rest go on; a run killed with SIGKILL leaves no complete-looking
output, and --resume finishes it with each record exactly once.

The rows come from a small row function of this file (`row`), so these tests hold the runner and the
writers to account whatever `to_english` puts in its rows.
"""
from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

from bilingual_registry.convert import runner as runner_module
from bilingual_registry.convert.runner import ConvertError, convert
from bilingual_registry.convert.writers import SheetFull, XLSX_MAX_ROWS
from bilingual_registry.synth.corpus import write_corpus

FORMATS = ("parquet", "jsonl", "csv", "xlsx")


def row(record) -> dict:
    """A row with each kind of cell a dataset row holds: text, a date, an integer, a list, a list of structs,
    a provenance map."""
    arms = [{"Group": m["group_name"].en.value, "Size": int(m["sample_size"].en.value)}
            for m in record.members("interventions")]
    registered = record.get("registration_date").en.value
    return {"TrialID": record.registration_number, "Public title": record.get("public_title").en.value,
            "Date registration": datetime.date.fromisoformat(registered[:10]),
            "Target size": sum(a["Size"] for a in arms), "Countries": ["China"], "Interventions": arms,
            "provenance": {"TrialID": "shared", "Public title": "en", "Date registration": "derived",
                           "Target size": "derived", "Countries": "vocab", "Interventions": "en"}}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "records"
    write_corpus(24, folder, seed=5, layouts=("text", "html"), damaged=0.25, jobs=1)
    (folder / "not-a-record.txt").write_text("Minutes of the meeting, nothing more.\n", encoding="utf-8")  # skipped
    (folder / "empty.txt").write_bytes(b"")  # a record file that is empty: rejected
    return folder


def _numbers(folder: Path) -> list[str]:
    """The records' numbers in input order: the folder's files by name."""
    made = [json.loads(line) for line in (folder / ".synth.jsonl").read_text(encoding="utf-8").splitlines()]
    return [m["registration_number"] for m in sorted(made, key=lambda m: m["file"])]


@pytest.fixture(scope="module")
def outputs(corpus, tmp_path_factory) -> dict:
    """Each format written with -j 1 and -j 2."""
    out = tmp_path_factory.mktemp("out")
    made = {}
    for fmt in FORMATS:
        for jobs in (1, 2):
            path = out / f"j{jobs}.{fmt}"
            made[fmt, jobs] = (path, convert([str(corpus)], path, fmt=fmt, jobs=jobs, row=row))
    return made


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_jobs_write_the_bytes_of_one(outputs, fmt):
    assert outputs[fmt, 1][0].read_bytes() == outputs[fmt, 2][0].read_bytes()


def test_summary_counts_rejects_and_provenance(outputs, corpus):
    path, summary = outputs["parquet", 2]
    assert (summary.records, summary.rows, summary.rejected, summary.skipped, summary.resumed) == (24, 24, 1, 1, 0)
    assert summary.provenance == {"shared": 24, "en": 48, "derived": 48, "vocab": 24}
    rejects = pd.read_csv(summary.rejects_path)
    assert list(rejects.columns) == ["path", "entry", "code", "message"]
    assert rejects.to_dict("records") == [{
        "path": str(corpus), "entry": str(corpus / "empty.txt"), "code": "empty-input", "message": "the file is empty"}]
    assert "24 records in, 24 out, 1 rejected, 1 skipped (not ChiCTR/ITMCTR records)" in summary.line()


def test_a_folder_with_no_record_is_rejected(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "README.md").write_text("Notes on the trials.\n", encoding="utf-8")
    summary = convert([str(tmp_path / "in")], tmp_path / "o.jsonl", fmt="jsonl", jobs=1, row=row)
    assert (summary.rows, summary.skipped, summary.rejected) == (0, 1, 1)
    [reject] = pd.read_csv(summary.rejects_path).to_dict("records")
    assert reject["code"] == "not-a-record" and "no record found (1 file(s) skipped" in reject["message"]
    assert (tmp_path / "o.jsonl").read_bytes() == b""


def test_parquet_types_in_duckdb_and_pandas(outputs, corpus):
    path = outputs["parquet", 1][0]
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()[i][:2] for i in range(7))
    assert types["Date registration"] == "DATE"
    assert types["Target size"] == "BIGINT"
    assert types["Countries"] == "VARCHAR[]"
    assert types["Interventions"] == 'STRUCT("Group" VARCHAR, Size BIGINT)[]'
    assert types["provenance"].startswith("STRUCT(")
    # input order, every record once
    assert [r[0] for r in duckdb.sql(f"SELECT TrialID FROM '{path}'").fetchall()] == _numbers(corpus)
    frame = pd.read_parquet(path)
    assert isinstance(frame["Date registration"][0], datetime.date)
    assert str(frame["Target size"].dtype) == "int64"
    first = frame["Interventions"][0]
    assert isinstance(first[0]["Size"], (int,)) or first[0]["Size"].dtype.kind == "i"


def test_jsonl_and_csv_load_in_duckdb(outputs, corpus):
    jsonl, csv_path = outputs["jsonl", 1][0], outputs["csv", 1][0]
    got = duckdb.sql(f"SELECT TrialID, \"Target size\", \"Date registration\", Interventions[1].Size "
                     f"FROM read_json('{jsonl}', format='newline_delimited')").fetchall()
    assert [g[0] for g in got] == _numbers(corpus)
    assert isinstance(got[0][1], int) and isinstance(got[0][2], datetime.date) and isinstance(got[0][3], int)
    frame = pd.read_csv(csv_path)
    assert list(frame["TrialID"]) == _numbers(corpus)
    assert str(frame["Target size"].dtype) == "int64"
    groups = json.loads(frame["Interventions"][0])  # groups and provenance as JSON text
    assert groups and set(groups[0]) == {"Group", "Size"}
    assert json.loads(frame["provenance"][0])["TrialID"] == "shared"
    csv_types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{csv_path}')").fetchall()[i][:2] for i in range(4))
    assert csv_types["Date registration"] == "DATE" and csv_types["Target size"] == "BIGINT"


def test_xlsx_cells_keep_types(outputs, corpus):
    path = outputs["xlsx", 1][0]
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("TrialID", "Public title", "Date registration", "Target size")
    assert [r[0] for r in rows[1:]] == _numbers(corpus)
    assert isinstance(rows[1][2], datetime.datetime) and isinstance(rows[1][3], int)
    assert json.loads(rows[1][5])[0].keys() == {"Group", "Size"}


def test_text_starting_with_equals_is_text_in_xlsx(tmp_path, corpus):
    def formula_row(record):
        return {"TrialID": record.registration_number, "Note": "=HYPERLINK(\"http://x\")"}

    path = tmp_path / "f.xlsx"
    convert([str(corpus)], path, fmt="xlsx", jobs=1, row=formula_row)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B2"].value == "=HYPERLINK(\"http://x\")" and sheet["B2"].data_type == "s"


def test_xlsx_refused_past_the_sheet_limit(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr("bilingual_registry.convert.writers.XLSX_MAX_ROWS", 10)
    out = tmp_path / "big.xlsx"
    with pytest.raises(SheetFull, match="do not fit one XLSX sheet"):
        convert([str(corpus)], out, fmt="xlsx", jobs=1, row=row)
    assert not out.exists()
    assert XLSX_MAX_ROWS == 1_048_576


def test_a_record_that_fails_to_convert_is_rejected_and_the_rest_go_on(tmp_path, corpus):
    def picky(record):
        if record.registration_number.endswith("3"):
            raise ValueError("no English title")
        return row(record)

    summary = convert([str(corpus)], tmp_path / "o.jsonl", fmt="jsonl", jobs=2, row=picky, rejects=tmp_path / "r.csv")
    bad = [n for n in _numbers(corpus) if n.endswith("3")]
    assert summary.rows == 24 - len(bad) and summary.rejected == len(bad) + 1
    rejects = pd.read_csv(tmp_path / "r.csv")
    assert set(rejects["code"]) == {"value-error", "empty-input"}
    assert sorted(e.split("#")[1] for e in rejects["entry"] if "#" in e) == sorted(bad)


def test_output_over_an_input_or_through_a_link_is_refused(tmp_path, corpus):
    one = next(corpus.glob("*.txt"))
    with pytest.raises(ConvertError, match="one of the inputs"):
        convert([str(one)], one, fmt="jsonl", row=row)
    with pytest.raises(ConvertError, match="inside an input folder"):
        convert([str(corpus)], corpus / "out.jsonl", fmt="jsonl", row=row)
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "elsewhere.jsonl")
    with pytest.raises(ConvertError, match="symbolic link"):
        convert([str(one)], link, fmt="jsonl", row=row)


def test_resume_with_other_options_is_refused(tmp_path, corpus):
    out = tmp_path / "o.parquet"
    runner_module.State.start(tmp_path / ".o.parquet.state", {"version": 1, "format": "parquet", "style": "ictrp",
                                                              "with_chinese": False})
    with pytest.raises(ConvertError, match="other options"):
        convert([str(corpus)], out, fmt="parquet", resume=True, row=row)
    runner_module.State.start(tmp_path / ".o.parquet.state", {"version": 1, "format": "parquet", "style": "tidy",
                                                              "with_chinese": False})
    with pytest.raises(ConvertError, match="other options"):  # repaired rows and raw ones never mixed
        convert([str(corpus)], out, fmt="parquet", resume=True, row=row, repair=False)


_KILLABLE = """
import sys
sys.path.insert(0, {tests!r})
from test_convert_runner import row
from bilingual_registry.convert.runner import convert
s = convert([{src!r}], {out!r}, fmt={fmt!r}, jobs=2, row=row, resume={resume}, part_rows=20)
print(s.rows, s.resumed, s.rejected)
"""


def _run(src: Path, out: Path, fmt: str, resume: bool) -> subprocess.Popen:
    code = _KILLABLE.format(tests=str(ROOT / "tests"), src=str(src), out=str(out), fmt=fmt, resume=resume)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_sigkill_mid_run_then_resume_gives_each_record_once(tmp_path, fmt):
    src = tmp_path / "in"
    write_corpus(240, src, seed=9, layouts=("text",), damaged=0.1, jobs=2)
    numbers = _numbers(src)
    out = tmp_path / f"all.{fmt}"
    parts = tmp_path / f".all.{fmt}.parts"
    proc = _run(src, out, fmt, resume=False)
    state = tmp_path / f".all.{fmt}.state"
    deadline = time.time() + 60
    # a part is finished once the state notes it (the part is renamed into place just before): under load
    # a kill between the two leaves a stray part, rightly converted again, and nothing to resume
    while time.time() < deadline and not (state.is_file() and state.read_bytes().count(b"\n") >= 2):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers, mid-run
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()  # nothing that looks complete
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(f".{fmt}")]
    finished_before = len([p for p in parts.iterdir() if not p.name.startswith(".")])
    assert finished_before >= 1

    again = _run(src, out, fmt, resume=True)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    rows, resumed, rejected = map(int, stdout.split())
    assert rows == 240 and rejected == 0 and 20 <= resumed < 240
    got = [r[0] for r in duckdb.sql(f"SELECT TrialID FROM '{out}'").fetchall()]
    assert got == numbers  # each record exactly once, in input order
    assert not parts.exists() and not (tmp_path / f".all.{fmt}.state").exists()
