"""The main job (`zhen run`) as a library function: every stage over the corpus, files out.

Stages today: segment every source (segments.jsonl, tables.csv); align the bilingual sources
(pairs.tsv, pairs.tmx); build the term glossary from those pairs, merged into a reviewed one
when given (glossary.csv, glossary.tbx v3, glossary-2008.tbx). The run is signed in
run.meta.json. This module orchestrates; each stage lives in its own package and is imported
when its turn comes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from zhen import corpora
from zhen.corpora.output import render_records, rows_of, signature, write_meta, write_text
from zhen.corpora.segment import segment_schema, table_schema


def run_pipeline(files: list[str], *, out: str = "out", corpus: str | Path | None = None,
                 encoding: str | None = None, encoder: str = "use-m", glossary: str | None = None,
                 progress: Callable[[str], None] | None = None) -> list[str]:
    """Run the job; returns short report lines (the CLI shows them). ``out='-'`` streams the
    segments as JSONL to stdout instead of writing a folder (for pipelines)."""
    say = progress or (lambda _msg: None)
    if files:
        docs = [corpora.load_document(f, encoding=encoding) for f in files]
    else:
        docs = [corpora.load_source(s.id, corpus) for s in corpora.list_sources(corpus)]
    say("segmenting")
    seg_rows: list[dict] = []
    table_frames = []
    per_doc: dict[str, int] = {}
    segmented = {}
    for doc in docs:
        segs = corpora.segment_document(doc)
        segmented[doc.id] = segs
        per_doc[doc.id] = len(segs)
        seg_rows.extend(rows_of(segs))
        table_frames.append(corpora.extract_tables(doc.text, doc.id))
    if out == "-":
        sys.stdout.write(render_records(seg_rows, "jsonl"))
        sys.stdout.flush()
        return []
    import polars as pl

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / "segments.jsonl", render_records(seg_rows, "jsonl", segment_schema()))
    tables = pl.concat(table_frames) if table_frames else pl.DataFrame(schema=table_schema())
    write_text(folder / "tables.csv", render_records(tables.to_dicts(), "csv", table_schema()))
    outputs = ["segments.jsonl", "tables.csv"]
    report = [f"{doc_id}: {n} segments" for doc_id, n in per_doc.items()]

    bilingual = [d for d in docs if _is_bilingual(segmented[d.id])]
    settings: dict = {"encoder": encoder}
    built = None
    if bilingual:
        say("aligning")
        lines, built = _align_and_build(bilingual, segmented, folder, encoder=encoder, glossary=glossary,
                                        outputs=outputs, settings=settings, say=say)
        report += lines
    names = built if built is not None else glossary
    if names is not None:
        say("normalising entity names")
        from zhen.glossary.entities import normalise_documents, write_normalisation

        result = normalise_documents(docs, names)
        written = write_normalisation(result, folder)
        outputs += [w for w in written if w not in outputs]
        report += result.summary()[-2:]
        settings.setdefault("counts", {})["mentions"] = result.mentions_frame().height
    meta = signature(
        command="run",
        inputs={d.id: {"path": Path(d.path).name, "sha256": d.sha256, "encoding": d.encoding} for d in docs},
        outputs=[*outputs, "report.html"],
        counts={"segments": per_doc, "table_cells": tables.height, **settings.pop("counts", {})},
        **settings,
    )
    write_meta(folder / "run.meta.json", meta)
    from zhen.jobs.report import write_report

    write_report(folder)
    return report


def _is_bilingual(segments) -> bool:
    langs = {s.lang for s in segments}
    return {"zh", "en"} <= langs


def _align_and_build(docs, segmented, folder: Path, *, encoder: str, glossary: str | None, outputs: list[str],
                     settings: dict, say) -> list[str]:
    from zhen.align.document import align_bilingual, document_pairs
    from zhen.corpora.scripts import zh_tag
    from zhen.align.encoders import get_encoder
    from zhen.align.formats import write_pairs_tsv, write_tmx
    from zhen.glossary import build_glossary, read_glossary, write_glossary

    enc = get_encoder(encoder, cache=True)
    all_pairs = []
    src_lang = "zh-HK"
    for doc in docs:
        zh, en, beads = align_bilingual(segmented[doc.id], encoder=enc)
        all_pairs += document_pairs(doc, zh, en, beads)
        src_lang = zh_tag([s.text for s in zh])
    with _atomic_text(folder / "pairs.tsv") as fh:
        write_pairs_tsv(all_pairs, fh)
    prov = {"encoder": encoder, "aligner": "bilingual-units"}
    write_tmx(all_pairs, folder / "pairs.tmx", srclang=src_lang, tgtlang="en", provenance=prov)
    outputs += ["pairs.tsv", "pairs.tmx"]

    say("building the glossary")
    existing = read_glossary(glossary) if glossary else None
    g = build_glossary(all_pairs, existing=existing)
    date = _corpus_date(docs)
    write_glossary(g, folder / "glossary.csv")
    write_glossary(g, folder / "glossary.tbx", date=date)
    write_glossary(g, folder / "glossary-2008.tbx", "tbx2008", date=date)
    outputs += ["glossary.csv", "glossary.tbx", "glossary-2008.tbx"]

    say("checking terminology")
    from zhen.glossary.qa import check, check_signature, render_findings

    findings = check(all_pairs, g, src_lang=src_lang, tgt_lang="en")
    write_text(folder / "findings.csv", render_findings(findings, "csv").decode("utf-8"))
    from zhen.corpora.output import meta_path

    write_meta(meta_path(folder / "findings.csv"), check_signature(src_lang=src_lang, tgt_lang="en"))
    outputs.append("findings.csv")
    settings["counts"] = {"pairs": len(all_pairs), "glossary_entries": len(g.entries), "findings": findings.height}
    settings["glossary_merged_from"] = Path(glossary).name if glossary else None
    nulls = sum(1 for p in all_pairs if not p.src_ids or not p.tgt_ids)
    by_sev = findings["severity"].value_counts(sort=True).rows() if findings.height else []
    return [f"aligned: {len(all_pairs)} beads ({nulls} null)", f"glossary: {len(g.entries)} entries",
            "QA findings: " + (", ".join(f"{n} {sev}" for sev, n in by_sev) or "none")], g


def _corpus_date(docs) -> str | None:
    """The newest source date: TBX transacGrp dates then depend on the inputs only, so a re-run
    gives byte-identical files."""
    dates = sorted(d.source.date for d in docs if d.source is not None and d.source.date)
    return dates[-1] if dates else None


def _atomic_text(path: Path):
    from zhen.corpora.textio import atomic_write

    return atomic_write(path, "w", encoding="utf-8", newline="")
