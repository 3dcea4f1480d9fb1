"""Review benchmark: recall and precision per check on planted defects, and speed beside pofilter.

    python benchmarks/bench_review.py [--generated 40] [--rounds 2] [--speed 200] [--no-accuracy] [--no-repair] [--show]

Accuracy: every kind of defect of `review_defects.py` is planted, one per copy, into clean generated
records (`synth.Generator.varied`) and into text copies of the real pages (../shared/corpus's text
pages, 2024 HTML page and ITMCTR API records, seed 003 and the repo's corpus/), figures given apart. A
real record's text copy is `render(record)`; a defect is planted into that text where the field's value
stands, and the damaged text parsed again with `parse_text`; the clean copy is the clean text parsed. A finding of a damaged copy that its
clean copy lacks (by check and field, counted) is new; a new finding naming a damaged field is a true
positive. A text copy whose parsed damaged field equals the clean one (the parser's repair took the
damage back out) is counted apart, not scored; one read as other values than planted is scored and
counted ("of them altered"). Recall per kind: the planted defects whose check made a true positive. Precision per check:
true positives over all its new findings.

Speed: `review()` over seed-size generated records against translate-toolkit's pofilter standard
checker (`StandardChecker.run_filters`, zh source, en target) over the same field pairs, in turns, one
core, best of three rounds each, over the same records each round and over fresh ones; records/s for
both and the ratio, by the clock and by CPU time, with the load average.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import review_defects  # noqa: E402
from bench_core import machine  # noqa: E402

from bilingual_registry import parse_file, parse_text, render, review  # noqa: E402
from bilingual_registry.review import pairs_of  # noqa: E402
from bilingual_registry.review.context import Context  # noqa: E402
from bilingual_registry.synth import Generator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BIREG_SHARED") or ROOT.parent / "shared")


def real_records() -> list:
    """The real pages: ../shared/corpus's text copies, 2024 HTML page and ITMCTR API records, seed 003,
    and the repo's own corpus/."""
    corpus = SHARED / "corpus"
    paths = sorted((corpus / "text").glob("*.txt")) + sorted((corpus / "html").glob("*.html")) + \
        sorted((corpus / "json").glob("*.json")) + sorted((SHARED / "seeds").glob("003_*.txt")) + \
        sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file())
    return [r for p in paths for r in parse_file(p)]


def _fields(record) -> list:
    return [(f.group, f.index, f.key, f.zh.value, f.en.value) for f in record.fields]


def text_copies(records: list, repair: bool = True) -> tuple[list, int]:
    """Each record as a text export (`render`) with that text parsed back: the clean text copy. Also
    the count of records whose text copy parses back to other fields than the record's own."""
    copies, changed = [], 0
    for r in records:
        text = render(r)
        back = parse_text(text, repair=repair)
        changed += _fields(back) != _fields(r)
        copies.append((back, text))
    return copies, changed


def _key(f) -> tuple:
    """A finding's identity across the clean and damaged copies: its check and field (a batch check's
    message names the other fields and changes with them)."""
    where = f.field if f.group is None else f"{f.group}[{f.index}].{f.field}"
    return f.check, where


SHOW = False  # --show: print each missed defect and each false positive, to read them


def score(records: list, rounds: int, seed: int, texts: list | None = None, repair: bool = True) -> tuple[dict, dict, int]:
    """Plant every kind `rounds` times into each record (into its text copy, when `texts` gives them,
    the damaged text parsed again); tally recall by kind and precision by check."""
    rng = random.Random(seed)
    texts = texts or [None] * len(records)
    planted: Counter = Counter()
    found: Counter = Counter()
    tp: Counter = Counter()
    new_all: Counter = Counter()
    undone: Counter = Counter()
    altered: Counter = Counter()  # scored, but the parser read the damaged text as other values than planted
    copies = 0
    for record, text in zip(records, texts):
        clean = review([record])
        clean_keys = Counter(_key(f) for f in clean)
        for kind in review_defects.KINDS:
            made = tries = 0
            draw = random.Random(f"{seed} {kind} {record.registration_number}") if kind in review_defects.OWN_RANDOM else rng
            while made < rounds and tries < 4 * rounds:  # a copy the parser repaired is tried again
                tries += 1
                if text is None:
                    got = review_defects.plant(record, clean, kind, draw)
                else:
                    try:
                        got = review_defects.plant_text(text, record, clean, kind, draw, repair)
                    except review_defects.NotLocated as e:
                        print(f"  not located in the text copy of {record.registration_number}: {kind} {e}", file=sys.stderr)
                        continue
                if got is None:
                    continue
                if got.undone:
                    undone[kind] += 1
                    if SHOW:
                        print(f"UNDONE {kind} in {record.registration_number} {sorted(got.wheres)}: the parser repaired it")
                    continue
                made += 1
                copies += 1
                altered[kind] += got.altered
                planted[kind] += 1
                left = clean_keys.copy()
                hit = False
                for f in review([got.record]):
                    k = _key(f)
                    if left[k] > 0:
                        left[k] -= 1
                        continue
                    new_all[f.check] += 1
                    if k[1] in got.wheres:
                        tp[f.check] += 1
                        hit |= f.check == got.check
                    elif SHOW:
                        print(f"FALSE+ {kind} planted in {sorted(got.wheres)}: {f.check} {k[1]}: {f.message}")
                found[kind] += hit
                if SHOW and not hit:
                    w = sorted(got.wheres)[0]
                    field = next((x for n, x in enumerate(got.record.fields) if review_defects._where(got.record, n) == w), None)
                    shown = f"{field.zh.value[:80]!r} | {field.en.value[:160]!r}" if field else "(no such field after parsing)"
                    print(f"MISSED {kind} in {record.registration_number} {w}: {shown}")
    recall = {k: (found[k], planted[k], undone[k], altered[k]) for k in review_defects.KINDS}
    precision = {c: (tp[c], new_all[c]) for c in sorted(new_all)}
    return recall, precision, copies


