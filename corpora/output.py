"""Writing records: JSONL / TSV / CSV, atomically, each with a signature of what made it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from zhen.corpora.errors import OutputError, UnknownChoice
from zhen.corpora.registry import Registry
from zhen.corpora.textio import atomic_write

# Record formats of tables zhen writes (segments, mentions, findings …).
RECORD_FORMATS: Registry = Registry("format")
RECORD_FORMATS.add("jsonl", "jsonl", "one JSON object a record")
RECORD_FORMATS.add("tsv", "tsv", "tab-separated, with a header")
RECORD_FORMATS.add("csv", "csv", "comma-separated, with a header")
FORMATS = RECORD_FORMATS.names()


def toolkit_version() -> str:
    try:
        return version("zhen-toolkit")
    except PackageNotFoundError:
        return "0+unknown"


def signature(**settings) -> dict:
    """What made an output (sacrebleu's lesson): versions of everything that changes results,
    plus the settings the caller passes in."""
    from zhen.corpora.zhtext import jieba_version, opencc_version

    sig = {
        "toolkit": "zhen",
        "version": toolkit_version(),
        "python": platform.python_version(),
        "jieba": jieba_version(),
        "opencc": opencc_version(),
    }
    sig.update({k: v for k, v in settings.items() if v is not None})
    return sig


# --- cells a spreadsheet would run ---------------------------------------------------------------
# A cell that begins with = + - @ (or a tab or carriage return) is a formula to Excel and
# LibreOffice, even inside quotes (CSV injection, OWASP). zhen writes such a cell with a leading
# apostrophe. To keep the escape reversible, a cell whose apostrophes are followed by one of those
# characters gets one more; zhen's readers take one off exactly there. Other cells are untouched.
_FORMULA_START = "=+-@\t\r"


def _formula_like(text: str) -> bool:
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in _FORMULA_START


def cell_out(text: str) -> str:
    """A text cell as zhen writes it into CSV/TSV (never a live formula)."""
    return "'" + text if _formula_like(text) else text


def cell_in(text: str) -> str:
    """A CSV/TSV cell zhen wrote, back to its text (inverse of :func:`cell_out`)."""
    return text[1:] if text.startswith("'") and _formula_like(text) else text


def allow_csv_fields(size: int) -> None:
    """Let the csv module read fields up to ``size`` characters (its default limit, 131,072, is
    smaller than cells zhen may write)."""
    import csv

    csv.field_size_limit(max(csv.field_size_limit(), size + 1))


def frame_out(frame):
    """A polars frame with every text column passed through :func:`cell_out`."""
    import polars as pl

    cols = [c for c, t in frame.schema.items() if t == pl.Utf8]
    if not cols:
        return frame
    return frame.with_columns([
        pl.when(pl.col(c).str.contains(r"^'*[=+\-@\t\r]")).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in cols
    ])


def settings_of(func, *, skip: tuple[str, ...] = ("encoder",), **overrides) -> dict:
    """The keyword settings of a stage function with their defaults (numbers, strings, flags),
    updated by ``overrides``: what a signature records so that an output names every constant
    that made it, not only the encoder."""
    import inspect

    out = {}
    for name, p in inspect.signature(func).parameters.items():
        if p.kind is p.KEYWORD_ONLY and name not in skip and isinstance(p.default, (bool, int, float, str)):
            out[name] = p.default
    out.update({k: v for k, v in overrides.items() if k in out})
    return out


def render_records(rows: list[dict], fmt: str, schema: dict | None = None) -> str:
    """Records as text in ``fmt``. CSV/TSV go through polars with the declared schema;
    JSONL keeps key order and non-ASCII text as it is."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt in ("csv", "tsv"):
        import polars as pl

        frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
        buf = io.StringIO()
        frame_out(frame).write_csv(buf, separator="," if fmt == "csv" else "\t")
        return buf.getvalue()
    raise UnknownChoice("format", fmt, FORMATS)


def write_text(path: str | Path, text: str, *, bom: bool = False) -> None:
    with atomic_write(path, "w", encoding="utf-8-sig" if bom else "utf-8") as fh:
        fh.write(text)


def write_meta(path: str | Path, meta: dict) -> None:
    write_text(path, json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def meta_path(path: str | Path) -> Path:
    """The `.meta.json` file that travels beside a CSV/JSONL output."""
    p = Path(path)
    return p.with_name(p.name + ".meta.json") if p.suffix not in (".json",) else p.with_suffix(".meta.json")


def rows_of(segments: Iterable) -> list[dict]:
    return [s.to_dict() for s in segments]


# --- signed files: what zhen wrote, told apart from what a person edited ----------------------

SIGNATURE_HASH = "sha256"


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_meta(path: str | Path) -> dict | None:
    """The signature beside ``path``, or None when there is none or it cannot be read."""
    side = meta_path(path)
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def signed_state(path: str | Path) -> str:
    """``absent``; ``ours`` (its bytes hash to what its ``.meta.json`` says zhen wrote); or
    ``edited`` (a person changed it, or it has no signature zhen can check)."""
    p = Path(path)
    if not p.exists():
        return "absent"
    if p.is_dir():
        raise OutputError(p, "is a directory", hint="give a file name")
    meta = read_meta(p)
    if meta is not None and meta.get(SIGNATURE_HASH) == file_sha256(p):
        return "ours"
    return "edited"


def check_replaceable(path: str | Path, *, force: bool = False, what: str = "file", merge_hint: str = "") -> None:
    """Refuse to replace a file a person edited (unless ``force``): the one rule that keeps
    people's work from being written over."""
    if not force and signed_state(path) == "edited":
        hint = f"{merge_hint}, or --force to replace it" if merge_hint else "write elsewhere, or --force to replace it"
        raise OutputError(path, f"is a {what} that was edited since zhen wrote it (its content no longer matches "
                                f"{meta_path(path).name})", hint=hint)


def _writable_place(p: Path, what: str) -> None:
    probe = p
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(p, f"{probe} is a file, not a folder", hint=f"choose another {what}")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(p, f"cannot write in {probe} (permission denied)", hint="choose a folder you can write to")


def check_writable(path: str | Path) -> None:
    """``path`` can be written: not a directory, and its folder exists (or can be made) and
    takes new files. Checked before any work, so a job never fails after writing half."""
    p = Path(path)
    if p.is_dir():
        raise OutputError(p, "is a directory", hint="give a file name")
    _writable_place(p.parent if str(p.parent) else Path("."), "output path")


def check_folder(path: str | Path) -> Path:
    """An output folder: an existing folder or a new path, never an existing file; writable."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(p, "is a file, not a folder", hint="give a folder for --out")
    _writable_place(p, "--out")
    return p


def write_signed(path: str | Path, data: bytes, meta: dict) -> None:
    """Write ``data`` and its signature (``meta`` plus the data's SHA-256) beside it. The old
    signature goes first, so a kill at any point leaves no signature that describes other bytes
    (a file without one reads as edited: zhen then refuses rather than guesses)."""
    side = meta_path(path)
    try:
        os.unlink(side)
    except FileNotFoundError:
        pass
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    write_meta(side, {**meta, SIGNATURE_HASH: hashlib.sha256(data).hexdigest()})
