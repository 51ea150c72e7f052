"""The seed files: hand-curated entity knowledge no string rule can find (Hetao Hong Kong Park
is the Hong Kong-Shenzhen Innovation and Technology Park), names to ignore, and generic short
forms. The format is described at the top of the bundled ``data/entity_seeds.toml``."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zhen.corpora.errors import InputError
from zhen.corpora.keys import match_key

DEFAULT_SEEDS = Path(__file__).resolve().parent / "data" / "entity_seeds.toml"
_FORMAT_HINT = f"see {DEFAULT_SEEDS} for the format"


@dataclass(frozen=True, slots=True)
class Seed:
    """One ``[[entity]]``: every name is an alias; ``en``/``zh`` are the canonical names when no
    glossary entry gives them. ``where``: ``seed:<file>#<n>``."""

    names: tuple[str, ...]
    en: str
    zh: str
    where: str


@dataclass(frozen=True, slots=True)
class Seeds:
    entities: tuple[Seed, ...] = ()
    ignore: frozenset[str] = frozenset()  # match keys of names that never become entities
    generic: tuple[str, ...] = ()  # short forms that name a different body in every document
    files: tuple[str, ...] = ()
    sha256: tuple[str, ...] = ()


def _header_lines(text: str, header: str) -> list[int]:
    """Line numbers of ``[[entity]]`` (or ``[ignore]`` …) headers, so an error can point at one.
    Inline tables have none; their errors name the file only."""
    rx = re.compile(rf"^\s*\[{{1,2}}\s*{re.escape(header)}\s*\]{{1,2}}\s*(?:#.*)?$")
    return [n for n, line in enumerate(text.splitlines(), 1) if rx.match(line)]


def _section_strings(data: dict, text: str, path: Path, table: str, field: str) -> list[str]:
    """``[table] field = ["…", …]``, checked: a list of strings or nothing."""
    section = data.get(table, {})
    line = next(iter(_header_lines(text, table)), None)
    if not isinstance(section, dict):
        raise InputError(path, f"{table} must be a table ([{table}])", line=line, hint=_FORMAT_HINT)
    value = section.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(path, f"{table}.{field} must be a list of strings", line=line, hint=_FORMAT_HINT)
    return value


def _read_one(path: Path) -> tuple[dict, str, bytes]:
    from zhen.corpora.textio import read_input

    data = read_input(path, what="seed file", allow_empty=True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not UTF-8", byte=exc.start, hint="save the seed file as UTF-8") from None
    try:
        return tomllib.loads(text), text, data
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path, f"is not valid TOML ({exc})", line=int(m.group(1)) if m else None,
                         hint=f"fix the syntax; {_FORMAT_HINT}") from None


def read_seeds(paths: Sequence[str | Path] | None = None) -> Seeds:
    """Read seed files (default: the bundled one; ``[]`` for none). Errors name the file, the
    line and the fix."""
    paths = [DEFAULT_SEEDS] if paths is None else list(paths)
    entities: list[Seed] = []
    ignore: set[str] = set()
    generic: list[str] = []
    names, shas = [], []
    for path in paths:
        p = Path(path)
        data, text, raw = _read_one(p)
        lines = _header_lines(text, "entity")
        items = data.get("entity", [])
        if not isinstance(items, list):
            raise InputError(p, "entity must be an array of tables ([[entity]])", hint=_FORMAT_HINT)
        for i, item in enumerate(items, 1):
            line = lines[i - 1] if len(lines) == len(items) else None
            seed_names = item.get("names") if isinstance(item, dict) else None
            if not isinstance(seed_names, list) or not seed_names or not all(isinstance(n, str) and n.strip() for n in seed_names):
                raise InputError(p, f"[[entity]] #{i} needs names = [\"…\", …] (non-empty strings)", line=line,
                                 hint="list every name of the entity")
            entities.append(Seed(tuple(n.strip() for n in seed_names), str(item.get("en", "")).strip(),
                                 str(item.get("zh", "")).strip(), f"seed:{p.name}#{i}"))
        ignore.update(match_key(n) for n in _section_strings(data, text, p, "ignore", "names"))
        generic.extend(_section_strings(data, text, p, "short_forms", "generic"))
        names.append(p.name)
        shas.append(hashlib.sha256(raw).hexdigest()[:16])
    return Seeds(tuple(entities), frozenset(ignore), tuple(dict.fromkeys(generic)), tuple(names), tuple(shas))
