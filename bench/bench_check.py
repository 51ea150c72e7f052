"""Terminology check benchmark: 10 000 synthetic pairs against a 10 000-entry glossary.

    python bench/bench_check.py                 # 10 000 pairs x 10 000 entries, zh -> en
    python bench/bench_check.py --pairs 2000 --entries 50000 --reverse

The pairs are made from the glossary itself: each holds two to four of its terms on both sides,
an amount of money (萬/億 against million/billion) and filler, and every tenth pair carries an
error (a dropped term, a changed amount, a Simplified character) so that every check has work.
Time is measured from the pairs and the Glossary object in memory to the findings frame, and
split into the index build and the checks. The XLIFF case writes the same pairs as an XLIFF 1.2
file (one trans-unit each) and times what ``zhen check --format xliff`` does: read the units,
check them, and write the findings back into a copy as ITS 2.0 issues (target: under 5 s).
Prints to stdout (a bench script, not the library).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Common HK Traditional characters (no character here has a different Simplified form that
# OpenCC would fold into another of them in a way that matters for the bench).
_ZH_CHARS = ("創新科技工業發展計劃基金研究中心園區人才智能數據服務政府公共資助培育支援產業醫療物流製造"
             "建造材料能源生命健康量子航空航天機械城市交通環境文化教育社會經濟金融貿易旅遊法律安全")
_EN_WORDS = ["innovation", "technology", "industry", "development", "scheme", "fund", "research", "centre", "park", "talent", "intelligence", "data", "service", "government", "public", "subsidy", "nurturing", "support", "sector", "health", "logistics", "manufacturing", "construction", "materials", "energy", "life", "quantum", "aerospace", "robotics", "city", "transport", "environment", "culture", "education", "society", "economy", "finance", "trade", "tourism", "law", "security", "digital", "smart", "green", "advanced", "frontier", "strategic", "regional", "national"]
_FILLER_ZH = ["將於年內推出", "以推動相關發展", "並邀請業界參與", "提升本地應用水平", "加快落實各項措施"]
_FILLER_EN = ["to be launched within this year", "to promote the relevant development",
              "and invite the industry to take part", "to raise local application standards",
              "to speed up the implementation of measures"]


def synth_glossary(n: int, rng: random.Random):
    from zhen.glossary.model import Entry, Glossary, Term, concept_id

    entries, seen_zh, seen_en = [], set(), set()
    while len(entries) < n:
        zh = "".join(rng.choice(_ZH_CHARS) for _ in range(rng.randint(4, 8)))
        en = " ".join(rng.choice(_EN_WORDS) for _ in range(rng.randint(2, 5))).title()
        if zh in seen_zh or en.lower() in seen_en:
            continue
        seen_zh.add(zh)
        seen_en.add(en.lower())
        variants = ()
        if rng.random() < 0.2:  # an acronym for one in five
            variants = (Term("".join(w[0] for w in en.split()).upper() + str(len(entries)), "acronym"),)
        entries.append(Entry(concept_id(en, zh), en, zh, en_variants=variants,
                             status="approved" if rng.random() < 0.5 else "candidate",
                             score=round(rng.uniform(0.5, 1.0), 4)))
    return Glossary.of(entries)


def synth_pairs(glossary, n: int, rng: random.Random):
    from zhen.align.formats import AlignedPair

    entries = glossary.entries
    pairs = []
    for k in range(n):
        picked = rng.sample(entries, rng.randint(2, 4))
        amount = rng.randint(2, 90)
        zh_terms = [e.zh for e in picked]
        en_terms = [e.en for e in picked]
        f = rng.randrange(len(_FILLER_ZH))
        zh = f"「{zh_terms[0]}」：撥款{amount}億元，" + "、".join(zh_terms[1:]) + _FILLER_ZH[f]
        en_amount = f"${amount / 10:g} billion"
        if k % 10 == 3:
            en_terms = en_terms[:-1]  # a dropped term
        if k % 10 == 6:
            en_amount = f"${amount + 1} billion"  # a changed amount
        if k % 10 == 8:
            zh = zh.replace("發", "发", 1).replace("計", "计", 1)  # Simplified slipping in
        en = f"{en_terms[0]}: To allocate {en_amount} for " + ", ".join(en_terms[1:]) + " " + _FILLER_EN[f]
        pairs.append(AlignedPair((k,), (k,), zh, en, 1.0, "synthetic"))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=10_000)
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reverse", action="store_true", help="check en -> zh instead")
    args = ap.parse_args()

    from dataclasses import replace

    from zhen.corpora.zhtext import to_hk, to_simplified
    from zhen.glossary.qa import check
    from zhen.glossary.qa.context import Context

    rng = random.Random(args.seed)
    t = time.perf_counter()
    to_simplified("預熱")
    to_hk("预热")
    import ahocorasick  # noqa: F401
    import polars  # noqa: F401
    print(f"resources (OpenCC, polars, pyahocorasick) loaded in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    g = synth_glossary(args.entries, rng)
    pairs = synth_pairs(g, args.pairs, rng)
    if args.reverse:
        pairs = [replace(p, src_text=p.tgt_text, tgt_text=p.src_text) for p in pairs]
    src, tgt = ("en", "zh-HK") if args.reverse else ("zh-HK", "en")
    print(f"synthesised {len(pairs)} pairs and {len(g)} entries in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    Context(pairs, g, src, tgt)
    t_index = time.perf_counter() - t

    t = time.perf_counter()
    frame = check(pairs, g, src_lang=src, tgt_lang=tgt)
    total = time.perf_counter() - t
    counts = frame.group_by("check").len().sort("check").rows()
    print(f"\n{src} -> {tgt}: {len(pairs)} pairs x {len(g)} entries checked in {total:.2f} s "
          f"(of which building the context and automata {t_index:.2f} s)")
    print(f"  {frame.height} findings: " + ", ".join(f"{c} {n}" for c, n in counts))
    print(f"  {'PASS' if total < 10 else 'FAIL'}: target under 10 s")
    if not args.reverse:
        _bench_xliff(pairs, g)


def _bench_xliff(pairs, g) -> None:
    import tempfile

    from zhen.align.xliff import read_xliff, write_xliff
    from zhen.glossary.qa import check, render_findings

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "units.xlf")
        write_xliff(pairs, path)
        t = time.perf_counter()
        doc = read_xliff(path)
        t_read = time.perf_counter() - t
        frame = check(doc.pairs, g, src_lang=doc.src_lang, tgt_lang=doc.tgt_lang)
        t_check = time.perf_counter() - t - t_read
        data = render_findings(frame, "xliff", source=path.read_bytes())
        total = time.perf_counter() - t
    print(f"\nXLIFF 1.2: {len(doc.units)} units x {len(g)} entries read, checked and annotated in {total:.2f} s "
          f"(read {t_read:.2f} s, check {t_check:.2f} s, write ITS {total - t_read - t_check:.2f} s; "
          f"{frame.height} findings, {len(data) / 1e6:.1f} MB out)")
    print(f"  {'PASS' if total < 5 else 'FAIL'}: target under 5 s")


if __name__ == "__main__":
    main()
