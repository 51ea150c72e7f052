"""Benchmark the aligner on the Bertalign Bible set (5,000 English / 6,301 Chinese sentences).

    python bench/bench_bible.py --encoder use-m

English is the source side. Predicted beads are merged inside verses before scoring (the gold is
per verse; Bertalign ``eval_bible.py`` protocol). Also aligns the first 1,000 English sentences
against the matching Chinese range (same verses) to show how time grows with length.
Prints strict/lax P/R/F1, exact-bead F1, null-bead recall, time (read / embed / align) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from zhen.align.aligner import MAX_FAN, MAX_SIDE, align_segments  # noqa: E402
from zhen.align.encoders import encode_spans, get_encoder  # noqa: E402
from _common import Precomputed, peak_mb, read_lines  # noqa: E402  (bench/ is on sys.path when run as a script)
from zhen.align.evaluate import merge_beads_by_verse, read_gold, read_verses, score_all  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "eval" / "bible" / "data" / "bible"


def run(enc, en, zh, params, max_span):
    t0 = time.perf_counter()
    xs = encode_spans(enc, en, max_span, " ")
    ys = encode_spans(enc, zh, max_span, "")
    t1 = time.perf_counter()
    pre = Precomputed(enc, {tuple(en): xs, tuple(zh): ys})
    pred = align_segments(en, zh, encoder=pre, **params)
    t2 = time.perf_counter()
    return pred, t1 - t0, t2 - t1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use-m")
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--cache", action="store_true")
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--params", default="{}", help="JSON dict of align_segments keyword overrides")
    ap.add_argument("--subset", type=int, default=1000, help="English sentences in the growth test (0: skip)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    params = json.loads(args.params)
    max_span = max(params.get("max_side", MAX_SIDE), params.get("max_fan", MAX_FAN))
    enc = get_encoder(args.encoder, cache=args.cache or args.cache_dir is not None, cache_dir=args.cache_dir)

    t0 = time.perf_counter()
    en = read_lines(args.data / "en" / "001")
    zh = read_lines(args.data / "zh" / "001")
    ev, zv = read_verses(args.data / "en.verse"), read_verses(args.data / "zh.verse")
    gold = read_gold(args.data / "gold" / "001.align", len(en), len(zh))
    t_read = time.perf_counter() - t0
    res = {}

    if args.subset:
        k = args.subset
        last_verse = ev[k - 1]
        zk = max(j for j, v in enumerate(zv) if v == last_verse) + 1
        pred, te, ta = run(enc, en[:k], zh[:zk], params, max_span)
        sub_gold = [b for b in gold if (b.src and b.src[-1] < k) or (not b.src and b.tgt[-1] < zk)]
        r = score_all(sub_gold, merge_beads_by_verse(pred, ev, zv))
        print(f"first {k} en / {zk} zh: strict F1 {r['f1_strict']:.3f}  embed {te:.2f}s  align {ta:.2f}s  "
              f"total {te + ta:.2f}s")
        res["subset"] = {"n_en": k, "n_zh": zk, "embed": te, "align": ta, **r}

    pred, te, ta = run(enc, en, zh, params, max_span)
    merged = merge_beads_by_verse(pred, ev, zv)
    r = score_all(gold, merged)
    print(f"all {len(en)} en / {len(zh)} zh: strict P/R/F1 {r['precision_strict']:.3f}/{r['recall_strict']:.3f}/"
          f"{r['f1_strict']:.3f}  lax P/R/F1 {r['precision_lax']:.3f}/{r['recall_lax']:.3f}/{r['f1_lax']:.3f}  "
          f"exact F1 {r['f1_exact']:.3f}  null R {r['null_recall']:.2f} ({r['n_null_gold']})")
    print(f"read {t_read:.2f}s  embed {te:.2f}s  align {ta:.2f}s  total {t_read + te + ta:.2f}s")
    if args.subset:
        s = res["subset"]
        ratio = (te + ta) / (s["embed"] + s["align"])
        print(f"growth: {len(en) / s['n_en']:.1f}x sentences -> {ratio:.1f}x time (embed {te / s['embed']:.1f}x, "
              f"align {ta / s['align']:.1f}x)")
    print(f"encoder {args.encoder}  cache {'on' if args.cache or args.cache_dir else 'off'}  peak RSS {peak_mb():.0f} MB")
    if args.json:
        res["all"] = {"embed": te, "align": ta, "read": t_read, **r}
        res["peak_rss_mb"] = peak_mb()
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
