"""The HTML report in a real browser (headless Chromium through Selenium and ChromeDriver): flagged spans
are highlighted with the suggestion on hover, the units table sorts, nothing is fetched; a screenshot is
kept in test-artifacts/ (override with CONTRESENS_TEST_ARTIFACTS).

`.ci/run` installs Debian's chromium and chromium-driver; elsewhere the test is skipped, saying why."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval.cli import main
from tests.eval.test_eval_gate import ROWS, tsv

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = Path(os.environ.get("CONTRESENS_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
                    ".ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _scores(driver: Any) -> list[float]:
    return [float(cell.get_attribute("data-key")) for cell in driver.find_elements(
        "css selector", "#units tbody tr td:nth-child(3)")]


def test_report_in_headless_chromium(browser: Any, tmp_path: Path) -> None:
    rows = [*ROWS, ("a5", "Le procès s'ouvrira le 3 mars.", "The trial will open on March 3.")]
    report = tmp_path / "report.html"
    assert main(["eval", tsv(tmp_path / "in.tsv", rows), "--no-model", "--output", str(tmp_path / "r.jsonl"),
                 "--report", str(report)]) == 0
    browser.get(report.as_uri())
    assert browser.title == "contresens report"

    # flagged spans: highlighted in the severity's colour, with the message and suggestion on hover
    critical = browser.find_elements("css selector", "mark.sev-critical")
    floor = next(mark for mark in critical if mark.text == "floor")
    assert floor.value_of_css_property("background-color") in ("rgba(248, 165, 165, 1)", "rgb(248, 165, 165)")
    assert "suggestion: prosecutor's office" in floor.get_attribute("title")
    assert "parquet" in {mark.text for mark in critical}  # the source side too
    major = browser.find_elements("css selector", "mark.sev-major")
    assert {mark.text for mark in major} == {"22", "32"}  # the number on each side
    assert all("251, 211, 141" in mark.value_of_css_property("background-color") for mark in major)
    assert browser.find_element("css selector", "mark").is_displayed()

    # the units table sorts by score, both ways, and by id
    score_header, = [th for th in browser.find_elements("css selector", "#units th") if th.text.startswith("Score")]
    before = _scores(browser)
    assert before != sorted(before)  # file order is not already ascending
    score_header.click()
    assert _scores(browser) == sorted(before)
    score_header.click()
    assert _scores(browser) == sorted(before, reverse=True)
    browser.find_elements("css selector", "#units th")[0].click()
    ids = [td.text for td in browser.find_elements("css selector", "#units tbody tr td:first-child")]
    assert ids == ["a1", "a2", "a3", "a4", "a5"]

    # self-contained: the page fetched nothing
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
