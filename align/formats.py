"""Writing and reading aligned sentence pairs: ladder, TSV, JSON Lines and TMX 1.4b.

Formats
-------
Ladder (``.ladder``)
    One bead per line, ``[src ids]:[tgt ids]:score`` — the Vecalign/Bertalign notation,
    e.g. ``[0,1]:[2]:0.873`` or ``[]:[5]:0.000``. Ids are 0-based sentence indices; the score is
    written with three decimals, finer than a calibrated confidence can tell apart. Readers
    accept spaces inside the brackets (Vecalign writes ``[0, 1]``), a missing score (read as
    0.0, as in gold files), blank lines and ``#`` comment lines.
Champollion (``.align``, read only)
    The LDC Champollion Tool Kit gold: ``1,2 <=> 3`` with 1-based ids and ``omitted`` for an
    empty side, English on the left in the LDC zh-en set. Read into 0-based beads with the left
    side as ``src`` and score 1.0.
TSV (``.tsv``)
    A header row, then one pair per row: ``src_text tgt_text src_ids tgt_ids score doc
    src_seg_ids tgt_seg_ids``. Id lists are JSON arrays (``[0,1]``, ``["doc:12:0"]``), ``doc`` is
    empty when unknown. Text is escaped so a row is one line: backslash → ``\\\\``, tab → ``\\t``,
    line feed → ``\\n``, carriage return → ``\\r``. On reading, any other backslash sequence
    (``\\$`` from Markdown) is kept as it is, so unescaped files from elsewhere still read.
JSON Lines (``.jsonl``)
    One object per line with the keys of :class:`AlignedPair`.
TMX (``.tmx``)
    TMX 1.4b: a header with the seven required attributes, provenance as header ``<prop
    type="x-…">`` elements, one ``<tu>`` per bead with its score, ids and document in ``<prop>``s.
    Null beads (1-0, 0-1) are *skipped* by default — a translation memory holds translations,
    and tools treat a unit with one language as an untranslated entry; ``include_null=True``
    writes them with an empty ``<seg/>`` for the missing side. Text that XML 1.0 cannot carry
    (control characters other than tab/LF/CR, unpaired surrogates) is replaced by U+FFFD unless
    ``invalid_chars="error"``.

Every writer takes an open file (text for ladder/TSV/JSONL; text or binary for TMX) or a path;
a path is written through :func:`zhen.corpora.textio.atomic_write`, so a crash never leaves half
a file behind.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from lxml import etree

from zhen.align.types import Bead
from zhen.corpora.errors import InputError, UnknownChoice
from zhen.corpora.output import cell_in, cell_out
from zhen.corpora.textio import atomic_write, read_input

__all__ = [
    "AlignedPair",
    "FormatError",
    "TMX_REQUIRED_HEADER_ATTRIBUTES",
    "pairs_from_beads",
    "parse_ladder",
    "parse_champollion",
    "read_beads",
    "read_champollion",
    "read_ladder",
    "read_pairs",
    "read_pairs_jsonl",
    "read_pairs_tsv",
    "read_tmx",
    "write_ladder",
    "write_pairs_jsonl",
    "write_pairs_tsv",
    "write_tmx",
]

PathLike = str | os.PathLike[str]

TMX_REQUIRED_HEADER_ATTRIBUTES = (
    "creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype",
)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TSV_COLUMNS = ("src_text", "tgt_text", "src_ids", "tgt_ids", "score", "doc", "src_seg_ids",
                "tgt_seg_ids")


class FormatError(InputError, ValueError):
    """A file (or text) that is not in the expected format; names where and how to fix it, in
    the one message shape every input error has (``path, line N: problem (fix)``)."""

    def __init__(self, message: str, *, source: str = "<text>", line: int | None = None,
                 fix: str = "") -> None:
        self.source = source
        self.reason = message
        super().__init__(source, message, line=line, hint=fix)


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """A bead with its texts: what every writer here takes and every reader returns, and what
    the glossary builder and the terminology QA read.

    ``src_ids``/``tgt_ids`` are the bead's 0-based sentence indices; ``src_text``/``tgt_text``
    the joined sentences (empty for the missing side of a null bead). ``src_seg_ids`` and
    ``tgt_seg_ids`` optionally carry the segmenter's string ids (``doc:12:0``). ``src_marks``
    and ``tgt_marks`` are names the source emphasised (bold) inside the pair: segment text has
    lost that markup, and the glossary takes emphasis as evidence of a term. The files here do
    not store marks. ``unit_id`` is the id the file gives the unit (a TMX ``tuid``, an XLIFF
    ``id``), so a finding can be found again in the tool that wrote the file; empty when the
    file gives none.
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    src_text: str
    tgt_text: str
    score: float = 0.0
    doc: str | None = None
    src_seg_ids: tuple[str, ...] = ()
    tgt_seg_ids: tuple[str, ...] = ()
    src_marks: tuple[str, ...] = ()
    tgt_marks: tuple[str, ...] = ()
    unit_id: str = ""

    @property
    def bead(self) -> Bead:
        return Bead(self.src_ids, self.tgt_ids, self.score)

    @property
    def is_null(self) -> bool:
        return not self.src_ids or not self.tgt_ids

    @property
    def pair_id(self) -> str:
        """Where the pair sits: its source segment ids joined by ``+`` (the target's for a 0-1
        bead), else ``doc:`` and its sentence ids. Stable while the segmentation is, whatever
        the aligner does around the pair."""
        ids = self.src_seg_ids or self.tgt_seg_ids
        if ids:
            return "+".join(ids)
        return (f"{self.doc}:" if self.doc else "") + ",".join(map(str, self.src_ids or self.tgt_ids))

    def swapped(self) -> AlignedPair:
        """The same pair with source and target exchanged."""
        return AlignedPair(self.tgt_ids, self.src_ids, self.tgt_text, self.src_text, self.score,
                           self.doc, self.tgt_seg_ids, self.src_seg_ids, self.tgt_marks,
                           self.src_marks, self.unit_id)


