"""A sample of glossary entries for a blind judge, and the tally of what a judge said.

    python bench/sample_glossary_for_judging.py --out /tmp/judge 890621f UN19990209_010 198706005
    python bench/sample_glossary_for_judging.py --tally bench/judged/*.tsv

The first form builds the glossary of each Champollion document (gold sentence pairs, the
default settings) and writes 30 entries with one example sentence per language, for a reader who
did not write the tool to label correct / partial / wrong / not a term. The 30 are those with the
smallest hash of seed and pair, so a rebuild that changes a few entries keeps the rest of the
sample and the labels already given stay valid. The second form counts the labels of judged
files (``label`` column). The three documents above were never used to fit or tune anything;
bench/judged/ holds the labels of 2026-12-03 and 2026-12-04 (rows new to the sample are
labelled by a new blind helper).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def sample(docs: list[str], out: Path, shared: Path, n: int, seed: int) -> None:
    from bench_glossary_reference import pairs_for, sources_for
    from zhen.glossary.build import build_glossary

    out.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        src = f"champollion:{doc}"
        pairs = [p for p in pairs_for(src, shared) if p.src_text and p.tgt_text]
        entries = list(build_glossary(pairs, sources=sources_for(src)))
        # The entries whose keyed hash is smallest: a change elsewhere in the glossary leaves the
        # rest of the sample as it was, so labels already given are reused, not redrawn.
        picked = sorted(entries, key=lambda e: hashlib.sha256(f"{seed}\t{e.zh}\t{e.en}".encode()).hexdigest())
        with open(out / f"{doc}.tsv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter="\t")
            w.writerow(["n", "zh", "en", "en_variants", "zh_variants", "example_zh", "example_en"])
            for k, e in enumerate(picked[:n], 1):
                w.writerow([k, e.zh, e.en, "; ".join(v.text for v in e.en_variants),
                            "; ".join(v.text for v in e.zh_variants), e.zh_context[:200], e.en_context[:200]])
        print(f"{doc}: {len(pairs)} pairs, {len(entries)} entries, {min(n, len(entries))} sampled -> {out / (doc + '.tsv')}")


def tally(paths: list[Path]) -> None:
    total: Counter = Counter()
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            c = Counter(r["label"].strip() for r in csv.DictReader(f, delimiter="\t"))
        total += c
        print(f"{p.stem}: {sum(c.values())} judged  " + "  ".join(f"{k} {v} ({v / sum(c.values()):.0%})" for k, v in sorted(c.items())))
    n = sum(total.values())
    print(f"all: {n} judged  " + "  ".join(f"{k} {v} ({v / n:.0%})" for k, v in sorted(total.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", nargs="+", help="Champollion document ids, or judged files with --tally")
    ap.add_argument("--out", type=Path, default=Path("judge-sample"))
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), type=Path)
    ap.add_argument("--tally", action="store_true")
    args = ap.parse_args()
    if args.tally:
        tally([Path(d) for d in args.docs])
    else:
        sample(args.docs, args.out, args.shared, args.n, args.seed)


if __name__ == "__main__":
    main()
