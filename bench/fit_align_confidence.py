"""Fit the document-level step of the aligner's bead confidence and report it on held-out documents.

    python bench/fit_align_confidence.py [--cache] [--write]

A bead's confidence starts as a logistic of its margin over the best local alternative (Platt
constants fitted on Champollion). That alone over-trusts beads of loose translations: a margin
that is safe in a Hansard is not in a novel. The second step adds the document's own level, the
mean logit of all its beads: ``logistic(a * logit(c) + b * mean + k)``
(:func:`zhen.align.aligner.document_calibrated`), fitted by logistic regression on the
development documents (MAC-dev's six chapters and the seven Champollion documents, default
settings, USE-m).

Every figure printed is on documents the fit did not see: leave one corpus out (fitted on
Champollion, reported on MAC-dev, and the reverse; pooled) and leave one document out over all
thirteen. The target (issue 13): of the beads with confidence >= 0.9, >= 97% exactly right.
``--write`` stores the constants fitted on all thirteen in align/aligner.py.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np

import bench_mac as bm  # noqa: E402  (bench/ is on sys.path when run as a script)
from zhen.align.aligner import bead_logits, document_level
from zhen.align.encoders import get_encoder

ROOT = Path(__file__).resolve().parents[1]


def features(conf: np.ndarray) -> np.ndarray:
    """[logit, the document's (shrunk) mean logit, 1] per bead, as document_calibrated reads them."""
    lg = bead_logits(conf)
    return np.column_stack([lg, np.full_like(lg, document_level(lg)), np.ones_like(lg)])


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    """Logistic regression by Newton's method (a tiny ridge keeps it defined on separable data)."""
    w = np.zeros(X.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -50, 50)))
        g = X.T @ (p - y) + l2 * w
        H = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def at_09(p: np.ndarray, y: np.ndarray) -> str:
    hi = p >= 0.9
    return f"{y[hi].mean():.3f} of {hi.sum()} beads ({hi.mean():.0%} of all)"


def reliability(p: np.ndarray, y: np.ndarray, bins=(0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)) -> list[str]:
    rows = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            rows.append(f"  [{lo:.2f}, {min(hi, 1.0):.2f})  n={sel.sum():5d}  mean conf {p[sel].mean():.3f}  accuracy {y[sel].mean():.3f}")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", action="store_true", help="use the on-disk embedding cache")
    ap.add_argument("--write", action="store_true", help="store the constants fitted on all documents")
    a = ap.parse_args()
    enc = get_encoder("use-m", cache=a.cache)
    docs = bm.load_mac(enc) + bm.load_champollion(enc)
    data = {}
    for d in docs:
        beads = d.align({"doc_calibration": None})
        gold = {(b.src, b.tgt) for b in d.gold}
        conf = np.array([b.score for b in beads])
        data[d.name] = (features(conf), np.array([(b.src, b.tgt) in gold for b in beads], float), conf)
    names = list(data)
    mac = [n for n in names if n.startswith("mac:")]
    champ = [n for n in names if n.startswith("champ:")]

    def stack(ns):
        return np.vstack([data[n][0] for n in ns]), np.concatenate([data[n][1] for n in ns])

    def predict(w, ns):
        X, y = stack(ns)
        return 1 / (1 + np.exp(-np.clip(X @ w, -50, 50))), y

    y_all = np.concatenate([data[n][1] for n in mac + champ])
    c_all = np.concatenate([data[n][2] for n in mac + champ])
    print("margin calibration alone (Platt on Champollion; MAC-dev held out):")
    print(f"  MAC-dev at >= 0.9: {at_09(np.concatenate([data[n][2] for n in mac]), stack(mac)[1])}")
    print(f"  Champollion at >= 0.9 (tuned on): {at_09(np.concatenate([data[n][2] for n in champ]), stack(champ)[1])}")
    print(f"  all thirteen: {at_09(c_all, y_all)}")

    w_ch, w_mac = fit(*stack(champ)), fit(*stack(mac))
    p_m, y_m = predict(w_ch, mac)
    p_c, y_c = predict(w_mac, champ)
    print("\nwith the document's level, leave one corpus out:")
    print(f"  fitted on Champollion, MAC-dev at >= 0.9: {at_09(p_m, y_m)}")
    print(f"  fitted on MAC-dev, Champollion at >= 0.9: {at_09(p_c, y_c)}")
    print(f"  pooled: {at_09(np.r_[p_m, p_c], np.r_[y_m, y_c])}")
    ps, ys = [], []
    for n in names:
        w = fit(*stack([m for m in names if m != n]))
        p, y = predict(w, [n])
        ps.append(p)
        ys.append(y)
    p_lodo, y_lodo = np.concatenate(ps), np.concatenate(ys)
    print(f"leave one document out (13): at >= 0.9 {at_09(p_lodo, y_lodo)}; Brier {np.mean((p_lodo - y_lodo) ** 2):.4f} "
          f"(margin alone {np.mean((c_all - y_all) ** 2):.4f})")
    print("reliability, leave one document out:")
    print("\n".join(reliability(p_lodo, y_lodo)))

    w = fit(*stack(names))
    const = f"DOC_CALIBRATION = ({w[0]:.4f}, {w[1]:.4f}, {w[2]:.4f})"
    print(f"\nfitted on all thirteen: {const}")
    if a.write:
        path = ROOT / "align" / "aligner.py"
        text = path.read_text("utf-8")
        text, n = re.subn(r"^DOC_CALIBRATION = \(.*\)$", const, text, count=1, flags=re.M)
        assert n == 1
        path.write_text(text, "utf-8")
        print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
