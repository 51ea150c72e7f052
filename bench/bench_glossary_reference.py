"""Recall of a translator's reference term list: build the glossary for one source, then look
every reference term up in it.

    python bench/bench_glossary_reference.py --reference tests/data/reference/deck-terms.tsv --source deck
    python bench/bench_glossary_reference.py --reference tests/data/reference/hansard-921008f-terms.tsv \
        --source champollion:921008f

A reference line (``zh en kind en_variants zh_variants note``, tab-separated, variants split on
``|`` or ``;``) is *found* when one output entry matches it on both sides: its zh or a zh variant
equals the entry's zh or one of its zh variants, and its en or an en variant equals the entry's
en or one of its en variants, both compared through :func:`zhen.corpora.keys.match_key` (script,
width, case, hyphens and quotes folded; spaces ignored on the Chinese side).

Prints recall, the number of output entries, every missed reference, every output entry that
matches no reference (to read: precision is judged blind by a person, never computed from this
list), build time and peak RSS. A bench script: it prints; the library never does.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_reference(path: Path) -> list[dict]:
    """The reference rows; ``#`` lines are comments. Columns after ``en`` may be missing."""
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = None
    for n, cols in enumerate(reader, 1):
        cols = [c.strip() for c in cols]
        if header is None and cols[:2] == ["zh", "en"]:
            header = cols
            continue
        if len(cols) < 2 or not cols[0] or not cols[1]:
            sys.exit(f"{path}: row {n} needs a zh and an en column: {cols!r}")
        names = header or ["zh", "en", "kind", "en_variants", "zh_variants", "note"]
        row = dict(zip(names, cols + [""] * (len(names) - len(cols))))
        rows.append(row)
    return rows


def _split(cell: str) -> list[str]:
    import re

    return [v.strip() for v in re.split(r"[|;]", cell or "") if v.strip()]


def _zh_key(text: str) -> str:
    from zhen.corpora.keys import match_key

    return match_key(text).replace(" ", "")


def _en_key(text: str) -> str:
    """English keys match with the last word singular (a list's "semiconductor chip" is the
    output's "semiconductor chips")."""
    from zhen.glossary.termhood import singular_key

    return singular_key(text)


def pairs_for(source: str, shared: Path):
    from zhen.glossary.pairs import pairs_from_deck, pairs_from_gold_align

    if source == "deck":
        return pairs_from_deck()
    if source.startswith("champollion:"):
        doc = source.split(":", 1)[1]
        d = shared / "eval" / "champollion" / "eval"
        for en, zh in ((f"{doc}e.txt", f"{doc}c.txt"), (f"{doc}.e.txt", f"{doc}.c.txt")):
            if (d / en).exists():
                return pairs_from_gold_align(d / en, d / zh, d / f"{doc}.gold.align", doc=doc)
        sys.exit(f"no Champollion document {doc!r} under {d}")
    sys.exit(f"--source must be deck or champollion:DOCID, not {source!r}")


def sources_for(source: str) -> list[tuple[str, str, str]]:
    """The one-language documents that go with a source: the bundled corpus's for the deck (as
    ``zhen run`` gives them), none for a Champollion document."""
    from zhen.glossary.pairs import bundled_sources

    return bundled_sources() if source == "deck" else []


def score(reference: list[dict], glossary) -> tuple[list[dict], list[dict], set[str]]:
    """(found rows, missed rows, concept ids of entries that matched some row)."""
    index_zh: dict[str, set[str]] = {}
    en_keys: dict[str, set[str]] = {}
    for e in glossary:
        for t in e.terms("zh"):
            index_zh.setdefault(_zh_key(t), set()).add(e.concept_id)
        en_keys[e.concept_id] = {_en_key(t) for t in e.terms("en")}
    found, missed, matched = [], [], set()
    for row in reference:
        zks = {_zh_key(t) for t in [row["zh"], *_split(row.get("zh_variants", ""))]}
        eks = {_en_key(t) for t in [row["en"], *_split(row.get("en_variants", ""))]}
        hits = {cid for k in zks for cid in index_zh.get(k, ()) if en_keys[cid] & eks}
        (found if hits else missed).append(row)
        matched |= hits
    return found, missed, matched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", required=True, type=Path)
    ap.add_argument("--source", required=True, help="deck | champollion:DOCID (e.g. champollion:921008f)")
    ap.add_argument("--min-score", type=float, default=None)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), type=Path)
    ap.add_argument("--quiet", action="store_true", help="figures only, no lists")
    args = ap.parse_args()

    from zhen.glossary.build import DEFAULT_MIN_SCORE, build_glossary
    from zhen.glossary.lexicon import load_cedict
    from zhen.corpora.zhtext import ZhTokenizer

    reference = read_reference(args.reference)
    t = time.perf_counter()
    load_cedict()
    ZhTokenizer().tokenize("預熱")
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    pairs = pairs_for(args.source, args.shared)
    t_pairs = time.perf_counter() - t
    min_score = args.min_score if args.min_score is not None else DEFAULT_MIN_SCORE
    t = time.perf_counter()
    g = build_glossary(pairs, min_score=min_score, sources=sources_for(args.source))
    t_build = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    found, missed, matched = score(reference, g)
    by_kind: dict[str, list[int]] = {}
    for rows, hit in ((found, 1), (missed, 0)):
        for r in rows:
            by_kind.setdefault(r.get("kind") or "-", [0, 0])
            by_kind[r.get("kind") or "-"][0] += hit
            by_kind[r.get("kind") or "-"][1] += 1
    print(f"source {args.source}: {len(pairs)} aligned pairs (made in {t_pairs:.2f} s); "
          f"resources loaded in {t_load:.2f} s")
    print(f"reference {args.reference.name}: {len(reference)} rows")
    print(f"recall {len(found)}/{len(reference)} = {len(found) / max(1, len(reference)):.3f}  "
          + "  ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(by_kind.items())))
    print(f"output {len(g)} entries (min_score {min_score}), {len(matched)} of them match a reference row")
    print(f"build {t_build:.2f} s, peak RSS {rss_mb:.0f} MB")
    if args.quiet:
        return
    print("\nmissed references:")
    for r in missed:
        print(f"  {r['zh']}\t{r['en']}\t{r.get('kind', '')}")
    print("\noutput entries not in the reference (for reading, not a precision figure):")
    for e in g:
        if e.concept_id not in matched:
            variants = [f"{t.text}{{{t.type}}}" for t in (*e.en_variants, *e.zh_variants)]
            kind = getattr(e, "kind", "")
            print(f"  {e.score:.3f}  {kind:7s} {e.zh} <-> {e.en}" + (f"   [{', '.join(variants)}]" if variants else ""))


if __name__ == "__main__":
    main()
