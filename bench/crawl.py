"""Build a development "crawl" from ../shared/eval into a folder (never committed data).

    python bench/crawl.py OUT [--size 1] [--seed 0]

Champollion documents, MAC development chapters and the Bible cut into chapters, Chinese files
under ``OUT/zh`` and English under ``OUT/en`` with shuffled neutral names, one sentence a line.
Two in five of the true pairs lose one side, so each side holds >= 20% distractors with no
partner (Bible chapters, a novel chapter, a Hansard on one side only). ``OUT/truth.csv`` lists the
true pairs (zh,en file names) and ``OUT/gold/`` the gold alignment of each Champollion/MAC pair
(``[zh ids]:[en ids]``, 0-based). ``--size N`` adds N-1 copies whose every line carries a copy
mark and starts both sides r/N of the way through (rotated), so the texts are distinct (a cold
cache stays cold) and the copies differ in order; still, copies share their sentences, so pairing
figures at N > 1 are harder than on real collections.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _lines(path: Path, encoding: str) -> list[str]:
    text = path.read_bytes().decode(encoding)
    out = [ln.rstrip("\r") for ln in text.split("\n")]
    return out[:-1] if out and out[-1] == "" else out


def sources(eval_dir: Path = EVAL) -> list[dict]:
    """Every true pair: {name, zh: [lines], en: [lines], gold: [(zh ids, en ids)] | None}."""
    from zhen.align.evaluate import read_gold

    docs = []
    ch = eval_dir / "champollion" / "eval"
    for g in sorted(ch.glob("*.gold.align")):
        stem = g.name[: -len(".gold.align")]
        e, c = (ch / f"{stem}e.txt", ch / f"{stem}c.txt") if stem.endswith("f") else (ch / f"{stem}.e.txt", ch / f"{stem}.c.txt")
        enc = {"890621f": "utf-8", "UN19930101_020": "gb18030"}.get(stem, "ascii")
        en, zh = _lines(e, enc), _lines(c, "gb18030")
        gold = [(b.tgt, b.src) for b in read_gold(g, len(en), len(zh))]  # gold is EN <=> ZH
        docs.append({"name": f"champollion-{stem}", "zh": zh, "en": en, "gold": gold})
    mac = eval_dir / "mac-dev"
    for z in sorted((mac / "zh").iterdir()):
        zh, en = _lines(z, "utf-8"), _lines(mac / "en" / z.name, "utf-8")
        gold = [(b.src, b.tgt) for b in read_gold(mac / "gold" / f"{z.name}.align", len(zh), len(en))]
        docs.append({"name": f"mac-{z.name}", "zh": zh, "en": en, "gold": gold})
    bible = eval_dir / "bible" / "data" / "bible"
    en_all, zh_all = _lines(bible / "en" / "001", "utf-8"), _lines(bible / "zh" / "001", "utf-8")
    en_v = [":".join(v.split(":")[:2]) for v in _lines(bible / "en.verse", "utf-8")]
    zh_v = [":".join(v.split(":")[:2]) for v in _lines(bible / "zh.verse", "utf-8")]
    for chap in dict.fromkeys(en_v):
        docs.append({"name": f"bible-{chap.replace(':', '-')}", "gold": None,
                     "zh": [t for t, v in zip(zh_all, zh_v) if v == chap],
                     "en": [t for t, v in zip(en_all, en_v) if v == chap]})
    return docs


def build(out: Path, *, size: int = 1, seed: int = 0, distractor_share: float = 0.4) -> dict:
    rng = random.Random(seed)
    docs = sources()
    (out / "zh").mkdir(parents=True, exist_ok=True)
    (out / "en").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    items = []  # (copy, doc, keep zh, keep en)
    for r in range(size):
        order = list(range(len(docs)))
        rng.shuffle(order)
        n_cut = int(round(distractor_share * len(docs)))
        # One of each kind is always among the distractors: a Hansard, a novel chapter.
        forced = [i for i, d in enumerate(docs) if d["name"] == "champollion-921008f" or d["name"] == "mac-004"]
        cut = forced + [i for i in order if i not in forced][: n_cut - len(forced)]
        for k, i in enumerate(cut):
            items.append((r, i, k % 2 == 0, k % 2 == 1))
        items += [(r, i, True, True) for i in order if i not in cut]
    names = list(range(len(items) * 2))
    rng.shuffle(names)
    truth, sentences = [], 0
    for k, (r, i, keep_zh, keep_en) in enumerate(items):
        d = docs[i]
        mark = "" if r == 0 else f" [{r}]"
        # Copy r starts both sides r/size of the way in (the start moved to the end): still
        # translations of each other, but in another order, so copies are not duplicates.
        zh_lines = d["zh"][round(len(d["zh"]) * r / size):] + d["zh"][:round(len(d["zh"]) * r / size)]
        en_lines = d["en"][round(len(d["en"]) * r / size):] + d["en"][:round(len(d["en"]) * r / size)]
        zname, ename = f"d{names[2 * k]:05d}.txt", f"d{names[2 * k + 1]:05d}.txt"
        if keep_zh:
            (out / "zh" / zname).write_text("".join(f"{t}{mark}\n" for t in zh_lines), "utf-8")
            sentences += len(d["zh"])
        if keep_en:
            (out / "en" / ename).write_text("".join(f"{t}{mark}\n" for t in en_lines), "utf-8")
            sentences += len(d["en"])
        if keep_zh and keep_en:
            truth.append((zname, ename, d["name"]))
            if d["gold"] and r == 0:
                (out / "gold" / f"{zname}.align").write_text(
                    "".join(f"[{','.join(map(str, z))}]:[{','.join(map(str, e))}]\n" for z, e in d["gold"]), "utf-8")
    with open(out / "truth.csv", "w", encoding="utf-8") as fh:
        fh.write("zh,en,source\n" + "".join(f"{z},{e},{s}\n" for z, e, s in truth))
    n_zh, n_en = len(list((out / "zh").iterdir())), len(list((out / "en").iterdir()))
    return {"pairs": len(truth), "zh_docs": n_zh, "en_docs": n_en, "sentences": sentences,
            "zh_distractors": n_zh - len(truth), "en_distractors": n_en - len(truth)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--size", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(build(a.out, size=a.size, seed=a.seed))