def pairs_from_beads(beads: Iterable[Bead], src_sentences: Sequence[str],
                     tgt_sentences: Sequence[str], *, doc: str | None = None,
                     src_sep: str = "", tgt_sep: str = " ",
                     src_seg_ids: Sequence[str] | None = None,
                     tgt_seg_ids: Sequence[str] | None = None,
                     src_marks: Sequence[Sequence[str]] | None = None,
                     tgt_marks: Sequence[Sequence[str]] | None = None) -> list[AlignedPair]:
    """Attach texts (and optional segment ids and per-sentence marks) to beads.

    Sentences of a many-to-one bead are joined with ``src_sep``/``tgt_sep``; the defaults suit
    Chinese source (no space) and English target (one space). ``src_marks[i]`` are the names
    emphasised in source sentence ``i``; a pair gets those of its sentences in order.
    """
    def each(ids: Sequence[int], per_sentence: Sequence | None) -> tuple:
        return () if per_sentence is None else tuple(per_sentence[i] for i in ids)

    def joined(ids: Sequence[int], per_sentence: Sequence[Sequence[str]] | None) -> tuple[str, ...]:
        return () if per_sentence is None else tuple(m for i in ids for m in per_sentence[i])

    out = []
    for k, bead in enumerate(beads):
        for side, ids, sents in (("source", bead.src, src_sentences),
                                 ("target", bead.tgt, tgt_sentences)):
            bad = [i for i in ids if not 0 <= i < len(sents)]
            if bad:
                raise IndexError(
                    f"pairs_from_beads: bead {k} ({bead}) refers to {side} sentence {bad[0]}, "
                    f"but there are {len(sents)} {side} sentences; pass the sentence lists the "
                    "beads were aligned on"
                )
        out.append(AlignedPair(
            tuple(bead.src), tuple(bead.tgt),
            src_sep.join(src_sentences[i] for i in bead.src),
            tgt_sep.join(tgt_sentences[i] for i in bead.tgt),
            float(bead.score), doc, each(bead.src, src_seg_ids), each(bead.tgt, tgt_seg_ids),
            joined(bead.src, src_marks), joined(bead.tgt, tgt_marks),
        ))
    return out


