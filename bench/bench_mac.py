"""Benchmark the aligner on MAC-dev (6 literary chapters) with an honest tuning protocol.

    python bench/bench_mac.py                      # defaults, cross-validation, leave-one-corpus-out
    python bench/bench_mac.py --quick              # defaults only (per chapter, time, peak RSS)
    python bench/bench_mac.py --cache              # reuse the on-disk embedding cache

Chinese is the source side (the gold's left column). Prints per chapter and pooled: exact-bead
P/R/F1 (null beads counted, the Bertalign paper's figure), Vecalign strict/lax F1, time and peak
RSS with the defaults; then the protocol, where a small grid of settings is searched and every
figure is reported on documents the choice never saw:

* **cross-validation over the chapters**: for each chapter, the setting with the best pooled
  exact F1 on the other five is applied to it; the six held-out results are pooled;
* **leave one corpus out**: chosen on MAC-dev, reported on Champollion (7 documents, English
  source) and chosen on Champollion, reported on MAC-dev;
* **confidence**: a reliability diagram (bins of bead confidence against the share of beads that
  are exactly right) and the accuracy of beads with confidence >= 0.9, both on the held-out
  predictions above.

Embeddings are computed once per document (the grid only re-runs the dynamic programme).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from _common import Precomputed, peak_mb, read_lines  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_champollion import DEFAULT_DIR as CHAMP_DIR, DOCS as CHAMP_DOCS, load_doc  # noqa: E402
from zhen.align.aligner import MAX_SPAN, align_segments  # noqa: E402
from zhen.align.encoders import encode_spans, get_encoder  # noqa: E402
from zhen.align.evaluate import read_gold, score_all  # noqa: E402

MAC_DIR = ROOT.parent / "shared" / "eval" / "mac-dev"
CHAPTERS = ["001", "002", "003", "004", "005", "006"]

# The grid the protocol searches: kept small so that the whole protocol runs in minutes on two
# cores. Every other setting stays at its default.
# Each addition's weight is searched with its value 0 (off) included, so the protocol itself
# decides, on held-out documents, whether the addition is kept.
GRID = {
    "many_penalty": [0.0, 0.25, 0.5],
    "lexical_weight": [0.0, 0.15],
    "quote_weight": [0.0, 1.0],
    "max_fan": [4, 6],
}
# Sub-grids for measuring each addition alone (cross-validated on MAC-dev, held out on
# Champollion): the setting is chosen inside the sub-grid only.
ABLATIONS = {
    "neither": {"lexical_weight": 0.0, "quote_weight": 0.0},
    "lexical only": {"quote_weight": 0.0},
    "quotes only": {"lexical_weight": 0.0},
    "both": {},
}


class Doc:
    """One document: source/target sentences, gold beads and its span embeddings (computed once)."""

    def __init__(self, name: str, src: list[str], tgt: list[str], gold, enc, max_span: int = MAX_SPAN):
        self.name, self.src, self.tgt, self.gold = name, src, tgt, gold
        s_join = "" if name.startswith("mac:") else " "
        t_join = " " if name.startswith("mac:") else ""
        t0 = time.perf_counter()
        self.pre = Precomputed(enc, {tuple(src): encode_spans(enc, src, max_span, s_join),
                                     tuple(tgt): encode_spans(enc, tgt, max_span, t_join)})
        self.embed_s = time.perf_counter() - t0

    def align(self, params: dict):
        return align_segments(self.src, self.tgt, encoder=self.pre, **params)


def load_mac(enc, data: Path = MAC_DIR) -> list[Doc]:
    docs = []
    for ch in CHAPTERS:
        zh, en = read_lines(data / "zh" / ch), read_lines(data / "en" / ch)
        docs.append(Doc(f"mac:{ch}", zh, en, read_gold(data / "gold" / f"{ch}.align", len(zh), len(en)), enc))
    return docs


def load_champollion(enc, data: Path = CHAMP_DIR) -> list[Doc]:
    out = []
    for name in CHAMP_DOCS:
        en, zh, gold = load_doc(data, name)
        out.append(Doc(f"champ:{name}", en, zh, gold, enc))
    return out


def grid_settings(grid: dict) -> list[dict]:
    keys = list(grid)
    return [dict(zip(keys, vals)) for vals in itertools.product(*grid.values())]


def fmt(name: str, r: dict) -> str:
    return (f"{name:<22} exact P/R/F1 {r['precision_exact']:.3f}/{r['recall_exact']:.3f}/{r['f1_exact']:.3f}"
            f"  strict F1 {r['f1_strict']:.3f}  lax F1 {r['f1_lax']:.3f}  many R {r['many_recall']:.2f}")


class Runs:
    """Predictions per (setting, document), computed on first use."""

    def __init__(self, settings: list[dict]):
        self.settings = settings
        self._memo: dict[tuple[int, str], list] = {}

    def pred(self, k: int, doc: Doc):
        key = (k, doc.name)
        if key not in self._memo:
            self._memo[key] = doc.align(self.settings[k])
        return self._memo[key]

    def pooled(self, k: int, docs: list[Doc]) -> float:
        return score_all([d.gold for d in docs], [self.pred(k, d) for d in docs])["f1_exact"]

    def choose(self, docs: list[Doc], fixed: dict | None = None) -> int:
        # ties go to the earlier setting in the grid (deterministic)
        ks = [k for k, st in enumerate(self.settings) if all(st.get(a, v) == v for a, v in (fixed or {}).items())]
        return max(ks, key=lambda k: (self.pooled(k, docs), -k))


def reliability(golds, preds, bins=(0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)) -> tuple[list[str], float, int]:
    """Rows 'lo-hi  n  mean confidence  accuracy' and the accuracy (and count) at confidence >= 0.9."""
    items = []
    for g, p in zip(golds, preds):
        gs = {(b.src, b.tgt) for b in g}
        items.extend((b.score, (b.src, b.tgt) in gs) for b in p)
    rows = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        sel = [(c, ok) for c, ok in items if lo <= c < hi]
        if sel:
            rows.append(f"  [{lo:.2f}, {min(hi, 1.0):.2f})  n={len(sel):5d}  mean conf {sum(c for c, _ in sel) / len(sel):.3f}"
                        f"  accuracy {sum(ok for _, ok in sel) / len(sel):.3f}")
    hi_sel = [ok for c, ok in items if c >= 0.9]
    return rows, (sum(hi_sel) / len(hi_sel) if hi_sel else float("nan")), len(hi_sel)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use-m")
    ap.add_argument("--cache", action="store_true", help="use the on-disk embedding cache")
    ap.add_argument("--quick", action="store_true", help="defaults only: no grid, no protocol")
    ap.add_argument("--no-champollion", action="store_true", help="skip leave-one-corpus-out")
    ap.add_argument("--params", default="{}", help="JSON dict of align_segments overrides for the defaults run")
    ap.add_argument("--grid", default=None, help="JSON dict {setting: [values]} replacing the built-in grid")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    enc = get_encoder(args.encoder, cache=args.cache)
    out: dict = {}

    t0 = time.perf_counter()
    mac = load_mac(enc)
    t1 = time.perf_counter()
    params = json.loads(args.params)
    preds = []
    for d in mac:
        preds.append(d.align(params))
        print(fmt(d.name, score_all(d.gold, preds[-1])), flush=True)
    t2 = time.perf_counter()
    r = score_all([d.gold for d in mac], preds)
    print(fmt("MAC-dev defaults", r) + "  (tuned on MAC-dev: lexical, quote and many-bead weights were chosen on it; see the cross-validated figures)")
    print(f"encoder {args.encoder}  cache {'on' if args.cache else 'off'}  read+embed {t1 - t0:.1f}s  "
          f"align {t2 - t1:.1f}s  peak RSS {peak_mb():.0f} MB")
    out["defaults"] = {"overall": r, "embed_s": t1 - t0, "align_s": t2 - t1}
    if args.quick:
        out["peak_rss_mb"] = peak_mb()
        if args.json:
            args.json.write_text(json.dumps(out, indent=1))
        return 0

    grid = json.loads(args.grid) if args.grid else GRID
    runs = Runs(grid_settings(grid))
    print(f"\ngrid: {grid} ({len(runs.settings)} settings)")

    # --- cross-validation over the six chapters
    cv_preds, chosen = [], []
    for k, d in enumerate(mac):
        rest = mac[:k] + mac[k + 1:]
        best = runs.choose(rest)
        chosen.append(runs.settings[best])
        cv_preds.append(runs.pred(best, d))
        print(f"  held out {d.name}: chose {runs.settings[best]} -> exact F1 {score_all(d.gold, cv_preds[-1])['f1_exact']:.3f}",
              flush=True)
    r_cv = score_all([d.gold for d in mac], cv_preds)
    print(fmt("MAC-dev cross-validated", r_cv) + "  (held out)")
    out["mac_cv"] = {"overall": r_cv, "chosen": chosen}
    held_golds, held_preds = [d.gold for d in mac], list(cv_preds)

    # --- leave one corpus out
    champ_docs: list[Doc] = []
    if not args.no_champollion and CHAMP_DIR.exists():
        champ = champ_docs = load_champollion(enc)
        k_mac = runs.choose(mac)
        r_ch = score_all([d.gold for d in champ], [runs.pred(k_mac, d) for d in champ])
        print(f"chosen on MAC-dev: {runs.settings[k_mac]}")
        print(fmt("Champollion held out", r_ch) + "  (tuned without Champollion)")
        k_ch = runs.choose(champ)
        r_mc = score_all([d.gold for d in mac], [runs.pred(k_ch, d) for d in mac])
        print(f"chosen on Champollion: {runs.settings[k_ch]}")
        print(fmt("MAC-dev held out", r_mc) + "  (tuned without MAC-dev)")
        out["loco"] = {"champollion": {"chosen": runs.settings[k_mac], "overall": r_ch},
                       "mac": {"chosen": runs.settings[k_ch], "overall": r_mc}}
        held_golds += [d.gold for d in champ]
        held_preds += [runs.pred(k_mac, d) for d in champ]

    # --- each addition alone: the same protocol inside a sub-grid
    if len(ABLATIONS) and all(k in grid for k in ("lexical_weight", "quote_weight")):
        print("\nadditions (chosen inside each sub-grid; exact F1 on held-out documents)")
        out["ablations"] = {}
        for name, fixed in ABLATIONS.items():
            preds_cv = [runs.pred(runs.choose(mac[:k] + mac[k + 1:], fixed), d) for k, d in enumerate(mac)]
            f_cv = score_all([d.gold for d in mac], preds_cv)["f1_exact"]
            line = f"  {name:<14} MAC-dev cross-validated {f_cv:.3f}"
            if champ_docs:
                k_mac = runs.choose(mac, fixed)
                f_ch = score_all([d.gold for d in champ_docs], [runs.pred(k_mac, d) for d in champ_docs])["f1_exact"]
                line += f"  Champollion (tuned on MAC-dev) {f_ch:.3f}"
            print(line, flush=True)
            out["ablations"][name] = line.strip()

    # --- confidence on the held-out predictions
    rows, acc90, n90 = reliability(held_golds, held_preds)
    print("\nreliability (beads held out from the settings' choice: MAC-dev cross-validated + Champollion tuned "
          "without it; the confidence's document step was fitted on all of them, so these are tuned-on "
          "confidence figures: bench/fit_align_confidence.py reports it held out)")
    print("\n".join(rows))
    print(f"  beads with confidence >= 0.9: {n90}, exactly right {acc90:.3f}")
    out["reliability"] = {"rows": rows, "acc_at_0.9": acc90, "n_at_0.9": n90}
    print(f"wall {time.perf_counter() - t0:.1f}s  peak RSS {peak_mb():.0f} MB")
    out["peak_rss_mb"] = peak_mb()
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
