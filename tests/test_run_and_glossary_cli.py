"""`zhen run` end to end on the bundled corpus, and the `zhen glossary` commands."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from zhen.cli import app
from conftest import SHARED, needs_shared

runner = CliRunner()
SCHEMAS = SHARED / "tbx-schemas"


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    result = runner.invoke(app, ["run", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_every_file(run_out):
    names = {p.name for p in run_out.iterdir()}
    assert {"segments.jsonl", "tables.csv", "pairs.tsv", "pairs.tmx", "glossary.csv", "glossary.tbx",
            "glossary-2008.tbx", "run.meta.json", "findings.csv", "mentions.csv", "entities.csv", "normalised",
            "report.html"} <= names
    meta = json.loads((run_out / "run.meta.json").read_text(encoding="utf-8"))
    # The signature counts what the files hold: one bead a row of pairs.tsv.
    pair_rows = (run_out / "pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert meta["encoder"] == "use-m" and meta["counts"]["pairs"] == len(pair_rows) > 0
    assert meta["jieba"] and meta["opencc"] and meta["version"]


def test_run_pairs_and_glossary_content(run_out):
    rows = list(csv.DictReader((run_out / "glossary.csv").read_text(encoding="utf-8-sig").splitlines()))
    pairs = {(r["zh"], r["en"]) for r in rows}
    assert ("新型工業加速計劃", "New Industrialisation Acceleration Scheme") in pairs
    assert ("新田科技城", "San Tin Technopole") in pairs
    nias = next(r for r in rows if r["zh"] == "新型工業加速計劃")
    assert "NIAS" in nias["en_variants"] and "加速計劃" in nias["zh_variants"]
    assert (run_out / "glossary.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    tsv = (run_out / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    assert tsv[1].split("\t")[:2] == ["2026-27年度財政預算案", "2026-27 Budget"]


@needs_shared(SCHEMAS)
def test_run_tbx_validates_and_tmx_reads_back(run_out):
    from lxml import etree, isoschematron
    from translate.storage import tbx, tmx

    doc = etree.parse(str(run_out / "glossary.tbx"))
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "TBXcoreStructV03.rng")))
    sch = isoschematron.Schematron(etree.parse(str(SCHEMAS / "derived" / "TBX-Basic_DCA.xslt1.sch")))
    assert rng.validate(doc), rng.error_log
    assert sch.validate(doc), sch.error_log
    old = tbx.tbxfile.parsefile(str(run_out / "glossary-2008.tbx"))
    assert len([u for u in old.units if u.source]) >= 40
    store = tmx.tmxfile.parsefile(str(run_out / "pairs.tmx"))
    # Every bead with text on both sides is a translation unit; null beads are left out.
    rows = [r.split("\t") for r in (run_out / "pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    both = [r for r in rows if r[0] and r[1]]
    assert len(both) < len(rows)
    assert [(u.source, u.target) for u in store.units if u.source and u.target] == [(r[0], r[1]) for r in both]


def test_run_rerun_is_byte_identical(run_out, tmp_path):
    again = tmp_path / "again"
    assert runner.invoke(app, ["run", "--out", str(again)]).exit_code == 0
    files = [p for p in run_out.rglob("*") if p.is_file()]
    assert len(files) >= 15 and any(p.parent.name == "normalised" for p in files)
    for p in files:
        rel = p.relative_to(run_out)
        assert (again / rel).read_bytes() == p.read_bytes(), rel


def test_glossary_build_merge_respects_review(tmp_path):
    first = tmp_path / "g1.csv"
    assert runner.invoke(app, ["glossary", "build", "-o", str(first)]).exit_code == 0
    lines = first.read_text(encoding="utf-8-sig").splitlines()
    header, body = lines[0], lines[1:]
    rows = list(csv.DictReader([header, *body]))
    # A reviewer approves one entry with an edited English term and rejects another.
    keep = next(r for r in rows if r["zh"] == "新田科技城")
    drop = next(r for r in rows if r["zh"] != "新田科技城")
    keep.update(status="approved", en="San Tin Technopole (STT)")
    drop.update(status="rejected")
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header.split(","))
        w.writeheader()
        w.writerows(rows)
    before = edited.read_bytes()
    # never written over
    refused = runner.invoke(app, ["glossary", "build", "--merge", str(edited), "-o", str(edited)])
    assert refused.exit_code == 3 and "never writes over" in refused.stderr
    merged = tmp_path / "merged.csv"
    result = runner.invoke(app, ["glossary", "build", "--merge", str(edited), "-o", str(merged)])
    assert result.exit_code == 0, result.output
    assert edited.read_bytes() == before
    out = list(csv.DictReader(merged.read_text(encoding="utf-8-sig").splitlines()))
    kept = next(r for r in out if r["concept_id"] == keep["concept_id"])
    assert kept["en"] == "San Tin Technopole (STT)" and kept["status"] == "approved"
    rejected = [r for r in out if r["concept_id"] == drop["concept_id"]]
    assert all(r["status"] == "rejected" for r in rejected)
    assert not [r for r in out if r["zh"] == drop["zh"] and r["en"] == drop["en"] and r["status"] == "candidate"]


def test_glossary_convert_and_show(tmp_path):
    src = tmp_path / "g.csv"
    assert runner.invoke(app, ["glossary", "build", "-o", str(src)]).exit_code == 0
    for name, extra in (("g.tbx", []), ("g2008.tbx", ["--to", "tbx2008"]), ("g.json", []), ("g.tsv", [])):
        result = runner.invoke(app, ["glossary", "convert", str(src), str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["glossary", "show", str(tmp_path / "g.tbx"), "--grep", "NIAS"])
    assert shown.exit_code == 0
    assert "新型工業加速計劃" in shown.stdout and "New Industrialisation Acceleration Scheme" in shown.stdout
    rows = [json.loads(x) for x in runner.invoke(app, ["glossary", "show", str(tmp_path / "g.json"), "--format",
                                                      "jsonl"]).stdout.splitlines()]
    assert len(rows) >= 40


def test_glossary_import_other_peoples_table(tmp_path):
    table = tmp_path / "theirs.csv"
    table.write_text('English,HK Chinese,English_Abbr\nInnovation and Technology Fund,創新及科技基金,ITF\n',
                     encoding="utf-8-sig")
    out = tmp_path / "ours.csv"
    result = runner.invoke(app, ["glossary", "convert", str(table), str(out), "--from", "table",
                                 "--columns", 'en=English,zh="HK Chinese",abbr=English_Abbr'])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "創新及科技基金" in text and "ITF{acronym}" in text


def test_glossary_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("concept_id,en,zh\nx,a\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "show", str(bad)])
    assert result.exit_code == 3 and "bad.csv" in result.stderr
    en_only = tmp_path / "en.txt"
    en_only.write_text("English only.\nStill English.\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "build", str(en_only), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 3 and "not bilingual" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_run_writes_findings(run_out):
    rows = list(csv.DictReader((run_out / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert any(r["check"] == "script" and r["found"] == "赋" for r in rows)  # 「AI赋能公共服務」
    # The deck checked against its own glossary: no errors, and warnings only for what the deck
    # really does (the 赋 slip; 河套香港園區 rendered as "Hong Kong Park of the Hetao Co-operation
    # Zone", not by the glossary's "Hetao Hong Kong Park"); info findings are a translator's notes.
    assert not [r for r in rows if r["severity"] == "error"]
    assert len([r for r in rows if r["severity"] == "warning"]) <= 2


def test_check_cli_exit_codes_formats_and_ignore(run_out, tmp_path):
    pairs, gloss = str(run_out / "pairs.tsv"), str(run_out / "glossary.csv")
    clean = runner.invoke(app, ["check", "--glossary", gloss, pairs])
    assert clean.exit_code == 0 and "赋" in clean.stdout
    failing = runner.invoke(app, ["check", "--glossary", gloss, pairs, "--fail-on", "warning"])
    assert failing.exit_code == 1
    report = tmp_path / "findings.csv"
    assert runner.invoke(app, ["check", "--glossary", gloss, pairs, "--format", "csv", "-o", str(report)]).exit_code == 0
    assert (tmp_path / "findings.csv.meta.json").exists()
    # Accepting every current finding makes --fail-on info pass.
    accepted = runner.invoke(app, ["check", "--glossary", gloss, pairs, "--ignore", str(report), "--fail-on", "info"])
    assert accepted.exit_code == 0, accepted.output
    html = runner.invoke(app, ["check", "--glossary", gloss, pairs, "--format", "html"])
    assert html.exit_code == 0 and html.stdout.lstrip().startswith("<!DOCTYPE html>")
    rows = [json.loads(x) for x in runner.invoke(app, ["check", "--glossary", gloss, pairs, "--format", "jsonl"]).stdout.splitlines()]
    assert {"pair_id", "check", "severity", "issue_type", "expected", "found"} <= set(rows[0])


def test_check_cli_seeded_error_and_usage(run_out, tmp_path):
    lines = (run_out / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    seeded = [ln.replace("$10 billion", "$1 billion") for ln in lines]
    bad = tmp_path / "seeded.tsv"
    bad.write_text("\n".join(seeded) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--glossary", str(run_out / "glossary.csv"), str(bad), "--format", "jsonl"])
    assert result.exit_code == 1  # an error-level number mismatch
    found = [json.loads(x) for x in result.stdout.splitlines()]
    assert any(f["check"] == "number" and f["severity"] == "error" for f in found)
    assert runner.invoke(app, ["check", str(bad)]).exit_code == 2  # --glossary missing
    assert runner.invoke(app, ["check", "--glossary", str(run_out / "glossary.csv"), str(bad), "--fail-on", "x"]).exit_code == 2
    missing = runner.invoke(app, ["check", "--glossary", str(tmp_path / "nope.csv"), str(bad)])
    assert missing.exit_code == 3 and "nope.csv" in missing.stderr


def test_run_csvs_match_their_declared_schemas(run_out):
    """Every CSV the run writes reads back with the schema the library declares for it."""
    import polars as pl

    from zhen.corpora.segment import table_schema
    from zhen.glossary.qa import finding_schema
    from zhen.glossary.entities import mention_schema

    for name, schema in (("mentions.csv", mention_schema()), ("findings.csv", finding_schema()),
                         ("tables.csv", table_schema())):
        frame = pl.read_csv(run_out / name, schema=schema)
        assert frame.columns == list(schema) and frame.height > 0, name
    mentions = pl.read_csv(run_out / "mentions.csv", schema=mention_schema())
    from zhen import corpora
    deck = corpora.load_source("budget-slides-2026").text
    for row in mentions.filter(pl.col("doc") == "budget-slides-2026").head(20).iter_rows(named=True):
        assert deck[row["start"]:row["end"]] == row["surface"]
    header = (run_out / "entities.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["entity_id", "canonical_en", "canonical_zh"]


@pytest.mark.parametrize("mode", ["annotate", "replace"])
def test_normalise_cli(run_out, tmp_path, mode):
    out = tmp_path / mode
    result = runner.invoke(app, ["normalise", "--glossary", str(run_out / "glossary.csv"), "--out", str(out),
                                 "--mode", mode])
    assert result.exit_code == 0, result.output
    yearbook = (out / "normalised" / "yearbook-2024-ch16.txt").read_text(encoding="utf-8")
    if mode == "annotate":
        assert "[[" in yearbook and "|ent:" in yearbook
    else:
        assert "[[" not in yearbook and "Hetao Hong Kong Park" in yearbook
    rows = list(csv.DictReader((out / "mentions.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["doc"] for r in rows} == {"budget-slides-2026", "estimates-2026-head135", "estimates-2024-head135",
                                        "it-overview-2025", "yearbook-2024-ch16"}
    hsitp = {r["entity_id"] for r in rows if r["surface"] in ("HSITP", "河套香港園區", "Hetao Hong Kong Park")}
    assert len(hsitp) == 1  # one entity behind the three names


def test_normalise_cli_errors(tmp_path):
    assert runner.invoke(app, ["normalise", "--mode", "rewrite", "--out", str(tmp_path)]).exit_code == 2
    bad = runner.invoke(app, ["normalise", str(tmp_path / "missing.txt"), "--out", str(tmp_path)])
    assert bad.exit_code == 3 and "missing.txt" in bad.stderr
