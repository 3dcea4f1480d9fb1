"""The HTML reader against a BeautifulSoup pass, side by side on the same pages (issue 3).

The reader does the whole job: decode, detect, parse, read every label and value, align into a Record.
The BeautifulSoup pass (`html.parser`) merely collects the text of every `p.cn`/`p.en`. Each is timed
best-of-N over all pages, in one run on the same machine, so the ratio is fair under load.

    python benchmarks/bench_html.py [PAGE.html ...] [--rounds N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

from bilingual_registry.api import parse_bytes

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    paths = args.pages or DEFAULT_PAGES
    if not paths:
        print("no pages to measure", file=sys.stderr)
        return 2
    pages = [p.read_bytes() for p in paths]
    size = sum(map(len, pages))
    reader(pages), soup(pages)  # warm up: schema, caches, imports
    t_reader = best(reader, pages, args.rounds)
    t_soup = best(soup, pages, max(2, args.rounds // 3))
    n = len(pages)
    print(f"{n} pages, {size / 1024:.0f} KiB, best of {args.rounds} rounds")
    print(f"  bilingual_registry HTML reader -> Record : {n / t_reader:8.1f} pages/s  ({t_reader / n * 1000:.2f} ms/page)")
    print(f"  BeautifulSoup html.parser p.cn/p.en pass : {n / t_soup:8.1f} pages/s  ({t_soup / n * 1000:.2f} ms/page)")
    print(f"  ratio: the reader is {t_soup / t_reader:.1f}x the BeautifulSoup pass (target 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
