"""`bireg review` and `bireg xliff` through the command line: findings on stdout, reports by extension, the
summary line, exit codes (--fail-on, failed inputs, usage errors), check selection, batch review, XLIFF
export and apply (edits, refusals)."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from lxml import etree

from bilingual_registry import parse_file
from bilingual_registry.cli import main
from bilingual_registry.model import Finding, Record

from conftest import EXAMPLE, needs_shared, seed

TRUNCATED = ("To compare progression-free survival and objective response rate of a PD-1 inhibitor plus chemotherapy "
             "versus chemotherapy alone as first-line treatment for advanced non-small cell lung cancer.")
ADDRESS = "100 Shili Road, Xuhui District, Shanghai"


@pytest.fixture()
def damaged(tmp_path):
    """The example record with its objectives cut off mid-sentence (an error of the `truncated` check)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert TRUNCATED in text
    path = tmp_path / "damaged.txt"
    path.write_text(text.replace(TRUNCATED, "To compare progression-free survival and objective response rate of the"),
                    encoding="utf-8")
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _findings(out: str) -> list[Finding]:
    return [Finding.model_validate_json(line) for line in out.splitlines()]


def test_findings_are_json_lines_with_a_summary_on_stderr(capsys, damaged):
    code, out, err = _run(capsys, "review", damaged)
    findings = _findings(out)
    assert code == 0
    assert ("truncated", "error", "objectives") in [(f.check, f.severity, f.field) for f in findings]
    assert err.strip().splitlines()[-1].startswith(f"{len(findings)} finding")
    assert "in 1 record" in err


def test_fail_on_gates_the_exit_status(capsys, damaged):
    assert _run(capsys, "review", damaged, "--fail-on", "error")[0] == 1
    assert _run(capsys, "review", damaged, "--fail-on", "warning")[0] == 1
    assert _run(capsys, "review", EXAMPLE, "--fail-on", "warning")[0] == 0  # a clean record passes the gate


def test_checks_and_skip_select_by_id(capsys, damaged):
    code, out, _ = _run(capsys, "review", damaged, "--checks", "truncated")
    assert {f.check for f in _findings(out)} == {"truncated"}
    code, out, _ = _run(capsys, "review", damaged, "--skip", "truncated", "--fail-on", "error")
    assert "truncated" not in {f.check for f in _findings(out)}
    code, out, err = _run(capsys, "review", damaged, "--checks", "truncated,no-such-check")
    assert code == 2 and "no-such-check" in err and out == ""


def test_config_file_disables_checks_and_bad_config_is_a_usage_error(capsys, damaged, tmp_path):
    config = tmp_path / "review.toml"
    config.write_text('[checks]\ndisable = ["truncated"]\n', encoding="utf-8")
    code, out, _ = _run(capsys, "review", damaged, "--config", config, "--fail-on", "error")
    assert "truncated" not in {f.check for f in _findings(out)}
    config.write_text("[checks\n", encoding="utf-8")
    code, out, err = _run(capsys, "review", damaged, "--config", config)
    assert code == 2 and "review.toml" in err and out == ""


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".csv", ".json"])
def test_report_format_follows_the_extension(capsys, damaged, tmp_path, suffix):
    report = tmp_path / f"review{suffix}"
    code, out, err = _run(capsys, "review", damaged, "--report", report)
    assert code == 0 and out == "" and f"report written to {report}" in err
    data = report.read_bytes()
    if suffix == ".html":
        assert data.startswith(b"<!DOCTYPE html>") and b"objective response rate of " in data and b"truncated" in data
    elif suffix == ".xlsx":
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Findings", "Totals"]
    elif suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert "truncated" in {r["check"] for r in rows}
    else:
        assert "truncated" in json.loads(data)["totals"]["by_check"]


def test_unknown_report_extension_is_a_usage_error_and_writes_nothing(capsys, damaged, tmp_path):
    code, out, err = _run(capsys, "review", damaged, "--report", tmp_path / "review.pdf")
    assert code == 2 and "review.pdf" in err and not (tmp_path / "review.pdf").exists()


