"""The HTML reader against a BeautifulSoup pass, side by side on the same pages (issue 3).

The reader does the whole job: decode, detect, parse, read every label and value, align into a Record.
The BeautifulSoup pass (`html.parser`) merely collects the text of every `p.cn`/`p.en`. The two are
timed in turns, best of N over all pages, in one run on the same machine, so the ratio stays fair on a
busy machine. `--breakdown` times the reader's stages one by one, to show where the time goes.

    python benchmarks/bench_html.py [PAGE.html ...] [--rounds N] [--breakdown]
"""
from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

from bilingual_registry.align import align
from bilingual_registry.api import parse_bytes
from bilingual_registry.document import Document
from bilingual_registry.labels import default_schema
from bilingual_registry.sources.decode import decode
from bilingual_registry.sources.html import parse_html, read_html

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = sorted((ROOT.parent / "shared" / "corpus" / "html").glob("*.html")) + sorted(
    (ROOT / "corpus" / "html").glob("*.html"))


def reader(pages: list[bytes]) -> int:
    return sum(len(parse_bytes(data, "page.html", repair=False)[0].fields) for data in pages)


def soup(pages: list[bytes]) -> int:
    return sum(len([p.get_text() for p in BeautifulSoup(data.decode("utf-8"), "html.parser").select("p.cn, p.en")])
               for data in pages)


def best(fn, pages: list[bytes], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(pages)
        times.append(time.perf_counter() - start)
    return min(times)


def breakdown(pages: list[bytes], rounds: int) -> None:
    """Where the reader's time goes, stage by stage (best of N, all pages)."""
    schema = default_schema()
    texts = [decode(d)[0] for d in pages]
    blocks = [read_html(t, schema, None, d) for t, d in zip(texts, pages)]
    stages = {
        "decode": lambda: [decode(d) for d in pages],
        "libxml2 parse": lambda: [parse_html(t, None, d) for t, d in zip(texts, pages)],
        "parse + read blocks": lambda: [read_html(t, schema, None, d) for t, d in zip(texts, pages)],
        "align": lambda: [align(Document(blocks=[copy.copy(b) for b in bl])) for bl in blocks],
        "  (copying blocks for align)": lambda: [[copy.copy(b) for b in bl] for bl in blocks],
    }
    for name, fn in stages.items():
        print(f"    {name:30s} {best(lambda _: fn(), pages, rounds) / len(pages) * 1000:6.2f} ms/page")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--breakdown", action="store_true", help="also time each stage of the reader")
    args = ap.parse_args(argv)
    paths = args.pages or DEFAULT_PAGES
    if not paths:
        print("no pages to measure", file=sys.stderr)
        return 2
    pages = [p.read_bytes() for p in paths]
    size = sum(map(len, pages))
    reader(pages), soup(pages)  # warm up: schema, caches, imports
    t_reader = t_soup = float("inf")
    for _ in range(args.rounds):  # interleaved, so a busy machine slows both alike
        t_reader = min(t_reader, best(reader, pages, 1))
        t_soup = min(t_soup, best(soup, pages, 1))
    n = len(pages)
    print(f"{n} pages, {size / 1024:.0f} KiB, best of {args.rounds} rounds")
    print(f"  bilingual_registry HTML reader -> Record : {n / t_reader:8.1f} pages/s  ({t_reader / n * 1000:.2f} ms/page)")
    print(f"  BeautifulSoup html.parser p.cn/p.en pass : {n / t_soup:8.1f} pages/s  ({t_soup / n * 1000:.2f} ms/page)")
    print(f"  ratio: the reader is {t_soup / t_reader:.1f}x the BeautifulSoup pass (target 20x)")
    if args.breakdown:
        breakdown(pages, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
