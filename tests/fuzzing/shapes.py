"""Pathological shapes (inputs built to hit one cost at scale) and filesystem cases (what a folder or a
path on the command line may be). Every case is a `harness.Case`; builders and checks are module-level
functions bound with `partial`, so cases travel to the worker process."""
from __future__ import annotations

import io
import json
import os
import socket
import zipfile
from functools import partial
from pathlib import Path

from .harness import MB, Case, Result

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "corpus" / "ChiCTR2699000001.txt"
XML = ROOT / "corpus" / "xml"
JSON = ROOT / "corpus" / "json"


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _first(folder: Path, pattern: str) -> bytes:
    return next(iter(sorted(folder.glob(pattern)))).read_bytes()


def _api_item() -> dict:
    data = json.loads(_first(JSON, "*.json"))
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]["rows"]
    return data[0] if isinstance(data, list) else data


def _html(rows: str) -> bytes:
    return (f"<!DOCTYPE html><html><body><div class='project-ms'><table>{rows}</table></div></body></html>").encode()


def _row(zh: str, en: str, value: str) -> str:
    return (f"<tr><td class='left_title'><p class='cn'>{zh}</p><p class='en'>{en}</p></td>"
            f"<td><p class='cn'>{value}</p><p class='en'>{value}</p></td></tr>")


_BASE_ROWS = (_row("注册号：", "Registration number:", "ChiCTR2699000001")
              + _row("研究类型：", "Study type:", "干预性研究") + _row("注册人：", "Name of Registration:", "x")
              + _row("申请注册联系人：", "Applicant:", "王") + _row("研究负责人：", "Study leader:", "李"))


def _xml_with(tag: str, text: str) -> bytes:
    import re

    data = _first(XML, "*.xml").decode("utf-8")
    return re.sub(f"<{tag}>.*?</{tag}>", f"<{tag}>{text}</{tag}>", data, count=1, flags=re.S).encode()


