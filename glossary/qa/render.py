"""Rendering a findings frame (:func:`zhen.glossary.qa.check`) as text, CSV, JSONL, HTML or XLIFF
(:data:`FORMATS`, the registry ``zhen check --format`` offers).

XLIFF output is a copy of the XLIFF the pairs were read from, each finding an ITS 2.0
Localization Quality Issue on its segment (:func:`zhen.align.xliff.annotate_xliff`): type the
finding's ``issue_type``, severity from :data:`~zhen.glossary.qa.records.ITS_SEVERITY`, the
comment the check, severity, message, what was expected and the finding's key (for an ignore
file), so a CAT tool shows them where the translator works.

The HTML report is one self-contained file a reviewer opens in a browser with no network (the
page shell of :mod:`zhen.corpora.html`: inline CSS and a few lines of inline JavaScript, no
fonts, images, links or scripts from elsewhere). Findings are grouped by check (in registry
order), each showing the pair side by side with the source and target spans marked, and
checkboxes filter by severity (without JavaScript every finding stays visible).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from zhen.corpora.html import escape, mark_span, page
from zhen.corpora.registry import Registry
from zhen.glossary.qa.records import ITS_SEVERITY, SEVERITIES
from zhen.glossary.qa.registry import CHECKS

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_CONTEXT = 70  # characters either side of a span in the text report


def _csv(frame: pl.DataFrame, meta: dict | None) -> bytes:
    from zhen.corpora.output import frame_out

    buf = io.StringIO()
    frame_out(frame).write_csv(buf)
    return buf.getvalue().encode("utf-8")


def _jsonl(frame: pl.DataFrame, meta: dict | None) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in frame.to_dicts()).encode("utf-8")


def _summary(frame: pl.DataFrame) -> str:
    counts = {s: 0 for s in SEVERITIES}
    if frame.height:
        for s in frame.get_column("severity").to_list():
            counts[s] += 1
    parts = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES))
    return f"{frame.height} finding{'s' if frame.height != 1 else ''}: {parts}"


def _window(text: str, start: int | None, end: int | None, left: str, right: str) -> str:
    """``text`` with the span bracketed, cut to some context around it."""
    if start is None or end is None:
        return text if len(text) <= 2 * _CONTEXT else text[: 2 * _CONTEXT] + "…"
    a = max(0, start - _CONTEXT)
    b = min(len(text), end + _CONTEXT)
    return (("…" if a else "") + text[a:start] + left + text[start:end] + right + text[end:b]
            + ("…" if b < len(text) else ""))


def _text(frame: pl.DataFrame, meta: dict | None) -> bytes:
    lines = [f"zhen check: {_summary(frame)}"]
    if meta:
        lines.append("# " + " ".join(f"{k}={v}" for k, v in sorted(meta.items()) if not isinstance(v, dict)))
    for row in frame.iter_rows(named=True):
        pid = f" [{row['pair_id']}]" if row["pair_id"] else ""
        lines.append("")
        lines.append(f"pair {row['pair']}{pid}  {row['severity'].upper()}  {row['check']} ({row['issue_type']})")
        lines.append(f"  {row['message']}")
        lines.append(f"  src: {_window(row['src_text'], row['src_start'], row['src_end'], '⟦', '⟧')}")
        lines.append(f"  tgt: {_window(row['tgt_text'], row['tgt_start'], row['tgt_end'], '⟦', '⟧')}")
        extra = []
        if row["expected"]:
            extra.append(f"expected: {row['expected']}")
        if row["found"]:
            extra.append(f"found: {row['found']}")
        if row["concept_id"]:
            extra.append(f"concept: {row['concept_id']}")
        extra.append(f"key: {row['key']}")
        lines.append("  " + "  |  ".join(extra))
    return ("\n".join(lines) + "\n").encode("utf-8")


_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans HK","Microsoft JhengHei",sans-serif;margin:0 2rem 3rem;color:#1d1d1f;background:#fafafa}
header{position:sticky;top:0;background:#fafafa;padding:.8rem 0;border-bottom:1px solid #ddd;z-index:1}
h1{font-size:1.3rem;margin:.2rem 0}
.meta{color:#666;font-size:.8rem}
.filters label{margin-right:1.2rem;cursor:pointer}
details.group{margin-top:1.2rem;background:#fff;border:1px solid #ddd;border-radius:6px;padding:.4rem 1rem}
details.group>summary{font-weight:600;font-size:1.1rem;cursor:pointer}
details.about>summary{color:#555;font-size:.85rem;cursor:pointer}
.help{color:#555;font-size:.85rem;white-space:pre-wrap;margin:.3rem 0 .6rem}
.finding{border-top:1px solid #eee;padding:.6rem 0}
.head{font-size:.9rem}
.sev{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;font-size:.75rem;font-weight:600;text-transform:uppercase;padding:0 .3rem;margin-right:.4rem}
.sev-error .sev{background:#c62828;color:#fff}
.sev-warning .sev{background:#f9a825;color:#000}
.sev-info .sev{background:#90a4ae;color:#000}
.its,.key,.pid,.concept{color:#777;font-size:.8rem;margin-left:.6rem}
table.pair{width:100%;border-collapse:collapse;table-layout:fixed;margin-top:.3rem}
table.pair td{vertical-align:top;padding:.3rem .5rem;border:1px solid #eee;width:50%;word-wrap:break-word}
mark.span{background:#ffe082;padding:0 1px;border-radius:2px;outline:1px solid #f9a825}
.sev-error mark.span{background:#ffcdd2;outline-color:#c62828}
.ef{font-size:.85rem;margin-top:.2rem}
.ef b{font-weight:600;color:#555}
body.hide-info .sev-info,body.hide-warning .sev-warning,body.hide-error .sev-error{display:none}
.empty{margin-top:2rem;color:#2e7d32;font-weight:600}
"""

