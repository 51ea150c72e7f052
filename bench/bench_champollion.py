"""Benchmark the aligner on the LDC Champollion zh-en evaluation set (7 hand-aligned documents).

    python bench/bench_champollion.py --encoder use-m            # cold: no cache
    python bench/bench_champollion.py --encoder use-m --cache    # warm after one run

Prints per document and pooled: Vecalign strict/lax P/R/F1, exact-bead F1 with null beads,
null-bead and many-to-many recall, time split (read / embed / align) and peak RSS.
English is the source side (the gold's left column).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from zhen.align.aligner import MAX_FAN, MAX_SIDE, align_segments  # noqa: E402
from zhen.align.encoders import encode_spans, get_encoder  # noqa: E402
from _common import Precomputed  # noqa: E402  (bench/ is on sys.path when run as a script)
from zhen.align.evaluate import read_gold, score_all  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "eval" / "champollion" / "eval"
DOCS = ["198706005", "200110006", "890621f", "921008f", "930422f", "UN19930101_020", "UN19990209_010"]
HANSARDS = ["890621f", "921008f", "930422f"]
# Chinese files are GB2312/GB18030; English is ASCII except these two (see the corpus README).
EN_ENCODING = {"890621f": "utf-8", "UN19930101_020": "gb18030"}


def doc_paths(d: Path, doc: str) -> tuple[Path, Path, Path]:
    if doc.endswith("f"):
        return d / f"{doc}e.txt", d / f"{doc}c.txt", d / f"{doc}.gold.align"
    return d / f"{doc}.e.txt", d / f"{doc}.c.txt", d / f"{doc}.gold.align"


def read_lines(path: Path, encoding: str) -> list[str]:
    text = path.read_bytes().decode(encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r").strip() for line in lines]


def load_doc(d: Path, doc: str):
    e, c, g = doc_paths(d, doc)
    en = read_lines(e, EN_ENCODING.get(doc, "ascii"))
    zh = read_lines(c, "gb18030")
    gold = read_gold(g, len(en), len(zh))
    return en, zh, gold


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fmt(name: str, r: dict, t: dict | None = None) -> str:
    s = (f"{name:<16} strict P/R/F1 {r['precision_strict']:.3f}/{r['recall_strict']:.3f}/{r['f1_strict']:.3f}"
         f"  lax F1 {r['f1_lax']:.3f}  exact F1 {r['f1_exact']:.3f}"
         f"  null R {r['null_recall']:.2f} ({r['n_null_gold']})  many R {r['many_recall']:.2f} ({r['n_many_gold']})")
    if t:
        s += f"  read {t['read']:.2f}s embed {t['embed']:.2f}s align {t['align']:.2f}s"
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use-m")
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--cache", action="store_true", help="use the on-disk embedding cache")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--docs", nargs="*", default=DOCS)
    ap.add_argument("--params", default="{}", help="JSON dict of align_segments keyword overrides")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    params = json.loads(args.params)

    enc = get_encoder(args.encoder, cache=args.cache or args.cache_dir is not None, cache_dir=args.cache_dir)
    max_span = max(params.get("max_side", MAX_SIDE), params.get("max_fan", MAX_FAN))
    t_start = time.perf_counter()
    golds, preds, per_doc = [], [], {}
    tot = {"read": 0.0, "embed": 0.0, "align": 0.0}
    for doc in args.docs:
        t0 = time.perf_counter()
        en, zh, gold = load_doc(args.data, doc)
        t1 = time.perf_counter()
        # embed up front (the aligner would do it too) so that embed and align times separate
        xs = encode_spans(enc, en, max_span, " ")
        ys = encode_spans(enc, zh, max_span, "")
        t2 = time.perf_counter()
        pre = Precomputed(enc, {tuple(en): xs, tuple(zh): ys})
        pred = align_segments(en, zh, encoder=pre, **params)
        t3 = time.perf_counter()
        t = {"read": t1 - t0, "embed": t2 - t1, "align": t3 - t2}
        for k in tot:
            tot[k] += t[k]
        r = score_all(gold, pred)
        per_doc[doc] = {**r, **t}
        golds.append(gold)
        preds.append(pred)
        print(fmt(doc, r, t), flush=True)
    wall = time.perf_counter() - t_start
    overall = score_all(golds, preds)
    print(fmt("OVERALL", overall, tot))
    hs = [k for k, d in enumerate(args.docs) if d in HANSARDS]
    if hs:
        print(fmt("HANSARDS", score_all([golds[k] for k in hs], [preds[k] for k in hs])))
    print(f"encoder {args.encoder}  cache {'on' if args.cache or args.cache_dir else 'off'}  wall {wall:.1f}s  "
          f"peak RSS {peak_mb():.0f} MB")
    if args.json:
        args.json.write_text(json.dumps({"overall": overall, "docs": per_doc, "wall_s": wall,
                                         "peak_rss_mb": peak_mb()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
