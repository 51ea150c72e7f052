"""Entity normalisation benchmark: recognition throughput and registry build time.

    python bench/bench_entities.py                 # 100 MB corpus, 10,000-entry glossary
    python bench/bench_entities.py --mb 200 --entries 20000

1. The registry from the deck's glossary plus the five bundled sources (what ``zhen normalise``
   builds), then recognition over a synthetic corpus made by repeating the sources until it
   holds ``--mb`` MB of UTF-8, built in memory (nothing is written). Throughput is reported in
   MB of UTF-8 and in millions of characters per second, once the registry is built.
2. Registry build time for a synthetic ``--entries``-entry glossary (names of schemes, funds,
   offices … with acronyms, short forms and Chinese names), bundled seeds included.

Prints to stdout (a bench script, not the library). Targets: recognition ≥ 20 MB/s, registry
build for 10,000 entries < 5 s.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_ADJ = ["Advanced", "Applied", "Digital", "Green", "Smart", "Global", "Regional", "National", "Urban", "Marine",
        "Quantum", "Clinical", "Frontier", "Creative", "Cultural", "Financial", "Strategic", "Public", "Open", "Joint"]
_TOPIC = ["Innovation", "Technology", "Industry", "Research", "Data", "Energy", "Health", "Mobility", "Logistics",
          "Materials", "Robotics", "Biotech", "Fintech", "Space", "Water", "Food", "Design", "Talent", "Trade", "Culture"]
_NOUN = ["Development", "Support", "Collaboration", "Acceleration", "Incubation", "Training", "Funding",
         "Transformation", "Promotion", "Enhancement", "Exchange", "Investment", "Partnership", "Standards"]
_HEAD = ["Scheme", "Fund", "Programme", "Office", "Centre", "Institute", "Council", "Committee", "Platform",
         "Alliance", "Hub", "Park", "Zone", "Bureau", "Commission", "Laboratory", "Corporation", "Initiative"]
_ZH_HEAD = ["計劃", "基金", "辦公室", "中心", "研究院", "委員會", "平台", "聯盟", "園區", "實驗室"]
_ZH_CHARS = "創新科技工業研究數據能源健康物流材料機械生物金融太空水務食品設計人才貿易文化發展支援合作加速培育轉型推廣提升交流投資標準香港國家區域城市海洋量子臨床前沿綠色智慧開放聯合"


def synthetic_glossary(n: int, seed: int = 7):
    """``n`` distinct entries that look like names of bodies and programmes."""
    from zhen.glossary import Entry, Glossary, Term
    from zhen.glossary.model import concept_id

    rng = random.Random(seed)
    entries = []
    seen_en: set[str] = set()
    seen_zh: set[str] = set()
    i = 0
    while len(entries) < n:
        i += 1
        words = [rng.choice(_ADJ), rng.choice(_TOPIC), rng.choice(_TOPIC), rng.choice(_NOUN), rng.choice(_HEAD)]
        if rng.random() < 0.3:
            words.insert(0, "Hong Kong")
        en = " ".join(words)
        if rng.random() < 0.2:
            en = en.replace(f" {words[-1]}", f" and {rng.choice(_TOPIC)} {words[-1]}")
        if en in seen_en:
            continue
        zh = "".join(rng.choice(_ZH_CHARS) for _ in range(rng.randint(4, 8))) + rng.choice(_ZH_HEAD)
        if zh in seen_zh:
            continue
        seen_en.add(en)
        seen_zh.add(zh)
        acronym = "".join(w[0] for w in en.split() if w[0].isupper()) + _base26(i)
        en_variants = (Term(acronym, "acronym"),)
        zh_variants = (Term(zh[:2] + zh[-2:], "shortForm"),) if rng.random() < 0.3 else ()
        entries.append(Entry(concept_id(en, zh), en, zh, en_variants, zh_variants))
    return Glossary(tuple(entries))  # skip Glossary.of's re-sorting: the bench times the registry


def _base26(i: int) -> str:
    out = ""
    while i:
        i, r = divmod(i, 26)
        out = chr(65 + r) + out
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100.0, help="size of the synthetic corpus (MB of UTF-8)")
    ap.add_argument("--entries", type=int, default=10_000, help="entries in the synthetic glossary")
    args = ap.parse_args()

    from zhen import corpora
    from zhen import glossary
    from zhen.glossary.entities import build_registry
    from zhen.corpora.keys import fold_table

    t = time.perf_counter()
    fold_table()
    import ahocorasick  # noqa: F401
    import numpy  # noqa: F401
    print(f"fold table (OpenCC) and libraries loaded in {time.perf_counter() - t:.2f} s")

    docs = [corpora.load_source(s.id) for s in corpora.list_sources()]
    t = time.perf_counter()
    deck = glossary.build_glossary(glossary.pairs_from_deck())
    print(f"deck glossary: {len(deck)} entries in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    registry = build_registry(deck, docs)
    print(f"registry (deck glossary + 5 sources + seeds): {len(registry)} entities, "
          f"{registry.settings['aliases']} aliases in {time.perf_counter() - t:.2f} s")

    base = "\n\n".join(d.text for d in docs) + "\n\n"
    unit = len(base.encode("utf-8"))
    reps = max(1, int(args.mb * 1_000_000 // unit) + 1)
    big = base * reps
    size_mb = len(big.encode("utf-8")) / 1e6
    print(f"\nsynthetic corpus: the 5 sources x {reps} = {size_mb:.1f} MB UTF-8, {len(big) / 1e6:.1f} M characters")
    t = time.perf_counter()
    mentions, unresolved = registry.scan(big, doc="bench")
    dt = time.perf_counter() - t
    per_copy = len(registry.scan(base, doc="bench")[0])
    print(f"recognition: {len(mentions):,} mentions, {len(unresolved):,} unresolved in {dt:.2f} s "
          f"-> {size_mb / dt:.1f} MB/s ({len(big) / 1e6 / dt:.1f} M chars/s)")
    print(f"  consistency: {per_copy} mentions per copy x {reps} = {per_copy * reps:,} "
          f"({'same' if per_copy * reps == len(mentions) else 'DIFFERENT'})")
    del big, mentions, unresolved

    g = synthetic_glossary(args.entries)
    t = time.perf_counter()
    big_registry = build_registry(g)
    dt = time.perf_counter() - t
    print(f"\nregistry build: {args.entries:,}-entry synthetic glossary -> {len(big_registry):,} entities, "
          f"{big_registry.settings['aliases']:,} aliases, {len(big_registry.issues)} issues in {dt:.2f} s")
    sample = g.entries[len(g.entries) // 2]
    text = f"Under the {sample.en} ({sample.en_variants[0].text}), {sample.zh} funded 3 projects."
    found = big_registry.recognise(text)
    print(f"  check: {[(m.surface, m.method) for m in found]}")


if __name__ == "__main__":
    main()
