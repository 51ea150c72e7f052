"""The main job (`zhen run`) as a library function: every stage over the corpus, files out.

Stages: segment every source once (segments.jsonl, tables.csv); align the bilingual sources
(pairs.tsv, pairs.tmx); build the term glossary from those pairs, merged into a reviewed one when
given (glossary.csv, glossary.tbx v3, glossary-2008.tbx); check the aligned pairs against it
(findings.csv); normalise entity names across all sources (mentions, entities, normalised/); the
report (report.html). The run is signed in run.meta.json.

Everything that can be wrong with the options and inputs is checked before the first file is
written. The run is written into a staging folder inside the output folder and swapped in at
the end, run.meta.json last: an interrupted run leaves the earlier run's files (or, in the
moment of the swap, a set without run.meta.json, which marks it incomplete), never a mix that
a run.meta.json describes. Files of the output folder that zhen did not write are never touched.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from zhen import corpora
from zhen.corpora.errors import OutputError
from zhen.corpora.output import render_records, rows_of, signature, write_meta, write_text
from zhen.corpora.segment import segment_schema, table_schema

GLOSSARY_FILES = (("glossary.csv", None), ("glossary.tbx", None), ("glossary-2008.tbx", "tbx2008"))
RUN_META = "run.meta.json"
_STAGING_PREFIX = ".zhen-run-"


def run_pipeline(files: list[str], *, out: str = "out", corpus: str | Path | None = None,
                 encoding: str | None = None, encoder: str = "use-m", glossary: str | None = None,
                 force: bool = False, progress: Callable[[str], None] | None = None) -> list[str]:
    """Run the job; returns short report lines (the CLI shows them). ``out='-'`` streams the
    segments as JSONL to stdout instead of writing a folder (for pipelines). ``glossary`` is a
    reviewed glossary to merge into (never written over); ``force`` lets the run replace glossary
    files in ``out`` that a person edited."""
    from zhen.align.encoders import check_encoder

    say = progress or (lambda _msg: None)
    check_encoder(encoder)
    docs = corpora.load_documents(files, encoding=encoding, corpus=corpus)
    folder = None if out == "-" else _check_out(Path(out), glossary, force=force)
    existing = _read_reviewed(glossary)

    say("segmenting")
    segmented = {doc.id: corpora.segment_document(doc) for doc in docs}
    seg_rows = [row for doc in docs for row in rows_of(segmented[doc.id])]
    if folder is None:
        sys.stdout.write(render_records(seg_rows, "jsonl"))
        sys.stdout.flush()
        return []

    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=folder))
    try:
        report = _run_into(staging, docs, segmented, seg_rows, encoder=encoder, glossary=glossary,
                           existing=existing, say=say)
        say("finishing")
        _swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _check_out(folder: Path, glossary: str | None, *, force: bool) -> Path:
    from zhen.corpora.output import check_folder, check_replaceable

    check_folder(folder)
    if glossary:
        reviewed = Path(glossary).resolve()
        for name, _fmt in GLOSSARY_FILES:
            if (folder / name).resolve() == reviewed:
                raise OutputError(glossary, f"is the reviewed glossary and this run would write {folder / name} over it",
                                  hint="give the run another --out; zhen never writes over the glossary it merges")
    for name, _fmt in GLOSSARY_FILES:
        check_replaceable(folder / name, force=force, what="glossary",
                          merge_hint=f"merge it: zhen run --glossary {folder / name} --out NEW_FOLDER")
    return folder


def _read_reviewed(glossary: str | None):
    if not glossary:
        return None
    from zhen.glossary import read_glossary

    return read_glossary(glossary)


def _run_into(folder: Path, docs, segmented, seg_rows, *, encoder: str, glossary: str | None, existing, say) -> list[str]:
    import polars as pl

    write_text(folder / "segments.jsonl", render_records(seg_rows, "jsonl", segment_schema()))
    table_frames = [corpora.extract_tables(doc.text, doc.id) for doc in docs]
    tables = pl.concat(table_frames) if table_frames else pl.DataFrame(schema=table_schema())
    write_text(folder / "tables.csv", render_records(tables.to_dicts(), "csv", table_schema()))
    outputs = ["segments.jsonl", "tables.csv"]
    per_doc = {doc.id: len(segmented[doc.id]) for doc in docs}
    report = [f"{doc_id}: {n} segments" for doc_id, n in per_doc.items()]

    bilingual = [d for d in docs if _is_bilingual(segmented[d.id])]
    settings: dict = {"encoder": encoder}
    built = None
    if bilingual:
        say("aligning")
        # One-language documents spell out acronyms the bilingual text only uses (ITIB, NIFS).
        sources = [(d.id, langs.pop(), d.text) for d in docs
                   if len(langs := {s.lang for s in segmented[d.id]}) == 1]
        lines, built = _align_and_build(bilingual, segmented, folder, encoder=encoder, glossary=glossary,
                                        existing=existing, outputs=outputs, settings=settings, say=say,
                                        sources=sources)
        report += lines
    names = built if built is not None else existing
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
    write_meta(folder / RUN_META, meta)
    from zhen.jobs.report import write_report

    write_report(folder)
    return report


def _is_bilingual(segments) -> bool:
    langs = {s.lang for s in segments}
    return {"zh", "en"} <= langs


def _align_and_build(docs, segmented, folder: Path, *, encoder: str, glossary: str | None, existing,
                     outputs: list[str], settings: dict, say, sources=()) -> tuple[list[str], object]:
    import json

    from zhen.align.document import aligner_settings, align_bilingual, document_pairs
    from zhen.align.encoders import get_encoder
    from zhen.align.formats import write_pairs_tsv, write_tmx
    from zhen.corpora.scripts import zh_tag
    from zhen.glossary import build_glossary, write_glossary

    enc = get_encoder(encoder, cache=True)
    all_pairs = []
    src_lang = "zh-HK"
    for doc in docs:
        zh, en, beads = align_bilingual(segmented[doc.id], encoder=enc)
        all_pairs += document_pairs(doc, zh, en, beads)
        src_lang = zh_tag([s.text for s in zh])
    write_pairs_tsv(all_pairs, folder / "pairs.tsv")
    aligner = aligner_settings("bilingual-units")
    settings["aligner"] = aligner
    prov = {"encoder": encoder, "aligner": "bilingual-units",
            "aligner-settings": json.dumps(aligner, sort_keys=True, separators=(",", ":"))}
    write_tmx(all_pairs, folder / "pairs.tmx", srclang=src_lang, tgtlang="en", provenance=prov)
    outputs += ["pairs.tsv", "pairs.tmx"]

    say("building the glossary")
    g = build_glossary(all_pairs, existing=existing, sources=sources)
    date = _corpus_date(docs)
    for name, fmt in GLOSSARY_FILES:
        write_glossary(g, folder / name, fmt, date=None if name.endswith(".csv") else date)
    outputs += [name for name, _fmt in GLOSSARY_FILES]

    say("checking terminology")
    findings, skipped = _findings(all_pairs, g, src_lang)
    from zhen.corpora.output import meta_path
    from zhen.glossary.qa import check_signature, render_findings

    write_text(folder / "findings.csv", render_findings(findings, "csv").decode("utf-8"))
    write_meta(meta_path(folder / "findings.csv"), check_signature(src_lang=src_lang, tgt_lang="en"))
    outputs.append("findings.csv")
    settings["counts"] = {"pairs": len(all_pairs), "glossary_entries": len(g.entries), "findings": findings.height}
    settings["qa"] = skipped
    settings["glossary_merged_from"] = Path(glossary).name if glossary else None
    nulls = sum(1 for p in all_pairs if not p.src_ids or not p.tgt_ids)
    by_sev = findings["severity"].value_counts(sort=True).rows() if findings.height else []
    return [f"aligned: {len(all_pairs)} beads ({nulls} null)", f"glossary: {len(g.entries)} entries",
            "QA findings: " + (skipped or ", ".join(f"{n} {sev}" for sev, n in by_sev) or "none")], g


def _findings(pairs, g, src_lang: str):
    """QA of the run's own pairs, and why it was skipped if it was. A small document may yield
    no glossary entries, and a poor alignment fails QA's own sanity checks (which exist to catch
    pair files that are not translations): for ``zhen run`` both are a result — no findings and a
    line in the report — not an error that throws the rest of the run away."""
    import polars as pl

    from zhen.corpora.errors import InputError
    from zhen.glossary.qa import check, finding_schema

    usable = [e for e in g.entries if e.en and e.zh and e.status != "rejected"]
    if not usable:
        return pl.DataFrame(schema=finding_schema()), "skipped (the glossary has no entries)"
    try:
        return check(pairs, g, src_lang=src_lang, tgt_lang="en"), None
    except InputError as exc:
        return pl.DataFrame(schema=finding_schema()), f"skipped ({exc.problem})"


def _corpus_date(docs) -> str | None:
    """The newest source date: TBX transacGrp dates then depend on the inputs only, so a re-run
    gives byte-identical files."""
    dates = sorted(d.source.date for d in docs if d.source is not None and d.source.date)
    return dates[-1] if dates else None


def _remove_stale_staging(folder: Path) -> None:
    """Staging folders left by a run that was killed (kill -9 cannot clean up after itself)."""
    for old in folder.glob(_STAGING_PREFIX + "*"):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _swap_in(staging: Path, folder: Path) -> None:
    """Move the staged files into ``folder``: the old run.meta.json goes first and the new one
    comes last, so at no moment does a run.meta.json describe files another run made."""
    try:
        os.unlink(folder / RUN_META)
    except FileNotFoundError:
        pass
    staged = sorted(p for p in staging.rglob("*") if p.is_file() and p.name != RUN_META)
    for src in staged:
        dst = folder / src.relative_to(staging)
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
    os.replace(staging / RUN_META, folder / RUN_META)
