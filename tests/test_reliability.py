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


# --- zhen run: checked before writing, staged, never over a reviewed glossary -----------------

SMALL_DECK = """新田科技城：今年將成立專屬公司
San Tin Technopole: To establish a dedicated company this year
推出「新型工業加速計劃」
Launch the New Industrialisation Acceleration Scheme
創新科技署會加強支援初創企業
The Innovation and Technology Commission will step up support for start-ups
"""


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("small")
    doc = base / "small.txt"
    doc.write_text(SMALL_DECK, encoding="utf-8")
    out = base / "out"
    result = runner.invoke(app, ["run", str(doc), "--encoder", "hash", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030", "big5"])
def test_run_on_a_small_bilingual_file_is_a_result(tmp_path, encoding):
    """Three pairs may give no glossary entry: the run still writes every file and a report."""
    doc = tmp_path / f"small-{encoding}.txt"
    text = SMALL_DECK
    if encoding == "gb18030":
        from zhen.corpora.zhtext import to_simplified

        text = to_simplified(text)
    doc.write_bytes(text.encode(encoding))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(doc), "--encoder", "hash", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("segments.jsonl", "pairs.tsv", "glossary.csv", "findings.csv", "report.html", "run.meta.json"):
        assert (out / name).is_file(), name
    meta = json.loads((out / "run.meta.json").read_text(encoding="utf-8"))
    assert meta["counts"]["pairs"] == 3


def test_run_refuses_to_replace_an_edited_glossary(small_run, tmp_path):
    out = tmp_path / "out"
    import shutil

    shutil.copytree(small_run, out)
    g = out / "glossary.csv"
    g.write_text(g.read_text(encoding="utf-8-sig") + "cX,Hong Kong,香港,,,approved,1.0,1,,mine\n", encoding="utf-8-sig")
    before = _snapshot(out)
    doc = small_run.parent / "small.txt"
    line = _one_line_error(runner.invoke(app, ["run", str(doc), "--encoder", "hash", "--out", str(out)]))
    assert "glossary.csv" in line and "edited since zhen wrote it" in line and "--glossary" in line and "--force" in line
    assert _snapshot(out) == before


@pytest.mark.parametrize("link", [False, True])
def test_run_never_writes_over_the_glossary_it_merges(small_run, tmp_path, link):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    reviewed = out / "glossary.csv"
    if link:
        elsewhere = tmp_path / "reviewed.csv"
        shutil.copy(reviewed, elsewhere)
        shutil.copy(out / "glossary.csv.meta.json", tmp_path / "reviewed.csv.meta.json")
        reviewed.unlink()
        reviewed.symlink_to(elsewhere)
        reviewed = elsewhere
    before = _snapshot(out)
    doc = small_run.parent / "small.txt"
    line = _one_line_error(runner.invoke(app, ["run", str(doc), "--encoder", "hash", "--out", str(out),
                                               "--glossary", str(out / "glossary.csv")]))
    assert "never writes over the glossary it merges" in line
    assert _snapshot(out) == before


@pytest.mark.parametrize(
    ("extra", "code", "pattern"),
    [
        (["--glossary", "{tmp}/nonexistent.csv"], 3, r"nonexistent\.csv: no such glossary file"),
        (["--glossary", "{tmp}/d.csv/"], 3, r"d\.csv.*is a directory"),
        (["--encoder", "nope"], 2, r"unknown encoder 'nope'"),
        (["--encoder", "st:/nonexistent"], 3, r"no such model folder"),
    ],
)
def test_run_checks_everything_before_writing(tmp_path, extra, code, pattern):
    (tmp_path / "d.csv").mkdir()
    doc = tmp_path / "small.txt"
    doc.write_text(SMALL_DECK, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(doc), "--out", str(out), *[a.replace("{tmp}", str(tmp_path)) for a in extra]]
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    shown = re.sub(r"[\s│╭╮╰╯─]+", " ", result.stderr if code == 3 else result.output)
    assert re.search(pattern, shown), shown
    assert not out.exists() or not list(out.iterdir())


def test_run_out_that_is_a_file(tmp_path):
    doc = tmp_path / "small.txt"
    doc.write_text(SMALL_DECK, encoding="utf-8")
    line = _one_line_error(runner.invoke(app, ["run", str(doc), "--out", str(doc)]))
    assert "is a file, not a folder" in line


def test_interrupted_run_leaves_the_earlier_run_whole(small_run, tmp_path, monkeypatch):
    import shutil

    from zhen import glossary

    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(glossary, "build_glossary", interrupted)
    doc = tmp_path / "other.txt"
    doc.write_text(SMALL_DECK.replace("專屬公司", "專屬公司一間"), encoding="utf-8")
    result = runner.invoke(app, ["run", str(doc), "--encoder", "hash", "--out", str(out)])
    assert result.exit_code == 130
    assert _snapshot(out) == before  # nothing new half-swapped in, the person's file kept
    assert not [p for p in out.iterdir() if p.name.startswith(".zhen-run-")]
    _no_temp_files(out)


# --- smaller promises ------------------------------------------------------------------------

def test_whitespace_only_glossary_is_an_error(tmp_path):
    g = tmp_path / "blank.csv"
    g.write_text("  \n\t\n\u3000\n", encoding="utf-8")
    line = _one_line_error(runner.invoke(app, ["glossary", "convert", str(g), str(tmp_path / "out.tbx")]))
    assert "blank.csv" in line and "is empty" in line
    assert not (tmp_path / "out.tbx").exists()


def test_billion_laughs_names_the_line_that_uses_the_entity(tmp_path):
    tbx = tmp_path / "lol.tbx"
    tbx.write_text('<?xml version="1.0"?>\n<!DOCTYPE tbx [\n<!ENTITY lol "lol">\n'
                   '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
                   '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
                   '<text><body>\n<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&lol2;</term>'
                   '</termSec></langSec></conceptEntry>\n</body></text></tbx>\n', encoding="utf-8")
    line = _one_line_error(runner.invoke(app, ["glossary", "show", str(tbx)]))
    assert "lol.tbx, line 8:" in line and "neither fetched nor expanded" in line


def test_a_malformed_tmx_reads_the_same_in_check_and_build(tmp_path, built):
    bad = tmp_path / "broken.tmx"
    bad.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="zh-HK"/>\n<body><tu><tuv>\n',
                   encoding="utf-8")
    a = _one_line_error(runner.invoke(app, ["check", "--glossary", str(built), str(bad)]))
    b = _one_line_error(runner.invoke(app, ["glossary", "build", str(bad), "-o", str(tmp_path / "g.csv")]))
    shape = r"^Error: .*broken\.tmx, line \d+: not well-formed XML"
    assert re.match(shape, a) and re.match(shape, b)
    assert a.split(" (")[0] == b.split(" (")[0]


# --- CSV injection -----------------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FORMULAS = ["=HYPERLINK(\"http://x.example\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "'=already"]


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\rab 中")), max_size=8))
def test_cells_round_trip_and_never_start_a_formula(text):
    from zhen.corpora.output import cell_in, cell_out

    out = cell_out(text)
    assert cell_in(out) == text
    assert not out or out[0] not in "=+-@\t\r"


def _csv_cells(path: Path, delimiter: str = ",") -> list[str]:
    return [c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""),
                                    delimiter=delimiter) for c in row]


