"""What the README promises about failures, driven through the CLI: nothing a person wrote is
lost, every failure is one line with exit code 3 (2 for usage), and no half-written output."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhen.cli import app

runner = CliRunner()

DECK_PAIRS = """src_text\ttgt_text\tsrc_ids\ttgt_ids\tscore\tdoc\tsrc_seg_ids\ttgt_seg_ids
「新型工業加速計劃」（「加速計劃」）\tNew Industrialisation Acceleration Scheme (NIAS)\t[0]\t[0]\t0.9\tmini\t["m:1"]\t["m:2"]
推出「新型工業加速計劃」\tLaunch the New Industrialisation Acceleration Scheme\t[1]\t[1]\t0.9\tmini\t["m:3"]\t["m:4"]
新田科技城：今年將成立專屬公司\tSan Tin Technopole: to establish a dedicated company this year\t[2]\t[2]\t0.9\tmini\t["m:5"]\t["m:6"]
"""


def _one_line_error(result, code: int = 3) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture()
def built(tmp_path) -> Path:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(DECK_PAIRS, encoding="utf-8")
    g = tmp_path / "g.csv"
    result = runner.invoke(app, ["glossary", "build", str(pairs), "-o", str(g), "--min-score", "0"])
    assert result.exit_code == 0, result.output
    return g


def _edit(path: Path) -> bytes:
    """What a reviewer does in a spreadsheet: approve an entry and write a note."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0]["status"], rows[0]["note"] = "approved", "checked with the Bureau"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path.read_bytes()


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_build_refuses_to_replace_an_edited_glossary(built):
    edited = _edit(built)
    result = runner.invoke(app, ["glossary", "build", str(built.parent / "pairs.tsv"), "-o", str(built)])
    line = _one_line_error(result)
    assert "edited since zhen wrote it" in line and "--merge" in line and "--force" in line
    assert built.read_bytes() == edited
    _no_temp_files(built.parent)


def test_build_replaces_its_own_output_and_force_replaces_an_edited_one(built):
    pairs = str(built.parent / "pairs.tsv")
    assert runner.invoke(app, ["glossary", "build", pairs, "-o", str(built), "--min-score", "0"]).exit_code == 0
    edited = _edit(built)
    result = runner.invoke(app, ["glossary", "build", pairs, "-o", str(built), "--min-score", "0", "--force"])
    assert result.exit_code == 0, result.output
    assert built.read_bytes() != edited and b"checked with the Bureau" not in built.read_bytes()


def test_merge_keeps_the_edits(built, tmp_path):
    _edit(built)
    out = tmp_path / "v2.csv"
    result = runner.invoke(app, ["glossary", "build", str(built.parent / "pairs.tsv"), "-o", str(out),
                                 "--merge", str(built), "--min-score", "0"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "checked with the Bureau" in text and ",approved," in text


def test_convert_refuses_an_edited_target(built, tmp_path):
    target = tmp_path / "g.tbx"
    assert runner.invoke(app, ["glossary", "convert", str(built), str(target)]).exit_code == 0
    target.write_bytes(target.read_bytes().replace(b"</martif>", b"<!-- reviewed --></martif>")
                       .replace(b"</tbx>", b"<!-- reviewed --></tbx>"))
    before = target.read_bytes()
    line = _one_line_error(runner.invoke(app, ["glossary", "convert", str(built), str(target)]))
    assert "edited since zhen wrote it" in line
    assert target.read_bytes() == before


def test_a_glossary_zhen_did_not_sign_is_not_replaced(tmp_path, built):
    theirs = tmp_path / "theirs.csv"
    theirs.write_bytes(built.read_bytes())  # a copy without its signature: whose it is, zhen cannot tell
    line = _one_line_error(runner.invoke(app, ["glossary", "convert", str(built), str(theirs)]))
    assert "--force" in line


def test_a_kill_between_file_and_signature_leaves_no_signature_of_other_bytes(tmp_path, monkeypatch, built):
    from zhen.corpora import output
    from zhen.glossary import read_glossary, write_glossary

    g = read_glossary(built)
    side = built.with_name(built.name + ".meta.json")
    old_sig = json.loads(side.read_text(encoding="utf-8"))

    def killed(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "write_meta", killed)
    smaller = type(g).of(g.entries[:1], g.meta)
    with pytest.raises(KeyboardInterrupt):
        write_glossary(smaller, built)
    monkeypatch.undo()
    # The new bytes are there; the old signature is gone rather than describing them.
    assert not side.exists() or json.loads(side.read_text(encoding="utf-8")) != old_sig
    assert output.signed_state(built) == "edited"
    _no_temp_files(tmp_path)


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["--date", "notadate"], r"--date 'notadate' is not an ISO date"),
        (["--to", "tbx", "--date", "2026-13-45"], r"is not an ISO date"),
    ],
)
def test_glossary_options_are_checked_before_any_work(built, tmp_path, args, pattern):
    out = tmp_path / "g2.tbx"
    line = _one_line_error(runner.invoke(app, ["glossary", "convert", str(built), str(out), *args]))
    assert re.search(pattern, line)
    assert not out.exists()


@pytest.fixture()
def read_only_folder(tmp_path):
    """A folder nobody can write in. Root ignores missing write bits, so as root it is a
    read-only tmpfs mount (the read-only-mount case); skipped where mounting is not allowed."""
    import os
    import subprocess

    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = False
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("running as root without permission to mount a read-only folder")
        mounted = True
    else:
        ro.chmod(0o555)
    try:
        yield ro
    finally:
        if mounted:
            subprocess.run(["umount", str(ro)], check=False)
        else:
            ro.chmod(0o755)


@pytest.mark.parametrize("command", ["convert", "build", "segment", "align", "check"])
def test_read_only_output_is_one_line(built, read_only_folder, command):
    pairs = str(built.parent / "pairs.tsv")
    args = {
        "convert": ["glossary", "convert", str(built), str(read_only_folder / "g.tbx")],
        "build": ["glossary", "build", pairs, "-o", str(read_only_folder / "g.csv")],
        "segment": ["segment", pairs, "-o", str(read_only_folder / "seg.jsonl")],
        "align": ["align", "--encoder", "hash", "-o", str(read_only_folder / "deck.tsv")],
        "check": ["check", "--glossary", str(built), pairs, "--format", "csv", "-o", str(read_only_folder / "f.csv")],
    }[command]
    line = _one_line_error(runner.invoke(app, args))
    assert str(read_only_folder) in line and re.search(r"permission denied|read-only", line, re.I), line
    assert list(read_only_folder.iterdir()) == []


@pytest.mark.parametrize("make", ["dir", "file-as-folder"])
def test_unwritable_glossary_output_is_one_line(built, tmp_path, make):
    if make == "dir":
        target = tmp_path / "out.csv"
        target.mkdir()
        want = "is a directory"
    else:
        (tmp_path / "plain").write_text("x", encoding="utf-8")
        target = tmp_path / "plain" / "g.csv"
        want = "is a file, not a folder"
    line = _one_line_error(runner.invoke(app, ["glossary", "convert", str(built), str(target)]))
    assert want in line
