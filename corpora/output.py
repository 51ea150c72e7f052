"""Writing records: JSONL / TSV / CSV, atomically, each with a signature of what made it."""

from __future__ import annotations

import io
import json
import platform
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from zhen.corpora.errors import UnknownChoice
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


def render_records(rows: list[dict], fmt: str, schema: dict | None = None) -> str:
    """Records as text in ``fmt``. CSV/TSV go through polars with the declared schema;
    JSONL keeps key order and non-ASCII text as it is."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt in ("csv", "tsv"):
        import polars as pl

        frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
        buf = io.StringIO()
        frame.write_csv(buf, separator="," if fmt == "csv" else "\t")
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
