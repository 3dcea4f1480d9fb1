"""Corpus evidence: what other records of a batch spell decides a lost character that nothing in the
record, the glossary or word knowledge explains, and a repair is never evidence for another."""
from __future__ import annotations

import json

from conftest import EXAMPLE

from bilingual_registry import parse_many
from bilingual_registry.cli import main
from bilingual_registry.repair import Spellings

TEXT = EXAMPLE.read_text(encoding="utf-8")
CLEAN_EN = "To compare progression-free survival"
# A compound with a small word, which no glossary entry or word rule decides: only other records can say.
SPELT = "To compare out-of-pocket costs, and progression-free survival"
DAMAGED = "To compare out?of-pocket costs, and progression-free survival"


def _record(tmp_path, name: str, objectives_en: str, number: int):
    text = TEXT.replace(CLEAN_EN, objectives_en).replace("ChiCTR2699000001", f"ChiCTR26990000{number:02d}")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _objectives(records, number: int) -> str:
    return next(r for r in records if r.registration_number.endswith(f"{number:02d}")).get("objectives").en.value


def _batch(tmp_path, spellings: list[str], damaged_first: bool = False) -> list[str]:
    paths = [_record(tmp_path, f"r{n}.txt", s, n) for n, s in enumerate(spellings, start=10)]
    damaged = _record(tmp_path, "damaged.txt", DAMAGED, 1)
    return [str(p) for p in ([damaged, *paths] if damaged_first else [*paths, damaged])]


def _parse(paths: list[str], corpus: Spellings | None):
    return [r for _, r in parse_many(paths, corpus=corpus)]


def test_other_records_decide_what_nothing_else_can(tmp_path):
    paths = _batch(tmp_path, [SPELT, SPELT])
    assert "out?of" in _objectives(_parse(paths, None), 1)  # alone: left as it is, and flagged
    records = _parse(paths, Spellings())
    assert "out-of-pocket costs" in _objectives(records, 1)
    [repair] = [x for r in records if r.registration_number.endswith("01") for x in r.repairs if x.field == "objectives"]
    assert (repair.before, repair.after, repair.rule) == ("out?of", "out-of", "lost-hyphen")
    assert "batch's records spell out-of (2×)" in repair.evidence and repair.confidence >= 0.8


def test_one_sighting_or_a_split_vote_is_no_evidence(tmp_path):
    (tmp_path / "once").mkdir()
    (tmp_path / "split").mkdir()
    once = _batch(tmp_path / "once", [SPELT, CLEAN_EN])
    assert "out?of" in _objectives(_parse(once, Spellings()), 1)
    split = SPELT.replace("out-of", "out–of")  # an en dash in one record of three
    voted = _batch(tmp_path / "split", [SPELT, SPELT, split])
    assert "out?of" in _objectives(_parse(voted, Spellings()), 1)  # 2 against 1 is no clear majority


def test_a_stream_learns_as_it_goes_and_the_report_reads_everything_first(tmp_path, capsys):
    paths = _batch(tmp_path, [SPELT, SPELT], damaged_first=True)
    assert "out?of" in _objectives(_parse(paths, Spellings()), 1)  # nothing read before it
    assert main(["repairs", *paths, "--corpus-evidence", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(r.get("before") == "out?of" and r.get("after") == "out-of" for r in rows)


def test_repairs_are_never_evidence(tmp_path):
    corpus = Spellings()
    paths = _batch(tmp_path, [SPELT, SPELT]) + [str(_record(tmp_path, "again.txt", DAMAGED, 2))]
    records = _parse(paths, corpus)
    assert all("out-of" in _objectives(records, n) for n in (1, 2))
    assert corpus.fill("out", "of") == ("-", 2) and corpus.records == 4  # the two repairs not counted
    # every record damaged the same way: none can vouch for another
    (tmp_path / "all").mkdir()
    paths = [str(_record(tmp_path / "all", f"d{n}.txt", DAMAGED, n)) for n in range(1, 5)]
    assert all("out?of" in r.get("objectives").en.value for r in _parse(paths, Spellings()))


def test_cli_parse_takes_corpus_evidence(tmp_path, capsys):
    paths = _batch(tmp_path, [SPELT, SPELT])
    assert main(["parse", *paths, "--corpus-evidence", "--format", "jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    damaged = next(r for r in out if r["registration_number"].endswith("01"))
    assert "out-of" in next(f for f in damaged["fields"] if f["key"] == "objectives")["en"]["value"]
