"""Fit the glossary's score (``glossary/scoring.py``) on the development documents and choose
its cut-off; print what the fit does on a document it did not see.

    python bench/fit_glossary_score.py            # leave-one-document-out figures only
    python bench/fit_glossary_score.py --write    # also write glossary/score_model.py

Development documents: the deck (with the bundled one-language sources), Hansard 921008f,
Sinorama 200110006 and UN19930101_020, each with a reference list written by reading the source
(``tests/data/reference``). A candidate is a positive when its two sides
match one reference row. Hansard 930422f is never read here: it is the held-out document
(``bench_glossary_reference.py`` reports it).

For each document the script fits on the other three and prints recall and the share of
output entries that match a reference row ("reference precision": a lower bound on precision,
since a list omits some good entries) at each cut-off; then it fits on both and, with
``--write``, stores the coefficients and the lowest cut-off at which the development output
maximises pooled F0.5 (precision first) among those keeping ``--precision``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_glossary_reference import (  # noqa: E402
    _en_key, _split, _zh_key, pairs_for, read_reference, score, sources_for,
)

DEV = (("deck", "deck-terms.tsv"), ("champollion:921008f", "hansard-921008f-terms.tsv"),
       ("champollion:200110006", "sinorama-200110006-terms.tsv"), ("champollion:UN19930101_020", "un-19930101_020-terms.tsv"))


def candidates(source: str, reference: list[dict], shared: Path):
    """(builder, [(candidate, features, label)]) for one document, after the unithood filters."""
    from zhen.corpora.zhtext import to_simplified
    from zhen.glossary import build as B
    from zhen.glossary.lexicon import load_cedict

    pairs = [p for p in pairs_for(source, shared) if p.src_text and p.tgt_text]
    b = B.gather_evidence(pairs, load_cedict(), sources_for(source))
    rows = []
    keys = []
    for r in reference:
        zks = {_zh_key(to_simplified(t)) for t in [r["zh"], *_split(r.get("zh_variants", ""))]}
        eks = {_en_key(t) for t in [r["en"], *_split(r.get("en_variants", ""))]}
        keys.append((zks, eks))
    occ = B._Occurrences(b.pairs)
    b._min_score = 0.0  # every candidate may cover a nested one while fitting
    for c in b.cands.values():
        if b._general_word(c) or b.reject_reason(c, occ):
            continue
        zk, ek = _zh_key(to_simplified(c.zh)), _en_key(c.en)
        label = int(any(zk in zks and ek in eks for zks, eks in keys))
        rows.append((c, b.features(c), label))
    return b, rows


def set_model(bias: float, coef: dict[str, float], threshold: float) -> None:
    from zhen.glossary import score_model

    score_model.BIAS, score_model.COEF, score_model.THRESHOLD = bias, coef, threshold


def evaluate(source: str, reference: list[dict], shared: Path, cuts: list[float]) -> list[tuple[float, float, float, int]]:
    """(cut, recall, reference precision, entries) of the built glossary at each cut-off."""
    from zhen.glossary.build import build_glossary

    g = build_glossary(pairs_for(source, shared), min_score=min(cuts), sources=sources_for(source))
    out = []
    for cut in cuts:
        kept = [e for e in g if e.score >= cut]
        found, _missed, matched = score(reference, kept)
        out.append((cut, len(found) / len(reference), len(matched) / max(1, len(kept)), len(kept)))
    return out


def main() -> None:
    from zhen.glossary.scoring import fit_logistic

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), type=Path)
    ap.add_argument("--precision", type=float, default=0.5, help="least pooled reference precision at the cut-off")
    ap.add_argument("--beta", type=float, default=0.5, help="the cut-off maximises pooled F-beta (0.5: precision first)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    refs = {src: read_reference(ROOT / "tests" / "data" / "reference" / name) for src, name in DEV}
    cuts = [round(0.1 + 0.02 * k, 2) for k in range(41)]
    data = {src: candidates(src, refs[src], args.shared)[1] for src, _ in DEV}
    for src, rows in data.items():
        print(f"{src}: {len(rows)} candidates, {sum(r[2] for r in rows)} positive")
    for held, _ in DEV:
        train = [r for src, rows in data.items() if src != held for r in rows]
        bias, coef = fit_logistic([r[1] for r in train], [r[2] for r in train], l2=args.l2)
        set_model(bias, coef, 0.5)
        print(f"\nfitted without {held}; on {held} (not seen):")
        for cut, rec, prec, n in evaluate(held, refs[held], args.shared, cuts):
            print(f"  cut {cut:.2f}: recall {rec:.3f}  reference precision {prec:.3f}  entries {n}")

    rows = [r for rs in data.values() for r in rs]
    bias, coef = fit_logistic([r[1] for r in rows], [r[2] for r in rows], l2=args.l2)
    set_model(bias, coef, 0.5)
    print("\nfitted on both (tuned-on figures):")
    per = {src: evaluate(src, refs[src], args.shared, cuts) for src, _ in DEV}
    fs: list[tuple[float, float]] = []
    total = sum(len(r) for r in refs.values())
    for k, cut in enumerate(cuts):
        found = sum(per[s][k][1] * len(refs[s]) for s in per)
        n = sum(per[s][k][3] for s in per)
        matched = sum(per[s][k][2] * per[s][k][3] for s in per)
        prec, rec = matched / max(1, n), found / total
        b2 = args.beta ** 2
        f = (1 + b2) * prec * rec / max(1e-9, b2 * prec + rec)
        print(f"  cut {cut:.2f}: " + "  ".join(f"{s} R {per[s][k][1]:.3f} P {per[s][k][2]:.3f} n {per[s][k][3]}" for s in per)
              + f"  | pooled R {rec:.3f} P {prec:.3f} F{args.beta:g} {f:.3f}")
        if prec >= args.precision:
            fs.append((cut, f))
    # The curve is flat near its top: the lowest cut-off within 0.005 of the best F keeps the
    # recall that the last hundredth of F would cost (the "one standard error" habit).
    best = max((f for _, f in fs), default=0.0)
    chosen = min((c for c, f in fs if f >= best - 0.005), default=cuts[-1])
    print(f"\ncoefficients: bias {bias:.3f} " + " ".join(f"{k} {v:+.2f}" for k, v in coef.items()))
    print(f"cut-off (lowest within 0.005 of the best pooled F{args.beta:g} {best:.3f}, reference precision >= {args.precision}): {chosen}")
    if args.write:
        path = ROOT / "glossary" / "score_model.py"
        body = ",\n".join(f"    {k!r}: {v!r}" for k, v in coef.items())
        path.write_text(
            '"""Coefficients of :func:`zhen.glossary.scoring.probability`. Written by\n'
            '``bench/fit_glossary_score.py --write`` (do not edit by hand; rerun it)."""\n\n'
            f"BIAS = {round(bias, 4)!r}\nCOEF: dict[str, float] = {{\n{body},\n}}\n"
            f"#: The cut-off: the lowest within 0.005 of the best F{args.beta:g} of reference recall and\n"
            f"#: precision pooled over the four development documents (reference precision >= {args.precision}).\n"
            f"THRESHOLD = {chosen!r}\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
