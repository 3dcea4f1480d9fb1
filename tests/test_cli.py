"""The command line as a user meets it: the one input rule, the stderr report, and honest output files."""
from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, SHARED, needs_shared

import bilingual_registry
from bilingual_registry import parse_file, parse_many, parse_text
from bilingual_registry.cli import GROUPS, main
from bilingual_registry.errors import EmptyInput, NotARecord, OtherRegistry, ReaderFailure, RecordError, Skipped

TEXT = EXAMPLE.read_text(encoding="utf-8")
PAGE = ROOT / "corpus" / "html" / "ITMCTR2000002960.ProjectView.html"
API = ROOT / "corpus" / "json" / "ITMCTR2699000002.api.json"
CTGOV = "NCT05607225\n\nBrief Summary:\n\nA study of something.\n\nEligibility Criteria:\n\nAdults.\n"
CUT = TEXT[: TEXT.index("Inclusion criteria")]


def bireg(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilingual_registry", *args], input=stdin, capture_output=True,
                          cwd=cwd)


def mixed_folder(tmp_path: Path) -> Path:
    """A folder as users keep them: one record, a README, a TSV, another registry's record, a hidden file."""
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "README.md").write_text("# my downloads\n\nfetched on Monday\n", encoding="utf-8")
    (folder / "list.tsv").write_text("id\tname\n1\tx\n", encoding="utf-8")
    (folder / "nct.txt").write_text(CTGOV, encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0\1\2")
    return folder


# ---------------------------------------------------------------------------------------------- input rule

def test_a_folder_skips_and_counts_what_is_no_record(tmp_path, capsys):
    folder = mixed_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["parse", str(folder), "--format", "jsonl", "-o", str(out)]) == 0
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["registration_number"] == "ChiCTR2699000001"
    assert capsys.readouterr().err == (f"1 record from 1 file written to {out}; 3 files skipped (not records)\n")
    # the library says the same
    outcomes = dict(parse_many([folder]))
    assert sorted(Path(n).name for n, r in outcomes.items() if isinstance(r, Skipped)) == ["README.md", "list.tsv",
                                                                                            "nct.txt"]
    assert isinstance(outcomes[str(folder / "nct.txt")].cause, OtherRegistry)
    assert [r.registration_number for r in parse_file(folder)] == ["ChiCTR2699000001"]


