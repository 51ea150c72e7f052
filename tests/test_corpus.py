"""`zhen corpus`: document pairing over real small crawls, restart, bad documents, CLI exit codes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import EVAL, needs_shared
from zhen.align.docpairs import candidates, doc_vector, windowed_bimax
from zhen.cli import app

MAC = EVAL / "mac-dev"
CHAMP = EVAL / "champollion" / "eval"
pytestmark = needs_shared(MAC)


def _crawl(root: Path) -> dict[str, str]:
    """Three MAC chapters on both sides under neutral names, one more chapter only in Chinese
    and a Hansard only in English (distractors). Returns the true zh -> en names."""
    zh, en = root / "zh", root / "en"
    zh.mkdir(parents=True)
    en.mkdir()
    truth = {}
    for k, (ch, zname, ename) in enumerate([("001", "a.txt", "q.txt"), ("003", "b.txt", "p.txt"),
                                            ("006", "c.txt", "r.txt")]):
        shutil.copy(MAC / "zh" / ch, zh / zname)
        shutil.copy(MAC / "en" / ch, en / ename)
        truth[zname] = ename
    shutil.copy(MAC / "zh" / "005", zh / "d.txt")            # a chapter with no translation here
    shutil.copy(CHAMP / "921008fe.txt", en / "s.txt")        # a Hansard with no Chinese here
    return truth


def _pairs(out: Path) -> list[dict]:
    with open(out / "doc_pairs.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def crawl_run(tmp_path_factory):
    from zhen.jobs.corpus import run_corpus

    root = tmp_path_factory.mktemp("crawl")
    truth = _crawl(root)
    res = run_corpus(root / "out", zh_dir=str(root / "zh"), en_dir=str(root / "en"), presplit=True, workers=2)
    return root, truth, res


def test_pairs_true_documents_and_reports_distractors(crawl_run):
    root, truth, res = crawl_run
    rows = _pairs(root / "out")
    assert len(rows) == 4 + 4 - 3  # every input once
    got = {Path(r["zh"]).name: Path(r["en"]).name for r in rows if r["zh"] and r["en"]}
    assert got == truth
    unpaired = {Path(r["zh"] or r["en"]).name for r in rows if not (r["zh"] and r["en"])}
    assert unpaired == {"d.txt", "s.txt"}
    assert all(float(r["confidence"]) >= 0.5 for r in rows if r["zh"] and r["en"])
    assert all(r["zh"].startswith(str(root / "zh")) for r in rows if r["zh"])  # paths as given


def test_parts_have_the_declared_schema_and_match_zhen_align(crawl_run):
    import polars as pl

    from zhen.jobs.align import align_files
    from zhen.jobs.corpus import _polars_schema

    root, truth, res = crawl_run
    frame = pl.read_parquet(root / "out" / "parts" / "*.parquet")
    assert dict(frame.schema) == _polars_schema()
    assert len(list((root / "out" / "tmx").glob("*.tmx"))) == 3
    mine = frame.filter(pl.col("zh_path").str.ends_with("b.txt")).sort("bead")
    ref = align_files([str(root / "zh" / "b.txt"), str(root / "en" / "p.txt")], presplit=True, encoder="use-m")
    assert [(tuple(z), tuple(e), t) for z, e, t in zip(mine["zh_ids"], mine["en_ids"], mine["en_text"])] == \
        [(p.src_ids, p.tgt_ids, p.tgt_text) for p in ref.pairs]
    man = json.loads((root / "out" / "manifest.json").read_text("utf-8"))
    assert {p["zh"] for p in man["parts"]} == {str(root / "zh" / z) for z in truth}
    assert all(len(p["zh_sha256"]) == 64 for p in man["parts"])


def test_unreadable_document_goes_to_errors_and_the_rest_go_on(tmp_path):
    from zhen.jobs.corpus import run_corpus

    zh, en = tmp_path / "zh", tmp_path / "en"
    zh.mkdir()
    en.mkdir()
    shutil.copy(MAC / "zh" / "002", zh / "x.txt")
    shutil.copy(MAC / "en" / "002", en / "y.txt")
    shutil.copy(MAC / "zh" / "004", zh / "v.txt")
    shutil.copy(MAC / "en" / "004", en / "w.txt")
    (zh / "broken.txt").write_bytes(b"\x00\xff\xfe\x00binary\x00" * 50)
    res = run_corpus(tmp_path / "out", zh_dir=str(zh), en_dir=str(en), presplit=True, workers=1)
    with open(tmp_path / "out" / "errors.csv", encoding="utf-8") as fh:
        errors = list(csv.DictReader(fh))
    assert [Path(e["path"]).name for e in errors] == ["broken.txt"]
    assert {(Path(r["zh"]).name, Path(r["en"]).name) for r in _pairs(tmp_path / "out") if r["zh"] and r["en"]} == \
        {("x.txt", "y.txt"), ("v.txt", "w.txt")}
    assert res.sentence_pairs > 0


def test_manifest_of_a_bilingual_file(tmp_path):
    from zhen import corpora
    from zhen.jobs.corpus import run_corpus

    deck = corpora.get_source("budget-slides-2026").path
    (tmp_path / "m.csv").write_text(f"file\n{deck}\n", encoding="utf-8")
    res = run_corpus(tmp_path / "out", manifest=str(tmp_path / "m.csv"), workers=1)
    assert [(r["zh"], r["en"]) for r in _pairs(tmp_path / "out")] == [(str(deck), str(deck))]
    assert res.sentence_pairs > 50


def test_doc_vectors_are_order_aware():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    same, shuffled = doc_vector(x), doc_vector(x[rng.permutation(40)])
    assert float(same @ doc_vector(x)) == pytest.approx(1.0)
    assert float(same @ shuffled) < 0.9  # same bag of sentences, another order
    assert windowed_bimax(x, x) == pytest.approx(1.0, abs=1e-5)
    assert windowed_bimax(x, x[::-1].copy()) < 0.9
    assert (3, 3) in candidates(np.eye(5, dtype=np.float32), np.eye(5, dtype=np.float32), k=1)


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["corpus"]).exit_code == 2
    assert runner.invoke(app, ["corpus", str(tmp_path), str(tmp_path), "--engine", "spark"]).exit_code == 2
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "zh" / "a.txt").write_bytes(b"\x00\x01\x02" * 40)
    (tmp_path / "en" / "b.txt").write_bytes(b"")
    r = runner.invoke(app, ["corpus", str(tmp_path / "zh"), str(tmp_path / "en"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 3, r.output
    assert "none of the 2 documents could be read" in r.output
    assert runner.invoke(app, ["corpus", str(tmp_path / "nope"), str(tmp_path / "en"),
                               "--out", str(tmp_path / "o")]).exit_code == 3


def test_ray_engine_gives_the_same_rows_as_local(crawl_run, tmp_path):
    """A real local Ray cluster (2 CPUs), a Ray Data pipeline with an actor pool: the same pairs
    file and the same rows. Scores agree to 1e-6, not to the bit: USE-m's numpy pass is not
    bit-reproducible across processes (the same document embedded in three processes gave three
    slightly different matrices; bead scores came out up to 4e-7 apart), and each engine embeds
    in its own processes."""
    ray = pytest.importorskip("ray")
    import polars as pl

    from zhen.jobs.corpus import run_corpus

    root, truth, _ = crawl_run
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        run_corpus(tmp_path / "out", zh_dir=str(root / "zh"), en_dir=str(root / "en"), presplit=True,
                   engine="ray", workers=2)
    finally:
        ray.shutdown()
    assert (tmp_path / "out" / "doc_pairs.csv").read_bytes() == (root / "out" / "doc_pairs.csv").read_bytes()
    local = pl.read_parquet(root / "out" / "parts" / "*.parquet").sort("zh_path", "bead")
    remote = pl.read_parquet(tmp_path / "out" / "parts" / "*.parquet").sort("zh_path", "bead")
    assert local.drop("score").equals(remote.drop("score"))
    assert (local["score"] - remote["score"]).abs().max() < 1e-6


def test_rerun_skips_unchanged_and_redoes_a_changed_pair(crawl_run):
    """Last: it changes the module's crawl."""
    from zhen.jobs.corpus import run_corpus

    root, truth, _ = crawl_run
    args = dict(zh_dir=str(root / "zh"), en_dir=str(root / "en"), presplit=True, workers=1)
    again = run_corpus(root / "out", **args)
    assert (again.skipped_parts, again.aligned_parts) == (3, 0)
    with open(root / "en" / "p.txt", "a", encoding="utf-8") as fh:
        fh.write("One more line the translator added.\n")
    third = run_corpus(root / "out", **args)
    assert (third.skipped_parts, third.aligned_parts) == (2, 1)
    assert len(list((root / "out" / "parts").glob("*.parquet"))) == 3  # the stale part is gone


