"""Markup cleaning that keeps every character's offset into the decoded original.

The sources are PDF/HTML exports with markdown emphasis (`**…**`, `*…*`), headings (`##`), HTML
inline tags (`<b>`, `<i>`, `<u>`, `<sup>`), markdown escapes (`\\$`), bullet glyphs (◆ ➤ - •),
leader dots in tables (`Total.....`), and "continued" markers on repeated slide headers
(`（續）`, `(Continued)`). Cleaning removes or replaces them; an ``OffsetText`` remembers, for
every run of kept characters, where it came from, so any span of clean text maps back to the
original. Everything is one pass of compiled regexes: linear in the line length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^[ \t]*(#{1,6})[ \t]+")
# Bullets: glyphs, or an ASCII dash/asterisk followed by a space (never "-5%" or "**bold**").
_BULLET = re.compile(r"^[ \t]*(?:(?:[◆◇➤►▶▪▫●○■□•·‧※]|[-*](?=[ \t]))[ \t]*)+")
_NUMBERED = re.compile(r"^[ \t]*(\d{1,2})\.[ \t]+(?=\S)")
_CONTINUED = re.compile(r"[ \t]*(?:（續）|\(續\)|\((?:Continued|continued|cont'd|Cont'd)\))")
_INLINE = re.compile(
    r"</?(?:b|i|u|em|strong|span|font|small|big|sub)\b[^>]*>"  # inline HTML tags (text kept)
    r"|<sup\b[^>]*>[^<]{0,4}</sup>"  # footnote markers such as <sup>Δ</sup>
    r"|<br\s*/?>"
    r"|\*{1,3}|(?<![\w])_{2}|_{2}(?![\w])"  # markdown emphasis
    r"|[\u200b\u200c\u200d\u2060\ufeff\u00ad]"  # zero-width characters, soft hyphens
)
_ESCAPE = re.compile(r"\\(?=[$*_#\[\]()`.!&<>|-])")
_LEADER = re.compile(r"[ \t]*(?:\.{3,}|…{2,}|·{3,})[ \t]*")


@dataclass(slots=True)
class OffsetText:
    """Clean text plus a map from clean offsets to offsets in the original document."""

    text: str = ""
    _clean_starts: list[int] = field(default_factory=list)
    _orig_starts: list[int] = field(default_factory=list)
    _lengths: list[int] = field(default_factory=list)

    def append(self, piece: str, orig_start: int, *, literal: bool = True) -> None:
        """Append ``piece`` taken from ``orig_start``; a replacement (``literal=False``) maps
        all its characters to the place it replaces."""
        if not piece:
            return
        self._clean_starts.append(len(self.text))
        self._orig_starts.append(orig_start)
        self._lengths.append(len(piece) if literal else 0)
        self.text += piece

    def to_orig(self, pos: int) -> int:
        if not self._clean_starts:
            return 0
        i = max(0, bisect.bisect_right(self._clean_starts, pos) - 1)
        delta = pos - self._clean_starts[i]
        return self._orig_starts[i] + min(delta, self._lengths[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) for the clean span [start, end)."""
        if end <= start:
            o = self.to_orig(start)
            return o, o
        return self.to_orig(start), self.to_orig(end - 1) + 1


@dataclass(frozen=True, slots=True)
class LineMarks:
    heading_level: int = 0  # markdown '#' count
    bullet: bool = False
    number: int | None = None  # "1. " numbered header
    continued: bool = False
    bold: bool = False  # the whole line was bold
    table: bool = False  # tab-separated or leader-dotted row


def strip_continued(text: str) -> str:
    """``text`` without its continuation marks (``（續）``, ``(Continued)``): a slide title repeated
    with the mark is the same title."""
    return _CONTINUED.sub("", text)


def clean_line(line: str, line_start: int) -> tuple[OffsetText, LineMarks]:
    """Clean one line of a document; offsets come back relative to the whole document."""
    pos = 0
    heading_level = 0
    bullet = False
    number = None
    m = _HEADING.match(line)
    if m:
        heading_level = len(m.group(1))
        pos = m.end()
    m = _BULLET.match(line, pos)
    if m and m.end() > pos:
        bullet = True
        pos = m.end()
    m = _NUMBERED.match(line, pos)
    if m:
        number = int(m.group(1))
        pos = m.end()  # the number is structure, kept in LineMarks; its English line has none
    stripped = line.strip()
    bold = len(stripped) > 4 and (
        (stripped.startswith("**") and stripped.endswith("**") and "**" not in stripped[2:-2])
        or (stripped.startswith("<b>") and stripped.endswith("</b>"))
    )
    table = "\t" in line.strip(" \r\n") or bool(_LEADER.search(line))
    continued = False
    out = OffsetText()
    # One combined scan: removals, continued-markers, escapes and leaders in document order.
    scanner = re.compile(
        "|".join(f"(?P<{name}>{rx.pattern})" for name, rx in
                 (("cont", _CONTINUED), ("inline", _INLINE), ("esc", _ESCAPE), ("leader", _LEADER)))
    )
    cursor = pos
    for hit in scanner.finditer(line, pos):
        if hit.start() > cursor:
            out.append(line[cursor:hit.start()], line_start + cursor)
        kind = hit.lastgroup
        if kind == "cont":
            continued = True
        elif kind == "leader":
            out.append("\t", line_start + hit.start(), literal=False)
        cursor = hit.end()
    if cursor < len(line):
        out.append(line[cursor:], line_start + cursor)
    return out, LineMarks(heading_level, bullet, number, continued, bold, table)
