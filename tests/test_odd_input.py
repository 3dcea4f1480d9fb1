"""Odd and hostile input (issue 10): each case of the fuzzing pass's list, fixed at its cause, and the
rule that nothing a page shows is dropped without a trace (a field, `unpaired`, or a problem)."""
from __future__ import annotations

import gc
import io
import json
import os
import re
import signal
import socket
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, SHARED, corpus_texts, needs_shared
from lxml import etree

from bilingual_registry.align import split_mixed
from bilingual_registry.api import parse_bytes, parse_file, parse_many, parse_text
from bilingual_registry.errors import HostileInput, NotARecord, RecordError
from bilingual_registry.limits import LINE_BYTES, MAX_BLOCKS, MAX_ITEMS, line_cut
from bilingual_registry.sources import read_bytes

TEXT = EXAMPLE.read_text(encoding="utf-8")
XML = (ROOT / "corpus" / "xml").glob("*.xml").__next__().read_bytes()
API = json.loads(next((ROOT / "corpus" / "json").glob("*.json")).read_text(encoding="utf-8"))
API_ITEM = (API["data"]["rows"] if isinstance(API, dict) and "data" in API else API if isinstance(API, list) else [API])[0]


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging forever (a FIFO opened for reading blocks until someone writes)."""
    def fail(*_):
        raise TimeoutError(f"still running after {seconds} s: the input was opened and blocks")
    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _grows_linearly(make, small: int, factor: int = 4, limit: float = 8.0) -> None:
    """CPU time for `factor` times the input is under `limit` × (a quadratic cost gives factor²: 16).
    Each the best of three, with the collector off: its full passes cost by heap size, not by input."""
    def timed(data):
        gc.disable()
        try:
            start = time.process_time()
            parse_text(data, repair=False) if isinstance(data, str) else parse_bytes(data, repair=False)
            return time.process_time() - start
        finally:
            gc.enable()
    small_input, big_input = make(small), make(small * factor)
    timed(small_input)  # warm
    base, big = min(timed(small_input) for _ in range(3)), min(timed(big_input) for _ in range(3))
    assert big < limit * max(base, 0.01), (base, big)


# -- text: labels on one line, values appended ----------------------------------------------------
def test_two_thousand_colon_labels_on_one_line_are_read_without_recursion():
    record = parse_text("注册号：Registration number:" * 1000 + "ChiCTR2699000001\n\n" + TEXT, repair=False)
    numbers = [f for f in record.fields if f.key == "registration_number"]
    assert len(numbers) == 1001 and numbers[999].shared and numbers[999].zh.value.startswith("ChiCTR2699000001")
    assert all(f.zh.value == f.en.value == "" for f in numbers[:999])
    # one label typed over and over is a value that holds it, as a label typed into its value is
    record = parse_text("注册号：" * 2000 + "ChiCTR2699000001\n\n" + TEXT, repair=False)
    first = next(f for f in record.fields if f.key == "registration_number")
    assert first.zh.label == "注册号" and first.zh.value.startswith("注册号：" * 1999 + "ChiCTR2699000001")


def test_colon_labels_on_one_line_cost_linear_time():
    _grows_linearly(lambda n: TEXT + "\n\n" + "注册号：" * n + "x\n", 4_000)


def test_label_like_lines_inside_a_batched_english_value_cost_linear_time():
    """Lines that look like labels we do not know, inside an English value while a Chinese field of the
    batch waits for its English label: each asks what English labels come before the next Chinese one."""
    head = "注册题目:\n\n题目\n\n研究目的:\n\n目的\n\nPublic title:\n\nTitle\n\n"
    make = lambda n: head + "\n\n".join(f"Line {i} of notes:" for i in range(n)) + "\n\nObjectives of Study:\n\nAim\n"  # noqa: E731
    record = parse_text(make(100), repair=False)
    assert [f.key for f in record.fields] == ["public_title", "objectives"]
    assert record.fields[0].en.value.endswith("Line 99 of notes:") and record.fields[1].en.value == "Aim"
    _grows_linearly(make, 2_000)


def test_many_value_blocks_are_appended_in_place():
    record = parse_text(TEXT + "\n\n" + "\n\n".join(f"v{i}" for i in range(15_000)), repair=False)
    assert "v0\n\nv1" in record.fields[-1].en.value + record.fields[-1].zh.value
    assert (record.fields[-1].en.value + record.fields[-1].zh.value).endswith("v14999")
    _grows_linearly(lambda n: TEXT + "\n\n" + "\n\n".join("v" for _ in range(n)), 4_000)


def test_blocks_past_what_any_record_has_are_kept_whole_with_a_problem():
    """Values of a record's density (not so many lines that the text is cut while read: see below)."""
    record = parse_text(TEXT + "\n\n" + "\n\n".join(f"value number {i:06}" for i in range(80_000)), repair=False)
    [rest] = [u for u in record.unpaired if "blocks past" in u.why]
    held = record.fields[-1].zh.value + record.fields[-1].en.value
    assert rest.text.endswith("value number 079998\n\nvalue number 079999")
    assert "value number 000000\n\nvalue number 000001" in held
    [problem] = [p for p in record.problems if p.code == "too-many-items"]
    assert f"more than the {MAX_BLOCKS:,}" in problem.message


