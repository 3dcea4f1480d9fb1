"""The HTML review report in a real headless Chromium (Debian's `chromium` + `chromium-driver`, via Selenium):
the page loads from a file with nothing fetched, its filters show and hide the right findings, and markup typed
into a record shows as text and never runs. Skips when Chromium is absent, except under CI=true, where it fails."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bilingual_registry import parse_file
from bilingual_registry.review.report import render_report

from conftest import EXAMPLE, needs_shared, seed
from seed_findings import HOSTILE_EN, HOSTILE_ZH, hostile_example, seed_003_findings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture(scope="module")
def browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (the test extra)")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {', '.join(missing)} is missing: .ci/run installs chromium and chromium-driver")
        pytest.skip(f"{', '.join(missing)} is absent")

    profile = tempfile.mkdtemp(prefix="bireg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _open(browser, tmp_path: Path, findings, records):
    page = tmp_path / "review.html"
    page.write_bytes(render_report(findings, records, "html"))
    browser.get(page.as_uri())
    return browser


def _shown(browser) -> list[str]:
    """The ids of the findings a reader sees now, in the order they were given (`f1`, `f2`, …)."""
    return sorted((li.get_attribute("id") for li in browser.find_elements("css selector", "li[data-finding]")
                   if li.is_displayed()), key=lambda fid: int(fid[1:]))


def _box(browser, kind: str, value: str):
    return browser.find_element("css selector", f"input[data-filter='{kind}'][value='{value}']")


def test_filters_show_the_right_findings_and_record_markup_never_runs(browser, tmp_path):
    [record] = parse_file(EXAMPLE)
    record, findings = hostile_example(record)
    b = _open(browser, tmp_path, findings, [record])
    ids = [f"f{n}" for n in range(1, len(findings) + 1)]
    assert _shown(b) == ids
    assert b.find_element("id", "shown").text == str(len(findings))

    # the record's markup is shown as text, nothing it holds ran
    assert b.execute_script("return window.__pwned") is None
    assert b.find_elements("css selector", "img") == []
    cell = b.find_element("css selector", "th[title='primary_sponsor'] ~ td[lang='zh']")
    assert cell.text == HOSTILE_ZH
    assert b.find_element("css selector", "th[title='primary_sponsor'] ~ td[lang='en']").text == HOSTILE_EN

    _box(b, "severity", "warning").click()  # warnings off: the error and the info stay
    assert _shown(b) == [f"f{n}" for n, f in enumerate(findings, 1) if f.severity != "warning"]
    assert b.find_element("id", "shown").text == "2"
    mark = b.find_element("css selector", "td[lang='en'] mark[data-ids='f2']")  # a warning's mark goes plain
    assert mark.get_attribute("data-live") == ""
    assert b.execute_script("return getComputedStyle(arguments[0]).backgroundColor", mark) == "rgba(0, 0, 0, 0)"

    current = []
    for _ in range(3):  # next walks the findings shown, in page order, and wraps round
        b.find_element("id", "next").click()
        current.append(b.find_element("css selector", "li.current").get_attribute("id"))
    assert current == ["f4", "f1", "f4"]  # applicant comes before primary_sponsor on the page

    _box(b, "severity", "warning").click()
    b.find_element("css selector", "button[data-set='check'][data-value='lost-character']").click()  # "only"
    assert _shown(b) == ["f2", "f3"]
    assert b.find_element("css selector", "td[lang='en'] mark[data-ids='f2']").get_attribute("data-live") == "warning"
    assert b.find_element("css selector", "td[lang='en'] mark[data-ids='f1']").get_attribute("data-live") == ""

    b.find_element("id", "only-flagged").click()  # only the fields with a finding shown
    rows = [tr.find_element("css selector", "th").get_attribute("title")
            for tr in b.find_elements("css selector", "tr.field") if tr.is_displayed()]
    assert rows == ["public_title", "scientific_title"]
    assert not [tr for tr in b.find_elements("css selector", "tr.group") if tr.is_displayed()]  # no member shown

    b.find_element("css selector", "button[data-set='check'][data-value='*']").click()
    assert _shown(b) == ids
    assert b.execute_script("return window.__pwned") is None


@needs_shared
def test_seed_003_report_in_the_browser(browser, tmp_path):
    [record] = parse_file(seed("003"))
    findings = seed_003_findings(record)
    b = _open(browser, tmp_path, findings, [record])
    assert len(_shown(b)) == len(findings)
    b.find_element("css selector", "button[data-set='check'][data-value='truncation']").click()
    [only] = _shown(b)
    li = b.find_element("id", only)
    assert "was used as the" in li.text or "stops mid-sentence" in li.text
    mark = b.find_element("css selector", f"mark[data-ids~='{only}']")
    assert mark.text == "was used as the" and mark.get_attribute("data-live") == "error"
    b.find_element("id", "only-flagged").click()
    heads = [tr.text for tr in b.find_elements("css selector", "tr.group") if tr.is_displayed()]
    assert heads == ["测量指标 · Outcomes"]  # the heading of the one group with a finding shown
    b.save_screenshot(str(tmp_path / "seed-003.png"))
    assert (tmp_path / "seed-003.png").stat().st_size > 10_000
