"""Finding glossary terms in a 20 KB record: Aho-Corasick over folded views vs a loop of str.find per term.

Run on demand (not in CI):  python benchmarks/bench_glossary.py [--size 20000] [--repeat 50]
Prints, in the same run: fold time (the three views), the scan time per term set (zh, en, abbreviation
automata), the whole Glossary.find call, the same record field by field, and the naive loop of
str.find over every key of every term set on the same folded views.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bilingual_registry.glossary import Glossary, iter_fields
from bilingual_registry.glossary.fold import _views
from bilingual_registry.glossary.matcher import _bytewise

ROOT = Path(__file__).resolve().parents[1]


def sample_text(size: int) -> str:
    """Seed 003 (a real ChiCTR export) repeated to `size` characters; our own example when ../shared is absent."""
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("003_*.txt"))
    base = seeds[0] if seeds else next((ROOT / "corpus").glob("*.txt"))
    text = base.read_text(encoding="utf-8")
    while len(text) < size:
        text += "\n\n" + text
    return text[:size]


def best(fn, repeat: int) -> float:
    """Best wall time of `repeat` runs, in milliseconds (the least disturbed by other work on the machine)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def naive(views, automata) -> int:
    """Every occurrence of every key by str.find: what a loop of searches costs."""
    found = 0
    for kind, automaton in automata.items():
        text = views[kind].text
        for key in automaton.keys():
            if kind == "zh":
                key = key.encode("latin-1").decode("utf-16-be")
            at = text.find(key)
            while at != -1:
                found += 1
                at = text.find(key, at + 1)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20_000, help="record size in characters (default 20000)")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()

    glossary = Glossary.default()
    glossary.find("")  # build the automata once, as a long-running process would
    automata = glossary._matcher.automata
    text = sample_text(args.size)
    views = _views(text)
    keys = {kind: len(a) for kind, a in automata.items()}
    hits = glossary.find(text)

    print(f"record: {len(text)} chars ({len(text.encode('utf-8'))} bytes UTF-8); glossary: {len(glossary.terms)} "
          f"terms -> keys per term set {keys}; {len(hits)} hits")
    fold_ms = best(lambda: _views(text), args.repeat)
    print(f"fold (NFKC, case, t2s, dashes; 3 views)   {fold_ms:8.3f} ms")
    scan_total = 0.0
    for kind, automaton in automata.items():
        view = views[kind].text
        ms = best(lambda: sum(1 for _ in automaton.iter(_bytewise(view) if kind == "zh" else view)), args.repeat)
        scan_total += ms
        print(f"scan term set {kind:<5} (Aho-Corasick)       {ms:8.3f} ms")
    find_ms = best(lambda: glossary.find(text), args.repeat)
    print(f"Glossary.find(whole record)                {find_ms:8.3f} ms")

    try:
        from bilingual_registry import parse_text
        values = [v for _, _, v in iter_fields(parse_text(text))]
        field_ms = best(lambda: [glossary.find(v) for v in values], args.repeat)
        print(f"Glossary.find per field ({len(values)} values)      {field_ms:8.3f} ms")
    except Exception as exc:  # the parser is another module's business; the benchmark still reports the rest
        print(f"per-field run skipped: {exc}")

    naive_ms = best(lambda: naive(views, automata), max(3, args.repeat // 10))
    print(f"naive str.find loop over all keys          {naive_ms:8.3f} ms  (same folded views, no fold time)")
    print(f"speed-up of the automata scan over the loop: {naive_ms / scan_total:6.1f}x; "
          f"of the whole find call: {naive_ms / find_ms:6.1f}x")


if __name__ == "__main__":
    main()
