"""Regenerate the split-file deck fixtures of tests/test_splitdeck.py (run on purpose, then commit).

    python tests/data/splitdeck/make_fixtures.py

Each fixture is the bundled slide deck cut into a Chinese file and an English file, one segment a
line (``zhen align --presplit ZH EN``), with edits a translator's files really show:

* ``deletions``: English lines deleted (their Chinese becomes a 1-0 bead) and Chinese lines
  deleted (0-1), mid-slide, before a slide header and on sub-headings;
* ``merges``: two English bullets run together on one line (a 2-1 bead), and once two Chinese
  bullets (1-2);
* ``repeats``: section titles repeated at the top of later slides on both sides, marked
  ``（續）`` / ``(Continued)`` as the deck marks its own, some of them next to a deletion, and one
  repeated English title whose Chinese slide has none (0-1).

The gold is *not* the aligner's output. It starts from ``tests/data/golden/
budget-slides-2026.gold.ladder``, the deck's hand-checked correspondence (drafted from the deck's
Chinese-line/English-line alternation, then corrected by reading; see that folder's README), and
follows every edit: a deleted side leaves the other side's sentences as null beads, a merged line
takes its parts' beads together, an inserted repeat is a copy of a header bead and pairs with its
copy. Edits name beads by the start of their text, so a reader can check them against the deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
GOLDEN = ROOT / "tests/data/golden/budget-slides-2026.gold.ladder"


@dataclass
class _Bead:
    zh: list[str]
    en: list[str]
    tag: str = ""          # what the edit was, for the fixture's notes


@dataclass(frozen=True)
class Edits:
    drop_en: tuple[str, ...] = ()          # beads (by English start) whose English is deleted
    drop_zh: tuple[str, ...] = ()          # beads (by English start) whose Chinese is deleted
    merge_en: tuple[tuple[str, str], ...] = ()   # consecutive beads whose English lines become one
    merge_zh: tuple[tuple[str, str], ...] = ()   # ... whose Chinese lines become one
    # (English start of the bead to insert before, English start of the header to repeat, keep_zh)
    repeat: tuple[tuple[str, str, bool], ...] = ()


FIXTURES: dict[str, Edits] = {
    "deletions": Edits(
        drop_en=(
            "AI Subsidy Scheme",                 # mid-slide bullet
            "Data Facility Cluster",             # last bullet before a repeated slide header
            "Life and Health Technology",        # a sub-heading (the next line is its first bullet)
            "New Industrialisation Acceleration",
            "Conducting a study",                # last bullet before a repeated slide header
            "Roll out the remaining sites",
        ),
        drop_zh=(
            "InnoHK: Established 16",
            "New Materials",                     # last bullet before a repeated slide header
            "Hetao Hong Kong Park:",             # a sub-heading
            "Research Talent Hub",
        ),
    ),
    "merges": Edits(
        merge_en=(
            ("Hong Kong's overall computing power", "Data Facility Cluster"),
            ("InnoHK: Established 16", "Research, Academic and Industry Sectors"),
            ("New Industrialisation Funding Scheme", "New Industrialisation Acceleration"),
            ("Review Tax Arrangements", "Enhancing Collaboration"),
            ("STEM Internship Scheme", "Research Talent Hub"),
        ),
        merge_zh=(
            ("Embodied AI", "Quantum Technology"),
        ),
    ),
    "repeats": Edits(
        repeat=(
            # before the bead whose English starts ...,  repeat the header bead whose English starts ...
            ("Empowering Public Services", "AI+", True),
            ("InnoHK: Established 16", "Life and Health Technology", True),
            ("Three major I&T parks", "Life and Health Technology", True),
            ("New Industrialisation Elite", "Development of New Industrialisation", True),
            ("Conducting a study", "Development of New Industrialisation", False),   # English only
            ("Quantum Technology", "Nurturing and Strengthening", True),
            ("San Tin Technopole", "Proactively integrate into the overall development", True),
            ("Attracting Talents", "Enlarge the I&T talent pool", True),
        ),
        drop_en=(
            "Empowering Public Services",        # right after a repeated header
            "Embodied AI",                       # right before a repeated header
        ),
        drop_zh=(
            "Research Talent Hub",               # right before a repeated header
        ),
    ),
}


def _deck_beads() -> list[_Bead]:
    from zhen import corpora
    from zhen.align.evaluate import read_gold

    segs = corpora.segment_document("budget-slides-2026")
    zh = [s.text for s in segs if s.lang == "zh"]
    en = [s.text for s in segs if s.lang == "en"]
    gold = read_gold(GOLDEN, len(zh), len(en))
    return [_Bead([zh[i] for i in b.src], [en[j] for j in b.tgt]) for b in gold]


def _find(beads: list[_Bead], start: str, *, after: int = 0) -> int:
    hits = [k for k, b in enumerate(beads) if k >= after and b.en and b.en[0].startswith(start)]
    if not hits:
        raise SystemExit(f"no bead whose English starts with {start!r}")
    return hits[0]


def _continued(b: _Bead) -> _Bead:
    return _Bead([t + "（續）" for t in b.zh], [t + " (Continued)" for t in b.en], "repeat")


def apply(beads: list[_Bead], e: Edits) -> list[_Bead]:
    beads = [_Bead(list(b.zh), list(b.en)) for b in beads]
    for before, header, keep_zh in e.repeat:
        src = beads[_find(beads, header)]
        if len(src.zh) != 1 or len(src.en) != 1:
            raise SystemExit(f"header {header!r} is not a 1-1 bead")
        rep = _continued(src)
        if not keep_zh:
            rep.zh, rep.tag = [], "repeat, English only"
        # the repeat goes after the original header's first occurrence
        beads.insert(_find(beads, before, after=_find(beads, header) + 1), rep)
    for first, second in e.merge_en + e.merge_zh:
        k = _find(beads, first)
        if not beads[k + 1].en[0].startswith(second):
            raise SystemExit(f"{second!r} does not follow {first!r}")
    for first, second in e.merge_en:
        k = _find(beads, first)
        a, b = beads[k], beads.pop(k + 1)
        beads[k] = _Bead(a.zh + b.zh, [" ".join(a.en + b.en)], "English merged")
    for first, second in e.merge_zh:
        k = _find(beads, first)
        a, b = beads[k], beads.pop(k + 1)
        beads[k] = _Bead(["".join(a.zh + b.zh)], a.en + b.en, "Chinese merged")
    for start in e.drop_en:
        b = beads[_find(beads, start)]
        b.en, b.tag = [], "English deleted"
    for start in e.drop_zh:
        b = beads[_find(beads, start)]
        b.zh, b.tag = [], "Chinese deleted"
    return beads


def write(name: str, beads: list[_Bead]) -> None:
    zh_lines: list[str] = []
    en_lines: list[str] = []
    ladder: list[str] = []
    for b in beads:
        zi = list(range(len(zh_lines), len(zh_lines) + len(b.zh)))
        ei = list(range(len(en_lines), len(en_lines) + len(b.en)))
        zh_lines += b.zh
        en_lines += b.en
        comment = f"  # {b.tag}" if b.tag else ""
        if zi and ei:
            ladder.append(f"[{','.join(map(str, zi))}]:[{','.join(map(str, ei))}]{comment}")
        else:  # a side with no partner: one null bead a sentence, as the aligner emits them
            ladder += [f"[{i}]:[]{comment}" for i in zi] + [f"[]:[{j}]{comment}" for j in ei]
    (HERE / f"{name}.zh.txt").write_text("\n".join(zh_lines) + "\n", encoding="utf-8")
    (HERE / f"{name}.en.txt").write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    # ladder readers skip '#' comment lines only, so notes go on lines of their own
    body = []
    for line in ladder:
        bead, _, note = line.partition("  # ")
        if note:
            body.append(f"# {note}")
        body.append(bead)
    header = (f"# split-file deck fixture '{name}': gold from the deck's hand-checked ladder through the "
              f"edits of tests/data/splitdeck/make_fixtures.py\n")
    (HERE / f"{name}.gold.ladder").write_text(header + "\n".join(body) + "\n", encoding="utf-8")
    print(f"{name}: {len(zh_lines)} zh lines, {len(en_lines)} en lines, {len(ladder)} gold beads")


def main() -> None:
    deck = _deck_beads()
    for name, edits in FIXTURES.items():
        write(name, apply(deck, edits))


if __name__ == "__main__":
    main()
