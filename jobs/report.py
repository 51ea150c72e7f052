"""report.html: one self-contained page a person reads after `zhen run`.

It is built from the files the run wrote (pairs.tsv, glossary.csv, entities.csv, findings.csv,
run.meta.json), so it shows exactly what other tools will read. Inline CSS and a few lines of
inline JavaScript (filters); no external URL, so it opens offline from disk.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from zhen.corpora.html import escape as _e
from zhen.corpora.html import mark_span, page

_CSS = """
:root{--ink:#1d2430;--muted:#5b6575;--line:#d9dee6;--bg:#f7f8fa;--accent:#0b5cad}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK TC","PingFang HK","Microsoft JhengHei",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 24px;position:sticky;top:0;z-index:2}
header h1{margin:0;font-size:20px}header nav a{margin-right:16px;color:var(--accent);text-decoration:none;font-size:14px}
main{max-width:1280px;margin:0 auto;padding:8px 24px 48px}section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:20px 0;padding:8px 20px 16px}
h2{font-size:18px;margin:12px 0}.muted{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top;text-align:left}
th{background:#eef1f5;position:sticky;top:64px}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.null td{background:repeating-linear-gradient(45deg,#fff,#fff 6px,#f3f3f3 6px,#f3f3f3 12px);color:var(--muted)}
.conf{display:inline-block;min-width:48px;padding:1px 6px;border-radius:10px;font-size:12px;text-align:center}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#eef1f5;margin:1px 2px}
.sev-error{background:#fde2e1}.sev-warning{background:#fff1c2}.sev-info{background:#e4effd}
mark{background:#ffe58a;padding:0 1px}input[type=search]{padding:6px 10px;border:1px solid var(--line);border-radius:6px;width:260px}
.stats{display:flex;gap:24px;flex-wrap:wrap}.stats div{font-size:13px}.stats b{display:block;font-size:20px}
a.ev{font-size:12px;margin-right:6px}tr:target td{outline:2px solid var(--accent)}
"""

_JS = """
function filterRows(input, tableId){const q=input.value.toLowerCase();
 document.querySelectorAll('#'+tableId+' tbody tr').forEach(r=>{r.style.display=r.textContent.toLowerCase().includes(q)?'':'none'});}
function filterSeverity(){const on=new Set([...document.querySelectorAll('.sevbox:checked')].map(b=>b.value));
 document.querySelectorAll('#findings tbody tr').forEach(r=>{r.style.display=on.has(r.dataset.severity)?'':'none'});}
"""


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    from zhen.corpora.output import allow_csv_fields, cell_in

    allow_csv_fields(path.stat().st_size)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: cell_in(v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


def _read_tsv_pairs(path: Path) -> list[dict]:
    if not path.exists():
        return []
    from zhen.align.formats import read_pairs

    return [
        {"src": p.src_text, "tgt": p.tgt_text, "score": p.score, "src_ids": p.src_ids, "tgt_ids": p.tgt_ids,
         "seg": (p.src_seg_ids or p.tgt_seg_ids or ("",))[0], "doc": p.doc or ""}
        for p in read_pairs(path)
    ]


def _conf(score: float, null: bool) -> str:
    # Shade from red (doubtful) through amber to green (confident); nulls stay grey.
    if null:
        return f'<span class="conf" style="background:#e6e8ec">{score:.2f}</span>'
    hue = int(max(0.0, min(1.0, score)) * 120)
    return f'<span class="conf" style="background:hsl({hue},70%,85%)">{score:.2f}</span>'


def _pairs_section(pairs: list[dict]) -> str:
    rows = []
    for n, p in enumerate(pairs):
        null = not p["src_ids"] or not p["tgt_ids"]
        kind = f"{len(p['src_ids'])}-{len(p['tgt_ids'])}"
        rows.append(
            f'<tr id="pair-{n}" class="{"null" if null else ""}" data-seg="{_e(p["seg"])}"><td class="num">{n}</td>'
            f'<td lang="zh-HK">{_e(p["src"]) or "<em>— no Chinese —</em>"}</td>'
            f'<td lang="en">{_e(p["tgt"]) or "<em>— no English —</em>"}</td>'
            f'<td class="num">{kind}</td><td class="num">{_conf(p["score"], null)}</td></tr>'
        )
    nulls = sum(1 for p in pairs if not p["src_ids"] or not p["tgt_ids"])
    return (
        '<section id="pairs"><h2>Aligned slide deck</h2>'
        f'<p class="muted">{len(pairs)} beads, {nulls} with no partner (striped). Confidence is shaded '
        'from red (doubtful) to green.</p>'
        '<input type="search" placeholder="Filter pairs…" oninput="filterRows(this,\'pairs-table\')">'
        '<table id="pairs-table"><thead><tr><th>#</th><th>中文 (zh-HK)</th><th>English</th><th>bead</th>'
        f'<th>confidence</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _glossary_section(entries: list[dict], seg_to_pair: dict[str, int]) -> str:
    rows = []
    for e in entries:
        variants = " ".join(f'<span class="badge">{_e(v)}</span>'
                            for v in (e.get("en_variants", "") + "|" + e.get("zh_variants", "")).split("|") if v)
        links = []
        for ev in dict.fromkeys(x.split("=", 1)[-1].split("@")[0] for x in e.get("evidence", "").split("|") if x):
            line_key = ":".join(ev.split(":")[:2])
            n = seg_to_pair.get(line_key)
            if n is not None:
                links.append(f'<a class="ev" href="#pair-{n}">#{n}</a>')
        rows.append(
            f'<tr><td lang="zh-HK">{_e(e.get("zh"))}</td><td lang="en">{_e(e.get("en"))}</td><td>{variants}</td>'
            f'<td>{_e(e.get("status"))}</td><td class="num">{_e(e.get("score"))}</td>'
            f'<td class="num">{_e(e.get("frequency"))}</td><td>{"".join(links[:8])}</td></tr>'
        )
    return (
        '<section id="glossary"><h2>Term glossary</h2>'
        f'<p class="muted">{len(entries)} entries; evidence links jump to the aligned pairs.</p>'
        '<input type="search" placeholder="Filter terms…" oninput="filterRows(this,\'glossary-table\')">'
        '<table id="glossary-table"><thead><tr><th>中文</th><th>English</th><th>variants</th><th>status</th>'
        f'<th>score</th><th>freq</th><th>evidence</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _entities_section(entities: list[dict], mentions: list[dict], docs: list[str]) -> str:
    """One row an entity, one column a source: the names that source uses for it."""
    if not entities:
        return ""
    from collections import Counter, defaultdict

    used: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for m in mentions:
        used[m["entity_id"]][m["doc"]][" ".join(m["surface"].split())] += 1
    order = sorted(entities, key=lambda e: (-len(used.get(e["entity_id"], {})), e.get("canonical_en", "")))
    head = "".join(f'<th title="{_e(d)}">{_e(d)}</th>' for d in docs)
    rows = []
    for e in order:
        cells = []
        for d in docs:
            names = used.get(e["entity_id"], {}).get(d, Counter())
            cells.append("<td>" + " ".join(f'<span class="badge">{_e(n)}{" ×" + str(c) if c > 1 else ""}</span>'
                                           for n, c in sorted(names.items(), key=lambda x: (-x[1], x[0]))) + "</td>")
        rows.append(f'<tr><td lang="en">{_e(e.get("canonical_en"))}</td><td lang="zh-HK">{_e(e.get("canonical_zh"))}</td>'
                    f'{"".join(cells)}</tr>')
    multi = sum(1 for e in entities if len(used.get(e["entity_id"], {})) >= 2)
    return (
        '<section id="entities"><h2>Entity index across sources</h2>'
        f'<p class="muted">{len(entities)} entities, {multi} named in two or more sources; each cell lists the '
        'names that source uses.</p>'
        '<input type="search" placeholder="Filter entities…" oninput="filterRows(this,\'entities-table\')">'
        f'<table id="entities-table"><thead><tr><th>English</th><th>中文</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></section>'
    )


def _offset(value: str | None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _highlight(text: str | None, start: str | None, end: str | None) -> str:
    """A findings.csv span (its offsets are strings there, empty when the finding has none)."""
    return mark_span(text or "", _offset(start), _offset(end))


def _findings_section(findings: list[dict] | None, seg_to_pair: dict[str, int]) -> str:
    if findings is None:
        return ""
    sev = ("error", "warning", "info")
    boxes = "".join(f'<label><input type="checkbox" class="sevbox" value="{s}" checked onchange="filterSeverity()"> {s} '
                    f'({sum(1 for f in findings if f.get("severity") == s)})</label> ' for s in sev)
    rows = []
    for f in findings:
        n = seg_to_pair.get(":".join((f.get("pair_id") or "").split(":")[:2]))
        pair = f'<a href="#pair-{n}">#{n}</a>' if n is not None else _e(f.get("pair_id"))
        rows.append(
            f'<tr data-severity="{_e(f.get("severity"))}" class="sev-{_e(f.get("severity"))}">'
            f'<td>{_e(f.get("severity"))}</td><td>{_e(f.get("check"))}</td><td>{pair}</td>'
            f'<td lang="zh-HK">{_highlight(f.get("src_text", ""), f.get("src_start"), f.get("src_end"))}</td>'
            f'<td lang="en">{_highlight(f.get("tgt_text", ""), f.get("tgt_start"), f.get("tgt_end"))}</td>'
            f'<td>{_e(f.get("message", ""))}<br><span class="muted">expected: {_e(f.get("expected"))} · '
            f'found: {_e(f.get("found"))}</span></td></tr>'
        )
    return (
        '<section id="findings-section"><h2>Terminology QA findings</h2>'
        f'<p>{boxes}</p><table id="findings"><thead><tr><th>severity</th><th>check</th><th>pair</th>'
        f'<th>source</th><th>target</th><th>finding</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def build_report(out_dir: str | Path) -> str:
    """The report for a finished run folder, as one HTML string."""
    out = Path(out_dir)
    meta = json.loads((out / "run.meta.json").read_text(encoding="utf-8")) if (out / "run.meta.json").exists() else {}
    pairs = _read_tsv_pairs(out / "pairs.tsv")
    seg_to_pair: dict[str, int] = {}
    for n, p in enumerate(pairs):
        if p["seg"]:
            seg_to_pair.setdefault(":".join(p["seg"].split(":")[:2]), n)
    entries = _read_csv(out / "glossary.csv")
    entities = _read_csv(out / "entities.csv")
    mentions = _read_csv(out / "mentions.csv")
    findings = _read_csv(out / "findings.csv") if (out / "findings.csv").exists() else None
    counts = meta.get("counts", {})
    sources = meta.get("inputs", {})
    stats = "".join(f"<div><b>{_e(v)}</b>{_e(k)}</div>" for k, v in (
        ("sources", len(sources)), ("segments", sum(counts.get("segments", {}).values())),
        ("aligned beads", len(pairs)), ("glossary entries", len(entries)), ("entities", len(entities)),
        ("QA findings", "—" if findings is None else len(findings)),
    ))
    nav = "".join(f'<a href="#{i}">{t}</a>' for i, t, show in (
        ("pairs", "Pairs", bool(pairs)), ("glossary", "Glossary", True), ("entities", "Entities", bool(entities)),
        ("findings-section", "QA findings", findings is not None)) if show)
    sig = _e(f"zhen {meta.get('version', '')} · encoder {meta.get('encoder', '')} · jieba {meta.get('jieba', '')} · "
             f"OpenCC {meta.get('opencc', '')}")
    source_list = "".join(f"<li><code>{_e(k)}</code> — {_e(v.get('path'))}</li>" for k, v in sources.items())
    return page("zhen report", _CSS, (
        f'<header><h1>zhen run report</h1><nav>{nav}</nav></header><main>'
        f'<section id="summary"><h2>Summary</h2><div class="stats">{stats}</div>'
        f'<p class="muted">{sig}</p><ul class="muted">{source_list}</ul></section>'
        f"{_pairs_section(pairs) if pairs else ''}{_glossary_section(entries, seg_to_pair)}"
        f"{_entities_section(entities, mentions, list(sources))}{_findings_section(findings, seg_to_pair)}"
        "</main>"
    ), _JS)


def write_report(out_dir: str | Path) -> Path:
    from zhen.corpora.output import write_text

    path = Path(out_dir) / "report.html"
    write_text(path, build_report(out_dir))
    return path
