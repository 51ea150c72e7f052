"""Glossary build benchmark: the slide deck (every pair it finds) and the aligned HK Hansards.

    python bench/bench_glossary.py            # deck + Champollion Hansards (gold alignment)
    python bench/bench_glossary.py --encoder use-m   # with embedding evidence

Prints to stdout (a bench script, not the library).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", default=None, help="align.encoders spec, e.g. use-m (optional)")
    ap.add_argument("--min-score", type=float, default=None)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()

    from zhen.glossary.build import DEFAULT_MIN_SCORE, build_glossary
    from zhen.glossary.lexicon import load_cedict
    from zhen.glossary.pairs import pairs_from_champollion, pairs_from_deck

    min_score = args.min_score if args.min_score is not None else DEFAULT_MIN_SCORE
    encoder = None
    if args.encoder:
        from zhen.align.encoders import get_encoder

        t = time.perf_counter()
        encoder = get_encoder(args.encoder)
        encoder.encode(["warm up"])
        print(f"encoder {args.encoder} loaded in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    load_cedict()
    from zhen.corpora.zhtext import ZhTokenizer
    ZhTokenizer().tokenize("預熱")
    print(f"resources (CC-CEDICT, jieba, OpenCC) loaded in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    pairs = pairs_from_deck()
    g = build_glossary(pairs, min_score=min_score, encoder=encoder)
    dt = time.perf_counter() - t
    print(f"\ndeck: {len(pairs)} aligned pairs -> {len(g)} entries in {dt:.2f} s (min_score {min_score})")
    for e in g:
        variants = [f"{t.text}{{{t.type}}}" for t in (*e.en_variants, *e.zh_variants)]
        print(f"  {e.score:.3f}  {e.zh} <-> {e.en}" + (f"   [{', '.join(variants)}]" if variants else ""))

    eval_dir = Path(args.shared) / "eval" / "champollion" / "eval"
    if not eval_dir.exists():
        print(f"\n(no {eval_dir}: Hansard benchmark skipped)")
        return
    t = time.perf_counter()
    hpairs = pairs_from_champollion(eval_dir)
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    h = build_glossary(hpairs, min_score=min_score, encoder=encoder)
    dt = time.perf_counter() - t
    print(f"\nHansards 890621f+921008f+930422f: {len(hpairs)} aligned pairs (read in {t_read:.2f} s) -> "
          f"{len(h)} entries in {dt:.2f} s")
    for e in h.entries[:40]:
        print(f"  {e.score:.3f}  {e.zh} <-> {e.en}   (freq {e.frequency})")


if __name__ == "__main__":
    main()
