"""Glossary files: zhen CSV, JSON, OmegaT TSV, generic tables; read/write by extension.

zhen CSV (UTF-8 with BOM, so Excel opens the Chinese right)::

    concept_id,en,zh,en_variants,zh_variants,status,score,frequency,evidence,note

* variants: ``|``-separated, each ``text{type}`` or ``text{type;status}`` when the term status is
  not ``admitted`` (``NIAS{acronym}|加速計劃{shortForm}``);
* evidence: ``|``-separated ``source=pair_id@doc`` (``@doc`` left out when empty);
* inside any of those fields a backslash escapes ``\\ | { } ; = @``.

Every reader raises :class:`InputError` with the file and line and never returns half a file;
every writer goes through ``write_glossary`` (atomic, signed, never over a file a person edited).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

from zhen.corpora.errors import InputError, InvalidArgument, UnknownChoice
from zhen.corpora.output import allow_csv_fields, cell_in, cell_out
from zhen.corpora.textio import decode_bytes, read_input
from zhen.glossary.fields import format_evidence, format_variants, parse_evidence, parse_variants
from zhen.glossary.model import (
    ENTRY_KINDS, ENTRY_STATUSES, Entry, Evidence, Glossary, Term, concept_id,
)

CSV_HEADER = ("concept_id", "en", "zh", "en_variants", "zh_variants", "status", "score", "frequency", "evidence", "note",
              "kind")
# Glossaries written before entries had a kind: read as they are, kind empty.
_CSV_HEADER_NO_KIND = CSV_HEADER[:-1]
def _score_text(x: float) -> str:
    return f"{x:.4f}"


# --- zhen CSV ---------------------------------------------------------------------------------

def render_csv(g: Glossary) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180, as spreadsheets write it
    w.writerow(CSV_HEADER)
    for e in g.entries:
        w.writerow([cell_out(c) for c in (e.concept_id, e.en, e.zh, format_variants(e.en_variants),
                                           format_variants(e.zh_variants), e.status, _score_text(e.score),
                                           str(e.frequency), format_evidence(e.evidence), e.note, e.kind)])
    return buf.getvalue()


def _read_text(path: str | Path) -> str:
    data = read_input(path, what="glossary file", empty_hint="give a glossary file with a header line")
    # BOM-marked UTF-8 or UTF-16 (Excel's "Unicode text"), or legacy CJK encodings: all decode.
    text = decode_bytes(data, path=str(path)).text
    if not text.strip("\ufeff \t\r\n\u3000"):
        raise InputError(path, "is empty (only white space)", hint="give a glossary file with a header line")
    return text


def _csv_rows(text: str, path, delimiter: str | None = None) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each record; line numbers count physical lines (quoted newlines).
    No field-size limit beyond the file's own size: zhen reads back whatever it (or a person's
    spreadsheet) wrote."""
    allow_csv_fields(len(text))
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        line = 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})", line=reader.line_num, hint="check the quotes on that line") from None
    return [(n, r) for n, r in rows if any(c.strip() for c in r)]


def parse_csv(text: str, path: str | Path = "<csv>") -> Glossary:
    rows = _csv_rows(text, path)
    if not rows:
        raise InputError(path, "has no header", line=1, hint="the first line must be " + ",".join(CSV_HEADER))
    n0, header = rows[0]
    header = [h.strip().lstrip("\ufeff") for h in header]
    columns = CSV_HEADER if tuple(header) != _CSV_HEADER_NO_KIND else _CSV_HEADER_NO_KIND
    if tuple(header) != columns:
        missing = [h for h in CSV_HEADER if h not in header]
        extra = [h for h in header if h not in CSV_HEADER]
        raise InputError(path, "is not a zhen glossary CSV (header "
                         + (f"lacks {', '.join(missing)}" if missing else "") + ("; " if missing and extra else "")
                         + (f"has unknown {', '.join(extra)}" if extra else "") + ("order differs" if not missing and not extra else "") + ")",
                         line=n0, hint="header must be " + ",".join(CSV_HEADER) + "; to import another table use --columns")
    entries, seen = [], {}
    for n, row in rows[1:]:
        if len(row) != len(columns):
            raise InputError(path, f"has {len(row)} fields, the header has {len(columns)}", line=n,
                             hint="quote fields that contain commas; every row needs all columns")
        d = dict(zip(columns, (cell_in(c) for c in row)))
        entries.append(_entry_from_fields(d, path, n, seen))
    return Glossary.of(entries)


