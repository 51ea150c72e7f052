"""Benchmark `zhen corpus` on a development crawl built from ../shared/eval (bench/crawl.py).

    pip install -e ".[test,bench]"   # psutil, for the process-tree memory
    python bench/bench_corpus.py [--size 1] [--engine local] [--workers 2] [--encoder use-m]
    python bench/bench_corpus.py --engine ray --cluster    # a cluster started before the clock

Prints document-pairing precision/recall over the true pairs, the highest confidence given to a
pair that is not a true pair (a distractor or a wrong partner), sentence F1 inside the gold pairs
against `zhen align` on the same pairs (must be equal), end-to-end throughput with a cold
embedding cache, and the peak memory of the whole process tree (sampled: PSS, and RSS summed). The crawl is development
data: the pairing calibration was set on it.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import threading
import time
from pathlib import Path

import crawl  # noqa: E402  (bench/ is on sys.path when run as a script)


class PeakRSS:
    """Peak memory of this process and its children together, sampled every 0.5 s: the sum of
    their RSS (counts pages they share — libraries, Ray's object store — once per process) and
    the sum of their PSS (each shared page divided among the processes mapping it: the memory the
    tree really holds)."""

    def __init__(self, cluster: bool = False):
        import psutil

        self.proc, self.peak, self.peak_pss, self._stop = psutil.Process(), 0, 0, threading.Event()
        self.cluster = cluster   # also count a cluster's processes (raylet, GCS, workers), not our children
        self.t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                if self.cluster:
                    import psutil

                    seen = {p.pid for p in procs}
                    for p in psutil.process_iter(["cmdline"]):
                        if p.pid not in seen and "ray" in " ".join((p.info["cmdline"] or [])[:2]):
                            procs.append(p)
                rss = pss = 0
                for p in procs:
                    try:
                        m = p.memory_full_info()
                    except Exception:
                        continue
                    rss += m.rss
                    pss += getattr(m, "pss", m.rss)
                self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            except Exception:
                pass
            time.sleep(0.5)

    def __enter__(self):
        self.t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.t.join()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1)
    ap.add_argument("--engine", default="local")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--encoder", default="use-m")
    ap.add_argument("--keep", type=Path, help="build the crawl and the output here instead of a temp folder")
    ap.add_argument("--cluster", action="store_true",
                    help="ray: start a local cluster (`ray start --head`, 2 CPUs) before the clock and join it "
                         "with --address, as a job on an existing cluster runs; without it the job starts Ray itself")
    a = ap.parse_args()
    address = None
    if a.cluster:
        import subprocess

        subprocess.run(["ray", "start", "--head", "--num-cpus", str(max(2, a.workers)), "--include-dashboard=false",
                        "--disable-usage-stats"], check=True, capture_output=True)
        address = "auto"
        print("ray: joined a local cluster started before the clock (ray start --head)")
    root = a.keep or Path(tempfile.mkdtemp(prefix="zhen-crawl-"))
    info = crawl.build(root / "crawl", size=a.size)
    print("crawl:", info)
    os.environ["ZHEN_CACHE_DIR"] = str(root / "cache")   # cold cache
    from zhen.jobs.corpus import run_corpus

    t0 = time.perf_counter()
    with PeakRSS(cluster=a.cluster) as rss:
        res = run_corpus(root / "out", zh_dir=str(root / "crawl" / "zh"), en_dir=str(root / "crawl" / "en"),
                         presplit=True, engine=a.engine, workers=a.workers, encoder=a.encoder, address=address)
    dt = time.perf_counter() - t0
    if a.cluster:
        import ray

        ray.shutdown()
        subprocess.run(["ray", "stop"], check=False, capture_output=True)
    truth = {(r["zh"], r["en"]) for r in csv.DictReader(open(root / "crawl" / "truth.csv", encoding="utf-8"))}
    got = {(Path(r["zh"]).name, Path(r["en"]).name): float(r["confidence"])
           for r in csv.DictReader(open(root / "out" / "doc_pairs.csv", encoding="utf-8")) if r["zh"] and r["en"]}
    tp = len(set(got) & truth)
    wrong = [c for k, c in got.items() if k not in truth]
    print(f"doc pairs: {len(got)} found, {len(truth)} true, precision {tp / max(1, len(got)):.4f} "
          f"recall {tp / max(1, len(truth)):.4f}; max confidence of a wrong pair "
          f"{max(wrong) if wrong else 0.0:.4f}; lowest confidence of a true pair "
          f"{min([c for k, c in got.items() if k in truth] or [0]):.4f}")
    # Before the threshold: the best confidence any wrong candidate pair would get.
    import numpy as np

    from zhen.align.docpairs import pair_documents
    from zhen.jobs.corpus import embed_document

    zs = sorted(str(p) for p in (root / "crawl" / "zh").iterdir())
    es = sorted(str(p) for p in (root / "crawl" / "en").iterdir())
    info = {p: embed_document(p, str(root / "out" / ".state"), a.encoder, True, None, 4) for p in zs + es}
    every = pair_documents([np.load(info[p].emb).astype(np.float32) for p in zs],
                           [np.load(info[p].emb).astype(np.float32) for p in es],
                           zh_docvecs=np.stack([info[p].vector for p in zs]),
                           en_docvecs=np.stack([info[p].vector for p in es]), min_confidence=0.0)
    wrong_all = [d.confidence for d in every if (Path(zs[d.zh]).name, Path(es[d.en]).name) not in truth]
    print(f"before the 0.5 threshold: {len(wrong_all)} wrong candidate pairs in the assignment, highest "
          f"confidence {max(wrong_all or [0.0]):.4f}")
    print(f"throughput: {res.sentences} sentences in {dt:.1f} s = {res.sentences / dt:.0f} sentences/s "
          f"(cold cache, {a.engine}, {a.workers} workers, {a.encoder}); peak memory of the process tree: "
          f"PSS {rss.peak_pss / 2**20:.0f} MB (RSS summed {rss.peak / 2**20:.0f} MB)")
    if a.size == 1:
        sentence_f1(root, a.encoder)


def sentence_f1(root: Path, encoder: str) -> None:
    """Exact-bead F1 inside the gold pairs: corpus output vs `zhen align --presplit` on the same files."""
    import polars as pl

    from zhen.align.evaluate import score_all, read_gold
    from zhen.align.types import Bead
    from zhen.jobs.align import align_files

    frame = pl.read_parquet(root / "out" / "parts" / "*.parquet")
    f_corpus, f_align = [], []
    for g in sorted((root / "crawl" / "gold").glob("*.align")):
        zname = g.name[: -len(".align")]
        rows = frame.filter(pl.col("zh_path").str.ends_with(zname))
        if rows.is_empty():
            continue
        en_path = rows["en_path"][0]
        gold = read_gold(g)
        mine = [Bead(tuple(z), tuple(e), s) for z, e, s in zip(rows["zh_ids"], rows["en_ids"], rows["score"])]
        ref = [p.bead for p in align_files([rows["zh_path"][0], en_path], presplit=True, encoder=encoder).pairs]
        f_corpus.append(score_all(gold, mine)["f1_strict"])
        f_align.append(score_all(gold, ref)["f1_strict"])
    if f_corpus:
        print(f"sentence F1 (strict, mean over {len(f_corpus)} gold pairs): corpus {sum(f_corpus) / len(f_corpus):.4f} "
              f"vs zhen align {sum(f_align) / len(f_align):.4f}")


if __name__ == "__main__":
    main()
