"""zhen review: a real server in a subprocess, driven by Debian's headless Chromium and by plain
HTTP requests (token, Origin and Host checks)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhen.cli import app
from zhen.corpora.output import signed_state
from zhen.corpora.keys import match_key
from zhen.glossary import Entry, Evidence, Glossary, read_glossary, write_glossary

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                   reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
XSS = "<img src=x onerror=alert(1)>"
XSS_ZH = "<script>alert(2)</script>惡意"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The deck's pairs, one pair and one entry whose text is markup, and the glossary built from them."""
    d = tmp_path_factory.mktemp("review")
    result = runner.invoke(app, ["align", "-o", str(d / "pairs.tsv")])
    assert result.exit_code == 0, result.output
    with open(d / "pairs.tsv", "a", encoding="utf-8") as fh:
        fh.write(f'{XSS_ZH}：{XSS}\t{XSS}: {XSS_ZH}\t[900]\t[900]\t0.9\txss\t["xss:1:0"]\t["xss:2:0"]\n')
    result = runner.invoke(app, ["glossary", "build", str(d / "pairs.tsv"), "-o", str(d / "built.csv")])
    assert result.exit_code == 0, result.output
    g = read_glossary(d / "built.csv")
    xss = Entry("cxss00000001", XSS, XSS_ZH, score=0.5, frequency=1, evidence=(Evidence("xss:1:0", "colon", "xss"),))
    write_glossary(Glossary.of([*g.entries, xss], g.meta), d / "glossary.csv")
    return d


def _copy(built: Path, dest: Path) -> Path:
    for name in ("glossary.csv", "glossary.csv.meta.json"):
        shutil.copy(built / name, dest / name)
    return dest / "glossary.csv"