def _entry_from_fields(d: dict, path, n: int, seen: dict) -> Entry:
    en, zh = d["en"].strip(), d["zh"].strip()
    if not en or not zh:
        raise InputError(path, f"empty {'en' if not en else 'zh'} term", line=n, hint="fill in both terms or delete the row")
    status = d.get("status", "").strip() or "candidate"
    if status not in ENTRY_STATUSES:
        raise InputError(path, f"unknown status {status!r}", line=n, hint=f"use one of {', '.join(ENTRY_STATUSES)}")
    cid = d.get("concept_id", "").strip() or concept_id(en, zh)
    if cid in seen:
        raise InputError(path, f"duplicate concept id {cid} (first on line {seen[cid]})", line=n,
                         hint="give each row its own concept_id, or leave it empty to derive one")
    seen[cid] = n
    try:
        score = float(d.get("score") or 0.0)
        freq = int(d.get("frequency") or 0)
    except ValueError:
        raise InputError(path, "score or frequency is not a number", line=n, hint="score 0..1, frequency an integer") from None
    if not 0.0 <= score <= 1.0:
        raise InputError(path, f"score {score} outside 0..1", line=n, hint="write a score between 0 and 1")
    kind = d.get("kind", "").strip()
    if kind and kind not in ENTRY_KINDS:
        raise InputError(path, f"unknown kind {kind!r}", line=n, hint=f"use one of {', '.join(ENTRY_KINDS)}, or leave it empty")
    return Entry(cid, en, zh, parse_variants(d.get("en_variants", ""), path=path, line=n),
                 parse_variants(d.get("zh_variants", ""), path=path, line=n), status, score, freq,
                 parse_evidence(d.get("evidence", ""), path=path, line=n), d.get("note", ""), kind=kind)


def read_csv(path: str | Path) -> Glossary:
    return parse_csv(_read_text(path), str(path))


# --- JSON -------------------------------------------------------------------------------------

