"""The review engine on seed 003 (a real ChiCTR export) and the real 2024 page: the defects a reviewer
must be shown, found; fields that are right, left without an error."""
from __future__ import annotations

import pytest

from bilingual_registry import Finding, parse_file, review
from bilingual_registry.errors import ConfigError
from bilingual_registry.review import ReviewConfig, list_checks

from conftest import SHARED, needs_shared, seed


@pytest.fixture(scope="module")
def seed003():
    [record] = parse_file(seed("003"))
    return record


@pytest.fixture(scope="module")
def seed003_findings(seed003):
    return review([seed003])


def _at(findings, check, key, group=None, index=None):
    return [f for f in findings if f.check == check and f.field == key and f.group == group and f.index == index]


@needs_shared
def test_seed003_truncated_orr_time_point(seed003_findings):
    [f] = _at(seed003_findings, "truncated", "time_point", "outcomes", 2)
    assert f.severity == "error" and "'the'" in f.message
    assert f.en_text[f.en_spans[0].start:f.en_spans[0].end] == "the"


@needs_shared
def test_seed003_partly_translated_pfs_time_point(seed003_findings):
    [f] = _at(seed003_findings, "partial-translation", "time_point", "outcomes", 1)
    assert f.en_text == "first disease progression or death from any cause"


@needs_shared
def test_seed003_unbalanced_bracket_of_inclusion_criterion_4(seed003_findings):
    [f] = _at(seed003_findings, "unbalanced-brackets", "inclusion_criteria")
    start = f.en_spans[0].start
    assert f.side == "en" and f.en_text[start] == "("
    assert f.en_text[start:].startswith("(such as EGFR/ALK") and start > f.en_text.index("\n4.")


@needs_shared
def test_seed003_three_romanisations_of_one_person(seed003_findings):
    found = [f for f in seed003_findings if f.check == "name-romanisation"]
    assert {f.field for f in found} == {"applicant", "funding_sources"}  # the usual form, study_leader's, is the reference
    for form in ("'XiaoYun Hu'", "'Xiaoyun Hu'", "'Hu Xiaoyun'"):
        assert all(form in f.message for f in found)
    assert all(f.severity == "warning" and "胡晓云" in f.message for f in found)


@needs_shared
def test_seed003_two_english_forms_of_one_address(seed003_findings):
    [f] = [f for f in seed003_findings if f.check == "inconsistent-translation" and f.zh_text == "无锡市清扬路299号"]
    assert "No. 299 Qingyang Road, Wuxi City" in f.message and "Wuxi Qingyang road 299" in f.message


@needs_shared
def test_seed003_no_error_on_a_right_field(seed003_findings):
    # read from the record: these are the fields whose English is wrong (cut off, unbalanced)
    wrong = {("time_point", "outcomes", 2), ("inclusion_criteria", None, None), ("time_point", "outcomes", 1)}
    errors = {(f.field, f.group, f.index) for f in seed003_findings if f.severity == "error"}
    assert errors <= wrong, errors - wrong


@needs_shared
def test_batch_review_sees_the_same_person_across_records(seed003):
    other = seed003.model_copy(deep=True)
    other.registration_number = "ChiCTR2600000002"
    for f in other.fields:
        if f.key in ("applicant", "study_leader"):
            f.en.value = "Hu Xiaoyun"
    found = [f for f in review([seed003, other]) if f.check == "name-romanisation"]
    # across the two records 'Hu Xiaoyun' is the form most fields use: the first record's other two are flagged
    assert {(f.registration_number, f.field) for f in found} == {("ChiCTR2600120951", "applicant"),
                                                                 ("ChiCTR2600120951", "study_leader")}