@contextmanager
def serving(glossary: Path, pairs: Path | None = None):
    """``zhen review`` on a free loopback port; yields (process, url) and always stops it."""
    cmd = [sys.executable, "-m", "zhen.cli", "review", str(glossary), "--no-browser"]
    if pairs is not None:
        cmd += ["--pairs", str(pairs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "?token=" in url, proc.stderr.read()
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


def _request(url, *, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    h = {"Content-Type": "application/json"} if body is not None else {}
    req = urllib.request.Request(url, data=data, headers={**h, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("profile")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1366,900", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        yield drv
    finally:
        drv.quit()


def _open(drv, url):
    from selenium.webdriver.support.ui import WebDriverWait

    drv.get(url)
    WebDriverWait(drv, 15).until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))


def _selected(drv) -> str | None:
    return drv.execute_script("const r = document.querySelector('#entries tr.selected'); return r && r.dataset.id")


def _press(drv, keys):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(drv).send_keys(keys).perform()


def _wait(drv, cond, timeout=10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(drv, timeout).until(lambda d: cond())


def _rows(drv) -> list[tuple[str, str, str, str]]:
    """(id, en, zh, status) of each row on the page."""
    return [tuple(r) for r in drv.execute_script(
        "return [...document.querySelectorAll('#entries tbody tr')].map(r => [r.dataset.id, "
        "r.querySelector('.en').textContent, r.querySelector('.zh').textContent, r.querySelector('.status').textContent])")]


@needs_browser
def test_review_with_the_keyboard_survives_a_kill_and_a_rebuild(built, driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path = _copy(built, tmp_path)
    approved, rejected, edited = [], [], None
    with serving(path, built / "pairs.tsv") as (proc, url):
        _open(driver, url)
        assert "left to review" in driver.find_element(By.ID, "counts").text
        for i in range(10):
            cid = _selected(driver)
            if i == 4:
                _press(driver, "r")
                rejected.append(cid)
            elif i == 7:
                # Chinese typed into the term: an IME's Enter (isComposing) picks a character, never saves.
                _press(driver, "z")
                box = driver.switch_to.active_element
                assert box.get_attribute("id") == "edit-zh"
                box.send_keys("創新科技署")
                driver.execute_script("arguments[0].dispatchEvent(new KeyboardEvent('keydown', "
                                      "{key: 'Enter', isComposing: true, bubbles: true}))", box)
                time.sleep(0.3)
                assert read_glossary(path).get(cid).zh != "創新科技署", "a composing Enter saved the edit"
                box.send_keys(Keys.ENTER)
                _wait(driver, lambda: dict((r[0], r[2]) for r in _rows(driver)).get(cid) == "創新科技署")
                edited = cid
                _press(driver, "a")
                approved.append(cid)
            else:
                _press(driver, "a")
                approved.append(cid)
            _wait(driver, lambda: _selected(driver) != cid)
        assert len(set(approved + rejected)) == 10
        # Killed mid-session: every decision is already in the file, which is zhen's own again.
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    g = read_glossary(path)
    assert signed_state(path) == "ours"
    assert {e.concept_id for e in g.entries if e.status == "approved"} == set(approved)
    assert {e.concept_id for e in g.entries if e.status == "rejected"} == set(rejected)
    assert g.get(edited).zh == "創新科技署" and g.get(edited).edited
    rejected_pair = g.get(rejected[0])

    def shows_decisions(glossary):
        with serving(glossary, built / "pairs.tsv") as (_, url):
            _open(driver, url)
            _press(driver, "3")
            rows = _rows(driver)
            assert {r[0] for r in rows} == set(approved) and all(r[3] == "approved" for r in rows)
            assert ("創新科技署" in {r[2] for r in rows})
            _press(driver, "4")
            assert [r[0] for r in _rows(driver)] == rejected

    shows_decisions(path)
    rebuilt = tmp_path / "rebuilt.csv"
    result = runner.invoke(app, ["glossary", "build", str(built / "pairs.tsv"), "--merge", str(path), "-o", str(rebuilt)])
    assert result.exit_code == 0, result.output
    g2 = read_glossary(rebuilt)
    for cid in approved + rejected:
        assert g2.get(cid) == g.get(cid)
    again = [e for e in g2.entries if e.concept_id != rejected_pair.concept_id
             and (match_key(e.en), match_key(e.zh)) == (match_key(rejected_pair.en), match_key(rejected_pair.zh))]
    assert not again, "a rejected pair came back"
    shows_decisions(rebuilt)


@needs_browser
def test_two_tabs_editing_one_entry_conflict(built, driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    path = _copy(built, tmp_path)
    with serving(path) as (_, url):
        _open(driver, url)
        _press(driver, "1")  # every status: the entry stays on screen once decided
        first = driver.current_window_handle
        driver.switch_to.new_window("tab")
        _open(driver, url)
        _press(driver, "1")
        second = driver.current_window_handle
        cid = _selected(driver)
        driver.switch_to.window(first)
        assert _selected(driver) == cid
        _press(driver, "a")
        _wait(driver, lambda: _selected(driver) != cid)
        driver.switch_to.window(second)
        _press(driver, "e")
        box = driver.switch_to.active_element
        box.send_keys("Stale edit", Keys.ENTER)
        msg = driver.find_element(By.ID, "message")
        _wait(driver, lambda: msg.is_displayed() and "Conflict" in msg.text)
        assert "another tab" in msg.text
        g = read_glossary(path)
        assert g.get(cid).status == "approved" and g.get(cid).en != "Stale edit"
        # The tab now holds the entry as it is: the same edit goes through on purpose.
        box = driver.find_element(By.ID, "edit-en")
        box.clear()
        box.send_keys("Deliberate edit", Keys.ENTER)
        _wait(driver, lambda: read_glossary(path).get(cid).en == "Deliberate edit")
        assert read_glossary(path).get(cid).status == "approved"
        driver.close()
        driver.switch_to.window(first)


@needs_browser
def test_markup_in_terms_and_pairs_is_text(built, driver, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    path = _copy(built, tmp_path)
    with serving(path, built / "pairs.tsv") as (_, url):
        _open(driver, url)
        driver.find_element(By.ID, "search").send_keys("onerror")
        rows = _rows(driver)
        assert [(r[1], r[2]) for r in rows] == [(XSS, XSS_ZH)]
        _wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".pairs tr[data-pair='xss:1:0']"))
        pair = driver.find_element(By.CSS_SELECTOR, ".pairs tr[data-pair='xss:1:0']")
        assert XSS in pair.text and XSS_ZH in pair.text
        marks = [m.text for m in pair.find_elements(By.TAG_NAME, "mark")]
        assert XSS in marks and XSS_ZH in marks, "the term is highlighted in both languages"
        assert driver.execute_script("return document.querySelectorAll('img, script:not([src])').length") == 0
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text


def test_token_origin_and_host_are_checked(built, tmp_path):
    path = _copy(built, tmp_path)
    with serving(path) as (_, url):
        base, token = url.split("/?token=")
        assert _request(url)[0] == 200
        status, body, headers = _request(url)
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert _request(base + "/")[0] == 403
        assert _request(base + "/?token=wrong")[0] == 403
        assert _request(base + "/api/glossary")[0] == 403
        status, body, _ = _request(base + "/api/glossary", headers={"X-Zhen-Token": token})
        entry = json.loads(body)["entries"][0]
        decision = {"op": "status", "status": "rejected", "ids": [entry["concept_id"]], "versions": [entry["version"]]}
        before = path.read_bytes()
        for headers in ({"Origin": base},  # no token
                        {"X-Zhen-Token": token},  # neither Origin nor Referer
                        {"X-Zhen-Token": token, "Origin": "http://evil.example"},
                        {"X-Zhen-Token": token, "Referer": "http://evil.example/page"},
                        {"X-Zhen-Token": "wrong", "Origin": base}):
            assert _request(base + "/api/decide", body=decision, headers=headers)[0] == 403, headers
        # DNS rebinding: a foreign name pointing at 127.0.0.1 is refused by the Host check.
        assert _request(url, headers={"Host": "evil.example"})[0] == 400
        assert _request(base + "/api/decide", body=decision,
                        headers={"X-Zhen-Token": token, "Origin": base, "Host": "evil.example"})[0] == 400
        assert path.read_bytes() == before
        # Assets by fixed name only: no path from a request is opened.
        assert _request(base + "/static/review.js")[0] == 200
        for probe in ("/static/..%2f..%2fcli.py", "/static/%2e%2e%2freview.py", "/static/index.html"):
            assert _request(base + probe)[0] in (403, 404), probe
        status, body, _ = _request(base + "/api/decide", body=decision, headers={"X-Zhen-Token": token, "Origin": base})
        assert status == 200 and read_glossary(path).get(entry["concept_id"]).status == "rejected"
        status, body, _ = _request(base + "/api/decide", body=decision, headers={"X-Zhen-Token": token, "Origin": base})
        assert status == 409 and json.loads(body)["error"] == "conflict"


def test_ctrl_c_stops_the_server_cleanly(built, tmp_path):
    path = _copy(built, tmp_path)
    with serving(path) as (proc, url):
        assert _request(url)[0] == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    assert signed_state(path) == "ours"


def test_merge_split_and_undo_are_saved(built, tmp_path):
    from zhen.jobs.review import ReviewSession, entry_version

    path = _copy(built, tmp_path)
    session = ReviewSession.open(path)
    g = session.glossary
    keep, gone = g.entries[0], g.entries[1]
    session.apply({"op": "merge", "ids": [keep.concept_id, gone.concept_id],
                   "versions": [entry_version(keep), entry_version(gone)]})
    after = read_glossary(path)
    assert after.get(gone.concept_id) is None
    merged = after.get(keep.concept_id)
    assert gone.en in merged.terms("en") and gone.zh in merged.terms("zh") and merged.reviewed
    variant = next(t for t in merged.en_variants if t.text == gone.en)
    changed, _ = session.apply({"op": "split", "ids": [keep.concept_id], "versions": [entry_version(merged)],
                                "lang": "en", "text": variant.text})
    split = read_glossary(path)
    assert variant.text not in split.get(keep.concept_id).terms("en")
    assert any(e.en == variant.text and e.zh == keep.zh for e in split.entries)
    session.apply({"op": "undo"})
    session.apply({"op": "undo"})
    assert read_glossary(path).get(gone.concept_id) == gone
    assert read_glossary(path).get(keep.concept_id) == keep
    assert signed_state(path) == "ours"


def test_reviewed_statuses_reach_exports_and_zhen_check(built, tmp_path):
    """Decisions made in review: TBX and OmegaT carry them, and zhen check requires an approved
    entry's terms and flags a rejected pair and a deprecated variant."""
    from zhen.jobs.review import ReviewSession, entry_version

    path = _copy(built, tmp_path)
    session = ReviewSession.open(path)
    g = session.glossary
    required = next(e for e in g.entries if e.zh == "新型工業化")
    refused = next(e for e in g.entries if e.zh == "新材料")

    def decide(entry, **fields):
        current = session.glossary.get(entry.concept_id)
        session.apply({"ids": [entry.concept_id], "versions": [entry_version(current)], **fields})

    decide(required, op="status", status="approved")
    decide(required, op="edit", en_variants=[{"text": "neo-industrialisation", "type": "variant", "status": "deprecated"}])
    decide(refused, op="status", status="rejected")
    for target, needle in (("g.tbx", "zhen:status=approved"), ("g2008.tbx", "zhen:status=rejected"),
                           ("g.tsv", f"{required.concept_id} approved")):
        to = ["--to", "tbx2008"] if target == "g2008.tbx" else []
        result = runner.invoke(app, ["glossary", "convert", str(path), str(tmp_path / target), *to])
        assert result.exit_code == 0, result.output
        assert needle in (tmp_path / target).read_text(encoding="utf-8")
    assert "deprecatedTerm-admn-sts" in (tmp_path / "g.tbx").read_text(encoding="utf-8")
    assert "新材料" not in (tmp_path / "g.tsv").read_text(encoding="utf-8"), "OmegaT leaves rejected pairs out"
    pairs = tmp_path / "check.tsv"
    pairs.write_text("src_text\ttgt_text\n"
                     "推動新型工業化發展\tPromote development of industry\n"
                     "研發新材料\tResearch on New Materials\n"
                     "推動新型工業化\tPromote neo-industrialisation\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(pairs), "--glossary", str(path), "--format", "jsonl"])
    findings = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    got = {(f["pair"], f["check"], f["severity"], f["concept_id"]) for f in findings}
    assert result.exit_code == 1, result.output
    assert (1, "missing-term", "error", required.concept_id) in got, findings
    assert (2, "deprecated-term", "warning", refused.concept_id) in got, findings
    assert (3, "deprecated-term", "error", required.concept_id) in got, findings
