"""The text codecs of a glossary's structured fields, shared by every format that stores them as
text (zhen CSV, TBX notes):

* variants: ``|``-separated, each ``text{type}`` or ``text{type;status}`` when the term status is
  not ``admitted`` (``NIAS{acronym}|加速計劃{shortForm}``);
* evidence: ``|``-separated ``source=pair_id@doc`` (``@doc`` left out when empty);
* inside any of those fields a backslash escapes ``\\ | { } ; = @``.
"""

from __future__ import annotations

import re

from zhen.corpora.errors import InputError
from zhen.glossary.model import TERM_STATUSES, TERM_TYPES, Evidence, Term

_SPECIAL = "\\|{};=@"


def _esc(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def _split(text: str, sep: str) -> list[str]:
    """Split on unescaped ``sep``; pieces keep their escapes."""
    out, cur, i = [], [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            cur.append(text[i:i + 2])
            i += 2
            continue
        if c == sep:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _unesc(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def format_variants(terms: tuple[Term, ...]) -> str:
    parts = []
    for t in terms:
        inner = t.type if t.status == "admitted" else f"{t.type};{t.status}"
        parts.append(f"{_esc(t.text)}{{{inner}}}")
    return "|".join(parts)


def parse_variants(field: str, *, path, line: int) -> tuple[Term, ...]:
    if not field:
        return ()
    out = []
    for piece in _split(field, "|"):
        m = re.fullmatch(r"((?:\\.|[^\\{])*)(?:\{([^{}]*)\})?", piece, flags=re.S)
        if not m:
            raise InputError(path, f"cannot read variant {piece!r}", line=line, hint="write text{type}, e.g. NIAS{acronym}")
        text = _unesc(m.group(1)).strip()
        if not text:
            raise InputError(path, "empty variant term", line=line, hint="remove the empty item between | separators")
        typ, status = "variant", "admitted"
        if m.group(2):
            bits = m.group(2).split(";")
            typ = bits[0].strip()
            status = bits[1].strip() if len(bits) > 1 else "admitted"
        if typ not in TERM_TYPES:
            raise InputError(path, f"unknown variant type {typ!r}", line=line, hint=f"use one of {', '.join(TERM_TYPES)}")
        if status not in TERM_STATUSES:
            raise InputError(path, f"unknown term status {status!r}", line=line, hint=f"use one of {', '.join(TERM_STATUSES)}")
        out.append(Term(text, typ, status))
    return tuple(out)


def format_evidence(ev: tuple[Evidence, ...]) -> str:
    return "|".join(f"{_esc(e.source)}={_esc(e.pair_id)}" + (f"@{_esc(e.doc)}" if e.doc else "") for e in ev)


def parse_evidence(field: str, *, path, line: int) -> tuple[Evidence, ...]:
    if not field:
        return ()
    out = []
    for piece in _split(field, "|"):
        parts = _split(piece, "=")
        if len(parts) != 2:
            raise InputError(path, f"cannot read evidence {piece!r}", line=line, hint="write source=pair_id@doc")
        src = _unesc(parts[0])
        rest = _split(parts[1], "@")
        pair_id = _unesc(rest[0])
        doc = _unesc(rest[1]) if len(rest) > 1 else ""
        out.append(Evidence(pair_id, src, doc))
    return tuple(out)
