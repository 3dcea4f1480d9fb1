"""Hostile and broken input: each refused with a clear typed error, never a traceback, never a fetch,
and one bad entry in a folder or archive never hides the good ones."""
from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest
from conftest import ROOT

from bilingual_registry.api import parse_bytes, parse_file, parse_many
from bilingual_registry.cli import main
from bilingual_registry.errors import (BinaryInput, EmptyInput, HostileInput, NotARecord, RecordError,
                                       SomeInputsFailed, TooLarge)
from bilingual_registry.sources.archive import iter_bytes

GOOD_TEXT = (ROOT / "corpus" / "ChiCTR2699000001.txt").read_bytes()
GOOD_PAGE = (ROOT / "corpus" / "html" / "ITMCTR2000002960.ProjectView.html").read_bytes()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE trials [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<trials><Triall><main><trial_id>ChiCTR2000000001</trial_id><public_title>&lol9;</public_title></main></Triall></trials>
"""


def xxe(target: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE trials [<!ENTITY xxe SYSTEM "{target}">]>\n'
            '<trials><Triall><main><trial_id>ChiCTR2000000001</trial_id><public_title>&xxe;</public_title>'
            '</main></Triall></trials>').encode()


def zip_of(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


def test_billion_laughs_is_refused():
    with pytest.raises(HostileInput, match="billion-laughs"):
        parse_bytes(BILLION_LAUGHS, "lol.xml")


def test_xxe_reads_no_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    with pytest.raises(HostileInput) as err:
        parse_bytes(xxe(secret.as_uri()), "xxe.xml")
    assert "TOP-SECRET-VALUE" not in str(err.value)


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE trials SYSTEM "http://127.0.0.1:9/evil.dtd">',
    b'<!DOCTYPE trials PUBLIC "-//EVIL//DTD//EN" "http://127.0.0.1:9/evil.dtd">',
    b'<!DOCTYPE trials [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/x"> %ext;]>',
])
def test_external_dtds_are_never_fetched(doctype):
    data = b'<?xml version="1.0"?>' + doctype + b"<trials><Triall><main><trial_id>x</trial_id></main></Triall></trials>"
    with pytest.raises(HostileInput):
        parse_bytes(data, "dtd.xml")


def test_html_entities_and_doctype_are_not_expanded():
    data = GOOD_PAGE.replace(b"<!DOCTYPE html>", b'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
    data = data.replace(b"ITMCTR2000002960</td>", b"ITMCTR2000002960&x;</td>")
    [record] = parse_bytes(data, "p.html", repair=False)
    assert "root:" not in record.model_dump_json()


def test_deeply_nested_html_is_refused_or_read_but_never_crashes():
    data = b"<html><body>" + b"<div><table><tr><td>" * 3000 + GOOD_PAGE + b"</td></tr></table></div>" * 3000
    with pytest.raises(RecordError):
        parse_bytes(data, "deep.html")


def test_oversized_input_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(GOOD_TEXT + b" " * 5000)
    with pytest.raises(TooLarge, match="limit"):
        parse_file(big, max_bytes=4096)
    with pytest.raises(TooLarge):
        parse_bytes(GOOD_TEXT * 10, "x.txt", max_bytes=len(GOOD_TEXT))


@pytest.mark.parametrize("data, error", [(b"", EmptyInput), (b"   \n\n ", EmptyInput),
                                         (bytes(range(256)) * 20, BinaryInput),
                                         (b"\x89PNG\r\n\x1a\n" + bytes(300), BinaryInput),
                                         (b"just some words\n", NotARecord),
                                         (b'{"a": 1}', NotARecord)])
def test_empty_binary_and_foreign_input(data, error):
    with pytest.raises(error):
        parse_bytes(data, "x")


def test_zip_slip_entries_are_refused_and_the_rest_is_read():
    data = zip_of({"ok/a.txt": GOOD_TEXT, "../../etc/evil.txt": GOOD_TEXT, "/abs.txt": GOOD_TEXT,
                   "c:\\win.txt": GOOD_TEXT, "b.html": GOOD_PAGE})
    results = list(iter_bytes(data, "r.zip", max_bytes=10**6))
    refused = [name for name, r in results if isinstance(r, HostileInput)]
    assert refused == ["r.zip/../../etc/evil.txt", "r.zip//abs.txt", "r.zip/c:\\win.txt"]
    with pytest.raises(SomeInputsFailed) as err:
        parse_bytes(data, "r.zip", repair=False)
    assert [r.registration_number for r in err.value.records] == ["ChiCTR2699000001", "ITMCTR2000002960"]
    assert len(err.value.failures) == 3


def test_zip_bomb_stopped_by_declared_total():
    bomb = zip_of({f"{i}.txt": b"\0" * 5_000_000 for i in range(4)})
    assert len(bomb) < 100_000
    [(name, err)] = list(iter_bytes(bomb, "bomb.zip", max_bytes=10_000_000, max_total=8_000_000))
    assert isinstance(err, HostileInput) and "zip bomb" in str(err)


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """Rewrite every entry's uncompressed size in the central directory: a bomb that hides its size."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        out[pos + 24:pos + 28] = struct.pack("<I", size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_zip_bomb_that_lies_about_its_size_unpacks_no_more_than_it_declares():
    bomb = _lie_about_sizes(zip_of({f"{i}.txt": b"\0" * 3_000_000 for i in range(4)}), 100)
    results = list(iter_bytes(bomb, "liar.zip", max_bytes=5_000_000, max_total=7_000_000))
    assert len(results) == 4
    assert all(isinstance(r, RecordError) or len(r) <= 100 for _, r in results)


def test_entry_over_the_record_limit_and_nested_zip():
    data = zip_of({"big.txt": GOOD_TEXT * 50, "inner.zip": zip_of({"a.txt": GOOD_TEXT}), "a.txt": GOOD_TEXT})
    kinds = {name: type(r).__name__ for name, r in iter_bytes(data, "z.zip", max_bytes=len(GOOD_TEXT) * 2)}
    assert kinds == {"z.zip/big.txt": "TooLarge", "z.zip/inner.zip": "NotARecord", "z.zip/a.txt": "bytes"}


def test_directory_with_good_and_bad_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes(GOOD_TEXT)
    (tmp_path / "sub" / "b.html").write_bytes(GOOD_PAGE)
    (tmp_path / "sub" / "bad.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "records.zip").write_bytes(zip_of({"c.txt": GOOD_TEXT, "../d.txt": GOOD_TEXT}))
    (tmp_path / ".hidden").write_bytes(b"\0\0")
    outcomes = list(parse_many([tmp_path], repair=False))
    good = sorted(name.replace(str(tmp_path), "") for name, r in outcomes if not isinstance(r, RecordError))
    bad = sorted(name.replace(str(tmp_path), "") for name, r in outcomes if isinstance(r, RecordError))
    assert good == ["/a.txt", "/records.zip/c.txt", "/sub/b.html"]
    assert bad == ["/records.zip/../d.txt", "/sub/bad.bin"]
    with pytest.raises(SomeInputsFailed) as err:
        parse_file(tmp_path, repair=False)
    assert len(err.value.records) == 3


def test_missing_path_is_an_outcome_not_an_exception(tmp_path):
    [(name, err)] = list(parse_many([tmp_path / "nope.txt"]))
    assert isinstance(err, RecordError) and "nope.txt" in str(err)


def test_cli_reports_every_hostile_input_without_a_traceback(tmp_path, capsys):
    files = {"lol.xml": BILLION_LAUGHS, "xxe.xml": xxe("file:///etc/passwd"), "empty.txt": b"",
             "bin.dat": bytes(range(256)) * 10, "slip.zip": zip_of({"../x.txt": GOOD_TEXT}),
             "bomb.zip": zip_of({f"{i}.txt": b"\0" * 2_000_000 for i in range(3)}),
             "big.txt": GOOD_TEXT + b" " * 30_000, "good.txt": GOOD_TEXT}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    code = main(["parse", *(str(tmp_path / n) for n in files), "--max-size", "20k", "--format", "jsonl",
                 "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    *lines, summary = err.strip().splitlines()  # the summary line closes a run with -o (issue 9)
    assert all(line.startswith("bireg: error: ") for line in lines)
    assert summary == f"1 record from 1 file written to {out}; 9 failed"
    for name in files:
        assert (name in err) == (name != "good.txt")
    assert out.read_text(encoding="utf-8").count("\n") == 1  # the good record is still written


def test_cli_size_option_is_checked():
    with pytest.raises(SystemExit) as err:
        main(["parse", "x.txt", "--max-size", "lots"])
    assert err.value.code == 2


# Patterns run on user text without a time limit (only where one cannot backtrack: a character class,
# literals, bounded runs, a run scanned once from where it starts). Each is timed here on runs built to
# make a backtracking pattern quadratic; the patterns that keep their limit (align._NBSP_ENTITY, the
# registration numbers of align, detect and repair.text, lost's `N 以上`) take seconds on 10,000
# characters of these.
UNLIMITED = [("bilingual_registry.align", n) for n in ("_LATIN", "_SENTENCE")] + [
    *(("bilingual_registry.repair.bestfit", n) for n in ("_RUN", "_NUMBERED", "_LOST_SPACE", "_CELSIUS", "_ROMAN_AFTER",
                                                          "_ROMAN_SEEN", "_SHARP_S", "_GREEK_LOST", "_AGE_LIMIT", "_POWER")),
    *(("bilingual_registry.repair.lost", n) for n in ("_AT_LEAST", "_AT_MOST", "_RANGE", "_UNIT_SQUARED", "_DIGIT_BEFORE",
                                                       "_TOKEN")),
    *(("bilingual_registry.repair.mojibake", n) for n in ("_FOREIGN_LETTER", "_LOST", "_NON_ASCII_RUN")),
    *(("bilingual_registry.repair.normalise", n) for n in ("_FULLWIDTH", "_FULLWIDTH_ALNUM", "_ENTITY", "_SEPARATORS",
                                                            "_ZERO_WIDTH")),
    ("bilingual_registry.glossary.validate", "_BAD"), ("bilingual_registry.glossary.segment", "_LATIN_SPAN"),
    ("bilingual_registry.glossary.learn", "_WORD"), ("bilingual_registry.glossary.learn", "_TOKEN"),
]
N = 50_000
RUNS = [" " * N, "a" * N, "A" + "a" * N, "1" * N, "?" * N, "-" * N, "ChiCTR-" * (N // 7), "+1" + " " * N, "x=" * (N // 2),
        "ab?" * (N // 3), "a" * N + "=1", ":" + " " * N + "x", "Abc?" * (N // 4), "a." * (N // 2), "a" * N + "@",
        "www." + "a" * N, "1" + " " * N + "x", "至少" + " " * N, "中" * N, "NYHA " * (N // 5), "&amp;" * (N // 5) + "&",
        "A" * N, "ITMCTR-" * (N // 7), "JPRN-" * (N // 5), "CTRI/1234/" * (N // 10), "IRCT1" * (N // 5), "10" * (N // 2)]


def _unlimited_patterns():
    import importlib

    from bilingual_registry.repair.text import _PROTECTED
    from bilingual_registry.sources import _OTHER_REGISTRIES

    found = [(f"{m}.{n}", getattr(importlib.import_module(m), n)) for m, n in UNLIMITED]
    found += [(f"protected {p.pattern[:20]}", p) for _, _, p, _, limited in _PROTECTED if not limited]
    return found + [(f"other registry {p.pattern}", p) for p, _ in _OTHER_REGISTRIES]


@pytest.mark.parametrize("name,pattern", _unlimited_patterns(), ids=lambda v: v if isinstance(v, str) else "")
def test_patterns_without_a_time_limit_cannot_backtrack(name, pattern):
    import re

    from bilingual_registry.patterns import TIMEOUT

    for text in RUNS:
        if not isinstance(pattern, re.Pattern):  # `regex`, compiled or `Lazy`
            sum(1 for _ in pattern.finditer(text, timeout=TIMEOUT))  # TimeoutError: it backtracks
        else:  # the standard library's `re` has no time limit: the run must end well within one
            start = time.perf_counter()
            sum(1 for _ in pattern.finditer(text))
            assert time.perf_counter() - start < TIMEOUT, (name, text[:20])
