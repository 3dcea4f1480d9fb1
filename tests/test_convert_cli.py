"""`bireg convert` end to end with the project's own `to_english`: exit status and rejects, the summary
line, standard input, options a resume must share; and the functions a cluster maps over partitions
(`to_english`, `parse_bytes`) survive pickling into another interpreter."""
from __future__ import annotations

import multiprocessing
import pickle
import subprocess
import sys
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bilingual_registry import parse_bytes, parse_text
from bilingual_registry.cli import main
from bilingual_registry.convert import to_english
from bilingual_registry.synth.corpus import write_corpus


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "in"
    write_corpus(9, folder, seed=12, damaged=0.3, jobs=1)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_convert_writes_rows_lists_rejects_and_exits_1(records, tmp_path, capsys):
    out = tmp_path / "trials.parquet"
    assert main(["convert", str(records), "-o", str(out), "-j", "2"]) == 1
    err = capsys.readouterr().err
    [line] = err.strip().splitlines()  # not a terminal: no bar, one summary line
    assert line.startswith("convert: 9 records in, 9 out, 1 rejected, 0 skipped") and "cells by source:" in line
    assert "converted before" not in line
    assert "en " in line and "rejects in" in line
    rows = duckdb.sql(f"SELECT TrialID FROM '{out}'").fetchall()
    assert len(rows) == 9 and all(r[0] for r in rows)
    rejects = pd.read_csv(str(out) + ".rejects.csv")
    assert rejects["code"].tolist() == ["empty-input"] and rejects["entry"][0].endswith("empty.txt")


def test_convert_with_no_rejects_exits_0_and_format_from_suffix(records, tmp_path, capsys):
    one = sorted(records.glob("*.txt"))[0]
    out = tmp_path / "one.jsonl"
    assert main(["convert", str(one), "-o", str(out), "--quiet"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert "1 records in, 1 out, 0 rejected" in capsys.readouterr().err


def test_convert_reads_standard_input(records, tmp_path):
    one = sorted(records.glob("*.html"))[0]
    out = tmp_path / "stdin.csv"
    done = subprocess.run([str(Path(sys.executable).with_name("bireg")), "convert", "-", "-o", str(out), "-j", "1"],
                          input=one.read_bytes(), capture_output=True)
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(out)["TrialID"].tolist() == [one.name.split(".")[0]]


def test_resume_must_keep_the_options(records, tmp_path, capsys):
    out = tmp_path / "t.csv"
    (tmp_path / ".t.csv.state").write_text('{"options": {"version": 1, "format": "csv", "style": "tidy", '
                                           '"with_chinese": false}}\n', encoding="utf-8")
    assert main(["convert", str(records), "-o", str(out), "--style", "ictrp", "--resume"]) == 2
    assert "other options" in capsys.readouterr().err
    assert not out.exists()


def _rows(data: bytes) -> list[dict]:
    return [to_english(r) for r in parse_bytes(data, "shipped")]


def test_to_english_and_parse_functions_pickle_into_another_interpreter(records):
    for fn in (to_english, parse_bytes, parse_text, partial(to_english, style="ictrp")):
        assert pickle.loads(pickle.dumps(fn)) is fn or pickle.loads(pickle.dumps(fn)).func is to_english
    data = sorted(records.glob("*.txt"))[0].read_bytes()
    with multiprocessing.get_context("spawn").Pool(1) as pool:  # spawn: nothing inherited, all pickled
        [there] = pool.map(_rows, [data])
    assert there == _rows(data)


def test_ictrp_style_csv_keeps_cells_with_line_breaks_whole(tmp_path):
    """ICTRP writes line breaks as CR + `<br>`: a CSV cell holding a bare CR must still be quoted, or the
    row breaks in two for every reader."""
    out = tmp_path / "trials.csv"
    assert main(["convert", str(Path(__file__).resolve().parents[1] / "corpus" / "ChiCTR2699000001.txt"),
                 "-o", str(out), "--style", "ictrp", "-j", "1", "--quiet"]) == 0
    [[trial, criteria]] = duckdb.sql(
        f"SELECT TrialID, \"Inclusion Criteria\" FROM read_csv('{out}', all_varchar=true)").fetchall()
    assert trial == "ChiCTR2699000001"
    assert "\r<br>" in criteria or "\n" not in criteria
    assert len(pd.read_csv(out, dtype=str)) == 1
