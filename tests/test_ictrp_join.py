"""A page joined with its trial's ICTRP row. No trial of the shared pages is in the shared exports, so
the row is written here by hand from the page's English, with the damage ICTRP would do typed in."""
from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import SHARED, needs_shared

from bilingual_registry.api import parse_bytes, parse_file
from bilingual_registry.cli import main
from bilingual_registry.merge import join_ictrp

PAGE = SHARED / "corpus" / "html" / "ChiCTR2400084905.html"
TITLE = ("SUNRAY-01, A Global Pivotal Study in Participants with KRAS G12C-Mutant, Locally Advanced or Metastatic "
         "Non-Small Cell Lung Cancer Comparing First-Line Treatment of LY3537982 and Pembrolizumab vs Pembrolizumab "
         "and Chemotherapy")


def _row(page) -> dict[str, str]:
    """The trial as the current 58-column ICTRP CSV would give it: the page's English with `≥`/`≤` written
    `=` and the page's private-use bullets `?`, the condition typed in Chinese into the English field (so
    `?` in the export), another status."""
    title = page.get("public_title").en.value
    assert "≥50%" in title
    return {
        "TrialID": "ChiCTR2400084905", "Last Refreshed on": "28 May 2024", "Public title": title.replace("≥", "="),
        "Scientific title": page.get("scientific_title").en.value.replace("≥", "="),
        "Primary sponsor": "Jilin Cancer Hospital", "Date registration": "2024-05-28",
        "Date registration3": "20240528", "Export date": "6/3/2024 9:12:01 AM", "Source Register": "ChiCTR",
        "Recruitment Status": "Recruiting",  # the page: Not yet recruiting
        "Inclusion agemin": "18", "Inclusion gender": "Both",
        "Target size": "experimental group(Part A):192;control group(Part A):192;experimental group(Part B):276;"
                       "control group(Part B):276;",
        "Study type": "Interventional study", "Phase": "3", "Countries": "China",
        "Contact Firstname": "Jiao Zhang", "Contact Email": "zhang_jiao2@lilly.com",
        "Condition": "KRAS G12C" + "?" * 19,  # KRAS G12C突变、局部晚期或转移性非小细胞肺癌
        "Secondary ID": "NCT06119581",
        "Inclusion Criteria": "Inclusion criteria: " + page.get("inclusion_criteria").en.value
                              .replace("≥", "=").replace("\n", "\r<br>"),
        "Exclusion Criteria": "Exclusion criteria: " + page.get("exclusion_criteria").en.value
                              .replace("≥", "=").replace("≤", "=").replace("\uf0b7", "?").replace("\n", "\r<br>"),
    }


def _csv(row: dict[str, str]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(row))
    w.writeheader()
    w.writerow(row)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def page():
    [record] = parse_file(PAGE)
    return record


@needs_shared
def test_the_page_gives_the_chinese_and_the_lost_text_and_every_difference_is_listed(page):
    [row] = parse_bytes(_csv(_row(page)), "ictrp.csv")
    assert [p.code for p in row.problems if p.code == "lost-text"] == ["lost-text"]
    [joined], unmatched = join_ictrp([page], [row])
    assert unmatched == []
    disease = joined.get("target_disease")
    assert disease.zh.value.startswith("KRAS G12C突变") and disease.en.value.startswith("KRAS G12C-Mutant")
    assert "?" not in disease.en.value and "lost-text" not in {p.code for p in joined.problems}
    assert joined.get("public_title").zh.value.startswith("SUNRAY-01，")
    by_field = {(p.code, p.field): p for p in joined.problems}
    assert ("ictrp-differs", "target_disease") in by_field  # the export lost it; the page's text stands
    assert ("ictrp-differs", "recruitment_status") in by_field
    # `PD-L1 expression =50%`, `life expectancy =12 weeks`: repaired in the row, so no difference is left
    assert "≥50%" in row.get("public_title").en.value and "≥12 weeks" in row.get("inclusion_criteria").en.value
    assert not [p for p in joined.problems if p.field in ("public_title", "inclusion_criteria")]
    damaged = by_field[("ictrp-damaged", "exclusion_criteria")]  # `≤2 weeks` as `=2 weeks`, a bullet as `?`
    assert damaged.severity == "info" and "=2 weeks" in damaged.message and "≤2 weeks" in damaged.message
    assert ("ictrp-filled", "secondary_ids") in by_field and joined.get("secondary_ids").en.value == "NCT06119581"
    assert not [p for p in joined.problems if p.field == "sample_size"]  # the same sizes, matched by group
    assert any(u.text == "Export date: 6/3/2024 9:12:01 AM" and "ictrp.csv" in u.why for u in joined.unpaired)
    assert joined.source == page.source and joined.fields[0].zh.value == "ChiCTR2400084905"