@pytest.mark.parametrize("storm, end", [("\n\n".join("v" for _ in range(400_000)), "\n\n"),
                                       ("\u00a0\n" * 300_000, "\n"), ("x |\n" * 200_000, "\n"),
                                       ("\r\r".join("v" for _ in range(400_000)), "\r\r")],
                         ids=["value blocks", "nbsp lines", "pipe cells", "CR line ends"])
def test_a_text_denser_in_lines_than_any_record_is_cut_before_its_blocks_are_made(storm, end):
    """A text of 2- or 3-character lines cost a block (~300 bytes while read) per line: 1 M value blocks
    took 289 MB, 500,000 nbsp lines 188 MB, past 30 times the input. Its blocks are now capped while read."""
    text = TEXT.replace("\n", end[0]) + end + storm
    doc = read_bytes(text.encode("utf-8"), "storm.txt")
    assert len(doc.blocks) <= MAX_BLOCKS + len(text.encode()) // LINE_BYTES
    record = parse_text(text, repair=False)
    [rest] = [u for u in record.unpaired if u.why.startswith("lines past the first")]
    [problem] = [p for p in record.problems if p.code == "too-many-items" and "lines from" in p.message]
    assert problem.lines == [rest.lines[0], text.replace("\r", "\n").count("\n") + 1] == [rest.lines[0], rest.lines[1]]
    assert record.get("registration_number").zh.value == "ChiCTR2699000001"  # the record before the storm is whole
    storm_text = storm.replace("\r", "\n")
    assert rest.text and storm_text.endswith(rest.text)  # the tail kept as it was


def test_a_cut_text_of_several_records_gives_its_tail_to_the_last():
    text = TEXT + "\n\n" + TEXT + "\n\n" + "\u00a0\n" * 200_000
    first, last = parse_bytes(text.encode("utf-8"), "two.txt", repair=False)
    assert not [u for u in first.unpaired if u.why.startswith("lines past")]
    assert [u for u in last.unpaired if u.why.startswith("lines past")]
    assert first.get("registration_number").zh.value == last.get("registration_number").zh.value == "ChiCTR2699000001"


@needs_shared
def test_no_real_text_export_is_cut():
    texts = [p.read_text(encoding="utf-8") for p in corpus_texts() + [EXAMPLE] + sorted((SHARED / "seeds").glob("*.txt"))]
    assert texts and all(line_cut(t.replace("\r\n", "\n")) is None for t in texts)
    assert line_cut("\n\n".join(texts)) is None


def _html(rows: str) -> bytes:
    return ("<!DOCTYPE html><html><body><div class='project-ms'><table>"
            "<tr><td class='left_title'><p class='cn'>注册号：</p><p class='en'>Registration number:</p></td>"
            "<td>ChiCTR2699000001</td></tr>"
            "<tr><td class='left_title'><p class='cn'>研究类型：</p><p class='en'>Study type:</p></td><td>干预性研究</td></tr>"
            "<tr><td class='left_title'><p class='cn'>申请注册联系人：</p><p class='en'>Applicant:</p></td><td>王</td></tr>"
            f"{rows}"
            "<tr><td class='left_title'><p class='cn'>注册人：</p><p class='en'>Name of Registration:</p></td><td>x</td></tr>"
            "</table></div></body></html>").encode()