def _zip(entries: list[tuple[str, bytes]], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def shape_cases(scale: float = 1.0) -> list[Case]:
    """Pathological shapes; `scale` < 1 makes them smaller (the short run)."""
    n = lambda k: max(1, int(k * scale))  # noqa: E731
    text = _example()
    item = _api_item()
    xml = _first(XML, "*.xml").decode("utf-8")
    shapes = {
        "colon labels x2000 on a line": "注册号：" * 2000 + "\n" + text,
        "colon labels on a 2.4 MB line": text + "\n\n" + "注册号：" * n(200_000) + "\n",
        "80,000 short value blocks": text + "\n\n" + "\n\n".join(f"v{i}" for i in range(n(80_000))),
        "1 M value blocks": text + "\n\n" + "\n\n".join("v" for _ in range(n(1_000_000))),
        "a value of 500,000 lines": text.replace("干预性研究", "\n".join("x" for _ in range(n(500_000))), 1),
        "one 19 MB line": text + "\n\n" + "a" * n(19 * MB),
        "pipe table of 200,000 cells": text + "\n" + "x |\n" * n(200_000),
        "colons only": "：" * n(3 * MB),
        "labels only, 100,000 pairs": ("注册号：\n\nRegistration number:\n\n" * n(100_000)),
        "nbsp lines": text + "\n" + "\u00a0\n" * n(500_000),
        "19 MB of nbsp lines": text + "\n" + "\u00a0\n" * n(19 * MB // 3),
        "19 MB of 1-character value blocks": text + "\n\n" + "v\n\n" * n(19 * MB // 3),
        "19 MB of 1-character value blocks, CR line ends": text.replace("\n", "\r") + "\r\r" + "v\r\r" * n(19 * MB // 3),
        "19 MB pipe table of 1-character cells": text + "\n" + "x |\n" * n(19 * MB // 4),
        "html row of 40,000 cells": _html(_BASE_ROWS + "<tr><td class='left_title'><p class='cn'>国家：</p></td>"
                                          + "<td>x</td>" * n(40_000) + "</tr>"),
        "html 100,000 rows with no label": _html(_BASE_ROWS + "<tr><td>loose</td></tr>" * n(100_000)),
        "html 100,000 empty p.cn": _html(_BASE_ROWS + "<tr><td>" + "<p class='cn'></p>" * n(100_000) + "</td></tr>"),
        "html nested 5,000 tables": _html(_BASE_ROWS + "<tr><td>" + "<table><tr><td>" * n(5000) + "x"),
        "html textarea 2 MB": _html(_BASE_ROWS + _row("纳入标准：", "Inclusion criteria:",
                                                       "<textarea>" + "1. 年龄\n" * n(200_000) + "</textarea>")),
        "xml target_size 5 M semicolons": _xml_with("target_size", ";" * n(5_000_000)),
        "xml target_size 1 M distinct items": _xml_with("target_size", ";".join(f"g{i}:{i}" for i in range(n(1_000_000)))),
        "xml 200,000 prim_outcome": _xml_with("primary_outcome", "<prim_outcome>o;</prim_outcome>" * n(200_000)),
        "xml utf-16-le, no BOM": xml.encode("utf-16-le"),
        "xml utf-32": xml.encode("utf-32"),
        "xml after 4 KB of blanks": (" " * 4096 + xml).encode(),
        "api 6 MB of group items": json.dumps(dict(item, intervention=[{"name_zh": "组", "size": i} for i in range(n(150_000))])),
        "api 3 M empty group members": json.dumps(dict(item, researchSite=[{}] * n(3_000_000))),
        "api groups of odd types": json.dumps([dict(item, intervention=v) for v in (True, 5, {"a": 1}, "abc", 1.5)]),
        "api timestamps out of range": json.dumps(dict(item, created_time="0001-01-01T00:00:00+01:00",
                                                       send_number_time="9999-12-31T23:59:59-01:00")),
        "api lone surrogates": json.dumps(item).replace('"registration_number"', '"\\ud800": "\\udfff", "registration_number"'),
        "api 100,000 keys": json.dumps(dict(item, **{f"k{i}": "v" for i in range(n(100_000))})),
        "api records x2000": json.dumps([item] * n(2000)),
        "json nested 100,000 deep": "[" * n(100_000) + "]" * n(100_000),
        "line and paragraph separators, two records": (text.replace("干预性研究", "干预\u2028性\u2029研究\x85", 1) + "\n\n") * 2,
        "a lone bad byte": text.encode()[:300] + b"\xff" + text.encode()[300:],
        "zip 24 x 20 MB entries": _zip([(f"r{i}.txt", (text + "\n\n") * (20 * MB // len(text.encode())))
                                         for i in range(n(24) if scale >= 1 else 2)]),
        "zip of 2,000 records": _zip([(f"r{i}.txt", text.encode()) for i in range(n(2000))], 6),
    }
    return [Case(name, data=v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass"), family="shape")
            for name, v in shapes.items()]


# -- filesystem cases ------------------------------------------------------------------------------
def _good(folder: Path, name: str | bytes = "good.txt") -> Path:
    path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else name.encode())
    with open(path, "wb") as fh:
        fh.write(EXAMPLE.read_bytes())
    return Path(os.fsdecode(path))


def _fifo_alone(folder: Path):
    os.mkfifo(folder / "pipe")
    return [str(folder / "pipe")], 0


def _fifo_in_folder(folder: Path):
    d = folder / "in"
    d.mkdir()
    _good(d, "a.txt")
    os.mkfifo(d / "b.pipe")
    _good(d, "c.txt")
    return [str(d)], 2 * EXAMPLE.stat().st_size


def _device(folder: Path):
    return ["/dev/zero"], 0


def _device_link_in_folder(folder: Path):
    d = folder / "in"
    d.mkdir()
    _good(d, "a.txt")
    os.symlink("/dev/zero", d / "zero.txt")
    return [str(d)], EXAMPLE.stat().st_size


def _socket_in_folder(folder: Path):
    d = folder / "in"
    d.mkdir()
    _good(d, "a.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "s.sock"))  # left bound: the file stays a socket
    folder.joinpath(".keep").write_text(str(sock.fileno()))
    _socket_in_folder.keep = sock  # type: ignore[attr-defined]
    return [str(d)], EXAMPLE.stat().st_size


def _links(folder: Path):
    d = folder / "in"
    (d / "sub").mkdir(parents=True)
    _good(d, "a.txt")
    os.symlink("loop", d / "loop")  # a link to itself
    os.symlink("nowhere", d / "dangling.txt")
    os.symlink(str(d), d / "sub" / "up")  # a link back to a folder above: a walk would loop
    os.symlink("a.txt", d / "b.txt")  # a link to a regular file: read
    return [str(d)], 2 * EXAMPLE.stat().st_size


def _top_loop(folder: Path):
    os.symlink("me", folder / "me")
    return [str(folder / "me")], 0


def _bad_name(folder: Path):
    d = folder / "in"
    d.mkdir()
    _good(d, "a.txt")
    _good(d, b"b-\xff\xfe.txt")
    return [str(d), os.fsdecode(os.fsencode(d) + b"/b-\xff\xfe.txt")], 2 * EXAMPLE.stat().st_size


def _many_files(count: int, folder: Path):
    d = folder / "in"
    d.mkdir()
    for i in range(count):
        _good(d, f"r{i}.txt")
    return [str(d)], count * EXAMPLE.stat().st_size


def _records_at_least(count: int, result: Result) -> list[str]:
    return [] if result.records >= count else [f"lost a record: {result.records} written, {count} expected"]


def fs_cases() -> list[Case]:
    return [
        Case("FIFO alone", build=_fifo_alone, family="filesystem"),
        Case("FIFO in a folder", build=_fifo_in_folder, check=partial(_records_at_least, 2), family="filesystem"),
        Case("device /dev/zero", build=_device, family="filesystem"),
        Case("link to /dev/zero in a folder", build=_device_link_in_folder, check=partial(_records_at_least, 1),
             family="filesystem"),
        Case("socket in a folder", build=_socket_in_folder, check=partial(_records_at_least, 1), family="filesystem"),
        Case("link loop, dangling link, link to a folder above, link to a file", build=_links,
             check=partial(_records_at_least, 2), family="filesystem"),
        Case("a path that is a link loop", build=_top_loop, family="filesystem"),
        Case("file names not UTF-8", build=_bad_name, check=partial(_records_at_least, 3), family="filesystem"),
        Case("folder of 500 records", build=partial(_many_files, 500), check=partial(_records_at_least, 500),
             family="filesystem"),
    ]