_JS = """
document.querySelectorAll('input[data-sev]').forEach(function(box){
  box.addEventListener('change',function(){
    document.body.classList.toggle('hide-'+box.dataset.sev,!box.checked);
    document.querySelectorAll('details.group').forEach(function(g){
      var shown=g.querySelectorAll('.finding:not([hidden])');
      var n=0;shown.forEach(function(f){if(getComputedStyle(f).display!=='none'){n++;}});
      g.querySelector('.count').textContent=n;
    });
  });
});
"""


def _html(frame: pl.DataFrame, meta: dict | None) -> bytes:
    rows = list(frame.iter_rows(named=True))
    by_check: dict[str, list[dict]] = {}
    for row in rows:
        by_check.setdefault(row["check"], []).append(row)
    out = ["<header>", "<h1>Terminology check</h1>", f'<div class="summary">{escape(_summary(frame))}</div>']
    if meta:
        shown = " · ".join(f"{escape(k)}: {escape(v)}" for k, v in sorted(meta.items())
                           if not isinstance(v, (dict, list)))
        out.append(f'<div class="meta">{shown}</div>')
    out.append('<div class="filters">Show: ')
    for sev in reversed(SEVERITIES):
        out.append(f'<label><input type="checkbox" data-sev="{sev}" checked> {sev}</label>')
    out.append("</div></header><main>")
    if not rows:
        out.append('<p class="empty">No findings.</p>')
    for choice in CHECKS:
        name, group = choice.name, by_check.get(choice.name)
        if not group:
            continue
        out.append(f'<details class="group" id="check-{escape(name)}" data-check="{escape(name)}" open>')
        out.append(f'<summary>{escape(name)} (<span class="count">{len(group)}</span>)</summary>')
        out.append(f'<details class="about"><summary>what this check flags</summary>'
                   f'<div class="help">{escape(choice.value.doc)}</div></details>')
        for row in group:
            out.append(_finding_html(row))
        out.append("</details>")
    body = "\n" + "\n".join(out) + "\n</main>"
    return page("zhen check report", _CSS, body, _JS).encode("utf-8")


