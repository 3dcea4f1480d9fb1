"""The review's checks one by one: the real 2024 page's defects found where they are, each check
documented and exemplified, any text reviewed without an error and with spans inside its values."""
from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings, strategies as st

from bilingual_registry import Record, Field, Side, parse_file, review
from bilingual_registry.review.registry import all_checks

from conftest import SHARED, needs_shared

PAGE = SHARED / "corpus" / "html" / "ChiCTR2400084905.html"


@pytest.fixture(scope="module")
def page_findings():
    [record] = parse_file(PAGE)
    return review([record])


def _where(f):
    return f.field if f.group is None else f"{f.group}[{f.index}].{f.field}"


@needs_shared
def test_page_defects_read_off_the_page_are_found(page_findings):
    got = {(f.check, _where(f)) for f in page_findings}
    # each read in the page's own fields: 天津 given as Tianjing; hostipal; hunan cancer hospital; the English
    # of the first outcome's time point cut after "Start"; `PD-L1、KRAS CDx`; `College ,Huazhong`
    assert {("place-name", "sites[1].province"), ("spelling", "sites[10].institution"),
            ("institution-case", "sites[6].institution"), ("truncated", "outcomes[0].time_point"),
            ("chinese-punctuation", "samples[2].sample_name"), ("spacing", "sites[26].institution")} <= got
    tianjing = next(f for f in page_findings if f.check == "place-name")
    assert tianjing.severity == "error" and tianjing.suggestion == "Tianjin"
    assert tianjing.en_text[tianjing.en_spans[0].start:tianjing.en_spans[0].end] == "Tianjing"


@needs_shared
def test_page_right_fields_get_no_error(page_findings):
    errors = {(f.check, _where(f)) for f in page_findings if f.severity == "error"}
    for right in ("study_type", "study_phase", "blinding", "sites[0].province", "sites[2].institution", "gender"):
        assert not [e for e in errors if e[1] == right], right


def test_every_check_says_what_it_catches_and_shows_it():
    for check in all_checks().values():
        doc = check.fn.__doc__ or ""
        assert check.title and check.title == doc.strip().splitlines()[0], check.id
        assert doc.count(">>> demo") >= 2 or doc.count(">>>") >= 2, f"{check.id}: a defect and what it leaves alone"
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", check.id)


@needs_shared
def test_an_english_only_record_has_no_translation_to_review():
    [record] = parse_file(SHARED / "corpus" / "xml" / "ChiCTR2000034346.xml")
    assert record.fields and review([record]) == []


def test_shared_and_language_neutral_fields_are_not_reviewed():
    record = Record(registration_number="ChiCTR2600000001", fields=[
        Field(key="registration_date", zh=Side(label="注册时间", value="2026-03-23"), en=Side(label="Date", value="")),
        Field(key="sample_size", group="interventions", index=0, zh=Side(value="250"), en=Side(value="250"), shared=True),
        Field(key="objectives", zh=Side(label="研究目的", value="评价疗效。"), en=Side(label="Objectives", value="")),
    ])
    assert [(f.check, f.field) for f in review([record])] == [("missing-translation", "objectives")]


_text = st.text(st.sampled_from(list("的和（）()[]【】“”\"'?？,，;；:：. 1234567890≥<>%~-、\nABCDEFGHIJabcdefghij胡晓云天津路号医院"
                                     "PD-1 NSCLC the of and Hospital @ http://x.org/a?b=1 ") ), max_size=80)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["objectives", "applicant", "province", "institution", "applicant_address",
                                           "inclusion_criteria", "study_type", "funding_sources"]), _text, _text),
                min_size=1, max_size=6))
def test_any_values_are_reviewed_without_error_and_spans_fit(rows):
    groups = {"province": "sites", "institution": "sites"}
    record = Record(registration_number="ChiCTR2600000002", fields=[
        Field(key=k, group=groups.get(k), index=0 if k in groups else None, zh=Side(value=zh), en=Side(value=en))
        for k, zh, en in rows])
    for f in review([record, record.model_copy(update={"registration_number": "ChiCTR2600000003"})]):
        assert f.severity in ("info", "warning", "error") and f.message
        for span in f.zh_spans:
            assert 0 <= span.start <= span.end <= len(f.zh_text)
        for span in f.en_spans:
            assert 0 <= span.start <= span.end <= len(f.en_text)


_EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # what `emails` finds, as a pattern


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1_.+-@ 。无锡,①é", max_size=30))
def test_emails_are_the_patterns_matches(text):
    from bilingual_registry.review.checks.contacts import emails

    assert emails(text) == [m.span() for m in _EMAIL_PATTERN.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="aZbX019-- .,(中é", max_size=30))
