"""Glossary build time and memory at corpus scale: 1,000 and 20,000 aligned pairs.

    python bench/bench_glossary_scale.py              # 1,000 then 20,000 pairs, one process each
    python bench/bench_glossary_scale.py --pairs 5000

The pairs are real aligned text from ../shared/eval under their gold alignments: the seven
Champollion documents, the Bible and the MAC development chapters (about 10,000 beads). Past
that, two (then three) neighbouring beads joined make a further distinct pair (real text, a few
sentences long), so 20,000 pairs are 20,000 distinct texts — the builder drops repeated texts, and copies
would measure nothing. Each size runs in a fresh process, so its peak RSS is its own.
Prints build seconds (resources loaded beforehand), entries and peak RSS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def eval_pairs(shared: Path):
    from _common import read_lines
    from zhen.align.evaluate import read_gold
    from zhen.align.formats import AlignedPair
    from zhen.glossary.pairs import pairs_from_gold_align

    out = []
    champ = shared / "eval" / "champollion" / "eval"
    for gold in sorted(champ.glob("*.gold.align")):
        doc = gold.name[:-len(".gold.align")]
        for en, zh in ((f"{doc}e.txt", f"{doc}c.txt"), (f"{doc}.e.txt", f"{doc}.c.txt")):
            if (champ / en).exists():
                out += pairs_from_gold_align(champ / en, champ / zh, gold, doc=doc)
    bible = shared / "eval" / "bible" / "data" / "bible"
    en, zh = read_lines(bible / "en" / "001"), read_lines(bible / "zh" / "001")
    for b in read_gold(bible / "gold" / "001.align"):  # English is the source side here
        out.append(AlignedPair(tuple(b.tgt), tuple(b.src), "".join(zh[i] for i in b.tgt), " ".join(en[i] for i in b.src), doc="bible"))
    mac = shared / "eval" / "mac-dev"
    for g in sorted((mac / "gold").glob("*.align")):
        zh, en = read_lines(mac / "zh" / g.stem), read_lines(mac / "en" / g.stem)
        for b in read_gold(g):
            out.append(AlignedPair(tuple(b.src), tuple(b.tgt), "".join(zh[i] for i in b.src), " ".join(en[i] for i in b.tgt), doc=f"mac{g.stem}"))
    return [p for p in out if p.src_text and p.tgt_text]


def sized(pairs, n: int):
    from zhen.align.formats import AlignedPair

    out = list(pairs[:n])
    for width in (2, 3, 4):
        for k in range(len(pairs) - width + 1):
            if len(out) >= n:
                return out
            run = pairs[k:k + width]
            if len({p.doc for p in run}) == 1:
                out.append(AlignedPair(sum((p.src_ids for p in run), ()), sum((p.tgt_ids for p in run), ()),
                                       "".join(p.src_text for p in run), " ".join(p.tgt_text for p in run), doc=run[0].doc))
    return out


def one(n: int, shared: Path) -> None:
    from _common import peak_mb
    from zhen.corpora.zhtext import ZhTokenizer
    from zhen.glossary.build import build_glossary
    from zhen.glossary.lexicon import load_cedict

    pairs = sized(eval_pairs(shared), n)
    load_cedict()
    ZhTokenizer().tokenize("預熱")
    t = time.perf_counter()
    g = build_glossary(pairs)
    dt = time.perf_counter() - t
    print(f"{len(pairs):6d} pairs: build {dt:6.1f} s, {len(g)} entries, peak RSS {peak_mb():.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, action="append", help="sizes (default 1000 and 20000)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), type=Path)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.one, args.shared)
        return
    for n in args.pairs or [1000, 20000]:
        subprocess.run([sys.executable, __file__, "--one", str(n), "--shared", str(args.shared)], check=True)


if __name__ == "__main__":
    main()
