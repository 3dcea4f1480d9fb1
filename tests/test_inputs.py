"""Bad and unusual input: encodings, empty and binary files, other records, the CLI's exit codes."""
from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from bilingual_registry import json_schema, parse_bytes, parse_file
from bilingual_registry.cli import main
from bilingual_registry.errors import BinaryInput, EmptyInput, NotARecord, OtherRegistry, TooLarge

TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("utf-16", TEXT.encode("utf-16")),
    ("utf-16-le", TEXT.encode("utf-16-le")),
    ("utf-16-be", TEXT.encode("utf-16-be")),
    ("gb18030", TEXT.replace("m²", "m2").encode("gb18030")),
    ("gb18030", TEXT.replace("m²", "m2").encode("gbk")),
])
def test_encodings_are_detected_and_reported(encoding, data):
    [record] = parse_bytes(data, "x.txt", repair=False)
    assert record.source.encoding == encoding
    assert record.registration_number == "ChiCTR2699000001"
    assert record.get("public_title").zh.value.startswith("PD-1抑制剂联合化疗")
    assert len(record.fields) == 95


def test_crlf_file(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    [record] = parse_file(p, repair=False)
    assert record.get("inclusion_criteria").zh.value.split("\n")[0] == "1. 年龄≥18岁；"
    assert "\r" not in record.get("inclusion_criteria").zh.value


@pytest.mark.parametrize("data, error, words", [
    (b"", EmptyInput, "empty"),
    (b"  \n\n \t", EmptyInput, "empty"),
    (bytes(range(256)) * 20, BinaryInput, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), BinaryInput, "binary"),
    ("Just a shopping list:\n\neggs\n\nmilk".encode(), NotARecord, "not a registry record"),
    ("Study NCT01234567\n\nRegistration Number\n\nNCT01234567\n\nConditions".encode(), OtherRegistry,
     "looks like a ClinicalTrials.gov record (NCT01234567), not a ChiCTR record"),
])
def test_bad_input_gets_a_typed_error_naming_the_file(data, error, words):
    with pytest.raises(error) as err:
        parse_bytes(data, "bad/input.txt")
    assert str(err.value).startswith("bad/input.txt: ") and words in str(err.value)


def test_size_limit():
    with pytest.raises(TooLarge, match="over the 1,000-byte limit"):
        parse_bytes(TEXT.encode(), "big.txt", max_bytes=1000)


