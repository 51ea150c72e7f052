"""The main job (`zhen run`) as a library function: every stage over the corpus, files out.

Today: segment every source (segments.jsonl, tables.csv) and sign the run (run.meta.json).
Later stages (alignment, glossary, normalisation, QA) add their files here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import corpora
from corpora.output import render_records, rows_of, signature, write_meta, write_text
from corpora.segment import segment_schema, table_schema


def run_pipeline(files: list[str], *, out: str = "out", corpus: str | Path | None = None,
                 encoding: str | None = None) -> list[str]:
    """Run the job; returns short report lines (the CLI shows them). ``out='-'`` streams the
    segments as JSONL to stdout instead of writing a folder (for pipelines)."""
    if files:
        docs = [corpora.load_document(f, encoding=encoding) for f in files]
    else:
        docs = [corpora.load_source(s.id, corpus) for s in corpora.list_sources(corpus)]
    seg_rows: list[dict] = []
    table_frames = []
    per_doc: dict[str, int] = {}
    for doc in docs:
        segs = corpora.segment_document(doc)
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
    meta = signature(
        command="run",
        inputs={d.id: {"path": Path(d.path).name, "sha256": d.sha256, "encoding": d.encoding} for d in docs},
        outputs=["segments.jsonl", "tables.csv"],
        counts={"segments": per_doc, "table_cells": tables.height},
    )
    write_meta(folder / "run.meta.json", meta)
    return [f"{doc_id}: {n} segments" for doc_id, n in per_doc.items()]


