"""zhen review in headless Chromium: time to first render and to filter a 10,000-entry glossary.

    python bench/bench_review.py                    # 10 000 entries (target: both under 1 s)
    python bench/bench_review.py --entries 50000
    python bench/bench_review.py --screenshot docs/review.png   # also the README's screenshot

The glossary is synthetic (terms made of HK Traditional characters and English words, as in
bench_check.py); the screenshot is of the bundled deck's glossary and pairs instead, with a few
decisions made. First render is measured in the page: from the start of navigation to the list,
counts and the first entry drawn (data loaded over HTTP included). Filtering is one search typed
into the box: the page filters and redraws synchronously, timed with performance.now().
Prints to stdout (a bench script, not the library).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_review import serving  # noqa: E402  (the tests' one way to start and stop a server)

from zhen.glossary import Entry, Evidence, Glossary, Term, concept_id, write_glossary  # noqa: E402

_ZH = "創新科技工業發展計劃基金研究中心園區人才智能數據服務政府公共資助培育支援產業醫療物流製造建造材料能源"
_EN = ["innovation", "technology", "industry", "development", "scheme", "fund", "research", "centre", "park",
       "talent", "intelligence", "data", "service", "government", "public", "subsidy", "support", "sector"]


def synthetic(n: int, seed: int = 1) -> Glossary:
    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        en = " ".join(rng.sample(_EN, rng.randint(2, 4))).title()
        zh = "".join(rng.sample(_ZH, rng.randint(3, 7)))
        cid = concept_id(en, zh)
        if cid in seen:
            continue
        seen.add(cid)
        acr = "".join(w[0] for w in en.split()).upper()
        out.append(Entry(cid, en, zh, en_variants=(Term(acr, "acronym"),), score=rng.random(),
                         frequency=rng.randint(1, 40),
                         evidence=tuple(Evidence(f"doc:{rng.randint(0, 5000)}:0", rng.choice(("colon", "bracket", "dictionary")), "doc")
                                        for _ in range(rng.randint(1, 4)))))
    return Glossary.of(out)


def browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--window-size=1366,860", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=opts)


def wait_ready(drv, timeout=30.0):
    end = time.monotonic() + timeout
    while drv.execute_script("return document.body && document.body.dataset.ready") != "1":
        if time.monotonic() > end:
            raise SystemExit("the page did not load")
        time.sleep(0.01)


FILTER_JS = """
const box = document.getElementById('search');
const t0 = performance.now();
box.value = arguments[0];
box.dispatchEvent(new Event('input'));
return [performance.now() - t0, document.querySelectorAll('#entries tbody tr').length];
"""


def bench(n: int, drv, tmp: Path) -> None:
    path = tmp / "big.csv"
    write_glossary(synthetic(n), path)
    with serving(path) as (_, url):
        renders = []
        for _ in range(3):
            drv.get(url)
            wait_ready(drv)
            renders.append(float(drv.execute_script("return document.body.dataset.readyAt")))
        filters = []
        for q in ("innovation", "科技", "park fund", "創", ""):
            ms, rows = drv.execute_script(FILTER_JS, q)
            filters.append(ms)
            print(f"  filter {q!r:14} {ms:7.1f} ms  ({rows} rows drawn)")
    print(f"{n} entries: first render {min(renders):.0f} ms (best of 3; {', '.join(f'{r:.0f}' for r in renders)}), "
          f"filter worst {max(filters):.1f} ms  (target: both under 1000 ms)")


def screenshot(out: Path, drv, tmp: Path) -> None:
    from test_review import _press

    subprocess.run([sys.executable, "-m", "zhen.cli", "align", "-o", str(tmp / "pairs.tsv")], check=True)
    subprocess.run([sys.executable, "-m", "zhen.cli", "glossary", "build", str(tmp / "pairs.tsv"), "-o",
                    str(tmp / "glossary.csv")], check=True)
    with serving(tmp / "glossary.csv", tmp / "pairs.tsv") as (_, url):
        drv.get(url)
        wait_ready(drv)
        _press(drv, "1")
        for key in "aarj":
            _press(drv, key)
            time.sleep(0.3)
        time.sleep(0.5)
        drv.save_screenshot(str(out))
    print(f"screenshot -> {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--screenshot", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        drv = browser(tmp / "profile")
        try:
            bench(args.entries, drv, tmp)
            if args.screenshot:
                screenshot(args.screenshot, drv, tmp)
        finally:
            drv.quit()


if __name__ == "__main__":
    main()