def _print_accuracy(title: str, recall: dict, precision: dict, copies: int) -> None:
    undone = sum(u for _, _, u, _ in recall.values())
    print(f"\n{title}: {copies} damaged copies scored"
          + (f" ({undone} more whose damage the parser's repair took back out, not scored)" if undone else ""))
    print(f"  {'defect kind':22s} {'check':26s} {'found/planted':>14s} {'recall':>7s} {'undone by repair':>17s}"
          f" {'of them altered':>16s}")
    for kind, (f, n, u, a) in recall.items():
        check = review_defects.KINDS[kind][0]
        print(f"  {kind:22s} {check:26s} {f:6d}/{n:<7d} {(f / n if n else float('nan')):7.3f} {u:17d} {a:16d}")
    print(f"  {'check':26s} {'true/new findings':>18s} {'precision':>9s}")
    for check, (t, n) in precision.items():
        print(f"  {check:26s} {t:8d}/{n:<9d} {t / n:9.3f}")


def speed(n: int) -> None:
    """Both contenders over the same field pairs, in turns, best of three rounds. Two figures: the same
    records each round (as every earlier stop measured), and other records each round: a registry's
    records are reviewed once, and the first time a text is seen the review's caches (a word's frequency,
    its pinyin, its glossary hits) are cold. With ../shared, a third: the real pages' records as one batch
    (their sizes are the registry's, not the generator's)."""
    from translate.filters import checks
    from translate.storage import pypo

    gen = Generator(11)
    review([gen.varied(i) for i in range(60)])  # what loads at first use loaded (cn2an comes with a Chinese numeral)
    ctx = Context.default()
    checker = checks.StandardChecker()

    def made(first: int) -> list:
        return [gen.varied(first + i) for i in range(n)]

    def batch(records: list) -> tuple[list, list]:
        """The records with pofilter's units of their reviewed field pairs."""
        units = []
        for r in records:
            for p in pairs_of(r, ctx):
                u = pypo.pounit(p.zh)
                u.target = p.en
                units.append(u)
        return records, units

    same = batch(made(1000))
    fresh = [batch(made(10_000 + k * n)) for k in range(3)]
    real = batch(real_records()) if SHARED.is_dir() else None
    rows = ("same records", "fresh records") + (("real records",) if real else ())
    per = len(same[1]) / n
    load = os.getloadavg()[0]
    best: dict = {}
    for k in range(3):  # in turns, so both see the same machine
        for label, (records, units) in zip(rows, (same, fresh[k], real)):
            for name, fn in (("review", lambda: review(records)),
                             ("pofilter", lambda: [checker.run_filters(u) for u in units])):
                gc.collect()
                t, c = time.perf_counter(), time.process_time()
                fn()
                wall, cpu = time.perf_counter() - t, time.process_time() - c
                got = best.setdefault((label, name), [float("inf"), float("inf")])
                got[0], got[1] = min(got[0], wall), min(got[1], cpu)
    print(f"\nspeed: {n} generated records a round, {per:.0f} reviewed field pairs a record "
          f"(seed 003 has {len(pairs_of(parse_file(next((SHARED / 'seeds').glob('003_*.txt')))[0], ctx)) if SHARED.is_dir() else '?'}); "
          f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after; {machine()}")
    for label, (records, units) in zip(rows, (same, fresh[0], real)):
        (rw, rc), (pw, pc) = best[label, "review"], best[label, "pofilter"]
        m = len(records)
        print(f"  {label:14s} ({m} records, {len(units) / m:3.0f} pairs each) review() {m / rw:7.1f} records/s, "
              f"pofilter StandardChecker {m / pw:5.1f}/s: {pw / rw:4.1f}x  (by CPU time {m / rc:.1f} and {m / pc:.1f}/s: {pc / rc:.1f}x)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generated", type=int, default=40, help="clean generated records to damage")
    ap.add_argument("--rounds", type=int, default=2, help="copies per kind and real record")
    ap.add_argument("--speed", type=int, default=200, help="records for the speed run (0: none)")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--no-repair", action="store_true", help="parse the real text copies without repairing them")
    ap.add_argument("--show", action="store_true", help="print each missed defect and each false positive")
    args = ap.parse_args(argv)
    global SHOW
    SHOW = args.show
    if not args.no_accuracy:
        gen = Generator(7)
        t = time.perf_counter()
        recall, precision, copies = score([gen.varied(i) for i in range(args.generated)], 1, 1)
        _print_accuracy(f"generated records ({args.generated})", recall, precision, copies)
        if SHARED.is_dir():
            real, changed = text_copies(real_records(), not args.no_repair)
            print(f"\n{len(real)} real records as text copies; {changed} of them parse back to other fields "
                  "than the record's (their parsed copy is the clean copy)")
            recall, precision, copies = score([r for r, _ in real], args.rounds, 2, [t for _, t in real], not args.no_repair)
            _print_accuracy(f"text copies of the real pages ({len(real)} records, {args.rounds} copies per kind"
                            + (", parsed without repair)" if args.no_repair else ", parsed with repair)"),
                            recall, precision, copies)
        print(f"\naccuracy run: {time.perf_counter() - t:.0f} s", file=sys.stderr)
    if args.speed:
        speed(args.speed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
