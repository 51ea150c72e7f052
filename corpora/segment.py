"""Bilingual segmentation: lines → language runs → sentences, with offsets into the original.

Language is decided by script alone (CJK ideographs vs Latin letters): the two languages we
handle never share a script, so a 100 MB language-identification model would add nothing.
A line that holds both languages (`◆ 算力基建 Computing Infrastructure`) is split at the
whitespace where Chinese ends and an English tail of words begins; Chinese that embeds Latin
names or numbers without such a tail (`100億元RAISe+已批出49個項目`) stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from zhen.corpora.clean import LineMarks, OffsetText, clean_line
from zhen.corpora.scripts import CJK_RX, LATIN_RX, script_counts, text_lang
from zhen.corpora.textio import Line, iter_lines

KINDS = ("title", "heading", "bullet", "sentence", "table_row")


@dataclass(frozen=True, slots=True)
class Segment:
    doc: str
    id: str  # doc:line:n — line 1-based (as editors count), n the segment's index on that line
    lang: str  # "zh" or "en"
    kind: str  # one of KINDS
    text: str  # cleaned
    start: int  # offsets into the decoded original: original[start:end] holds the segment
    end: int
    line: int
    section: str | None = None
    slide: int | None = None
    continued: bool = False  # the source marked it （續）/(Continued)

    def to_dict(self) -> dict:
        return asdict(self)


# --- script ---------------------------------------------------------------------------------

# Characters that belong to the Chinese side when a mixed line is split.
_ZH_PUNCT = "「」『』（）【】《》〈〉、，。：；！？…—～·＋"


def split_mixed(text: str) -> list[tuple[str, int, int]]:
    """Split a line holding Chinese then English (or English then Chinese) into language runs.

    Returns ``[(lang, start, end), ...]`` over ``text``. The split happens only at whitespace, with
    no ideograph on the English side and an English side of real words (two or more tokens, or
    one capitalised word of four letters or more), so Latin names inside Chinese stay put.
    """
    stripped_end = len(text.rstrip())
    spaces = [m for m in re.finditer(r"\s+", text[:stripped_end])]
    if not spaces or not CJK_RX.search(text):
        return [(text_lang(text), 0, len(text))]
    cjk_positions = [m.start() for m in CJK_RX.finditer(text)]
    last_cjk, first_cjk = cjk_positions[-1], cjk_positions[0]

    def english_run(run: str, other: str) -> bool:
        tokens = run.split()
        if not tokens or not LATIN_RX.match(tokens[0].lstrip("(\"'“‘")):
            return False
        if len(tokens) >= 2 or (len(tokens[0]) >= 4 and tokens[0][0].isupper()):
            return True
        # One acronym ("AI+") after a complete Chinese name (「人工智能」+) is its English title.
        letters = [c for c in tokens[0] if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters) and other.rstrip()[-1:] in "」』）)+"

    # Chinese head, English tail: the first whitespace after the last ideograph, and the head
    # must open in Chinese ("Hong Kong (香港) is …" is English quoting a name).
    first_letter = LATIN_RX.search(text)
    head_opens_zh = first_letter is None or first_cjk < first_letter.start()
    for m in spaces:
        if m.start() >= last_cjk and head_opens_zh:
            tail = text[m.end():stripped_end]
            if english_run(tail, text[:m.start()]) and not CJK_RX.search(tail):
                return [("zh", 0, m.start()), ("en", m.end(), len(text))]
            break
    # English head, Chinese tail.
    last_letter = None
    for last_letter in LATIN_RX.finditer(text):
        pass
    tail_closes_zh = last_letter is None or last_cjk > last_letter.start()
    for m in reversed(spaces):
        if m.end() <= first_cjk and tail_closes_zh:
            head = text[:m.start()]
            if english_run(head, "」") and not CJK_RX.search(head) and text_lang(text[m.end():]) == "zh":
                return [("en", 0, m.start()), ("zh", m.end(), len(text))]
            break
    return [(text_lang(text), 0, len(text))]


# --- sentences ------------------------------------------------------------------------------

_ZH_END = re.compile(r"[。！？；!?]+[」』”’）)\]]*")
_EN_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff])")
# Words that end in a period without ending a sentence (lower-cased, without the final dot).
ABBREVIATIONS = frozenset(
    """e.g i.e etc cf vs viz al approx no nos ltd co corp inc plc mr mrs ms dr prof sr jr st
    jan feb mar apr jun jul aug sep sept oct nov dec fig figs para paras sec art arts cap ch
    hon gov dept govt est u.s u.k p.r.c h.k.s.a.r a.m p.m op ed vol vols pp""".split()
)


def split_sentences_zh(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _ZH_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def split_sentences_en(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _EN_END.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"([\w.&]+)$", text[start:m.start()])
            token = word.group(1).lower() if word else ""
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    return split_sentences_zh(text) if lang == "zh" else split_sentences_en(text)


# --- documents ------------------------------------------------------------------------------

_TERMINAL = tuple(".。!！?？;；")
_WORDY = re.compile(r"[^\W_]")
_WS = re.compile(r"\s+")


@dataclass(slots=True)
class _Block:
    lines: list[Line]
    texts: list[OffsetText]
    marks: LineMarks
    blank_before: int


def _is_heading(text: str, marks: LineMarks, lang: str) -> bool:
    if marks.heading_level or marks.bold or marks.number is not None:
        return True
    if marks.bullet or marks.table:
        return False
    limit = 40 if lang == "zh" else 70
    body = text.strip()
    return 0 < len(body) <= limit and not body.endswith(_TERMINAL) and not body.endswith((":", "："))


def _join_pdf_breaks(blocks: list[_Block]) -> list[_Block]:
    """PDF exports break English paragraphs mid-sentence ("… to form an\\nextensive I&T …").
    Join a line onto a long previous English line that did not end a sentence when it starts
    with a lower-case letter or a digit."""
    out: list[_Block] = []
    for b in blocks:
        if out and b.blank_before == 0 or (out and b.blank_before <= 1):
            prev = out[-1]
            prev_text = prev.texts[-1].text.rstrip()
            cur = b.texts[0].text.lstrip()
            if (
                len(prev_text) >= 60
                and not prev.marks.table and not b.marks.table and not b.marks.bullet
                and not b.marks.heading_level and prev.marks.heading_level == 0
                and cur[:1] and (cur[0].islower() or cur[0].isdigit())
                and not prev_text.endswith(_TERMINAL + (":",))
                and not CJK_RX.search(prev_text[-5:]) and not CJK_RX.search(cur[:5])
            ):
                prev.lines.append(b.lines[0])
                prev.texts.append(b.texts[0])
                continue
        out.append(b)
    return out


def _merge_texts(texts: list[OffsetText]) -> OffsetText:
    if len(texts) == 1:
        return texts[0]
    merged = OffsetText()
    for i, t in enumerate(texts):
        if i:
            merged.append(" ", t.to_orig(0), literal=False)
        for cs, os_, ln in zip(t._clean_starts, t._orig_starts, t._lengths, strict=True):
            nxt = t._clean_starts[t._clean_starts.index(cs) + 1] if cs != t._clean_starts[-1] else len(t.text)
            merged.append(t.text[cs:nxt], os_, literal=ln > 0)
    return merged


def segment_text(text: str, doc: str, *, kind: str = "", main_lang: str | None = None) -> list[Segment]:
    """Segment a decoded document. ``kind`` is the manifest kind (``bilingual-slides`` enables
    slide numbering); ``main_lang`` labels lines with no letters (numbers, dates)."""
    slides = kind == "bilingual-slides"
    raw: list[_Block] = []
    blank = 0
    for line in iter_lines(text):
        if not line.text.strip():
            blank += 1
            continue
        clean, marks = clean_line(line.text, line.start)
        if not _WORDY.search(clean.text):  # thematic breaks (---, ***) and stray glyphs
            blank += 1
            continue
        raw.append(_Block([line], [clean], marks, blank))
        blank = 0
    blocks = _join_pdf_breaks(raw)

    default_lang = main_lang or "en"
    segments: list[Segment] = []
    slide = 1 if slides else None
    section: str | None = None
    in_title = True
    prev_kind_by_lang: tuple[str, str] | None = None  # (lang, kind) of the previous line
    for bi, block in enumerate(blocks):
        clean = _merge_texts(block.texts)
        marks = block.marks
        line_no = block.lines[0].number
        body = clean.text
        if in_title and bi > 0 and (
            block.blank_before >= 3 or len(body) > 100 or marks.bullet or marks.table or marks.number is not None
            or (marks.heading_level and bi > 0)
        ):
            in_title = False
        if in_title and (bi >= 8 or len(body) > 100):
            in_title = False
        if slides and bi > 0 and (block.blank_before >= 5 or (marks.number is not None and text_lang(body) == "zh")):
            slide = (slide or 0) + 1

        if marks.table:
            cells = [c for c in re.split(r"\t+", body) if c.strip()]
            row_text = " | ".join(_WS.sub(" ", c).strip() for c in cells)
            first = len(body) - len(body.lstrip())
            start, end = clean.span(first, len(body.rstrip()))
            segments.append(Segment(doc, f"{doc}:{line_no}:0", text_lang(row_text, default_lang), "table_row",
                                    row_text, start, end, line_no, section, slide, marks.continued))
            prev_kind_by_lang = None
            continue

        runs = split_mixed(body)
        n = 0
        for lang, a, b in runs:
            if lang not in ("zh", "en"):
                lang = default_lang
            if not script_counts(body[a:b]) != (0, 0):
                lang = default_lang
            if in_title:
                line_kind = "title"
            elif _is_heading(body[a:b], marks, lang) and not (len(runs) == 1 and prev_kind_by_lang
                                                               and prev_kind_by_lang[1] == "bullet" and lang == "en"):
                line_kind = "heading"
            elif marks.bullet:
                line_kind = "bullet"
            else:
                line_kind = "sentence"
            # In a bilingual document the English line translates the Chinese line before it
            # and carries no marks of its own: it inherits the Chinese line's kind.
            if (prev_kind_by_lang and prev_kind_by_lang[0] == "zh" and lang == "en" and len(runs) == 1
                    and not marks.bullet and not marks.heading_level and line_kind != "title"):
                line_kind = prev_kind_by_lang[1]
            if line_kind == "heading":
                heading_text = _WS.sub(" ", body[a:b]).strip()
                if slides:
                    if marks.number is not None:
                        section = str(marks.number)
                elif lang == default_lang or not main_lang:
                    section = heading_text
            spans = [(a, b)] if line_kind in ("title", "heading") else [
                (a + x, a + y) for x, y in split_sentences(body[a:b], lang)]
            for x, y in spans:
                piece = body[x:y]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece.rstrip())
                if trail <= lead:
                    continue
                start, end = clean.span(x + lead, x + trail)
                seg_text = _WS.sub(" ", piece).strip()
                segments.append(Segment(doc, f"{doc}:{line_no}:{n}", lang, line_kind, seg_text, start, end,
                                        line_no, section, slide, marks.continued))
                n += 1
            prev_kind_by_lang = (lang, line_kind)
    return segments


def segments_frame(segments: Iterable[Segment]):
    """Segments as a polars frame with the declared ``SEGMENT_SCHEMA``."""
    import polars as pl

    rows = [s.to_dict() for s in segments]
    return pl.DataFrame(rows, schema=segment_schema(), orient="row") if rows else pl.DataFrame(schema=segment_schema())


def segment_schema():
    import polars as pl

    return {
        "doc": pl.String, "id": pl.String, "lang": pl.String, "kind": pl.String, "text": pl.String,
        "start": pl.Int64, "end": pl.Int64, "line": pl.Int64, "section": pl.String, "slide": pl.Int64,
        "continued": pl.Boolean,
    }


def table_schema():
    import polars as pl

    return {"doc": pl.String, "table": pl.Int64, "row": pl.Int64, "col": pl.Int64, "text": pl.String,
            "start": pl.Int64, "end": pl.Int64, "line": pl.Int64}


def extract_tables(text: str, doc: str):
    """Every table of a document (tab-separated or leader-dotted rows) as one long polars frame:
    one row per cell with its table number, row, column and offsets (schema ``table_schema()``).
    A long frame keeps ragged rows (headers with fewer cells than the body) without padding."""
    import polars as pl

    rows: list[tuple] = []
    table = -1
    row = 0
    in_table = False
    for line in iter_lines(text):
        if not line.text.strip():
            continue
        clean, marks = clean_line(line.text, line.start)
        if not marks.table:
            in_table = False
            continue
        if not in_table:
            table += 1
            row = 0
            in_table = True
        body = clean.text
        col = 0
        for m in re.finditer(r"[^\t]+", body):
            cell = m.group().strip()
            if not cell:
                continue
            lead = len(m.group()) - len(m.group().lstrip())
            start, end = clean.span(m.start() + lead, m.start() + lead + len(cell))
            rows.append((doc, table, row, col, _WS.sub(" ", cell), start, end, line.number))
            col += 1
        row += 1
    return pl.DataFrame(rows, schema=table_schema(), orient="row")