def test_formulas_from_a_document_are_not_live_in_any_csv_or_tsv(tmp_path):
    doc = tmp_path / "evil.txt"
    lines = []
    for f in FORMULAS:
        lines += [f"{f}創新科技署", f"{f} Innovation and Technology Commission"]
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(doc), "--encoder", "hash", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*") if p.suffix in (".csv", ".tsv")]
    assert {"pairs.tsv", "tables.csv", "glossary.csv", "mentions.csv"} <= {p.name for p in written}
    for p in written:
        cells = _csv_cells(p, "\t" if p.suffix == ".tsv" else ",")
        live = [c for c in cells if c and c[0] in "=+-@\t\r"]
        assert not live, (p.name, live[:3])
    # ... and zhen reads its own files back to the original text.
    from zhen.align.formats import read_pairs

    texts = {t for p in read_pairs(out / "pairs.tsv") for t in (p.src_text, p.tgt_text)}
    assert any(t.startswith("=HYPERLINK(") for t in texts) and any(t.startswith("@SUM") for t in texts)


def test_formulas_in_an_imported_glossary_round_trip(tmp_path):
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("English,Chinese\n=1+1 Fund,創科基金\n@Home Scheme,家居計劃\n", encoding="utf-8")
    ours = tmp_path / "ours.csv"
    result = runner.invoke(app, ["glossary", "convert", str(theirs), str(ours), "--columns", "en=English,zh=Chinese"])
    assert result.exit_code == 0, result.output
    assert not [c for c in _csv_cells(ours) if c and c[0] in "=+-@"]
    shown = runner.invoke(app, ["glossary", "show", str(ours), "--format", "jsonl"])
    assert {json.loads(x)["en"] for x in shown.stdout.splitlines()} == {"=1+1 Fund", "@Home Scheme"}


