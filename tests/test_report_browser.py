"""report.html: self-contained, and what a person sees in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhen.cli import app

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    result = runner.invoke(app, ["run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "report.html"


def test_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "no external resources"
    assert "<script src" not in text and "<link" not in text
    assert "新型工業加速計劃" in text and "New Industrialisation Acceleration Scheme" in text


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
def test_report_in_headless_chromium(report, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1366,900", f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        driver.get(report.as_uri())
        assert driver.title == "zhen report"
        # The aligned deck, side by side, with the null bead visible.
        rows = driver.find_elements(By.CSS_SELECTOR, "#pairs-table tbody tr")
        assert len(rows) == len((report.parent / "pairs.tsv").read_text(encoding="utf-8").splitlines()) - 1
        first = rows[0].find_elements(By.TAG_NAME, "td")
        assert first[1].text == "2026-27年度財政預算案" and first[2].text == "2026-27 Budget"
        nulls = driver.find_elements(By.CSS_SELECTOR, "#pairs-table tr.null")
        assert len(nulls) == 1 and "26/2/2026" in nulls[0].text and "no Chinese" in nulls[0].text
        # A glossary row, and its evidence link jumps to a pair.
        gl = [r for r in driver.find_elements(By.CSS_SELECTOR, "#glossary-table tbody tr") if "新型工業加速計劃" in r.text]
        assert gl and "New Industrialisation Acceleration Scheme" in gl[0].text and "NIAS" in gl[0].text
        link = gl[0].find_element(By.CSS_SELECTOR, "a.ev")
        target = link.get_attribute("href").split("#")[1]
        link.click()
        assert driver.execute_script("return location.hash") == f"#{target}"
        assert "新型工業加速計劃" in driver.find_element(By.ID, target).text
        # Typing in the filter hides the other glossary rows, as a person would see.
        box = driver.find_element(By.CSS_SELECTOR, "#glossary input[type=search]")
        box.send_keys("San Tin")
        visible = [r for r in driver.find_elements(By.CSS_SELECTOR, "#glossary-table tbody tr") if r.is_displayed()]
        assert [r.text.split("\n")[0] for r in visible] and all("San Tin" in r.text for r in visible)
        # The entity index: one row an entity, the names each source uses for it.
        hetao = [r for r in driver.find_elements(By.CSS_SELECTOR, "#entities-table tbody tr")
                 if r.text.startswith("Hetao Hong Kong Park")]
        assert hetao, "the Hetao Hong Kong Park entity is listed"
        cells = hetao[0].find_elements(By.TAG_NAME, "td")
        assert "河套香港園區" in cells[2].text and any("HSITP" in c.text for c in cells[3:])
        # QA findings, filterable by severity.
        assert driver.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
        for box in driver.find_elements(By.CSS_SELECTOR, ".sevbox"):
            if box.get_attribute("value") != "warning":
                box.click()
        shown = [r for r in driver.find_elements(By.CSS_SELECTOR, "#findings tbody tr") if r.is_displayed()]
        assert shown and all(r.get_attribute("data-severity") == "warning" for r in shown)
        driver.save_screenshot(str(tmp_path / "report.png"))
        assert (tmp_path / "report.png").stat().st_size > 10_000
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, errors
    finally:
        driver.quit()


def test_report_shows_findings_with_spans(report):
    from lxml import html as lhtml

    doc = lhtml.fromstring(report.read_bytes())
    rows = doc.xpath('//table[@id="findings"]/tbody/tr')
    assert rows, "the QA findings are in the report"
    script = [r for r in rows if r.get("data-severity") and "script" in r.text_content()]
    assert script and script[0].xpath(".//mark")[0].text == "赋"