def test_cli_parse_writes_json_and_exit_codes(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    code = main(["parse", str(EXAMPLE), str(empty), str(tmp_path / "missing.txt"), "--format", "jsonl",
                 "--no-repair", "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{empty}: the file is empty" in err and "missing.txt" in err and "Traceback" not in err
    [line] = out.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert data["registration_number"] == "ChiCTR2699000001" and data["schema_version"] == 1
    assert {"key", "group", "index", "zh", "en", "shared", "lines", "repairs"} <= set(data["fields"][0])
    assert main(["parse", str(EXAMPLE), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["fields"][1]["key"] == "registration_number"


def test_cli_usage_error_exits_2():
    proc = subprocess.run([sys.executable, "-m", "bilingual_registry.cli", "parse"], capture_output=True, text=True)
    assert proc.returncode == 2 and "usage:" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "bilingual_registry.cli", "parse", str(EXAMPLE), "--format", "xml"],
                          capture_output=True, text=True)
    assert proc.returncode == 2


def test_cli_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Record" and "fields" in schema["properties"]


def test_a_file_with_two_records_gives_two_json_objects(tmp_path, capsys):
    two = tmp_path / "two.txt"
    two.write_text(TEXT + "\n" + TEXT.replace("ChiCTR2699000001", "ChiCTR2699000002"), encoding="utf-8")
    assert main(["parse", str(two), "--format", "jsonl", "--no-repair"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["registration_number"] for r in records] == ["ChiCTR2699000001", "ChiCTR2699000002"]
    assert [len(r["fields"]) for r in records] == [95, 95] and all(r["problems"] == [] for r in records)


def test_json_format_is_one_json_text_for_several_records(tmp_path, capsys):
    two = tmp_path / "two.txt"
    two.write_text(TEXT + "\n" + TEXT.replace("ChiCTR2699000001", "ChiCTR2699000002"), encoding="utf-8")
    assert main(["parse", str(two), str(EXAMPLE), "--no-repair"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["registration_number"] for r in data] == ["ChiCTR2699000001", "ChiCTR2699000002", "ChiCTR2699000001"]


def test_a_pattern_time_limit_becomes_a_typed_error(monkeypatch):
    import bilingual_registry.api as api

    def slow(*args, **kwargs):
        raise TimeoutError("regex time-out")

    monkeypatch.setattr(api, "_finish_all", slow)
    with pytest.raises(api.RecordError, match="time limit reached"):
        parse_bytes(TEXT.encode(), "slow.txt")


def test_json_contract_only_grows():
    """DESIGN.md §2: other tools read this JSON. Against the schema of contract version 1 (golden file),
    every model keeps every key with the same type, and nothing optional becomes required."""
    golden = json.loads((Path(__file__).parent / "golden" / "record.schema.json").read_text(encoding="utf-8"))
    now = json_schema()
    models = {"Record": (golden, now), **{name: (g, now["$defs"][name]) for name, g in golden["$defs"].items()}}
    for name, (old, new) in models.items():
        for key, spec in old["properties"].items():
            assert key in new["properties"], f"{name}.{key} was dropped"
            assert new["properties"][key] == spec, f"{name}.{key} changed"
        assert set(new.get("required", [])) <= set(old.get("required", [])), f"{name} requires more"
    # and records dump their keys in the contract's order
    record = parse_file(EXAMPLE, repair=False)[0]
    assert list(record.model_dump()["fields"][0]) == list(golden["$defs"]["Field"]["properties"])


def test_records_survive_json_pickle_and_copies():
    """Batch tools send records between processes and read their JSON back: nothing may change."""
    import copy
    import pickle

    from bilingual_registry.model import Record

    [record] = parse_file(EXAMPLE)
    assert record.repairs  # the example carries damage, so repairs travel too
    assert Record.model_validate_json(record.model_dump_json()) == record
    assert pickle.loads(pickle.dumps(record)) == record
    assert copy.deepcopy(record) == record
    field = record.get("public_title")
    changed = field.model_copy(update={"shared": not field.shared})
    assert changed.shared != field.shared and changed.zh == field.zh
    with pytest.raises(ValueError):
        field.model_copy(update={"zh": {"label": "x", "value": "y", "extra": 1}})  # keys still checked


def test_parse_output_streams_the_same_json_and_never_leaves_half_a_file(tmp_path, monkeypatch):
    """Records are written as they are read (a registry-size batch is never held whole), the bytes
    being exactly one JSON text; OUT is written whole or not at all."""
    import bilingual_registry.cli as cli

    records = [r for p in (EXAMPLE, ROOT / "corpus" / "json" / "ITMCTR2699000002.api.json") for r in parse_file(p)]
    for n in (1, 2):
        dumped = [r.model_dump(mode="json") for r in records[:n]]
        whole = json.dumps(dumped[0] if n == 1 else dumped, ensure_ascii=False, indent=2) + "\n"
        assert "".join(cli._json_texts(records[:n], "json")) == whole
    assert "".join(cli._json_texts([], "json")) == ""

    out = tmp_path / "out.json"
    out.write_text("the previous run", encoding="utf-8")

    def broken(records, fmt):
        yield b"[\n"
        raise RuntimeError("disk gone")

    monkeypatch.setattr(cli.output, "json_chunks", broken)
    with pytest.raises(RuntimeError):
        main(["parse", str(EXAMPLE), "-o", str(out)])
    assert out.read_text(encoding="utf-8") == "the previous run" and list(tmp_path.iterdir()) == [out]