@needs_shared
def test_a_guessed_repair_is_shown_to_the_reviewer_and_a_repair_from_evidence_is_not():
    """A `?` between two words of a real title, that nothing in the record explains, is repaired by the
    general rule (a hyphen): the review warns about that guess at the repaired characters. The same
    record's clean copy, and seed 003's repairs from evidence (`PD?1`, the Chinese says PD-1), give none."""
    from bilingual_registry import parse_text, render

    [page] = parse_file(SHARED / "corpus" / "text" / "ChiCTR2000030306.partial.txt")
    text = render(page)
    damaged = parse_text(text.replace("asymptomatic patients", "asymptomatic?patients", 1))
    [guess] = [f for f in review([damaged]) if f.check == "repair-leftover"]
    assert (guess.severity, guess.field, guess.side) == ("warning", "scientific_title", "en")
    [span] = guess.en_spans
    assert guess.en_text[span.start:span.end] == "asymptomatic-patients"
    assert "on a guess" in guess.message and "asymptomatic?patients" in guess.message
    assert not [f for f in review([parse_text(text)]) if f.check == "repair-leftover"]
    [record] = parse_file(seed("003"))
    assert any(r.applied for r in record.repairs)
    assert not [f for f in review([record]) if f.check == "repair-leftover"]


def test_checks_listed_with_severity_and_title():
    rows = list_checks()
    assert len({r[0] for r in rows}) == len(rows) >= 10
    assert all(sev in ("info", "warning", "error") and title and not title.endswith(":") for _, sev, title in rows)


@needs_shared
def test_config_selects_suppresses_and_ignores(seed003, tmp_path):
    only = review([seed003], config=ReviewConfig().with_selection(checks=["truncated"]))
    assert {f.check for f in only} == {"truncated"}
    assert "truncated" not in {f.check for f in review([seed003], config=ReviewConfig().with_selection(skip=["truncated"]))}
    toml = tmp_path / "review.toml"
    toml.write_text('[severity]\ntruncated = "info"\n[[ignore]]\ncheck = "name-romanisation"\nfield = "funding_sources"\n'
                    '[[ignore]]\ntext = "Qingyang"\n', encoding="utf-8")
    got = review([seed003], config=ReviewConfig.load(toml))
    assert {f.severity for f in got if f.check == "truncated"} == {"info"}
    assert [f.field for f in got if f.check == "name-romanisation"] == ["applicant"]
    assert not [f for f in got if f.check == "inconsistent-translation"]


def test_config_errors_name_the_file(tmp_path):
    bad = tmp_path / "review.toml"
    bad.write_text("[checks\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="review.toml: not valid TOML"):
        ReviewConfig.load(bad)
    bad.write_text('[checks]\ndisable = ["no-such-check"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown check id.*no-such-check"):
        review([], config=ReviewConfig.load(bad))
    with pytest.raises(ConfigError, match="cannot read"):
        ReviewConfig.load(tmp_path / "absent.toml")


def test_finding_is_the_contract_model():
    assert Finding.model_json_schema()["properties"]["check"]["type"] == "string"


@needs_shared
def test_findings_name_the_file_of_their_record(seed003):
    from bilingual_registry.review.report.owners import by_record

    copy = seed003.model_copy(deep=True)
    copy.source.path = "elsewhere/003_copy.txt"
    for f in copy.fields:
        if f.key == "objectives":
            f.en.value = "To evaluate the efficacy of"  # cut off in the copy only
    found = review([seed003, copy])
    assert {f.source for f in found} == {seed003.source.path, "elsewhere/003_copy.txt"}
    cut = [f for f in found if f.check == "truncated" and f.field == "objectives"]
    assert [f.source for f in cut] == ["elsewhere/003_copy.txt"]
    owned, lost = by_record(found, [seed003, copy])  # one registration number, two files: told apart by source
    assert not lost and [f.field for f in owned[1] if f.check == "truncated"].count("objectives") == 1
    assert not [f for f in owned[0] if f.check == "truncated" and f.field == "objectives"]


@needs_shared
def test_review_leaves_the_collector_as_it_was_and_makes_no_cycles(seed003):
    import gc

    review([seed003])  # caches filled
    assert gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        review([seed003, seed003.model_copy(deep=True)])
        assert not gc.isenabled()  # left off, as it was
        assert gc.collect() == 0  # nothing the paused collector should have freed
    finally:
        gc.enable()
    review([seed003])
    assert gc.isenabled()
