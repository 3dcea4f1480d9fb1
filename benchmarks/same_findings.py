"""The same review findings before and after a change to the review: every finding, as JSON, of the real
records (each alone and all as one batch), of generated records (as one batch) and of damaged copies of
both (each defect kind of `review_defects.py` planted once into each record).

Run on demand (not in CI):
    python benchmarks/same_findings.py save FILE     # before the change: one JSON line per finding
    python benchmarks/same_findings.py check FILE    # after: the same lines; exit 1 and the first differences if not
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import review_defects  # noqa: E402
from bench_review import real_records  # noqa: E402

from bilingual_registry import review  # noqa: E402
from bilingual_registry.synth import Generator  # noqa: E402


def findings(generated: int = 60) -> list[str]:
    gen = Generator(5)
    made = [gen.varied(i) for i in range(generated)]
    real = real_records()
    out = [f"# batch of {len(real)} real records"]
    out += [f.model_dump_json() for f in review(real)]
    out.append(f"# batch of {len(made)} generated records")
    out += [f.model_dump_json() for f in review(made)]
    rng = random.Random(3)
    for record in real + made:
        clean = review([record])
        out.append(f"# {record.registration_number}")
        out += [f.model_dump_json() for f in clean]
        for kind in review_defects.KINDS:
            draw = random.Random(f"{kind} {record.registration_number}") if kind in review_defects.OWN_RANDOM else rng
            got = review_defects.plant(record, clean, kind, draw)
            if got is not None:
                out.append(f"# {record.registration_number} {kind} {sorted(got.wheres)}")
                out += [f.model_dump_json() for f in review([got.record])]
    return out


def main(argv: list[str]) -> int:
    mode, path = argv[1], Path(argv[2])
    lines = findings()
    if mode == "save":
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} lines saved", file=sys.stderr)
        return 0
    before = path.read_text(encoding="utf-8").splitlines()
    differ = [(n, a, b) for n, (a, b) in enumerate(zip(before, lines)) if a != b]
    for n, a, b in differ[:5]:
        print(f"line {n + 1}:\n  before {a}\n  after  {b}", file=sys.stderr)
    same = not differ and len(before) == len(lines)
    print(f"{len(lines)} lines compared with {len(before)}; {len(differ)} differ"
          + ("" if len(before) == len(lines) else "; the counts differ"), file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