def test_an_html_row_of_many_cells_costs_linear_time():
    row = "<tr><td class='left_title'><p class='cn'>国家：</p><p class='en'>Country:</p></td>{}</tr>"
    [record] = parse_bytes(_html(row.format("<td>x</td>" * 40_000)), repair=False)
    assert record.get("registration_number").en.value == "ChiCTR2699000001"
    _grows_linearly(lambda n: _html(row.format("<td>x</td>" * n)), 4_000)


# -- names and values that are not encodable --------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_the_record_before_it_kept(tmp_path):
    folder = os.fsencode(tmp_path)
    for name in (b"a.txt", b"b-\xff.txt"):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(EXAMPLE.read_bytes())
    outcomes = list(parse_many([tmp_path]))
    assert [type(r).__name__ for _, r in outcomes] == ["Record", "Record"]
    names = [r.source.path for _, r in outcomes]
    assert names[0].endswith("a.txt") and names[1].endswith("b-\\xff.txt")
    assert all(json.loads(r.model_dump_json()) for _, r in outcomes)  # writable: no surrogate left


def test_a_lone_bad_byte_is_replaced_and_reported_not_the_file_refused():
    data = EXAMPLE.read_bytes()
    cut = data.index("干预性研究".encode())
    [record] = parse_bytes(data[:cut] + b"\xff" + data[cut:], "x.txt", repair=False)
    [clean] = parse_bytes(data, "x.txt", repair=False)
    assert record.source.encoding == "utf-8"
    assert [p.code for p in record.problems if p.code == "bad-bytes"] == ["bad-bytes"]
    assert record.get("study_type").zh.value == "\ufffd干预性研究"
    assert len(record.fields) == len(clean.fields)


def test_gb18030_is_still_gb18030():
    [record] = parse_bytes(TEXT.encode("gb18030"), repair=False)
    assert record.source.encoding == "gb18030" and not [p for p in record.problems if p.code == "bad-bytes"]


# -- ITMCTR API values of an unexpected type ---------------------------------------------------------
@pytest.mark.parametrize("group", [True, 5, {"a": 1}, "abc", 1.5])
def test_an_api_group_of_another_type_is_kept_in_unpaired_with_a_problem(group):
    [record] = parse_bytes(json.dumps(dict(API_ITEM, intervention=group)).encode(), repair=False)
    kept = [u.text for u in record.unpaired if u.text.startswith("intervention:")]
    assert kept == [f"intervention: {group if isinstance(group, str) else json.dumps(group)}"]
    assert [p for p in record.problems if p.code == "unexpected-type" and "intervention" in p.message]


def test_api_timestamps_out_of_range_are_kept_as_text():
    item = dict(API_ITEM, created_time="0001-01-01T00:00:00+01:00", send_number_time="9999-12-31T23:30:00-01:00")
    [record] = parse_bytes(json.dumps(item).encode(), repair=False)
    assert record.header.version_created == "0001-01-01T00:00:00+01:00"
    assert record.get("registration_date").en.value == "9999-12-31T23:30:00-01:00"


def test_api_lone_surrogates_are_kept_as_escapes():
    text = json.dumps(API_ITEM).replace('"registration_number"', '"note\\ud800": "\\udfffx", "registration_number"', 1)
    [record] = parse_bytes(text.encode(), repair=False)
    assert "note\\ud800: \\udfffx" in [u.text for u in record.unpaired]
    json.loads(record.model_dump_json())


# -- inputs that are not regular files ----------------------------------------------------------------
def _good(folder: Path, name: str) -> None:
    (folder / name).write_bytes(EXAMPLE.read_bytes())


def test_a_fifo_is_refused_by_name_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with deadline(20):
        [(name, error)] = list(parse_many([tmp_path / "pipe"]))
        _good(tmp_path, "a.txt")
        outcomes = list(parse_many([tmp_path]))
    assert isinstance(error, NotARecord) and "FIFO" in str(error) and name.endswith("pipe")
    assert [type(r).__name__ for _, r in outcomes] == ["Record", "NotARecord"]