def test_a_failed_input_does_not_hide_the_others(capsys, damaged, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = _run(capsys, "review", empty, damaged)
    assert code == 1 and "empty.txt" in err
    assert "truncated" in {f.check for f in _findings(out)}


def test_a_batch_is_reviewed_together(capsys, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(text.replace("ChiCTR2699000001", "ChiCTR2699000002").replace(ADDRESS, "Shili Road 100, Shanghai"),
                     encoding="utf-8")
    alone = {f.check for f in _findings(_run(capsys, "review", other)[1])}
    batch = _findings(_run(capsys, "review", EXAMPLE, other)[1])
    across = [f for f in batch if f.check == "inconsistent-translation"]
    assert "inconsistent-translation" not in alone and across
    assert {f.registration_number for f in across} <= {"ChiCTR2699000001", "ChiCTR2699000002"}


def test_xliff_export_then_apply_unchanged_gives_the_same_records(capsys, tmp_path):
    xlf = tmp_path / "example.xlf"
    code, out, err = _run(capsys, "xliff", "export", EXAMPLE, "-o", xlf)
    assert code == 0 and out == "" and "example.xlf" in err
    assert etree.parse(str(xlf)).getroot().get("version") == "2.0"
    code, out, err = _run(capsys, "xliff", "apply", xlf, EXAMPLE, "--format", "jsonl")
    assert code == 0 and "0 edits" in err
    [record] = [Record.model_validate_json(line) for line in out.splitlines()]
    assert record == parse_file(EXAMPLE)[0]


def _edit_unit(path, unit: str, source: str | None = None, target: str | None = None) -> None:
    tree = etree.parse(str(path))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    if source is not None:
        tree.xpath(f"//x:unit[@id='{unit}']//x:source", namespaces=ns)[0].text = source
    if target is not None:
        tree.xpath(f"//x:unit[@id='{unit}']//x:target", namespaces=ns)[0].text = target
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_xliff_apply_lands_edits_and_refuses_units_by_name(capsys, damaged, tmp_path):
    xlf = tmp_path / "damaged.xlf"
    assert _run(capsys, "xliff", "export", damaged, "-o", xlf)[0] == 0
    assert "truncated" in xlf.read_text(encoding="utf-8")  # the review's findings are notes
    _edit_unit(xlf, "objectives", target=TRUNCATED)
    out_json = tmp_path / "corrected.json"
    code, out, err = _run(capsys, "xliff", "apply", xlf, damaged, "-o", out_json)
    assert code == 0 and out == "" and "1 edit" in err
    record = Record.model_validate_json(out_json.read_text(encoding="utf-8"))
    assert record.get("objectives").en.value == TRUNCATED
    assert record.repairs[-1].rule == "xliff-edit" and "damaged.xlf: unit objectives" in record.repairs[-1].evidence
    assert _run(capsys, "review", out_json, "--checks", "truncated")[1] == ""  # the fixed record reviews clean

    _edit_unit(xlf, "target_disease", source="早期非小细胞肺癌")
    code, out, err = _run(capsys, "xliff", "apply", xlf, damaged, "--format", "jsonl")
    assert code == 1 and "unit target_disease" in err and "no longer" in err
    [record] = [Record.model_validate_json(line) for line in out.splitlines()]
    assert record.get("objectives").en.value == TRUNCATED  # the other unit still applied
    assert [p.code for p in record.problems] == ["xliff-source-changed"]


def test_xliff_apply_refuses_a_foreign_file_and_never_writes_over_an_input(capsys, tmp_path):
    old = tmp_path / "old.xlf"
    old.write_text('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>', encoding="utf-8")
    code, out, err = _run(capsys, "xliff", "apply", old, EXAMPLE)
    assert code == 1 and "old.xlf" in err and "XLIFF 1.2" in err and out == ""
    code, out, err = _run(capsys, "xliff", "apply", old, EXAMPLE, "-o", old)
    assert code == 2 and "one of the inputs" in err


@needs_shared
def test_seed_003_review_finds_its_defects(capsys, tmp_path):
    code, out, err = _run(capsys, "review", seed("003"), "--fail-on", "error")
    found = {(f.check, f.field, f.index) for f in _findings(out)}
    assert code == 1
    assert ("truncated", "time_point", 2) in found and ("partial-translation", "time_point", 1) in found
    assert ("unbalanced-brackets", "inclusion_criteria", None) in found