@pytest.mark.parametrize("command", ["run", "normalise"])
def test_read_only_out_folder_is_one_line(built, read_only_folder, command, tmp_path):
    doc = tmp_path / "small.txt"
    doc.write_text(SMALL_DECK, encoding="utf-8")
    args = {"run": ["run", str(doc), "--encoder", "hash", "--out", str(read_only_folder / "out")],
            "normalise": ["normalise", str(doc), "--glossary", str(built), "--out", str(read_only_folder / "out")]}
    line = _one_line_error(runner.invoke(app, args[command]))
    assert str(read_only_folder) in line and re.search(r"permission denied|read-only", line, re.I), line


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["glossary", "show", "{tmp}/d.tbx/"], r"d\.tbx.*is a directory"),
        (["normalise", "{doc}", "--seeds", "{tmp}/d.toml/", "--out", "{tmp}/o"], r"d\.toml.*is a directory"),
        (["check", "--glossary", "{tmp}/d.csv/", "{doc}"], r"d\.csv.*is a directory"),
        (["normalise", "{doc}", "--glossary", "{glossary}", "--out", "{doc}"], r"is a file, not a folder"),
    ],
)
def test_a_directory_where_a_file_belongs(tmp_path, built, args, pattern):
    for d in ("d.tbx", "d.toml", "d.csv"):
        (tmp_path / d).mkdir()
    doc = tmp_path / "small.txt"
    doc.write_text(SMALL_DECK, encoding="utf-8")
    argv = [a.format(tmp=tmp_path, doc=doc, glossary=built) for a in args]
    line = _one_line_error(runner.invoke(app, argv))
    assert re.search(pattern, line), line


def test_what_zhen_writes_it_reads_back_however_large(tmp_path):
    """A term on every page of a long deck: its evidence is capped, its frequency is not, and a
    200,000-character cell (a person's note) reads back."""
    from zhen.align.formats import AlignedPair
    from zhen.glossary import build_glossary, read_glossary, write_glossary
    from zhen.glossary.build import MAX_EVIDENCE

    pairs = [AlignedPair(src_text=f"第{i}頁：推出「新型工業加速計劃」", tgt_text=f"Page {i}: launch the New Industrialisation "
                         "Acceleration Scheme", src_ids=(i,), tgt_ids=(i,), score=0.9, doc="deck",
                         src_seg_ids=(f"deck:{i}:0",), tgt_seg_ids=(f"deck:{i}:1",)) for i in range(400)]
    g = build_glossary(pairs, min_score=0.0)
    nias = max(g.entries, key=lambda e: e.frequency)
    assert len(nias.evidence) == MAX_EVIDENCE and nias.frequency == 400
    import dataclasses

    big = type(g).of([dataclasses.replace(nias, note="x" * 200_000)], g.meta)
    path = tmp_path / "g.csv"
    write_glossary(big, path)
    back = read_glossary(path)
    assert max(len(e.note) for e in back.entries) == 200_000
    assert runner.invoke(app, ["glossary", "show", str(path)]).exit_code == 0
