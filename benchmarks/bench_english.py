"""The English row's cost beside the parse it follows, on real records.

Run on demand (not in CI):  python benchmarks/bench_english.py [--repeat 20] [--shared ../shared]
Prints, in the same run and per record (an export's rows averaged): parse + repair of the record's bytes, `to_english` in the tidy
style, the ictrp style and tidy with Chinese twins, and the row's share of parse + row. Records: seed 003,
the 2024 page and the 500 rows of the ICTRP CSV export of the shared corpus when present, else our corpus/.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bilingual_registry import parse_bytes, parse_file
from bilingual_registry.convert import to_english
from bench_glossary import best  # the best of several runs, in ms

ROOT = Path(__file__).resolve().parents[1]


def inputs(shared: Path) -> list[Path]:
    real = (sorted((shared / "seeds").glob("003_*.txt")) + sorted((shared / "corpus" / "html").glob("*.html"))
            + sorted((shared / "corpus" / "ictrp").glob("*.chictr500.csv")))
    return real or sorted(p for p in (ROOT / "corpus").rglob("*.*") if p.suffix in (".txt", ".html", ".xml"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    print(f"{'record':42} {'parse':>8} {'tidy':>8} {'ictrp':>8} {'+zh':>8} {'row/(parse+row)':>16}  (ms)")
    for path in inputs(args.shared):
        data = path.read_bytes()
        records = parse_file(path)
        n, repeat = len(records), max(1, args.repeat // len(records))
        parse = best(lambda: parse_bytes(data, str(path)), repeat) / n
        tidy = best(lambda: [to_english(r) for r in records], repeat) / n
        ictrp = best(lambda: [to_english(r, style="ictrp") for r in records], repeat) / n
        zh = best(lambda: [to_english(r, with_chinese=True) for r in records], repeat) / n
        name = f"{path.name[:34]} ({n})" if n > 1 else path.name
        print(f"{name:42} {parse:8.2f} {tidy:8.3f} {ictrp:8.3f} {zh:8.3f} {tidy / (parse + tidy):16.1%}")


if __name__ == "__main__":
    main()