def test_codes_are_the_code_patterns_matches(text):
    """`_codes` tries the code pattern only around a letter next to a digit: it finds what the pattern
    finds over the whole text."""
    from bilingual_registry.review.checks import numbers

    def kept(code):
        letters = [c for c in code if c.isalpha()]
        return not numbers._UNIT_TAIL.match(code) and (len(letters) <= 2 or any(c.isupper() for c in letters))

    expected = {}
    for m in numbers._CODE.finditer(text):
        if kept(m.group()):
            expected.setdefault(m.group().casefold().replace("-", ""), m.span())
    assert numbers._codes(text) == expected


_NUMBER_PIECES = ["18", "1.5", "1,000", "0", "٣", "10⁹", "≥", "<=", "＞", " ", "%", ".", ",", "-", "GV", "a", "年"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=8), st.randoms(use_true_random=False),
       st.lists(st.sampled_from(["年", " ", "a", "x ", "。"]), max_size=3))
def test_texts_the_glance_finds_alike_read_as_the_same_numbers(pieces, rng, filler):
    """number-mismatch reads a pair in full only when the glances of its sides differ: two texts with the
    same glance must read as the same numbers, signs and percents (the pieces shuffled, filler added)."""
    from bilingual_registry.review.checks import numbers

    a = "".join(pieces)
    shuffled = pieces + filler
    rng.shuffle(shuffled)
    b = "".join(shuffled)
    assume(numbers._glance(a) == numbers._glance(b))

    def reading(text):
        return {(n.value, n.sign, n.percent) for n in numbers.numbers(numbers._unpower(text))}

    assert reading(a) == reading(b)


def test_an_address_in_a_long_chinese_value_is_found_in_one_pass():
    import time

    from bilingual_registry.review.checks.contacts import contacts

    text = "由无锡市人民医院完成" * 2000 + "，联系 trial3@example.org。"  # 20,000 characters: the pattern took ~2 s
    start = time.process_time()
    found = contacts(text)
    assert time.process_time() - start < 0.2
    assert found == {"trial3@example.org": ("e-mail", (20004, 20022))}


_COMMON_ENGLISH = None


def _english_words() -> list[str]:
    global _COMMON_ENGLISH
    if _COMMON_ENGLISH is None:
        from wordfreq import top_n_list

        _COMMON_ENGLISH = [w for w in top_n_list("en", 60_000) if w.isascii() and w.isalpha()]
    return _COMMON_ENGLISH


def _edge_words() -> list[str]:
    """wordfreq's words in the buckets either side of each Zipf edge the checks use (1.0, 3.0, 4.0, 4.2)."""
    from wordfreq import get_frequency_list

    buckets = get_frequency_list("en")
    return [w for edge in (800, 600, 500, 480) for b in buckets[edge - 2:edge + 3] for w in b[:40]]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.integers(0, 59_000).map(lambda i: _english_words()[i % len(_english_words())]),
                 st.integers(0, 10_000).map(lambda i: _edge_words()[i % len(_edge_words())]),
                 st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)),
       st.sampled_from([1.0, 3.0, 4.0, 4.2]))
def test_the_frequent_words_are_those_wordfreq_rates_so(word, zipf):
    """The set spelling and typo correction look words up in holds a word exactly when wordfreq gives it
    that Zipf frequency or more: around the bucket edges, and for letters that are no word."""
    from bilingual_registry.review.checks.text import frequent_words, word_frequency

    assert (word in frequent_words(zipf)) == (word_frequency(word) >= zipf)


def test_a_typo_is_corrected_as_by_searching_every_edit():
    """correction() looks only among the common words; over typos of real words it names the word a
    search of all the edits in wordfreq names."""
    import random
    from string import ascii_lowercase

    from bilingual_registry.review.checks.spelling import COMMON, RARE, correction, edits_of
    from bilingual_registry.review.checks.text import word_frequency

    def every_edit(w: str):
        freq = word_frequency(w)
        if freq >= RARE:
            return None
        edits = edits_of(w, freq)
        best = max(edits, key=word_frequency) if edits else None
        return best if best and word_frequency(best) >= COMMON and word_frequency(best) - freq >= 2.0 else None

    rng = random.Random(7)
    words = [w for w in _english_words()[:20_000] if len(w) >= 5]
    typos = []
    for w in rng.sample(words, 150):
        i = rng.randrange(len(w))
        typos += [w[:i] + w[i + 1:], w[:i] + rng.choice(ascii_lowercase) + w[i + 1:], w[:i] + w[i + 1:i + 2] + w[i] + w[i + 2:]]
    got = [(t, correction(t), every_edit(t)) for t in typos]
    assert sum(c is not None for _, c, _ in got) > 50  # the sample holds typos to correct
    assert [(t, c) for t, c, _ in got] == [(t, e) for t, _, e in got]


