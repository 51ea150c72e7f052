"""The layers (corpora <- align <- glossary <- jobs <- cli) are kept by import-linter's contracts in
pyproject.toml. grimp reads every import statement, so a function-local import cannot hide an
upward dependency."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"corpora": "corpora", "align": "align", "glossary": "glossary", "jobs": "jobs"}


def _lint(cwd: Path, env_path: Path | None = None, contract: str | None = None) -> subprocess.CompletedProcess:
    only = f"limit_to_contracts=({contract!r},), " if contract else ""
    code = f"import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports({only}no_cache=True, no_logo=True))"
    env = None
    if env_path is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(env_path)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env)


def test_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout or "broken" not in result.stdout.lower()


def _copy_package(dst: Path) -> Path:
    """The real package as an ordinary folder ``zhen/`` beside a copy of the contracts."""
    pkg = dst / "zhen"
    pkg.mkdir()
    shutil.copy(ROOT / "__init__.py", pkg / "__init__.py")
    shutil.copy(ROOT / "cli.py", pkg / "cli.py")
    for name, folder in PACKAGES.items():
        shutil.copytree(ROOT / folder, pkg / name, ignore=shutil.ignore_patterns("__pycache__", "*.txt"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return pkg


@pytest.mark.parametrize(
    ("module", "body", "contract"),
    [
        # A lower layer reaching up from inside a function: the case that hid ten imports before.
        ("corpora/sneaky.py", "def f():\n    from zhen.jobs import run\n    return run\n", "layers"),
        ("align/sneaky.py", "def f():\n    import zhen.glossary.build\n", "layers"),
        ("glossary/merge.py", "def f():\n    from zhen.glossary.qa import check\n", "glossary-core"),
        ("glossary/entities/sneaky.py", "def f():\n    from zhen.glossary.qa import render\n", "consumers-independent"),
        ("align/chatty.py", "def f():\n    import typer\n", "library-is-quiet"),
    ],
)
def test_an_upward_import_breaks_a_contract(tmp_path, module, body, contract):
    pkg = _copy_package(tmp_path)
    target = pkg / module
    before = target.read_text(encoding="utf-8") + "\n\n" if target.exists() else ""
    target.write_text(before + textwrap.dedent(body), encoding="utf-8")
    result = _lint(tmp_path, env_path=tmp_path, contract=contract)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts")[-1]
    assert "zhen." + module.removesuffix(".py").replace("/", ".") in broken, broken


def test_the_copied_package_is_clean(tmp_path):
    """The same copy without the injected import passes, so the failures above are the imports'."""
    _copy_package(tmp_path)
    result = _lint(tmp_path, env_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
