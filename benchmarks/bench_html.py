"""The HTML reader against a BeautifulSoup pass, side by side on the same pages (issue 3).

The reader does the whole job, as `bireg parse --no-repair page.html` does it: bytes in, Record out
(decode, detect, hash, parse, read every label and value, align). The BeautifulSoup pass (`html.parser`) merely collects
the text of every `p.cn`/`p.en`. The two are timed in turns, best of N over all pages, in one run on
the same machine, so the ratio stays fair on a busy machine. `--breakdown` times the reader's stages one
by one, on the output of the stage before, to show where the time goes.

    python benchmarks/bench_html.py [PAGE.html ...] [--rounds N] [--breakdown]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

from bilingual_registry.align import align, split_records
from bilingual_registry.api import parse_bytes
from bilingual_registry.document import Document
from bilingual_registry.labels import default_schema
from bilingual_registry.plain import dump
from bilingual_registry.sources import sha256
from bilingual_registry.sources.decode import decode
from bilingual_registry.sources.detect import detect_text
from bilingual_registry.sources.html import parse_html, read_tree
from bilingual_registry.throughput import batch_collection

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = sorted((ROOT.parent / "shared" / "corpus" / "html").glob("*.html")) + sorted(
    (ROOT / "corpus" / "html").glob("*.html"))


def reader(pages: list[bytes]) -> int:
    return sum(len(parse_bytes(data, "page.html", repair=False)[0].fields) for data in pages)


def data_path(pages: list[bytes]) -> int:
    """As `bireg parse page.html` runs it now: bytes in, plain data through repair, JSON bytes out."""
    return sum(len(dump(d).json) for data in pages for d in parse_bytes(data, "page.html", validate=False))


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


def breakdown(pages: list[bytes], rounds: int, whole: float) -> None:
    """Where the reader's time goes, stage by stage (best of N, all pages, ms a page)."""
    schema = default_schema()
    decoded = [decode(d) for d in pages]
    texts = [t for t, _ in decoded]
    utf8 = [d if enc == "utf-8" else None for d, (_, enc) in zip(pages, decoded)]
    trees = [parse_html(t, None, u) for t, u in zip(texts, utf8)]
    blocks = [read_tree(tree, schema) for tree in trees]
    # The aligner writes a block only to settle a kind left empty; the HTML reader leaves none, so the
    # same blocks can be aligned again and again without copying them.
    assert all(b.kind for bl in blocks for b in bl)
    docs = [Document(bl) for bl in blocks]
    stages = {
        "decode (UTF-8 checked, head)": lambda: [decode(d, whole=False) for d in pages],
        "detect format": lambda: [detect_text(t) for t in texts],
        "sha256": lambda: [sha256(d) for d in pages],
        "libxml2 parse": lambda: [parse_html(t, None, u) for t, u in zip(texts, utf8)],
        "read blocks (walk the tree)": lambda: [read_tree(tree, schema) for tree in trees],
        "split records": lambda: [split_records(bl, schema) for bl in blocks],
        "align (blocks -> Record)": lambda: [align(doc, schema) for doc in docs],
    }
    n, total = len(pages), 0.0
    for name, fn in stages.items():
        t = best(lambda _: fn(), pages, rounds) / n * 1000
        total += t
        print(f"    {name:30s} {t:6.2f} ms/page")
    print(f"    {'(sum of the stages)':30s} {total:6.2f} ms/page, the whole: {whole / n * 1000:.2f} ms/page")


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
    data_path(pages)
    t_reader = t_tuned = t_soup = t_data = float("inf")
    for _ in range(args.rounds):  # interleaved, so a busy machine slows both alike
        t_reader = min(t_reader, best(reader, pages, 1))
        with batch_collection():  # how `bireg parse` runs
            t_tuned = min(t_tuned, best(reader, pages, 1))
            t_data = min(t_data, best(data_path, pages, 1))
        t_soup = min(t_soup, best(soup, pages, 1))
    n = len(pages)
    print(f"{n} pages, {size / 1024:.0f} KiB, best of {args.rounds} rounds")
    print(f"  bilingual_registry HTML reader -> Record : {n / t_reader:8.1f} pages/s  ({t_reader / n * 1000:.2f} ms/page)")
    print(f"  the same, with bireg's GC settings       : {n / t_tuned:8.1f} pages/s  ({t_tuned / n * 1000:.2f} ms/page)")
    print(f"  BeautifulSoup html.parser p.cn/p.en pass : {n / t_soup:8.1f} pages/s  ({t_soup / n * 1000:.2f} ms/page)")
    print(f"  ratio: the reader is {t_soup / t_reader:.1f}x the BeautifulSoup pass (target 20x), "
          f"{t_soup / t_tuned:.1f}x as bireg runs it")
    print(f"  bireg parse's data path (bytes -> repaired JSON bytes, bireg's GC): {n / t_data:8.1f} pages/s, "
          f"{t_soup / t_data:.1f}x the BeautifulSoup pass; load average {os.getloadavg()[0]:.2f}")
    if args.breakdown:
        breakdown(pages, args.rounds, t_reader)
    return 0


if __name__ == "__main__":
    sys.exit(main())