# ---------------------------------------------------------------------------------------------
# Reading and writing


def _write_text(fh_or_path: IO[str] | PathLike, write: Callable[[IO[str]], None]) -> None:
    if hasattr(fh_or_path, "write"):
        write(fh_or_path)  # type: ignore[arg-type]
    else:
        with atomic_write(fh_or_path) as fh:  # type: ignore[arg-type]
            write(fh)


def _read_source(source: IO[str] | PathLike) -> tuple[str, str]:
    """Text and a name for messages, from a path or an open text file."""
    if hasattr(source, "read"):
        data = source.read()  # type: ignore[union-attr]
        if isinstance(data, bytes):
            data = data.decode("utf-8-sig")
        return data, str(getattr(source, "name", "<stream>"))
    p = Path(source)  # type: ignore[arg-type]
    try:
        # Bytes, not read_text(): universal-newline decoding would turn a lone CR into LF.
        return read_input(p, what="pairs file", allow_empty=True).decode("utf-8-sig"), str(p)
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=str(p),
                          fix="re-save the file as UTF-8") from None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    # Split on line feeds only: str.splitlines() would also split on U+2028, U+0085 and
    # form feeds, which may sit inside the texts of a JSONL or TMX-derived record.
    for n, line in enumerate(text.split("\n"), 1):
        yield n, line[:-1] if line.endswith("\r") else line


# ---------------------------------------------------------------------------------------------
# Ladder

_LADDER_RE = re.compile(
    r"^\s*\[\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)\]\s*:\s*\[\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)\]"
    r"\s*(?::\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*)?$"
)