def test_bireg_refuses_a_fifo_given_on_the_command_line_without_opening_it(tmp_path, capsys):
    from bilingual_registry.cli import main

    os.mkfifo(tmp_path / "pipe")
    with deadline(20):
        assert main(["parse", str(tmp_path / "pipe"), str(EXAMPLE)]) == 1
    assert "pipe: a FIFO (named pipe), not a regular file" in capsys.readouterr().err


def test_devices_and_sockets_are_refused(tmp_path):
    _good(tmp_path, "a.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.sock"))
    try:
        with deadline(20):
            outcomes = {Path(n).name: r for n, r in parse_many([tmp_path])}
            [(_, device)] = list(parse_many(["/dev/zero"]))
    finally:
        sock.close()
    assert "character device" in str(outcomes["zero.txt"]) and "socket" in str(outcomes["s.sock"])
    assert type(outcomes["a.txt"]).__name__ == "Record" and "character device" in str(device)


def test_links_in_folders_are_followed_only_to_regular_files(tmp_path):
    (tmp_path / "sub").mkdir()
    _good(tmp_path, "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("loop", tmp_path / "loop")
    os.symlink("nowhere", tmp_path / "dangling")
    os.symlink(str(tmp_path), tmp_path / "sub" / "up")
    with deadline(20):
        outcomes = {Path(n).name: r for n, r in parse_many([tmp_path])}
    assert {n for n, r in outcomes.items() if type(r).__name__ == "Record"} == {"a.txt", "b.txt"}
    assert "loops" in str(outcomes["loop"]) and "dangling" in str(outcomes["dangling"])
    assert "a link to a folder, not followed" in str(outcomes["up"])


def test_a_path_that_is_a_link_loop_is_an_outcome(tmp_path):
    os.symlink("me", tmp_path / "me")
    [(_, error)] = list(parse_many([tmp_path / "me"]))
    assert isinstance(error, RecordError) and "cannot be read" in str(error)


# -- budgets: items that explode are capped -----------------------------------------------------------
def _xml_with(tag: str, text: str) -> bytes:
    import re
    return re.sub(f"<{tag}>.*?</{tag}>".encode(), f"<{tag}>{text}</{tag}>".encode(), XML, count=1, flags=re.S)


def test_an_xml_list_of_millions_of_items_is_capped_with_a_problem():
    [record] = parse_bytes(_xml_with("target_size", ";".join(f"g{i}:{i}" for i in range(MAX_ITEMS + 500))), repair=False)
    members = {f.index for f in record.fields if f.group == "interventions"}
    assert len(members) <= MAX_ITEMS + 10
    [problem] = [p for p in record.problems if p.code == "too-many-items" and "<target_size>" in p.message]
    assert "<target_size>" in problem.message and f"{MAX_ITEMS + 500:,}" in problem.message
    [rest] = [u for u in record.unpaired if u.text.startswith("target_size:")]
    assert rest.text.endswith(f"g{MAX_ITEMS + 499}:{MAX_ITEMS + 499}")  # nothing dropped: the rest kept whole


def test_an_xml_export_of_many_outcomes_keeps_the_rest_whole():
    [record] = parse_bytes(_xml_with("primary_outcome", "<prim_outcome>o;</prim_outcome>" * (MAX_ITEMS + 3)), repair=False)
    assert max(f.index for f in record.fields if f.group == "outcomes") == MAX_ITEMS - 1
    [rest] = [u for u in record.unpaired if "outcomes members past" in u.why]
    assert rest.text.count("outcome_name: o") >= 3


def test_millions_of_empty_api_group_members_are_capped_with_a_problem():
    [record] = parse_bytes(json.dumps(dict(API_ITEM, researchSite=[{}] * 1_000_000)).encode(), repair=False)
    sites = [u for u in record.unpaired if u.text.startswith("researchSite[")]
    assert len(sites) == MAX_ITEMS + 1 and sites[-1].text.startswith(f"researchSite[{MAX_ITEMS}:]: [{{}}, {{}}")
    assert [p for p in record.problems if p.code == "too-many-items"]
    assert len(record.model_dump_json()) < 3 * 1_000_000 * len("{}, ")


def test_api_values_with_no_field_past_max_items_are_kept_as_one_text():
    """A reply of 100,000 keys held an unpaired entry (~300 bytes) per 14 bytes of JSON."""
    [record] = parse_bytes(json.dumps(dict(API_ITEM, **{f"k{i}": "v" for i in range(10_000)})).encode(), repair=False)
    loose = [u.text for u in record.unpaired if u.why == "the record page has no field for this API value"]
    assert len(loose) == MAX_ITEMS + 1 and loose[-1].endswith("\nk9999: v")
    assert sorted(line for text in loose for line in text.split("\n") if re.fullmatch(r"k\d+: v", line)) == sorted(
        f"k{i}: v" for i in range(10_000))  # every key kept, in one of them
    [problem] = [p for p in record.problems if p.code == "too-many-items"]
    assert "values with no field on the page" in problem.message


def test_a_zip_that_unpacks_to_far_more_than_its_size_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for i in range(4):
            zf.writestr(f"r{i}.txt", (TEXT + "\n\n") * (8 * 1024 * 1024 // len(TEXT.encode())))
    data = buf.getvalue()
    assert len(data) < 500_000
    with pytest.raises(HostileInput, match="100 times its own size"):
        parse_bytes(data, "bomb.zip")


# -- XML exports in other encodings ---------------------------------------------------------------------
@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-16-le"), lambda t: t.encode("utf-16-be"),
                                    lambda t: t.encode("utf-32"), lambda t: t.encode("utf-32-le"),
                                    lambda t: (" " * 4096 + t).encode(), lambda t: ("\n\n" + t).encode("utf-16")],
                         ids=["utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "4 KB of blanks", "utf-16 after blank lines"])
def test_valid_xml_exports_in_other_encodings_are_read(encode):
    [reference] = parse_bytes(XML, repair=False)
    [record] = parse_bytes(encode(XML.decode("utf-8")), repair=False)
    view = lambda r: [(f.key, f.group, f.index, f.en.value) for f in r.fields]  # noqa: E731
    assert view(record) == view(reference) and record.registration_number == reference.registration_number


# -- HTML: nothing a page shows is dropped ---------------------------------------------------------------
def test_text_in_a_row_with_no_label_cell_lands_in_unpaired():
    [record] = parse_bytes(_html("<tr><td>a note with no label</td><td>and another</td></tr>"), repair=False)
    assert [u.text for u in record.unpaired] == ["a note with no label", "and another"]


def test_rows_with_no_label_cell_past_max_items_are_kept_as_one_text_with_a_problem():
    """A page of 100,000 such rows held a model object each: 170-191 MB for 2.2 MB of HTML."""
    [record] = parse_bytes(_html("".join(f"<tr><td>note {i}</td></tr>" for i in range(5_000))), repair=False)
    rows = [u for u in record.unpaired if "no label cell" in u.why]
    assert len(rows) == MAX_ITEMS + 1 and [u.text for u in rows[:2]] == ["note 0", "note 1"]
    assert rows[-1].text.split("\n") == [f"note {i}" for i in range(MAX_ITEMS, 5_000)]
    [problem] = [p for p in record.problems if p.code == "too-many-items"]
    assert "table rows with no label cell: 5,000 items" in problem.message


def test_a_value_held_in_a_textarea_is_read():
    row = ("<tr><td class='left_title'><p class='cn'>纳入标准：</p><p class='en'>Inclusion criteria:</p></td>"
           "<td><textarea style='display:none'>1. 年龄18-65岁；\n2. 签署知情同意书。</textarea></td></tr>")
    [record] = parse_bytes(_html(row), repair=False)
    assert record.get("inclusion_criteria").zh.value == "1. 年龄18-65岁；\n2. 签署知情同意书。"


_RECORD_PARTS = ("project-ms", "ProjetInfo_ms", "project-view")
_UNSHOWN = ("script", "style", "noscript", "template", "head", "title", "select", "option", "button", "input")


def _shown_cells(data: bytes) -> list[str]:
    """The text of every table cell (without a table inside) of the record's part of a page."""
    root = etree.fromstring(data, etree.HTMLParser(remove_comments=True, encoding="utf-8"))
    etree.strip_elements(root, *_UNSHOWN, with_tail=False)
    parts = [el for el in root.iter("div") if set((el.get("class") or "").split()) & set(_RECORD_PARTS)] or [root]
    return [" ".join(" ".join(c.itertext()).replace("\xa0", " ").split())
            for part in parts for c in part.iter("td", "th") if next(c.iter("table"), None) is None]


def _held(record) -> str:
    """Every text the record holds: labels, values, unpaired blocks, problems, the header."""
    texts = [t for f in record.fields for t in (f.zh.label, f.zh.value, f.en.label, f.en.value)]
    texts += [u.text for u in record.unpaired] + [p.message for p in record.problems]
    texts += [p.text for p in record.header.preamble] + [record.header.title or ""]
    return " ".join(" ".join(texts).split())


def _missing(shown: list[str], held: str) -> list[str]:
    """Words of `shown` the record does not hold (a mixed value `否No` is held as its halves)."""
    lost = []
    for text in shown:
        for word in text.split():
            word = word.strip(":：")
            halves = split_mixed(word) or ()
            if word and word not in held and not all(h in held for h in halves if h) | (not halves):
                lost.append(word)
    return lost


PAGES = sorted((ROOT / "corpus" / "html").glob("*.html")) + (sorted((SHARED / "corpus" / "html").glob("*.html"))
                                                             if SHARED.is_dir() else [])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_nothing_a_page_shows_is_dropped_without_a_trace(path):
    data = path.read_bytes()
    [record] = parse_bytes(data, str(path), repair=False)
    assert _missing(_shown_cells(data), _held(record)) == []


@needs_shared
@pytest.mark.parametrize("path", corpus_texts() + [EXAMPLE], ids=lambda p: p.name)
def test_nothing_a_text_export_holds_is_dropped_without_a_trace(path):
    text = path.read_text(encoding="utf-8")
    records = parse_file(path, repair=False)
    held = " ".join(_held(r) for r in records)
    assert _missing(text.splitlines(), held) == []


def test_mojibake_of_two_line_separators_is_repaired_once_not_a_reader_failure():
    """Found by the fuzz run: `â€¨â€¨` (U+2028 twice, read as Windows-1252) had two second-pass repairs
    over one first-pass span, and the repair stage failed the whole record."""
    record = parse_text(TEXT.replace("Interventional study", "Interventional â€¨â€¨ study", 1))
    assert record.get("study_type").en.value == "Interventional \n\n study"


def test_a_file_of_many_small_records_is_written_record_by_record(tmp_path):
    """A batch that writes each record as it comes holds one record's plain data at a time, and frees each
    record's blocks once it is aligned: 2,000 small records (282 KB) peak at about 8.6 MB of Python
    objects (17 MB when every record was aligned and repaired before the first was written)."""
    import tracemalloc

    from bilingual_registry.api import parse_many
    from bilingual_registry.labels import default_schema
    from bilingual_registry.plain import record_json

    path = tmp_path / "many.txt"
    path.write_text("".join(f"注册号:\nRegistration number:\nChiCTR26{i:08d}\n\n研究疾病:\nTarget disease:\nx\n\n性别:\n"
                            f"Gender:\nBoth\n\n注册人:\nName of Registration:\nz\n\n" for i in range(2000)), encoding="utf-8")
    default_schema()
    tracemalloc.start()
    try:
        out = list(parse_many([path], validate=False, then=record_json))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(out) == 2000
    assert all(f'"registration_number":"ChiCTR26{i:08d}"'.encode() in r for i, (_, r) in enumerate(out))
    assert peak < 12_000_000


def test_label_blocks_share_one_text_object_per_label():
    """A file of many records keeps each label's text once, not once a block (20,000 small records in
    2.8 MB: 181 -> 168 MB peak RSS, under the 30x + 96 MB budget)."""
    from bilingual_registry.labels import default_schema
    from bilingual_registry.sources.text import read_text

    text = "".join(f"注册号:\nRegistration number:\nChiCTR26{i:08d}\n\n注册人:\n\nName of Registration:\n\nz\n\n"
                   for i in range(50))
    labels = [b.text for b in read_text(text, default_schema()) if b.kind == "label"]
    assert len(labels) == 200 and len({id(t) for t in labels}) == 4
