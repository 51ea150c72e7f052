"""Where aligned pairs come from until the aligner is wired in: gold ladders and gold aligns.

* the slide deck: ``tests/data/golden/budget-slides-2026.gold.ladder`` over the deck's segments
  (``[zh idx,…]:[en idx,…]``, 0-based, each side in document order);
* the Champollion Hansards: ``NNN.gold.align`` (``EN ids <=> ZH ids``, 1-based, ``omitted``),
  one sentence per line in ``NNNfe.txt``/``NNNfc.txt`` (Chinese in GB18030, Simplified).

Any other source (aligner beads, a TMX) only has to produce :class:`AlignedText` records.
"""

from __future__ import annotations

import re
from pathlib import Path

from zhen.corpora.errors import InputError
from zhen.glossary.model import AlignedText

_BOLD = re.compile(r"\*\*(.+?)\*\*")
DECK = "budget-slides-2026"


def default_deck_ladder() -> Path:
    return Path(__file__).resolve().parent.parent / "tests" / "data" / "golden" / f"{DECK}.gold.ladder"


def read_ladder(path: str | Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads of a ``[zh…]:[en…]`` ladder file, 0-based (parsed by :mod:`align.formats`)."""
    from zhen.align.formats import read_ladder as _read

    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such ladder file", hint="give the gold ladder of the document")
    return [(b.src, b.tgt) for b in _read(p)]


def pairs_from_ladder(doc, ladder: str | Path) -> list[AlignedText]:
    """Aligned pairs of a document (a Document, a bundled source id or a path) from a ladder."""
    return pairs_from_beads(doc, read_ladder(ladder), where=ladder)


def pairs_from_beads(doc, beads, *, where: str | Path | None = None) -> list[AlignedText]:
    """Aligned pairs of a bilingual document from beads over its zh and en segments (the
    aligner's output, or a gold ladder): ``[(zh ids, en ids), ...]`` or ``Bead`` records.

    Bold names are read back from the original through each segment's offsets, since segment
    text has the ``**`` removed."""
    from zhen import corpora
    if not isinstance(doc, corpora.Document):
        key = str(doc)
        doc = corpora.load_source(key) if any(s.id == key for s in corpora.list_sources()) else corpora.load_document(key)
    segs = corpora.segment_document(doc)
    zh = [s for s in segs if s.lang == "zh"]
    en = [s for s in segs if s.lang == "en"]
    out = []
    for n, bead in enumerate(beads, 1):
        zi, ei = (bead.src, bead.tgt) if hasattr(bead, "src") else bead
        if not zi or not ei:
            continue
        if max(zi) >= len(zh) or max(ei) >= len(en):
            raise InputError(where or doc.path, f"index beyond the document ({len(zh)} zh, {len(en)} en segments)", line=n,
                             hint="regenerate the ladder for the current segmentation")
        zsegs = [zh[i] for i in zi]
        esegs = [en[i] for i in ei]

        def marks(ss):
            # Scan the whole source line: a segment may start inside a bold run (**航空航天**：…).
            found = []
            for s in ss:
                line_start = doc.text.rfind("\n", 0, s.start) + 1
                line_end = doc.text.find("\n", s.end)
                line_end = len(doc.text) if line_end < 0 else line_end
                for m in _BOLD.finditer(doc.text, line_start, line_end):
                    if m.start(1) < s.end and m.end(1) > s.start:
                        found.append(m.group(1))
            return tuple(found)

        out.append(AlignedText(
            pair_id=f"{doc.id}:{zsegs[0].line}:{n}", zh=" ".join(s.text for s in zsegs),
            en=" ".join(s.text for s in esegs), doc=doc.id, zh_marks=marks(zsegs), en_marks=marks(esegs),
        ))
    return out


def pairs_from_deck(ladder: str | Path | None = None) -> list[AlignedText]:
    """The bundled slide deck's aligned pairs, from its hand-checked gold ladder."""
    return pairs_from_ladder(DECK, ladder or default_deck_ladder())


def _ids(field: str, path, n: int) -> list[int]:
    field = field.strip()
    if field in ("", "omitted"):
        return []
    try:
        return [int(x) - 1 for x in field.split(",")]
    except ValueError:
        raise InputError(path, f"bad sentence ids {field!r}", line=n, hint="write 1,2 <=> 3 or omitted") from None


def pairs_from_gold_align(en_path: str | Path, zh_path: str | Path, align_path: str | Path,
                          doc: str | None = None) -> list[AlignedText]:
    """Champollion-style ``EN ids <=> ZH ids`` (1-based) over one-sentence-a-line files."""
    from zhen.corpora.textio import read_document

    en_lines = read_document(en_path).text.splitlines()
    zh_lines = read_document(zh_path).text.splitlines()
    doc = doc or Path(align_path).name.split(".")[0]
    out = []
    text = read_document(align_path).text
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if "<=>" not in line:
            raise InputError(align_path, f"not an alignment line: {line[:60]!r}", line=n, hint="write 1 <=> 1")
        e, z = line.split("<=>")
        ei, zi = _ids(e, align_path, n), _ids(z, align_path, n)
        if not ei or not zi:
            continue
        if max(ei) >= len(en_lines) or max(zi) >= len(zh_lines):
            raise InputError(align_path, "sentence id beyond the text files", line=n, hint="check the file pair")
        out.append(AlignedText(f"{doc}:{n}", " ".join(zh_lines[i].strip() for i in zi),
                               " ".join(en_lines[i].strip() for i in ei), doc))
    return out


def pairs_from_champollion(eval_dir: str | Path, docs: tuple[str, ...] = ("890621f", "921008f", "930422f")) -> list[AlignedText]:
    """The aligned HK Hansards of the Champollion evaluation set (``…/champollion/eval``)."""
    d = Path(eval_dir)
    out: list[AlignedText] = []
    for name in docs:
        out += pairs_from_gold_align(d / f"{name}e.txt", d / f"{name}c.txt", d / f"{name}.gold.align", doc=name)
    return out
