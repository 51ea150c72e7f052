"""Ignore files (``zhen check --ignore FILE``): findings a reviewer has accepted, named by key.

UTF-8 text. Each non-blank line that does not start with ``#`` holds one key
(``missing-term:3f2a9c01b7de``) as its first token; anything after the key on the line (a tab, a
comma, a comment) is ignored. A CSV written by ``--format csv`` (recognised by its ``key,…``
header; its ``key`` column is read) and a JSONL written by ``--format jsonl`` (its ``key`` field is
read) both work as ignore files as they are: save the report, delete the rows you want to keep
seeing, pass the rest to ``--ignore``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from zhen.corpora.errors import InputError
from zhen.glossary.qa.registry import CHECKS

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_KEY_RX = re.compile(r"^([a-z]+(?:-[a-z]+)*):([0-9a-f]{12})$")


def read_ignore_keys(path: str | Path) -> set[str]:
    """Finding keys from an ignore file (format in the module docstring)."""
    import json

    from zhen.corpora.textio import decode_bytes

    from zhen.corpora.textio import read_input

    p = Path(path)
    text = decode_bytes(read_input(p, what="ignore file", allow_empty=True), path=str(p)).text.lstrip("\ufeff")
    if text.startswith("key,"):
        return _csv_ignore_keys(p, text)
    keys: set[str] = set()
    for n, line in enumerate(text.split("\n"), 1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                token = json.loads(line).get("key", "")
            except (json.JSONDecodeError, AttributeError):
                raise InputError(p, "a line starting with { is not a JSON object with a key", line=n,
                                 hint="one finding key per line, or JSONL as --format jsonl writes it") from None
        else:
            token = re.split(r"[\s,]", line, maxsplit=1)[0].strip('"')
        keys.add(_valid_key(token, p, n))
    return keys


def _valid_key(token: str, path: Path, line: int) -> str:
    if not _KEY_RX.match(token or ""):
        raise InputError(path, f"{token!r} is not a finding key", line=line,
                         hint="keys look like missing-term:3f2a9c01b7de (the key column of --format csv)")
    if token.split(":")[0] not in CHECKS:
        raise InputError(path, f"{token!r} names no check", line=line, hint=f"checks: {CHECKS.describe()}")
    return token


def _csv_ignore_keys(path: Path, text: str) -> set[str]:
    """Keys of a ``--format csv`` report; read as CSV, since a quoted text may span lines."""
    import csv
    import io

    from zhen.corpora.output import allow_csv_fields, cell_in

    allow_csv_fields(len(text))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    keys = set()
    try:
        for row in reader:
            keys.add(_valid_key(cell_in(row.get("key") or "").strip(), path, reader.line_num))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})", line=reader.line_num,
                         hint="pass the file --format csv wrote, or one key per line") from None
    return keys


def apply_ignore(frame: pl.DataFrame, ignore_path: str | Path) -> pl.DataFrame:
    """``frame`` without the findings whose keys the ignore file lists."""
    import polars as pl

    keys = read_ignore_keys(ignore_path)
    if not keys or frame.height == 0:
        return frame
    return frame.filter(~pl.col("key").is_in(sorted(keys)))