def test_a_zip_skips_what_is_no_record(tmp_path, capsys):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", TEXT)
        zf.writestr("notes.txt", "nothing here")
    (tmp_path / "r.zip").write_bytes(buf.getvalue())
    assert main(["parse", str(tmp_path / "r.zip"), str(EXAMPLE), "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert captured.err == "2 records from 2 files written to standard output; 1 file skipped (not records)\n"


def test_a_named_file_that_fails_is_a_failure_and_the_others_are_written(tmp_path, capsys):
    (tmp_path / "README.md").write_text("not a record", encoding="utf-8")
    (tmp_path / "nct.txt").write_text(CTGOV, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["parse", str(tmp_path / "README.md"), str(EXAMPLE), str(tmp_path / "nct.txt"), "--format", "jsonl",
                 "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"bireg: error: {tmp_path / 'README.md'}: no ChiCTR/ITMCTR field labels")
    assert err[1] == f"bireg: error: {tmp_path / 'nct.txt'}: looks like a ClinicalTrials.gov record (NCT05607225), " \
                     "not a ChiCTR record"
    assert err[2] == f"1 record from 1 file written to {out}; 2 failed"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.parametrize("make", ["empty", "only-notes"])
def test_a_folder_with_no_record_is_an_error(tmp_path, capsys, make):
    folder = tmp_path / "in"
    folder.mkdir()
    if make == "only-notes":
        (folder / "notes.md").write_text("nothing", encoding="utf-8")
    assert main(["parse", str(folder)]) == 1
    captured = capsys.readouterr()
    why = "it is empty" if make == "empty" else "1 file(s) skipped, none of them a record"
    assert captured.out == "" and captured.err.startswith(f"bireg: error: {folder}: no record found ({why})\n")
    [(name, error)] = [(n, r) for n, r in parse_many([folder]) if not isinstance(r, Skipped)]
    assert name == str(folder) and isinstance(error, NotARecord)
    with pytest.raises(NotARecord):
        parse_file(folder)


def test_standard_input_is_dash(monkeypatch):
    proc = bireg("parse", "-", "--format", "jsonl", "--no-repair", stdin=TEXT.encode("utf-8"))
    assert proc.returncode == 0 and proc.stderr == b""
    record = json.loads(proc.stdout)
    assert record["registration_number"] == "ChiCTR2699000001" and record["source"]["path"] == "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    [(name, rec)] = list(parse_many(["-"], repair=False))
    assert name == "<stdin>" and rec.registration_number == "ChiCTR2699000001"


def test_our_own_json_output_is_an_input(tmp_path):
    out = tmp_path / "parsed.json"
    assert main(["parse", str(EXAMPLE), str(API), "-o", str(out)]) == 0
    again = [r for _, r in parse_many([out])]
    assert again == parse_file(EXAMPLE) + parse_file(API)


def test_repairs_of_a_good_record_survive_a_bad_neighbour(tmp_path, capsys):
    """`bireg repairs FOLDER` used to print only a header when one file in it failed."""
    folder = mixed_folder(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    assert main(["repairs", str(folder)]) == 1  # the empty file is a failure, not a skip
    captured = capsys.readouterr()
    rows = captured.out.splitlines()
    assert len(rows) == 7 and any('"Chest?Hospital"\t"Chest Hospital"' in r for r in rows)
    assert f"bireg: error: {folder / 'empty.txt'}: the file is empty" in captured.err
    assert captured.err.splitlines()[-1] == ("1 record from 1 file written to standard output; "
                                             "3 files skipped (not records); 1 failed")


def test_repairs_as_csv_quotes_cells(capsys):
    assert main(["repairs", str(EXAMPLE), "--format", "csv"]) == 0
    import csv
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:4] == ["file", "field", "side", "at"] and len(rows) == 7
    assert ['"Chest?Hospital"', '"Chest Hospital"', "lost-space"] in [r[4:7] for r in rows]


def test_glossary_find_names_a_missing_file_in_one_line(tmp_path, capsys):
    assert main(["glossary", "find", str(tmp_path / "nope.txt")]) == 1
    err = capsys.readouterr().err
    [line] = err.splitlines()
    assert line.startswith(f"bireg: error: {tmp_path / 'nope.txt'}: cannot be read: ") and "Errno" not in line


def test_glossary_find_and_learn_take_folders_and_stdin(tmp_path, capsys):
    folder = mixed_folder(tmp_path)
    assert main(["glossary", "find", str(folder), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["record"] for r in rows} == {"ChiCTR2699000001"} and {"zh", "en"} == {r["side"] for r in rows}
    proc = bireg("glossary", "find", "-", "--summary", stdin=TEXT.encode("utf-8"))
    assert proc.returncode == 0 and proc.stdout.startswith(b"zh\ten\tzh_hits\ten_hits\n")
    out = tmp_path / "candidates.tsv"
    assert main(["glossary", "learn", str(folder), "-o", str(out)]) == 0
    assert "示例市胸科医院\tExample Chest Hospital" in out.read_text(encoding="utf-8")
    assert capsys.readouterr().err.endswith(f"1 record from 1 file written to {out}; 3 files skipped (not records)\n")


# ---------------------------------------------------------------------------------------------- stderr report

def test_one_file_to_stdout_prints_no_summary(capsys):
    assert main(["parse", str(EXAMPLE), "--format", "jsonl"]) == 0
    assert capsys.readouterr().err == ""


def test_a_cut_off_record_gets_a_warning_and_is_counted(tmp_path, capsys):
    (tmp_path / "cut.txt").write_text(CUT, encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["parse", str(tmp_path / "cut.txt"), str(EXAMPLE), "-o", str(out)]) == 0
    warning, summary = capsys.readouterr().err.splitlines()
    assert warning.startswith(f"bireg: warning: {tmp_path / 'cut.txt'}: ChiCTR2699000001 is cut off: ")
    assert summary == f"2 records from 2 files written to {out}; 1 cut off"


# ---------------------------------------------------------------------------------------------- output files

def _one_line_usage_error(proc: subprocess.CompletedProcess, words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in lines[0], lines


@pytest.mark.parametrize("make, words", [
    ("dir", "is a folder"), ("link", "is a symbolic link"), ("fifo", "is not a regular file"),
    ("input", "is one of the inputs"), ("missing", "does not exist"),
])
def test_bad_output_places_are_usage_errors_and_touch_nothing(tmp_path, make, words):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    record = tmp_path / "rec.txt"
    record.write_text(TEXT, encoding="utf-8")
    target = tmp_path / "out"
    if make == "dir":
        target.mkdir()
    elif make == "link":
        target.symlink_to(victim)
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "input":
        target = record
    else:
        target = tmp_path / "missing" / "dir" / "x.json"
    before = sorted(p.name for p in tmp_path.iterdir())
    _one_line_usage_error(bireg("parse", str(record), "-o", str(target)), words)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert victim.read_text(encoding="utf-8") == "precious" and record.read_text(encoding="utf-8") == TEXT


def test_dev_null_and_unwritable_places_are_usage_errors():
    _one_line_usage_error(bireg("parse", str(EXAMPLE), "-o", "/dev/null"), "is not a regular file")
    if Path("/proc/self").is_dir():  # a place nobody can create files in, root included
        _one_line_usage_error(bireg("parse", str(EXAMPLE), "-o", "/proc/bireg-out.json"), "cannot write")


@pytest.mark.parametrize("command", [
    ["parse", str(EXAMPLE)], ["repairs", str(EXAMPLE)], ["convert", str(EXAMPLE)], ["schema"],
    ["glossary", "export", "--format", "tsv"], ["glossary", "find", str(EXAMPLE)], ["glossary", "learn", str(EXAMPLE)],
    ["synth", "2"], ["review", str(EXAMPLE), "--report"],
])
def test_every_command_refuses_a_device_as_output(command):
    """`-o /dev/null` (we run as root: replacing it with a regular file would break the machine)."""
    before = os.stat("/dev/null")
    _one_line_usage_error(bireg(*command, *([] if command[-1] == "--report" else ["-o"]), "/dev/null"), "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_dash_is_standard_output():
    proc = bireg("parse", str(EXAMPLE), "--format", "jsonl", "-o", "-")
    assert proc.returncode == 0 and json.loads(proc.stdout)["registration_number"] == "ChiCTR2699000001"
    assert proc.stderr == b"1 record from 1 file written to standard output\n"


def test_a_planted_part_link_is_never_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out.json"
    (tmp_path / "out.json.part").symlink_to(victim)
    assert main(["parse", str(EXAMPLE), "-o", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert json.loads(out.read_text(encoding="utf-8"))["registration_number"] == "ChiCTR2699000001"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "out.json.part", "victim.txt"]


def test_when_every_input_fails_an_existing_out_stays(tmp_path, capsys):
    out = tmp_path / "out.json"
    out.write_text("yesterday's run", encoding="utf-8")
    assert main(["parse", str(tmp_path / "nope.txt"), "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "yesterday's run" and list(tmp_path.iterdir()) == [out]
    assert capsys.readouterr().err.splitlines()[-1] == f"no record found, {out} left as it was; 1 failed"


def test_a_crash_in_one_input_fails_that_input_only(tmp_path, monkeypatch, capsys):
    import bilingual_registry.api as api

    real = api._finish_all

    def buggy(doc, *args):
        if doc.source.path.endswith("bad.txt"):
            raise ZeroDivisionError("a bug")
        return real(doc, *args)

    monkeypatch.setattr(api, "_finish_all", buggy)
    (tmp_path / "bad.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["parse", str(EXAMPLE), str(tmp_path / "bad.txt"), str(EXAMPLE), "--format", "jsonl",
                 "-o", str(out)]) == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"bireg: error: {tmp_path / 'bad.txt'}: {ReaderFailure.reason}: ZeroDivisionError: a bug")
    outcomes = [type(r).__name__ for _, r in parse_many([tmp_path / "bad.txt", EXAMPLE])]
    assert outcomes == ["ReaderFailure", "Record"]


@pytest.mark.parametrize("args, words", [
    (["--max-size", "0"], "not a size: '0'"), (["--max-size", "-1"], "not a size: '-1'"),
    (["--max-size", "inf"], "not a size: 'inf'"), (["--format", "xml"], "invalid choice: 'xml'"),
])
def test_usage_errors_are_one_line(args, words):
    _one_line_usage_error(bireg("parse", str(EXAMPLE), *args), words)


def test_a_closed_pipe_ends_quietly(tmp_path):
    for n in range(40):
        (tmp_path / f"{n}.txt").write_text(TEXT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "bilingual_registry", "parse", str(tmp_path), "--format", "jsonl",
                             "--no-repair"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "bilingual_registry", "parse", "-", "-o", str(tmp_path / "o.json")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.iterdir()) and time.monotonic() < deadline:  # OUT's temporary file: it is running
        time.sleep(0.05)
    time.sleep(0.2)  # and waiting on its standard input
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err == b"bireg: interrupted\n"
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_json_array_keeps_the_same_strings_as_jsonl(tmp_path, capsys):
    odd = TEXT.replace("ChiCTR2699000001", "ChiCTR2699000001\u2028x").replace("Example Chest", "Example\u0085\u2029Chest")
    (tmp_path / "odd.txt").write_text(odd, encoding="utf-8")
    args = [str(tmp_path / "odd.txt"), str(EXAMPLE), "--no-repair"]
    assert main(["parse", *args]) == 0
    array = json.loads(capsys.readouterr().out)
    assert main(["parse", *args, "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.split("\n") if line]  # U+2028 is no line end
    assert array == lines and "\u0085\u2029Chest" in json.dumps(array, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------- library mirror

def test_parse_text_detects_its_input_as_parse_bytes_does():
    with pytest.raises(EmptyInput):
        parse_text("")
    with pytest.raises(OtherRegistry, match="NCT05607225"):
        parse_text(CTGOV)
    page = parse_text(PAGE.read_text(encoding="utf-8"), repair=False)
    assert page.registration_number == "ITMCTR2000002960" and page.source.format == "html" and len(page.fields) > 20
    [from_bytes] = parse_file(PAGE, repair=False)
    assert [(f.key, f.zh, f.en) for f in page.fields] == [(f.key, f.zh, f.en) for f in from_bytes.fields]
    api = parse_text(API.read_text(encoding="utf-8"), repair=False)
    assert api.registration_number == "ITMCTR2699000002" and api.source.format == "json"
    with pytest.raises(NotARecord):
        parse_text("<!DOCTYPE html><html><body><p>Hello</p></body></html>")


@needs_shared
def test_parse_text_refuses_a_clinicaltrials_gov_seed():
    for seed in sorted((SHARED / "seeds").glob("00[0124]_*.txt")):
        with pytest.raises(RecordError):
            parse_text(seed.read_text(encoding="utf-8"))


def test_the_library_exports_what_the_cli_uses():
    for name in ("Glossary", "Spellings", "RecordError", "EmptyInput", "NotARecord", "OtherRegistry", "TooLarge",
                 "HostileInput", "Skipped", "SomeInputsFailed"):
        assert name in bilingual_registry.__all__ and getattr(bilingual_registry, name)
    proc = bireg("--version")
    assert proc.returncode == 0 and proc.stdout.startswith(b"bireg ")


def test_every_command_group_is_one_module():
    from importlib import import_module
    for name in GROUPS:
        assert callable(import_module(f"bilingual_registry.cli.{name}").add_commands)