def _ids_text(ids: Sequence[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def write_ladder(beads: Iterable[Bead | AlignedPair], fh_or_path: IO[str] | PathLike) -> None:
    """Write beads (or pairs) one per line as ``[0,1]:[2]:0.873``."""
    lines = []
    for k, bead in enumerate(beads):
        if isinstance(bead, AlignedPair):
            bead = bead.bead
        if not math.isfinite(bead.score):
            raise FormatError(f"bead {k} has score {bead.score}, which a ladder cannot hold",
                              source="write_ladder", fix="give every bead a finite score")
        lines.append(f"{_ids_text(bead.src)}:{_ids_text(bead.tgt)}:{bead.score:.3f}\n")
    _write_text(fh_or_path, lambda fh: fh.writelines(lines))


def parse_ladder(text: str, *, source: str = "<text>") -> list[Bead]:
    """Beads from ladder text; ``source`` names it in errors."""
    out = []
    for n, line in _lines(text):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LADDER_RE.match(line)
        if m is None:
            raise FormatError(
                f"not a ladder line: {line[:80]!r}", source=source, line=n,
                fix="write each bead as [src ids]:[tgt ids]:score, e.g. [0,1]:[2]:0.873",
            )
        src = tuple(int(x) for x in m.group(1).split(",")) if m.group(1).strip() else ()
        tgt = tuple(int(x) for x in m.group(2).split(",")) if m.group(2).strip() else ()
        for side, ids in (("source", src), ("target", tgt)):
            if any(b <= a for a, b in zip(ids, ids[1:])):
                raise FormatError(f"{side} ids {list(ids)} are not strictly ascending",
                                  source=source, line=n, fix="list each id once, in order")
        if not src and not tgt:
            raise FormatError("a bead with no source and no target ids", source=source, line=n,
                              fix="delete the line or give it ids")
        score = float(m.group(3)) if m.group(3) else 0.0
        if not math.isfinite(score):
            raise FormatError(f"score {m.group(3)} is not finite", source=source, line=n)
        out.append(Bead(src, tgt, score))
    return out


def read_ladder(path_or_text: PathLike | IO[str]) -> list[Bead]:
    """Beads from a ladder file, an open file, or ladder text.

    A ``str`` is taken as ladder text when it is blank, contains a newline or starts with
    ``[``; otherwise as a path. Pass a ``Path`` to force the path reading.
    """
    if isinstance(path_or_text, str):
        stripped = path_or_text.strip()
        if not stripped or "\n" in path_or_text or stripped.startswith("["):
            return parse_ladder(path_or_text)
    text, name = _read_source(path_or_text)
    return parse_ladder(text, source=name)


def _champollion_side(field: str, source: str, line: int) -> tuple[int, ...]:
    field = field.strip()
    if field == "omitted":
        return ()
    try:
        ids = tuple(int(x) - 1 for x in field.split(","))
    except ValueError:
        raise FormatError(f"bad sentence ids {field!r}", source=source, line=line,
                          fix="write ids as 1,2 or the word omitted") from None
    if any(x < 0 for x in ids):
        raise FormatError(f"Champollion ids are 1-based, got {field!r}", source=source, line=line)
    return ids


def parse_champollion(text: str, *, source: str = "<text>") -> list[Bead]:
    """Beads from Champollion ``1,2 <=> 3`` text; ``source`` names it in errors."""
    out = []
    for n, line in _lines(text):
        if not line.strip():
            continue
        parts = line.split("<=>")
        if len(parts) != 2:
            raise FormatError(f"expected 'ids <=> ids', got {line.strip()[:80]!r}", source=source,
                              line=n, fix="write each bead as 1,2 <=> 3 (omitted for an empty side)")
        src = _champollion_side(parts[0], source, n)
        tgt = _champollion_side(parts[1], source, n)
        if not src and not tgt:
            raise FormatError("bead is 'omitted' on both sides", source=source, line=n,
                              fix="delete the line")
        out.append(Bead(src, tgt, 1.0))
    return out


def read_champollion(source: PathLike | IO[str]) -> list[Bead]:
    """Beads from a Champollion ``.align`` file or an open file."""
    text, name = _read_source(source)
    return parse_champollion(text, source=name)


def read_beads(source: PathLike | IO[str]) -> list[Bead]:
    """Beads from a ladder or a Champollion file, told apart by content (``<=>`` is Champollion)."""
    text, name = _read_source(source)
    if "<=>" in text:
        return parse_champollion(text, source=name)
    return parse_ladder(text, source=name)


# ---------------------------------------------------------------------------------------------
# TSV and JSON Lines

_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_ESC_RE = re.compile(r"[\\\t\n\r]")
_TSV_UNESC_RE = re.compile(r"\\(.)", re.DOTALL)
_TSV_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _tsv_escape(s: str) -> str:
    """A text cell: tabs and line breaks escaped, and never a live spreadsheet formula."""
    return cell_out(_TSV_ESC_RE.sub(lambda m: _TSV_ESCAPES[m.group()], s))


def _tsv_unescape(s: str) -> str:
    s = cell_in(s)
    if "\\" not in s:
        return s
    return _TSV_UNESC_RE.sub(lambda m: _TSV_UNESCAPES.get(m.group(1), m.group()), s)


def _check_score(p: AlignedPair, k: int, where: str) -> None:
    if not math.isfinite(p.score):
        raise FormatError(f"pair {k} has score {p.score}", source=where,
                          fix="give every pair a finite score")


def _compact(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_pairs_tsv(pairs: Iterable[AlignedPair], fh_or_path: IO[str] | PathLike, *,
                    header: bool = True) -> None:
    """Write pairs as TSV (columns and escaping in the module docstring)."""
    rows = ["\t".join(_TSV_COLUMNS) + "\n"] if header else []
    for k, p in enumerate(pairs):
        _check_score(p, k, "write_pairs_tsv")
        rows.append("\t".join((
            _tsv_escape(p.src_text), _tsv_escape(p.tgt_text), _compact(list(p.src_ids)),
            _compact(list(p.tgt_ids)), repr(float(p.score)), _tsv_escape(p.doc or ""),
            _compact(list(p.src_seg_ids)), _compact(list(p.tgt_seg_ids)),
        )) + "\n")
    _write_text(fh_or_path, lambda fh: fh.writelines(rows))


def _pair_from_record(rec: Mapping[str, object], source: str, line: int) -> AlignedPair:
    def ids(key: str, kind: type) -> tuple:
        val = rec.get(key, [])
        if not isinstance(val, list) or not all(isinstance(x, kind) and not isinstance(x, bool)
                                                for x in val):
            raise FormatError(f"{key} must be a list of {kind.__name__}s, got {val!r}",
                              source=source, line=line)
        if kind is int and any(x < 0 for x in val):
            raise FormatError(f"{key} has a negative id: {val!r}", source=source, line=line)
        return tuple(val)

    for key in ("src_text", "tgt_text"):
        if not isinstance(rec.get(key), str):
            raise FormatError(f"missing or non-text {key!r}", source=source, line=line,
                              fix="every record needs src_text and tgt_text strings")
    score = rec.get("score", 0.0)
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise FormatError(f"score must be a finite number, got {score!r}", source=source,
                          line=line)
    doc = rec.get("doc")
    if doc is not None and not isinstance(doc, str):
        raise FormatError(f"doc must be text or null, got {doc!r}", source=source, line=line)
    return AlignedPair(ids("src_ids", int), ids("tgt_ids", int), rec["src_text"],  # type: ignore[arg-type]
                       rec["tgt_text"], float(score), doc or None,  # type: ignore[arg-type]
                       ids("src_seg_ids", str), ids("tgt_seg_ids", str))


def read_pairs_tsv(source: PathLike | IO[str]) -> list[AlignedPair]:
    """Pairs from TSV written by :func:`write_pairs_tsv`; without a header row the column order is the default one."""
    text, name = _read_source(source)
    out = []
    columns: tuple[str, ...] = _TSV_COLUMNS
    for n, line in _lines(text):
        if not line:
            continue
        cells = line.split("\t")
        if n == 1 and cells[0] == "src_text":
            columns = tuple(cells)
            missing = {"src_text", "tgt_text"} - set(columns)
            if missing:
                raise FormatError(f"header lacks column(s) {sorted(missing)}", source=name, line=1)
            continue
        if len(cells) < 2 or len(cells) > len(columns):
            raise FormatError(
                f"{len(cells)} tab-separated cells, expected 2 to {len(columns)}", source=name,
                line=n, fix="escape tabs and newlines inside texts as \\t and \\n",
            )
        rec: dict[str, object] = {}
        for col, cell in zip(columns, cells):
            if col in ("src_text", "tgt_text", "doc"):
                rec[col] = _tsv_unescape(cell)
            elif col == "score":
                try:
                    rec[col] = float(cell) if cell else 0.0
                except ValueError:
                    raise FormatError(f"score {cell!r} is not a number", source=name,
                                      line=n) from None
            elif col in ("src_ids", "tgt_ids", "src_seg_ids", "tgt_seg_ids"):
                try:
                    rec[col] = json.loads(cell) if cell else []
                except json.JSONDecodeError:
                    raise FormatError(f"{col} {cell!r} is not a JSON list such as [0,1]",
                                      source=name, line=n) from None
        out.append(_pair_from_record(rec, name, n))
    return out


def write_pairs_jsonl(pairs: Iterable[AlignedPair], fh_or_path: IO[str] | PathLike) -> None:
    """Write pairs as JSON Lines, one object per pair, UTF-8 kept as is."""
    rows = []
    for k, p in enumerate(pairs):
        _check_score(p, k, "write_pairs_jsonl")
        rows.append(_compact({
            "src_ids": list(p.src_ids), "tgt_ids": list(p.tgt_ids), "score": float(p.score),
            "src_text": p.src_text, "tgt_text": p.tgt_text, "doc": p.doc,
            "src_seg_ids": list(p.src_seg_ids), "tgt_seg_ids": list(p.tgt_seg_ids),
        }) + "\n")
    _write_text(fh_or_path, lambda fh: fh.writelines(rows))


def read_pairs_jsonl(source: PathLike | IO[str]) -> list[AlignedPair]:
    """Pairs from JSON Lines written by :func:`write_pairs_jsonl`; blank lines are skipped."""
    text, name = _read_source(source)
    out = []
    for n, line in _lines(text):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(f"invalid JSON ({exc.msg} at column {exc.colno})", source=name,
                              line=n, fix="one JSON object per line") from None
        if not isinstance(rec, dict):
            raise FormatError("a JSON value that is not an object", source=name, line=n)
        out.append(_pair_from_record(rec, name, n))
    return out


def read_pairs(path: PathLike, *, format: Literal["tsv", "jsonl", "tmx"] | None = None,
               srclang: str = "zh-HK", tgtlang: str = "en") -> list[AlignedPair]:
    """Pairs from a TSV, JSONL or TMX file: ``format``, else the extension, else the content."""
    p = Path(path)
    fmt = format
    if fmt is None:
        ext = p.suffix.lower()
        fmt = {".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".tmx": "tmx"}.get(ext)  # type: ignore[assignment]
    if fmt is None:
        head = read_input(p, what="pairs file", allow_empty=True)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        fmt = "jsonl" if head.startswith(b"{") else "tmx" if head.startswith(b"<") else "tsv"
    if fmt == "tsv":
        return read_pairs_tsv(p)
    if fmt == "jsonl":
        return read_pairs_jsonl(p)
    if fmt == "tmx":
        return read_tmx(p, srclang=srclang, tgtlang=tgtlang)
    raise UnknownChoice("pair format", format, ("tsv", "jsonl", "tmx"))


# ---------------------------------------------------------------------------------------------
# TMX

# Characters XML 1.0 forbids (besides tab, LF, CR) and unpaired surrogates.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("zhen-toolkit")
    except Exception:  # not installed (running from a checkout): the header still needs a value
        return "0.1.0"


def _xml_text(s: str, what: str, policy: str) -> str:
    if _XML_ILLEGAL.search(s) is None:
        return s
    if policy == "error":
        bad = _XML_ILLEGAL.search(s).group()  # type: ignore[union-attr]
        raise FormatError(f"{what} contains U+{ord(bad):04X}, which XML 1.0 cannot hold",
                          source="write_tmx",
                          fix="clean the text, or pass invalid_chars='replace'")
    return _XML_ILLEGAL.sub("\ufffd", s)


def _prop(parent: etree._Element, kind: str, value: str, policy: str) -> None:
    el = etree.SubElement(parent, "prop", type=kind if kind.startswith("x-") else f"x-{kind}")
    el.text = _xml_text(value, f"prop {kind}", policy)


def write_tmx(pairs: Iterable[AlignedPair], fh_or_path: IO | PathLike, *,
              srclang: str = "zh-HK", tgtlang: str = "en",
              provenance: Mapping[str, object] | None = None, include_null: bool = False,
              creationtool: str = "zhen", creationtoolversion: str | None = None,
              segtype: str = "sentence", adminlang: str = "en",
              invalid_chars: Literal["replace", "error"] = "replace") -> int:
    """Write a TMX 1.4b file; returns the number of ``<tu>`` written.

    ``provenance`` (encoder, model, source files…) becomes header ``<prop type="x-KEY">``s;
    each ``<tu>`` carries ``x-score``, ``x-src-ids``, ``x-tgt-ids`` and, when known, ``x-doc``,
    ``x-src-seg-ids``, ``x-tgt-seg-ids``. Null beads are skipped unless ``include_null``.
    """
    if invalid_chars not in ("replace", "error"):
        raise UnknownChoice("invalid_chars policy", invalid_chars, ("replace", "error"))
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": creationtool,
        "creationtoolversion": creationtoolversion or _tool_version(),
        "segtype": segtype,
        "o-tmf": "zhen-aligned-pairs",
        "adminlang": adminlang,
        "srclang": srclang,
        "datatype": "plaintext",
    })
    for key, value in (provenance or {}).items():
        _prop(header, str(key), value if isinstance(value, str) else _compact(value), invalid_chars)
    body = etree.SubElement(root, "body")
    written = 0
    for k, p in enumerate(pairs):
        if p.is_null and not include_null:
            continue
        _check_score(p, k, "write_tmx")
        tu = etree.SubElement(body, "tu", tuid=str(k + 1))
        _prop(tu, "x-score", f"{p.score:.3f}", invalid_chars)
        _prop(tu, "x-src-ids", _compact(list(p.src_ids)), invalid_chars)
        _prop(tu, "x-tgt-ids", _compact(list(p.tgt_ids)), invalid_chars)
        if p.doc:
            _prop(tu, "x-doc", p.doc, invalid_chars)
        if p.src_seg_ids:
            _prop(tu, "x-src-seg-ids", _compact(list(p.src_seg_ids)), invalid_chars)
        if p.tgt_seg_ids:
            _prop(tu, "x-tgt-seg-ids", _compact(list(p.tgt_seg_ids)), invalid_chars)
        for lang, text in ((srclang, p.src_text), (tgtlang, p.tgt_text)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(_XML_LANG, lang)
            seg = etree.SubElement(tuv, "seg")
            seg.text = _xml_text(text, f"pair {k} ({lang})", invalid_chars)
        written += 1
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    if hasattr(fh_or_path, "write"):
        if isinstance(fh_or_path, io.TextIOBase):
            fh_or_path.write(data.decode("utf-8"))
        else:
            fh_or_path.write(data)  # type: ignore[union-attr]
    else:
        with atomic_write(fh_or_path, "wb") as fh:  # type: ignore[arg-type]
            fh.write(data)
    return written


def _lang_matches(found: str | None, wanted: str) -> bool:
    """``zh`` matches ``zh-HK`` and the reverse; ``zh-HK`` does not match ``zh-CN``."""
    if not found:
        return False
    a = found.lower().replace("_", "-")
    b = wanted.lower().replace("_", "-")
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


def _seg_text(seg: etree._Element) -> str:
    """Plain text of a ``<seg>``: its text and ``<hi>`` text, without inline native codes.

    Entity references are not expanded (the parser is told not to); one left in the tree is
    kept as its literal ``&name;``.
    """
    parts = [seg.text or ""]
    for child in seg:
        if isinstance(child, etree._Entity):
            parts.append(f"&{child.name};")
        elif isinstance(child, etree._Element) and child.tag in ("hi", "sub"):
            parts.append(_seg_text(child))
        # bpt/ept/ph/it/ut hold the original format's markup, not text: dropped.
        parts.append(child.tail or "")
    return "".join(parts)


def _json_prop(tu: etree._Element, kind: str, name: str, elem_kind: type) -> tuple:
    el = tu.find(f"prop[@type='{kind}']")
    if el is None or not el.text:
        return ()
    try:
        val = json.loads(el.text)
    except json.JSONDecodeError:
        raise FormatError(f"<prop type={kind!r}> is not a JSON list: {el.text[:60]!r}",
                          source=name, line=el.sourceline) from None
    if not isinstance(val, list) or not all(isinstance(x, elem_kind) and not isinstance(x, bool)
                                            for x in val):
        raise FormatError(f"<prop type={kind!r}> must list {elem_kind.__name__}s", source=name,
                          line=el.sourceline)
    return tuple(val)


def read_tmx(path: PathLike | IO[bytes], *, srclang: str = "zh-HK",
             tgtlang: str = "en") -> list[AlignedPair]:
    """Pairs from a TMX file whose units hold ``srclang`` and ``tgtlang`` variants.

    Safe on untrusted files: no DTD loading, no entity expansion, no network. Ids, score and
    document come from the ``x-`` props this module writes; a TMX from elsewhere gets
    ``src_ids == tgt_ids == (unit index,)``, score 0 and its ``tuid`` as ``unit_id``.
    """
    name = str(getattr(path, "name", path))
    if not hasattr(path, "read"):
        import io

        path = io.BytesIO(read_input(path, what="TMX file", allow_empty=True))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        tree = etree.parse(path if hasattr(path, "read") else str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"not well-formed XML: {exc.msg}", source=name,
                          line=exc.lineno, fix="check that the file is a complete TMX document") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc})", hint="check the path") from None
    root = tree.getroot()
    if root.tag != "tmx":
        raise FormatError(f"root element is <{root.tag}>, not <tmx>", source=name,
                          line=root.sourceline)
    header = root.find("header")
    body = root.find("body")
    if header is None or body is None:
        raise FormatError("missing <header> or <body>", source=name, line=root.sourceline)
    head_src = header.get("srclang")
    if head_src and head_src != "*all*" and not (_lang_matches(head_src, srclang)
                                                 or _lang_matches(head_src, tgtlang)):
        raise FormatError(
            f"this TMX is for source language {head_src!r}, expected {srclang!r} and {tgtlang!r}",
            source=name, line=header.sourceline,
            fix=f"pass srclang=/tgtlang= matching the file, or use a {srclang}–{tgtlang} TMX",
        )
    out = []
    for k, tu in enumerate(body.iter("tu")):
        texts: dict[str, str] = {}
        langs = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang")  # "lang" is the TMX 1.1 spelling
            langs.append(lang)
            seg = tuv.find("seg")
            text = _seg_text(seg) if seg is not None else ""
            if _lang_matches(lang, srclang) and "src" not in texts:
                texts["src"] = text
            elif _lang_matches(lang, tgtlang) and "tgt" not in texts:
                texts["tgt"] = text
        if len(texts) < 2:
            missing = [w for w, side in ((srclang, "src"), (tgtlang, "tgt")) if side not in texts]
            raise FormatError(
                f"<tu> has languages {langs}, none matching {missing}", source=name,
                line=tu.sourceline,
                fix="read it with the file's languages (srclang=, tgtlang=) or drop that unit",
            )
        score_el = tu.find("prop[@type='x-score']")
        try:
            score = float(score_el.text) if score_el is not None and score_el.text else 0.0
        except ValueError:
            raise FormatError(f"x-score {score_el.text!r} is not a number", source=name,
                              line=score_el.sourceline) from None
        src_ids = _json_prop(tu, "x-src-ids", name, int)
        tgt_ids = _json_prop(tu, "x-tgt-ids", name, int)
        # A TMX from elsewhere names its units by tuid; in zhen's own the tuid is the position.
        unit_id = ""
        if tu.find("prop[@type='x-src-ids']") is None:
            src_ids = (k,) if texts["src"] else ()
            tgt_ids = (k,) if texts["tgt"] else ()
            unit_id = tu.get("tuid") or ""
        doc_el = tu.find("prop[@type='x-doc']")
        out.append(AlignedPair(
            src_ids, tgt_ids, texts["src"], texts["tgt"], score,
            doc_el.text if doc_el is not None and doc_el.text else None,
            _json_prop(tu, "x-src-seg-ids", name, str), _json_prop(tu, "x-tgt-seg-ids", name, str),
            unit_id=unit_id,
        ))
    return out
