from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ZHEN_SHARED", ROOT.parent / "shared"))
EVAL = SHARED / "eval"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Tests never write into the user's ~/.cache."""
    monkeypatch.setenv("ZHEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "zhen-cache"))


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not present (../shared beside the clone)")
