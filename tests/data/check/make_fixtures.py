"""Regenerate the clean-deck fixtures of tests/test_check.py (run on purpose, then commit).

    python tests/data/check/make_fixtures.py

Runs `zhen run` on the bundled corpus and keeps its aligned slide deck (``pairs.tsv``, zh-HK
source → en target) and the glossary built from it (``glossary.csv``) as ``deck-pairs.tsv`` and
``deck-glossary.csv``. The tests seed their errors into copies of these at run time, so a new
aligner or glossary build only needs this script re-run and the clean-deck findings re-read.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))


def main() -> None:
    from zhen.jobs.run import run_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        run_pipeline([], out=str(out))
        shutil.copyfile(out / "pairs.tsv", HERE / "deck-pairs.tsv")
        shutil.copyfile(out / "glossary.csv", HERE / "deck-glossary.csv")
    print(f"wrote {HERE / 'deck-pairs.tsv'} and {HERE / 'deck-glossary.csv'}")


if __name__ == "__main__":
    main()