def _finding_html(row: dict) -> str:
    sev = row["severity"]
    pid = f' <span class="pid">{escape(row["pair_id"])}</span>' if row["pair_id"] else ""
    parts = [f'<article class="finding sev-{escape(sev)}" data-severity="{escape(sev)}" data-key="{escape(row["key"])}">',
             (f'<div class="head"><span class="sev">{escape(sev)}</span><b>pair {row["pair"]}</b>{pid} '
              f'{escape(row["message"])}<span class="its">{escape(row["issue_type"])}</span>')]
    if row["concept_id"]:
        parts.append(f'<span class="concept">{escape(row["concept_id"])}</span>')
    parts.append(f'<span class="key">{escape(row["key"])}</span></div>')
    parts.append('<table class="pair"><tr>'
                 f'<td class="src" lang="{escape(row["src_lang"])}">{mark_span(row["src_text"], row["src_start"], row["src_end"], cls="span")}</td>'
                 f'<td class="tgt" lang="{escape(row["tgt_lang"])}">{mark_span(row["tgt_text"], row["tgt_start"], row["tgt_end"], cls="span")}</td>'
                 "</tr></table>")
    ef = []
    if row["expected"]:
        ef.append(f'<b>expected</b> <span class="expected">{escape(row["expected"])}</span>')
    if row["found"]:
        ef.append(f'<b>found</b> <span class="found">{escape(row["found"])}</span>')
    if ef:
        parts.append(f'<div class="ef">{" · ".join(ef)}</div>')
    parts.append("</article>")
    return "".join(parts)


def _xliff(frame: pl.DataFrame, meta: dict | None, source: bytes) -> bytes:
    from zhen.align.xliff import Issue, annotate_xliff

    issues: dict[int, list[Issue]] = {}
    for row in frame.iter_rows(named=True):
        comment = f"zhen {row['check']} ({row['severity']}): {row['message']}"
        if row["expected"]:
            comment += f"; expected {row['expected']!r}"
        issues.setdefault(row["pair"] - 1, []).append(
            Issue(row["issue_type"], f"{comment} [key {row['key']}]", ITS_SEVERITY[row["severity"]]))
    return annotate_xliff(source, issues)


#: Formats that rewrite the file the pairs came from (``render_findings(..., source=)``).
NEEDS_SOURCE = frozenset({"xliff"})
#: Findings formats: name -> renderer(frame, meta) -> bytes (``(frame, meta, source)`` for
#: those in :data:`NEEDS_SOURCE`).
FORMATS: Registry[Callable[[pl.DataFrame, dict | None], bytes]] = Registry("findings format")
FORMATS.add("text", _text, "one block a finding, spans marked ⟦…⟧")
FORMATS.add("csv", _csv, "one row a finding (its key column works as an ignore file)")
FORMATS.add("jsonl", _jsonl, "one JSON object a finding")
FORMATS.add("html", _html, "a self-contained report, grouped by check, filtered by severity")
FORMATS.add("xliff", _xliff, "a copy of the input XLIFF with ITS 2.0 quality issues on each segment")


def render_findings(frame: pl.DataFrame, fmt: str, *, meta: dict | None = None,
                    source: bytes | None = None) -> bytes:
    """Findings as ``text``, ``csv``, ``jsonl``, ``html`` (a self-contained report) or ``xliff``
    bytes; ``xliff`` needs ``source``, the bytes of the XLIFF the findings' pairs were read from
    (:class:`~zhen.corpora.errors.InvalidArgument` without it)."""
    renderer = FORMATS.get(fmt)
    if fmt in NEEDS_SOURCE:
        if source is None:
            from zhen.corpora.errors import InvalidArgument

            raise InvalidArgument(f"--format {fmt} writes into a copy of the input; give its bytes as source=")
        return renderer(frame, meta, source)  # type: ignore[call-arg]
    return renderer(frame, meta)