def test_align_stage_reuses_the_embed_stage_spans(tmp_path, monkeypatch):
    """Each document is encoded once: the first stage computes the 1..4-sentence spans the
    aligner reads, so the align stage finds all of them in the encoder's cache."""
    from zhen.align import encoders
    from zhen.jobs import corpus

    monkeypatch.setenv("ZHEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(corpus, "_ENC", None)
    passes = []
    real = encoders._USESpans.encode_spans
    monkeypatch.setattr(encoders._USESpans, "encode_spans",
                        lambda self, texts, k: passes.append(len(texts)) or real(self, texts, k))
    in_align = []
    real_align = corpus.align_pair
    monkeypatch.setattr(corpus, "align_pair",
                        lambda *a: (in_align.append(len(passes)), real_align(*a), in_align.append(len(passes)))[1])
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    shutil.copy(MAC / "zh" / "002", tmp_path / "zh" / "a.txt")
    shutil.copy(MAC / "en" / "002", tmp_path / "en" / "b.txt")
    (tmp_path / "pairs.csv").write_text(f"zh,en\n{tmp_path / 'zh' / 'a.txt'},{tmp_path / 'en' / 'b.txt'}\n", "utf-8")
    res = corpus.run_corpus(tmp_path / "out", manifest=str(tmp_path / "pairs.csv"), presplit=True, workers=1)
    assert res.aligned_parts == 1
    zh_lines = [t for t in (MAC / "zh" / "002").read_text("utf-8").splitlines() if t.strip()]
    en_lines = [t for t in (MAC / "en" / "002").read_text("utf-8").splitlines() if t.strip()]
    # two documents, two passes (plus the encoder's 3-line start-up probe of its span method)
    assert sorted(n for n in passes if n > 3) == sorted([len(zh_lines), len(en_lines)])
    assert len(in_align) == 2 and in_align[0] == in_align[1]  # none of them in the align stage


def test_ray_groups_hold_every_job_once_at_about_equal_cost():
    """LPT grouping for Ray Data rows: each job in exactly one group, no group more than the
    heaviest single job above the mean (Graham's bound for the greedy rule)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from zhen.jobs.corpus import _by_cost, _groups

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.floats(0, 1e6), min_size=1, max_size=300), st.integers(1, 40))
    def check(costs, n):
        groups = _groups(costs, n)
        assert sorted(i for g in groups for i in g) == list(range(len(costs)))
        assert len(groups) <= min(n, len(costs))
        loads = [sum(costs[i] for i in g) for g in groups]
        assert loads == sorted(loads, reverse=True)
        assert max(loads) <= sum(costs) / len(groups) + max(costs) + 1e-6
        order = _by_cost(list(range(len(costs))), costs)
        assert [costs[i] for i in order] == sorted(costs, reverse=True)

    check()


def test_ray_workers_of_an_existing_cluster_get_the_jobs_zhen_settings(tmp_path, monkeypatch):
    """A cluster started apart (`ray start --head`) has workers with another environment: the
    job's ZHEN_CACHE_DIR reaches them, so the encoder cache lands where the user said."""
    pytest.importorskip("ray")
    import os
    import subprocess
    import sys

    import ray

    from zhen.jobs.corpus import run_corpus

    ray_cli = Path(sys.executable).with_name("ray")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHEN_")}
    subprocess.run([str(ray_cli), "start", "--head", "--num-cpus", "1", "--include-dashboard=false",
                    "--disable-usage-stats"], check=True, capture_output=True, env=env)
    try:
        (tmp_path / "zh").mkdir()
        (tmp_path / "en").mkdir()
        shutil.copy(MAC / "zh" / "002", tmp_path / "zh" / "a.txt")
        shutil.copy(MAC / "en" / "002", tmp_path / "en" / "b.txt")
        (tmp_path / "pairs.csv").write_text("zh,en\nzh/a.txt,en/b.txt\n", "utf-8")
        monkeypatch.setenv("ZHEN_CACHE_DIR", str(tmp_path / "cache"))
        res = run_corpus(tmp_path / "out", manifest=str(tmp_path / "pairs.csv"), presplit=True,
                         engine="ray", workers=1, address="auto")
        assert res.sentence_pairs > 0 and not res.errors
        assert any((tmp_path / "cache").rglob("*")), "the workers wrote their cache elsewhere"
        # The command line, on the cluster named by RAY_ADDRESS (as `ray job submit` and Ray's docs
        # set it): joined as an existing cluster (asking it for a CPU count is an error), settings
        # sent along, and Ray Data's per-dataset INFO lines kept off the user's terminal.
        ray.shutdown()
        cli = subprocess.run([str(Path(sys.executable).with_name("zhen")), "corpus", "--manifest",
                              str(tmp_path / "pairs.csv"), "--out", str(tmp_path / "out2"), "--presplit",
                              "--engine", "ray", "--workers", "1"], capture_output=True, text=True,
                             env={**os.environ, "RAY_ADDRESS": "auto", "ZHEN_CACHE_DIR": str(tmp_path / "cache2")})
        assert cli.returncode == 0, cli.stderr
        assert "1 document pairs" in cli.stderr  # the summary line: stdout stays for data
        assert any((tmp_path / "cache2").rglob("*")), "the workers wrote their cache elsewhere"
        assert "Starting execution of Dataset" not in cli.stderr and "Progress bars disabled" not in cli.stderr
    finally:
        ray.shutdown()
        subprocess.run([str(ray_cli), "stop"], capture_output=True, env=env)


def test_ray_gpu_shares():
    """What each embedding actor asks Ray for when its encoder can use a GPU: a whole one while
    there are enough, equal shares of fewer (in Ray's four decimals), none without GPUs."""
    from zhen.jobs.corpus import gpus_per_worker

    assert gpus_per_worker(0, 4) == 0.0
    assert gpus_per_worker(8, 4) == 1.0
    assert gpus_per_worker(1, 2) == 0.5
    assert gpus_per_worker(1, 3) == 0.3333
    assert gpus_per_worker(2, 3) * 3 <= 2
