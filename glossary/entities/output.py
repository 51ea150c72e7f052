"""The files of ``zhen normalise`` (and the entity part of ``zhen run``), written atomically
with a ``normalise.meta.json`` that says what made them.

The CSVs are for people reviewing in a spreadsheet, so list columns are flattened to text:
aliases as ``name{kind} | name{kind}``, mentions per source as ``doc=n; doc=n``, ids and places
space-separated. The frames of :class:`NormalisationResult` keep them as lists.
"""

from __future__ import annotations

from pathlib import Path

from zhen.corpora.output import render_records, signature, write_meta, write_text
from zhen.glossary.entities.normalise import NormalisationResult
from zhen.glossary.entities.records import issue_schema, mention_schema, unresolved_schema


def _per_source(row: dict) -> str:
    return "; ".join(f"{d}={n}" for d, n in zip(row["docs"], row["doc_counts"]))


def _text_schema(schema: dict, *text_columns: str) -> dict:
    import polars as pl

    return {**schema, **dict.fromkeys(text_columns, pl.String)}


def _entity_rows(result: NormalisationResult) -> list[dict]:
    return [{
        "entity_id": r["entity_id"], "canonical_en": r["canonical_en"], "canonical_zh": r["canonical_zh"],
        "aliases": " | ".join(f"{a}{{{k}}}" for a, k in zip(r["aliases"], r["alias_kinds"])),
        "mentions": r["mentions"], "per_source": _per_source(r),
        "concept_ids": " ".join(r["concept_ids"]), "origins": " ".join(r["origins"]),
    } for r in result.entities_frame().iter_rows(named=True)]


def _alias_rows(result: NormalisationResult) -> list[dict]:
    return [{
        "entity_id": r["entity_id"], "alias": r["alias"], "kind": r["kind"], "lang": r["lang"], "rule": r["rule"],
        "scope": " ".join(r["scope"]), "seen": " ".join(r["seen"]), "mentions": r["mentions"],
        "per_source": _per_source(r),
    } for r in result.aliases_frame().iter_rows(named=True)]


def write_normalisation(result: NormalisationResult, out_dir: str | Path) -> list[str]:
    """Write the outputs into ``out_dir`` atomically; returns the file names written.

    mentions.csv (doc,start,end,surface,entity_id,canonical_en,canonical_zh,method,confidence),
    mentions.jsonl (the same plus alias, lang and the span in the normalised text), entities.csv
    (one row an entity: aliases, mentions per document), entity-aliases.csv, entity-unresolved.csv,
    entity-issues.csv, normalised/<doc>.txt, and normalise.meta.json (what made them)."""
    import polars as pl

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    mentions = mention_schema()
    jsonl = [{**{k: getattr(m, k) for k in mentions}, "alias": m.alias, "lang": m.lang, "mode": result.mode,
              "norm_start": ns, "norm_end": ne} for m, (ns, ne) in zip(result.mentions, result.spans)]
    entity_csv = {"entity_id": pl.String, "canonical_en": pl.String, "canonical_zh": pl.String, "aliases": pl.String,
                  "mentions": pl.Int64, "per_source": pl.String, "concept_ids": pl.String, "origins": pl.String}
    alias_csv = {**dict.fromkeys(("entity_id", "alias", "kind", "lang", "rule", "scope", "seen"), pl.String),
                 "mentions": pl.Int64, "per_source": pl.String}
    unresolved = [{**r, "candidates": " ".join(r["candidates"])}
                  for r in result.unresolved_frame().iter_rows(named=True)]
    issues = [{**r, "entity_ids": " ".join(r["entity_ids"]), "where": " ".join(r["where"])}
              for r in result.issues_frame().iter_rows(named=True)]
    tables = {
        "mentions.csv": render_records(result.mentions_frame().to_dicts(), "csv", mentions),
        "mentions.jsonl": render_records(jsonl, "jsonl"),
        "entities.csv": render_records(_entity_rows(result), "csv", entity_csv),
        "entity-aliases.csv": render_records(_alias_rows(result), "csv", alias_csv),
        "entity-unresolved.csv": render_records(unresolved, "csv", _text_schema(unresolved_schema(), "candidates")),
        "entity-issues.csv": render_records(issues, "csv", _text_schema(issue_schema(), "entity_ids", "where")),
    }
    written = []
    for name, text in tables.items():
        write_text(folder / name, text)
        written.append(name)
    for doc_id, text in result.texts:
        write_text(folder / "normalised" / f"{doc_id}.txt", text)
        written.append(f"normalised/{doc_id}.txt")
    meta = signature(
        command="normalise", mode=result.mode,
        inputs={d.id: {"path": Path(d.path).name, "sha256": d.sha256, "encoding": d.encoding} for d in result.documents},
        outputs=written,
        counts={"entities": len(result.registry), "mentions": len(result.mentions),
                "unresolved": len(result.unresolved), "issues": len(result.registry.issues)},
        markup="[[surface|entity_id|canonical]] (\\ escapes \\, | and ])" if result.mode == "annotate" else None,
        **{k: v for k, v in result.settings.items() if k not in ("mode", "documents")},
    )
    write_meta(folder / "normalise.meta.json", meta)
    written.append("normalise.meta.json")
    return written
