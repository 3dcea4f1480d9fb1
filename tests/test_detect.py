"""Format and registry from content alone: names lie (a page saved as .json, an export as .txt)."""
from __future__ import annotations

import codecs

import pytest
from conftest import ROOT, SHARED, needs_shared

from bilingual_registry.api import parse_bytes
from bilingual_registry.errors import NotARecord
from bilingual_registry.sources.detect import detect, detect_text

EXPECTED = {"html": "html", "xml": "xml", "text": "text", "json": "json"}
ICTRP = {".csv": "ictrp-csv", ".xml": "ictrp-xml"}  # ictrp/: exports by their kind; README and field list are no records


def _shared_inputs() -> list:
    return sorted((SHARED / "corpus").glob("*/**/*.*")) if SHARED.is_dir() else []


@needs_shared
@pytest.mark.parametrize("path", _shared_inputs(), ids=lambda p: p.name)
def test_every_shared_input_is_known_by_its_content(path):
    fmt, registry = detect(path.read_bytes())
    if "ictrp" in path.parts and path.suffix not in ICTRP:  # its README and ICTRP's list of the export's columns
        assert (fmt, registry) == ("text", "other")
        with pytest.raises(NotARecord):
            parse_bytes(path.read_bytes(), path.name)
        return
    assert fmt == (ICTRP[path.suffix] if "ictrp" in path.parts else EXPECTED[path.parent.name])
    want = "ITMCTR" if path.name.startswith("ITMCTR") or "itmctr" in path.name else (
        "other" if path.name.startswith("AMCTR") else "ChiCTR")
    assert registry == want


@pytest.mark.parametrize("path", sorted((ROOT / "corpus").glob("**/*.*")), ids=lambda p: p.name)
def test_our_corpus_is_known_by_its_content(path):
    fmt, registry = detect(path.read_bytes())
    assert fmt == {".html": "html", ".xml": "xml", ".txt": "text", ".json": "json"}[path.suffix]
    assert registry == ("ITMCTR" if path.name.startswith("ITMCTR") else "ChiCTR")


@needs_shared
def test_a_page_saved_under_a_wrong_name_is_still_a_page(tmp_path):
    data = (SHARED / "corpus" / "html" / "ChiCTR2400084905.html").read_bytes()
    [record] = parse_bytes(data, "response_single_query.json", repair=False)
    assert record.source.format == "html" and record.registration_number == "ChiCTR2400084905"


@pytest.mark.parametrize("data, want", [
    (b"", ("other", "other")),
    (b"\x00\x01\x02\x03" * 100, ("other", "other")),
    (b"PK\x03\x04" + b"\x00" * 60, ("other", "other")),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 60, ("other", "other")),
    ("注册号：\nITMCTR2024000089\n".encode("gb18030"), ("text", "ITMCTR")),
    (codecs.BOM_UTF8 + b"<?xml version='1.0'?><trials><Triall/></trials>", ("xml", "other")),
    ("<html><body>ChiCTR2400084905</body></html>".encode("utf-16"), ("html", "ChiCTR")),
    (b"  <!-- saved page -->\n<HTML><BODY><table><tr><td class='left_title'>", ("html", "other")),
    (b'[{"reg_no": "ChiMCTR2000002960"}]', ("json", "ITMCTR")),
    (b"Registration number: NCT01234567", ("text", "other")),
], ids=["empty", "binary", "zip", "png", "gb18030", "bom-xml", "utf16-html", "comment-html", "json", "nct"])
def test_detect_bytes(data, want):
    assert detect(data) == want


def test_first_registration_number_decides_the_registry():
    assert detect_text("注册号：ChiCTR2000032717\n在其它机构的注册号：ChiMCTR2000003284")[1] == "ChiCTR"
    assert detect_text("注册号：ITMCTR2000002960\n在其它机构的注册号：ChiCTR2000029462")[1] == "ITMCTR"


def _counting(monkeypatch, name: str, modules: list) -> list:
    """Count the calls of the function `name` wherever the data path calls it from."""
    calls: list = []
    for module in modules:
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, **k: calls.append(a[0][:0]) or _real(*a, **k))
    return calls


@pytest.mark.parametrize("data", [
    pytest.param((ROOT / "corpus" / "ChiCTR2699000001.txt").read_bytes(), id="text"),
    pytest.param((ROOT / "corpus" / "ChiCTR2699000001.txt").read_text(encoding="utf-8").encode("gb18030"), id="gb18030"),
    pytest.param(codecs.BOM_UTF16_LE + (ROOT / "corpus" / "ChiCTR2699000001.txt").read_text(encoding="utf-8")
                 .encode("utf-16-le"), id="utf-16"),
    *(pytest.param(p.read_bytes(), id=p.name) for p in sorted((ROOT / "corpus").glob("[hj]*/*.*"))),  # pages, API JSON
])
def test_a_file_is_decoded_and_sniffed_once(data, monkeypatch):
    """The format is told from the text the reader then reads: one decoding, one sniff per file."""
    import bilingual_registry.api as api
    import bilingual_registry.sources as sources

    decoded = _counting(monkeypatch, "decode_counted", [api, sources])
    sniffed = _counting(monkeypatch, "text_format", [api, sources])
    assert parse_bytes(data, "x", repair=False, validate=False)
    assert (len(decoded), len(sniffed)) == (1, 1)