@needs_shared
def test_ictrps_own_words_are_no_difference(page):
    [row] = parse_bytes(_csv(dict(_row(page), **{"Recruitment Status": "Not Recruiting"})), "ictrp.csv")
    [joined], _ = join_ictrp([page], [row])
    assert page.get("recruitment_status").en.value == "Not yet recruiting"
    assert not [p for p in joined.problems if p.field == "recruitment_status"]


@needs_shared
def test_join_takes_pages_and_rows_in_one_list_and_leaves_the_rest_alone(page):
    [row] = parse_bytes(_csv(_row(page)), "ictrp.csv")
    other = row.model_copy(update={"registration_number": "ChiCTR2000029953"})
    joined, unmatched = join_ictrp([row, page, other])
    assert [r.source.format for r in joined] == ["html"]
    assert [r.registration_number for r in unmatched] == ["ChiCTR2000029953"]
    assert {p.code for p in joined[0].problems} >= {"merged-ictrp", "ictrp-differs"}


@needs_shared
@pytest.mark.parametrize("mixed", [False, True], ids=["--ictrp", "mixed-inputs"])
def test_bireg_parse_joins_a_page_with_its_row(page, tmp_path, capsys, mixed):
    export = tmp_path / "export.csv"
    row = _row(page)
    nct = dict(row, TrialID="NCT04280705")
    export.write_bytes(_csv(row) + _csv(nct).split(b"\n", 1)[1])
    args = ["parse", str(PAGE), str(export)] if mixed else ["parse", str(PAGE), "--ictrp", str(export)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    record = json.loads(out)
    assert record["registration_number"] == "ChiCTR2400084905" and record["source"]["format"] == "html"
    assert "ictrp-differs" in {p["code"] for p in record["problems"]}
    assert "1 row of other registries skipped (NCT 1)" in err


@needs_shared
def test_convert_joins_each_page_with_its_ictrp_row(page, tmp_path):
    """`bireg convert PAGE --ictrp EXPORT`: the row is the page's (its English, and its Chinese beside it),
    with what only the export has; the export's own rows are converted only when given as inputs."""
    import duckdb

    export = tmp_path / "export.csv"
    export.write_bytes(_csv(_row(page)))
    out = tmp_path / "trials.jsonl"
    assert main(["convert", str(PAGE), "--ictrp", str(export), "-o", str(out), "--with-chinese", "-j", "1",
                 "--quiet"]) == 0
    [[title, title_zh, secondary]] = duckdb.sql(
        f"SELECT \"Public title\", \"Public title (zh)\", \"Secondary ID\" FROM read_json('{out}')").fetchall()
    assert title == page.get("public_title").en.value and "≥50%" in title  # the export writes `=50%`
    assert title_zh == page.get("public_title").zh.value
    assert "NCT06119581" in str(secondary)  # the page's English leaves it empty; the export has it
    alone = tmp_path / "alone.jsonl"
    assert main(["convert", str(PAGE), "-o", str(alone), "-j", "1", "--quiet"]) == 0
    [[secondary]] = duckdb.sql(f"SELECT \"Secondary ID\" FROM read_json('{alone}')").fetchall()
    assert "NCT06119581" not in str(secondary)