def render_json(g: Glossary) -> str:
    doc = {"format": "zhen-glossary", "version": 1, "meta": g.meta, "entries": [e.to_dict() for e in g.entries]}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_json(path: str | Path) -> Glossary:
    text = _read_text(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON ({exc.msg})", line=exc.lineno, hint="fix the JSON syntax") from None
    if not isinstance(doc, dict) or doc.get("format") != "zhen-glossary" or not isinstance(doc.get("entries"), list):
        raise InputError(path, "is not a zhen glossary JSON", line=1, hint='expected {"format": "zhen-glossary", "entries": [...]}')
    entries, seen = [], {}
    for i, d in enumerate(doc["entries"], 1):
        try:
            e = Entry.from_dict(d)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(path, f"entry #{i} is malformed ({exc})", hint="compare with a file zhen wrote") from None
        if not e.en.strip() or not e.zh.strip():
            raise InputError(path, f"entry #{i} has an empty term", hint="fill in both terms")
        if e.concept_id in seen:
            raise InputError(path, f"duplicate concept id {e.concept_id} (entries #{seen[e.concept_id]} and #{i})",
                             hint="give each entry its own concept_id")
        seen[e.concept_id] = i
        entries.append(e)
    return Glossary.of(entries, doc.get("meta") or {})


# --- OmegaT -----------------------------------------------------------------------------------

def _tsv_cell(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text)


def render_omegat(g: Glossary, *, source: str = "zh") -> str:
    """OmegaT glossary: ``source<TAB>target<TAB>comment`` (UTF-8). Source is the language being
    translated from; variants become extra lines so OmegaT matches them too."""
    lines = []
    for e in g.entries:
        if e.status == "rejected":
            continue
        comment = f"{e.concept_id} {e.status}" + (f"; {e.note}" if e.note else "")
        src_terms = e.terms(source)
        tgt = e.en if source == "zh" else e.zh
        for i, s in enumerate(src_terms):
            lines.append("\t".join(cell_out(_tsv_cell(c)) for c in (s, tgt, comment if i == 0 else f"{comment} (variant)")))
    return "".join(line + "\n" for line in lines)


def read_omegat(path: str | Path, *, source: str = "zh") -> Glossary:
    text = _read_text(path)
    entries, seen, by_id = [], {}, {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell_in(c) for c in line.split("\t")]
        if len(cells) < 2:
            raise InputError(path, "needs source<TAB>target", line=n, hint="separate the terms with a tab")
        s, t = cells[0].strip(), cells[1].strip()
        if not s or not t:
            raise InputError(path, "empty term", line=n, hint="fill in both terms or delete the line")
        zh, en = (s, t) if source == "zh" else (t, s)
        comment = cells[2].strip() if len(cells) > 2 else ""
        # Our own files: "cid status[; note]", and "(variant)" lines that belong to the entry above.
        m = re.match(r"^(\S+) (candidate|approved|rejected)(?:; (.*?))?( \(variant\))?$", comment, flags=re.S)
        if m and m.group(4) and m.group(1) in by_id:
            i = by_id[m.group(1)]
            e = entries[i]
            term = Term(s, "variant")
            entries[i] = replace(e, zh_variants=e.zh_variants + (term,)) if source == "zh" else replace(e, en_variants=e.en_variants + (term,))
            continue
        cid = m.group(1) if m else concept_id(en, zh)
        if cid in seen:
            raise InputError(path, f"duplicate term pair (first on line {seen[cid]})", line=n, hint="delete one of the lines")
        seen[cid] = n
        status, note = (m.group(2), m.group(3) or "") if m else ("candidate", comment)
        by_id[cid] = len(entries)
        entries.append(Entry(cid, en, zh, status=status, note=note, evidence=(Evidence(f"{Path(path).name}:{n}", "import"),)))
    return Glossary.of(entries)


# --- other people's tables --------------------------------------------------------------------

_ROLES = {"en", "zh", "abbr", "zh_abbr", "en_variant", "zh_variant", "note", "status", "zh_hans"}


def parse_columns(spec: str) -> dict[str, str]:
    """``en=English,zh="HK Chinese",abbr=English_Abbr`` → ``{"en": "English", …}``."""
    out: dict[str, str] = {}
    for m in re.finditer(r'\s*([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)', spec):
        role = m.group(1)
        col = m.group(2) if m.group(2) is not None else m.group(3).strip()
        if role not in _ROLES:
            raise InputError(None, f"unknown column role {role!r} in --columns",
                             hint=f"roles: {', '.join(sorted(_ROLES))}")
        out[role] = col.replace('\\"', '"')
    if "en" not in out or "zh" not in out:
        raise InputError(None, f"--columns {spec!r} must name the en and zh columns", hint='e.g. en=English,zh="HK Chinese"')
    return out


def read_table(path: str | Path, columns: dict[str, str] | str, *, delimiter: str | None = None) -> Glossary:
    """A glossary from someone else's CSV/TSV (or an Excel sheet saved as CSV / Unicode text),
    with ``columns`` mapping our roles to their headers."""
    cols = parse_columns(columns) if isinstance(columns, str) else dict(columns)
    text = _read_text(path)
    if delimiter is None and Path(path).suffix.lower() in (".tsv", ".txt"):
        delimiter = "\t"
    rows = _csv_rows(text, path, delimiter)
    if not rows:
        raise InputError(path, "has no header", line=1, hint="the first line must name the columns")
    n0, header = rows[0]
    header = [h.strip().lstrip("\ufeff") for h in header]
    index = {}
    for role, col in cols.items():
        if col not in header:
            raise InputError(path, f"has no column {col!r} (for {role})", line=n0, hint=f"columns are: {', '.join(header)}")
        index[role] = header.index(col)
    entries, seen = [], {}
    for n, row in rows[1:]:
        if len(row) != len(header):
            raise InputError(path, f"has {len(row)} fields, the header has {len(header)}", line=n,
                             hint="quote fields that contain the separator")
        get = {role: row[i].strip() for role, i in index.items()}
        en, zh = get["en"], get["zh"]
        if not en or not zh:
            raise InputError(path, f"empty {'en' if not en else 'zh'} term", line=n, hint="fill in both terms or delete the row")
        ev, zv = [], []
        if get.get("abbr"):
            ev.append(Term(get["abbr"], "acronym"))
        if get.get("en_variant"):
            ev.append(Term(get["en_variant"], "variant"))
        if get.get("zh_abbr"):
            zv.append(Term(get["zh_abbr"], "shortForm"))
        if get.get("zh_variant"):
            zv.append(Term(get["zh_variant"], "variant"))
        if get.get("zh_hans"):
            zv.append(Term(get["zh_hans"], "simplified"))
        status = get.get("status") or "candidate"
        if status not in ENTRY_STATUSES:
            raise InputError(path, f"unknown status {status!r}", line=n, hint=f"use one of {', '.join(ENTRY_STATUSES)}")
        cid = concept_id(en, zh)
        if cid in seen:
            raise InputError(path, f"duplicate term pair {en!r} / {zh!r} (first on line {seen[cid]})", line=n,
                             hint="merge the two rows")
        seen[cid] = n
        entries.append(Entry(cid, en, zh, tuple(ev), tuple(zv), status=status, note=get.get("note", ""),
                             evidence=(Evidence(f"{Path(path).name}:{n}", "import"),)))
    return Glossary.of(entries)


# --- dispatch ---------------------------------------------------------------------------------

def guess_format(path: str | Path, fmt: str | None = None) -> str:
    from zhen.glossary import GLOSSARY_FORMATS

    if fmt:
        return GLOSSARY_FORMATS.check(fmt)
    ext = Path(path).suffix.lower()
    for c in GLOSSARY_FORMATS:
        if ext in c.value[0]:
            return c.name
    known = ", ".join(e for c in GLOSSARY_FORMATS for e in c.value[0])
    raise InputError(path, f"cannot tell the glossary format from {ext or 'no extension'!r}",
                     hint=f"use {known}, or pass the format")


def read_glossary(path: str | Path, fmt: str | None = None, *, columns: dict | str | None = None) -> Glossary:
    """Read a glossary; the format comes from ``fmt`` or the extension. A ``.tbx`` file may be
    TBX v3 or TBX 2008 (told apart by its root element). ``columns`` reads a foreign table."""
    if columns is not None:
        return read_table(path, columns)
    f = guess_format(path, fmt)
    if f in ("csv", "omegat"):
        g = read_csv(path) if f == "csv" else read_omegat(path)
        return _with_sidecar_meta(g, path)
    if f == "json":
        return read_json(path)
    if f in ("tbx", "tbx2008"):
        from zhen.glossary.tbx import read_tbx

        return read_tbx(path)
    raise InputError(path, f"format {f!r} needs a column mapping", hint='pass columns="en=English,zh=Chinese"')


def _with_sidecar_meta(g: Glossary, path: str | Path) -> Glossary:
    """CSV/TSV carry their signature in a .meta.json beside them: read it back, so a conversion
    to TBX or JSON keeps what made the glossary."""
    from zhen.corpora.output import read_meta

    meta = None if g.meta else read_meta(path)
    if meta is None:
        return g  # none, or a damaged signature: not worth refusing the glossary for
    return Glossary.of(g.entries, {k: v for k, v in meta.items() if k not in ("sha256", "format")})


def render_glossary(g: Glossary, fmt: str, *, date: str | None = None, source_lang: str = "zh") -> bytes:
    """A glossary as the bytes of one of the writable formats."""
    if fmt == "csv":
        return ("\ufeff" + render_csv(g)).encode("utf-8")
    if fmt == "json":
        return render_json(g).encode("utf-8")
    if fmt == "omegat":
        return render_omegat(g, source=source_lang).encode("utf-8")
    from zhen.glossary.tbx import render_tbx, render_tbx2008

    return render_tbx(g, date=date) if fmt == "tbx" else render_tbx2008(g, date=date)


def write_glossary(g: Glossary, path: str | Path, fmt: str | None = None, *, date: str | None = None,
                   source_lang: str = "zh", force: bool = False) -> None:
    """Write a glossary atomically, with its signature in a ``.meta.json`` beside it (the
    glossary's own meta plus the file's SHA-256). The format comes from ``fmt`` or the extension
    (``.tbx`` is TBX v3; pass ``fmt="tbx2008"`` for the 2008 ``martif`` flavour). ``date`` (ISO
    8601) goes into TBX ``transacGrp``; without it no date is written, so output stays
    byte-identical. A file a person edited since zhen wrote it is never replaced unless
    ``force``: :class:`~zhen.corpora.errors.OutputError` says how to merge it instead."""
    from zhen.corpora.output import check_replaceable, write_signed
    from zhen.glossary import WRITABLE_GLOSSARY_FORMATS

    f = guess_format(path, fmt)
    if f not in WRITABLE_GLOSSARY_FORMATS:
        raise UnknownChoice("output glossary format", f, WRITABLE_GLOSSARY_FORMATS)
    if date is not None:
        check_date(date)
    check_replaceable(path, force=force, what="glossary", merge_hint=f"merge it with --merge {path} into a new file")
    write_signed(path, render_glossary(g, f, date=date, source_lang=source_lang), {**g.meta, "format": f})


def check_date(date: str) -> str:
    """An ISO 8601 calendar date (2026-02-26) for TBX ``transacGrp``."""
    import datetime

    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        raise InvalidArgument(f"--date {date!r} is not an ISO date (YYYY-MM-DD)") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise InvalidArgument(f"--date {date!r} is not an ISO date (YYYY-MM-DD)")
    return date