@settings(max_examples=600, deadline=None)
@given(st.text(st.one_of(st.characters(), st.sampled_from("无锡市（清扬路）２９９号 Ａ１㎎℃㈠½ﬁ\u00a0\u3000e\u0301_-’\x00가ᅡᆨﾬ")),
               max_size=16))
def test_wording_keys_are_the_normalised_letters_and_digits(text):
    """The consistency checks' keys, one translate pass, are what normalising, folding and keeping the
    letters and digits give (combining marks, jamo and NUL included)."""
    import unicodedata

    from bilingual_registry.review.checks.consistency import _en_key, _zh_key

    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text))
    assert _zh_key(text) == "".join(words)
    assert _en_key(text) == " ".join(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Hu", "Xiao", "Yun", "XiaoYun", "xiao-yun", "HU", "Lü", "Dr.", "胡", "of", "Fund", "2025"]),
                max_size=8), st.sampled_from([" ", "-", " - ", ", ", "·", "胡"]))
def test_a_name_is_found_in_a_longer_english_as_by_folding_each_window(words, gap):
    """_find_roman folds words and gaps once and joins them: the span it gives is the first window of one
    to four words whose folded text is a form of the name, as folding each window's text would find."""
    from bilingual_registry.review.checks.names import _ROMAN_TOKEN, _find_roman, fold

    en = gap.join(words)
    forms = frozenset({"xiaoyunhu", "huxiaoyun", "xiaoyun", "lvxiao"})
    toks = list(_ROMAN_TOKEN.finditer(en))
    expected = next(((toks[i].start(), toks[j].end()) for i in range(len(toks)) for j in range(i, min(i + 4, len(toks)))
                     if fold(en[toks[i].start():toks[j].end()]) in forms), None)
    assert _find_roman(en, forms) == expected


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="aZb'’-1_ .,(中é", max_size=30))
def test_the_last_word_is_the_plain_patterns(text):
    """truncated's last word, found only where a word begins, is the one the plain pattern finds."""
    from bilingual_registry.review.checks.truncation import _LAST_WORD

    plain = re.compile(r"([A-Za-z][A-Za-z'’-]*)\W*$").search(text)
    found = _LAST_WORD.search(text)
    assert (found and (found.span(1), found.span())) == (plain and (plain.span(1), plain.span()))


@given(st.text(max_size=40))
def test_latin_length_counts_what_the_letter_and_digit_runs_hold(text):
    from bilingual_registry.review.checks.text import latin_length

    assert latin_length(text) == sum(map(len, re.findall(r"[A-Za-z0-9]+", text)))


_TERM_PIECES = ["临床试验", "非小细胞肺癌", "抑制剂", "PD-1", "ＰＤ－１", "，", "（", "）", "　", " ", "①", "⑴", "癌", "e\u0301",
                "\u0301", "ｶﾞ", "\uf900", "㎎", "化疗", "Ⅱ期", "𝐀", "无进展生存期"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TERM_PIECES), max_size=10).map("".join))
def test_terms_are_found_as_in_the_folded_text(text):
    """glossary-term folds a Chinese text only when it holds a character whose folding may change a
    match: the terms found are those found in the text always folded."""
    import unicodedata

    from bilingual_registry.review.checks.glossary_terms import _zh_terms
    from bilingual_registry.review.context import Context

    ctx = Context.default()
    found = _zh_terms(text, ctx)
    automaton, entries, _ = ctx.cache["zh_terms"]
    folded = unicodedata.normalize("NFKC", text)
    searched = folded if len(folded) == len(text) else text
    assert found == [(a, b, *entries[i]) for i, a, b in automaton.find_matches_as_indexes(searched)]


@given(st.lists(st.sampled_from(["http", "HTTPS", "hTtP", "://", "www.", "WwW.", "w.", "W", "ftp", "见", " ", ".", "a", "/"]),
                max_size=8).map("".join))
def test_every_url_is_in_a_text_that_may_hold_one(text):
    from bilingual_registry.review.checks.contacts import _URL
    from bilingual_registry.review.checks.text import may_hold_url

    assert may_hold_url(text) or not _URL.search(text)
