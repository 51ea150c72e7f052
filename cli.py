"""The `zhen` command: a thin typer layer over the library (``zhen.corpora``, ``zhen.align``,
``zhen.glossary``) and its jobs (``zhen.jobs``).

Exit codes: 0 ok · 1 QA findings at or above --fail-on · 2 usage error · 3 bad input or a
missing resource. Library errors (``zhen.corpora.errors.ZhenError``) become one line on stderr:
an unknown choice exits 2, everything else 3. Heavy imports (polars, jieba, OpenCC, encoders,
torch) happen inside the commands, so ``zhen --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated, Optional

import enum

import typer

from zhen.align import ENCODERS, PAIR_FORMATS
from zhen.corpora.output import RECORD_FORMATS
from zhen.glossary import GLOSSARY_FORMATS, WRITABLE_GLOSSARY_FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3

app = typer.Typer(
    name="zhen",
    help="Chinese (Hong Kong) <-> English documents: segment, align, build a term glossary, "
    "normalise entity names, check terminology.\n\nExit codes: 0 ok, 1 QA findings at or above "
    "--fail-on, 2 usage error, 3 bad input or missing resource.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        from zhen.corpora.output import toolkit_version

        typer.echo(f"zhen {toolkit_version()}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    """zhen: Chinese (HK) <-> English document toolkit."""


def _fail(message: str, code: int = EXIT_INPUT) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def handles_errors(func):
    """Map the library's typed errors to one line on stderr: an unknown choice is a usage error
    (exit 2), every other ZhenError bad input or a missing resource (exit 3). An OSError that
    escaped the library (a disk filling up mid-write) still gets one line naming the path."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from zhen.corpora.errors import UnknownChoice, ZhenError

        try:
            return func(*args, **kwargs)
        except UnknownChoice as exc:
            _fail(str(exc), EXIT_USAGE)
        except ZhenError as exc:
            _fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(EXIT_OK)

    return wrapper


def _choice(kind: str, names) -> type[enum.StrEnum]:
    """An enum over a registry's names: typer rejects anything else as a usage error (exit 2)
    listing the valid names, and --help shows them. A StrEnum member is its name as a str."""
    return enum.StrEnum(kind, [(n, n) for n in names])


RecordFormat = _choice("RecordFormat", RECORD_FORMATS.names())
PairFormat = _choice("PairFormat", PAIR_FORMATS.names())
GlossaryFormat = _choice("GlossaryFormat", GLOSSARY_FORMATS.names())
WritableGlossaryFormat = _choice("WritableGlossaryFormat", WRITABLE_GLOSSARY_FORMATS)
SourcesFormat = _choice("SourcesFormat", ("table", "jsonl"))
ScoresFormat = _choice("ScoresFormat", ("text", "json"))
ShowFormat = _choice("ShowFormat", ("text", "jsonl"))


def _encoder_spec(value: str) -> str:
    """--encoder: a registry name, ``hash-N`` or ``st:NAME_OR_PATH`` (checked without loading)."""
    from zhen.align.encoders import check_encoder
    from zhen.corpora.errors import UnknownChoice, ZhenError

    try:
        return check_encoder(value)
    except UnknownChoice as exc:
        raise typer.BadParameter(str(exc)) from None
    except ZhenError as exc:
        _fail(str(exc))
    return value


def _check_output(out: Optional[str]) -> None:
    """An output file (not stdout) must be writable before any work starts."""
    if out not in (None, "-"):
        from zhen.corpora.output import check_writable

        check_writable(out)


def _emit(text: str, out: Optional[str]) -> None:
    """Write ``text`` to stdout (``-`` or nothing) or atomically to a file."""
    if out in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from zhen.corpora.output import write_text

    write_text(out, text)


def _status(enabled: bool):
    """A rich spinner with the current stage on a terminal; nothing in pipes and CI logs."""
    from contextlib import nullcontext

    if not enabled:
        return nullcontext(None)
    from rich.console import Console

    return Console(stderr=True).status("starting…")


FilesArg = Annotated[
    Optional[list[str]], typer.Argument(help="Files to read (- for stdin). Default: the bundled corpus.", show_default=False)
]
EncodingOpt = Annotated[
    Optional[str], typer.Option("--encoding", help="Input encoding (utf-8, utf-16, gb18030, big5). Default: detected.")
]
OutOpt = Annotated[Optional[str], typer.Option("-o", "--output", help="Output file, or - for stdout (default).")]
EncoderOpt = Annotated[str, typer.Option("--encoder", callback=_encoder_spec,
                                         help=f"Sentence encoder: {ENCODERS.describe()} (hash-N: N dimensions).")]


@app.command()
@handles_errors
def sources(
    fmt: Annotated[SourcesFormat, typer.Option("--format", help="Listing format.")] = SourcesFormat.table,
) -> None:
    """List the bundled corpus (manifest.toml in corpora/)."""
    import json

    from zhen import corpora
    rows = corpora.list_sources()
    if fmt == "jsonl":
        for s in rows:
            typer.echo(json.dumps({f: getattr(s, f) for f in s.__slots__}, ensure_ascii=False))
        return
    for s in rows:
        typer.echo(f"{s.id}\t{s.kind}\t{'+'.join(s.languages)}\t{s.year or ''}\t{s.title}")


@app.command()
@handles_errors
def segment(
    files: FilesArg = None,
    fmt: Annotated[RecordFormat, typer.Option("--format", help="Record format.")] = RecordFormat.jsonl,
    output: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Split documents into language-tagged segments with offsets into the original text."""
    from zhen import corpora
    from zhen.corpora.output import render_records, rows_of
    from zhen.corpora.segment import segment_schema

    _check_output(output)
    rows = []
    for doc in corpora.load_documents(files or [], encoding=encoding):
        rows.extend(rows_of(corpora.segment_document(doc)))
    _emit(render_records(rows, fmt, segment_schema()), output)


@app.command()
@handles_errors
def run(
    files: FilesArg = None,
    out: Annotated[str, typer.Option("--out", help="Output folder, or - to stream segments as JSONL.")] = "out",
    corpus: Annotated[Optional[Path], typer.Option("--corpus", help="A corpus folder with its own manifest.toml.")] = None,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help="A reviewed glossary to merge into (never overwritten).")] = None,
    encoder: EncoderOpt = "use-m",
    encoding: EncodingOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace glossary files in OUT that a person edited.")] = False,
) -> None:
    """The main job on the bundled corpus (or FILEs): segment, align, build the glossary; files in OUT."""
    import time

    from zhen.jobs.run import run_pipeline

    started = time.perf_counter()
    with _status(sys.stderr.isatty() and out != "-") as status:
        report = run_pipeline(files or [], out=out, corpus=corpus, encoding=encoding, encoder=encoder,
                              glossary=str(glossary) if glossary else None, force=force,
                              progress=(lambda msg: status.update(f"{msg}…")) if status else None)
    if out != "-":
        for line in report:
            typer.echo(line, err=True)
        typer.echo(f"done in {time.perf_counter() - started:.1f} s -> {out}/", err=True)


@app.command()
@handles_errors
def align(
    files: Annotated[
        Optional[list[str]],
        typer.Argument(help="FILE (bilingual, alternating) or SRC TGT. Default: the bundled slide deck.",
                       show_default=False),
    ] = None,
    presplit: Annotated[bool, typer.Option("--presplit", help="One segment per line; ids are 0-based line numbers.")] = False,
    encoding: EncodingOpt = None,
    encoder: EncoderOpt = "use-m",
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help="Glossary whose term pairs anchor the alignment.")] = None,
    fmt: Annotated[PairFormat, typer.Option("--format", help="Pair format.")] = PairFormat.tsv,
    output: OutOpt = None,
    max_bead: Annotated[int, typer.Option("--max-bead", min=2, help="Largest bead (source + target segments); from 5 up, one segment may also pair with up to 6.")] = 5,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")] = False,
) -> None:
    """Pair Chinese and English segments (1-1, 1-2, 2-1, 1-0, 0-1 ... beads) with a confidence each."""
    files = files or []
    if len(files) > 2:
        _fail("give one bilingual FILE or two files SRC TGT", EXIT_USAGE)
    _check_output(output)
    from zhen.jobs.align import align_files, render_alignment

    result = align_files(files, presplit=presplit, encoding=encoding, encoder=encoder,
                         glossary=str(glossary) if glossary else None, max_bead=max_bead, cache=not no_cache)
    _emit_bytes(render_alignment(result, fmt), output)


def _emit_bytes(data: bytes, out: Optional[str]) -> None:
    if out in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from zhen.corpora.textio import atomic_write

    with atomic_write(out, "wb") as fh:
        fh.write(data)


@app.command("align-eval")
@handles_errors
def align_eval(
    gold: Annotated[Path, typer.Argument(help="Gold alignment: ladder ([0,1]:[2]) or Champollion (1,2 <=> 3).")],
    pred: Annotated[Path, typer.Argument(help="Predicted alignment (ladder, as `zhen align --format ladder` writes).")],
    fmt: Annotated[ScoresFormat, typer.Option("--format", help="Report format.")] = ScoresFormat.text,
    swap: Annotated[bool, typer.Option("--swap", help="Swap the prediction's sides (e.g. zh-source output vs English-first Champollion gold).")] = False,
) -> None:
    """Score a predicted alignment against gold: strict and lax P/R/F1, exact-bead F1, null recall."""
    import json

    from zhen.jobs.align import evaluate_files

    scores = evaluate_files(gold, pred, swap=swap)
    if fmt == "json":
        typer.echo(json.dumps(scores, indent=2, sort_keys=True))
        return
    typer.echo(f"strict  P {scores['precision_strict']:.3f}  R {scores['recall_strict']:.3f}  F1 {scores['f1_strict']:.3f}")
    typer.echo(f"lax     P {scores['precision_lax']:.3f}  R {scores['recall_lax']:.3f}  F1 {scores['f1_lax']:.3f}")
    typer.echo(f"exact   P {scores['precision_exact']:.3f}  R {scores['recall_exact']:.3f}  F1 {scores['f1_exact']:.3f}")
    typer.echo(f"null-bead recall {scores['null_recall']:.3f} ({scores['n_null_gold']} gold)  "
               f"many-to-many recall {scores['many_recall']:.3f} ({scores['n_many_gold']} gold)")


@app.command("check")
@handles_errors
def check_cmd(
    inputs: Annotated[
        Optional[list[str]],
        typer.Argument(help="Aligned pairs (.tsv/.jsonl/.tmx), an XLIFF 1.2/2.x from a CAT tool (.xlf/.xliff), "
                            "a bilingual file, or SRC TGT (aligned first).", show_default=False),
    ] = None,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help="The glossary to check against.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, csv, jsonl, html, or xliff (a copy of the input XLIFF "
                                                      "with ITS 2.0 quality issues; needs -o).")] = "text",
    output: OutOpt = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 when a finding reaches this severity: info, warning, error.")] = "error",
    ignore: Annotated[Optional[Path], typer.Option("--ignore", help="Accepted findings: one key a line (a csv/jsonl report works too).")] = None,
    only: Annotated[Optional[list[str]], typer.Option("--check", help="Run only this check (repeatable).")] = None,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="Describe every check and exit.")] = False,
    spelling: Annotated[str, typer.Option("--spelling", help="English spelling rules terms also match by, comma-separated "
                                                             "(hyphen, isation, centre, programme, and, ise, our, re, yse), "
                                                             "'all' or 'none'.")] = "all",
    encoder: EncoderOpt = "use-m",
) -> None:
    """Check a translation against the glossary: terms, near misses, spelling, numbers, consistency, script, untranslated, acronyms."""
    from zhen.glossary.qa import (FORMATS, apply_ignore, check, check_names, check_signature, describe_checks,
                                  reaches, render_findings, severity_rank, spelling_rules)
    from zhen.jobs.check import check_xliff_output, load_check_input

    if list_checks:
        for name, summary, _doc in describe_checks():
            typer.echo(f"{name}\t{summary}")
        return
    # Names the registries do not hold raise UnknownChoice: a usage error (exit 2) listing them.
    FORMATS.check(fmt)
    severity_rank(fail_on)
    check_names(only)
    rules = None if spelling == "all" else () if spelling == "none" else \
        spelling_rules(r.strip() for r in spelling.split(",") if r.strip())
    if glossary is None:
        _fail("--glossary is required (build one with `zhen glossary build`)", EXIT_USAGE)
    if not inputs:
        _fail("give aligned pairs, a bilingual file, or SRC TGT", EXIT_USAGE)
    xliff_in = check_xliff_output(inputs, output) if fmt == "xliff" else None
    pairs, src_lang, tgt_lang = load_check_input(inputs, encoder=encoder)
    frame = check(pairs, str(glossary), src_lang=src_lang, tgt_lang=tgt_lang, checks=only, spelling=rules)
    if ignore:
        frame = apply_ignore(frame, ignore)
    meta = check_signature(src_lang=src_lang, tgt_lang=tgt_lang, checks=only, glossary=str(glossary),
                           spelling=rules)
    source = xliff_in.read_bytes() if xliff_in else None
    _emit_bytes(render_findings(frame, fmt, meta=meta, source=source), output)
    if output not in (None, "-") and fmt in ("csv", "jsonl"):
        from zhen.corpora.output import meta_path, write_meta

        write_meta(meta_path(output), meta)
    if reaches(frame, fail_on):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
@handles_errors
def normalise(
    files: FilesArg = None,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help="Glossary to take names from (default: out/glossary.csv if present).")] = None,
    out: Annotated[str, typer.Option("--out", help="Output folder.")] = "out",
    mode: Annotated[str, typer.Option("--mode", help="annotate (keep the surface, mark the entity) or replace (canonical names).")] = "annotate",
    seeds: Annotated[Optional[list[Path]], typer.Option("--seeds", help="Extra alias seed files (TOML) besides the bundled one.")] = None,
    encoding: EncodingOpt = None,
) -> None:
    """Recognise and normalise entity names across sources: mentions.csv, entities.csv, normalised copies."""
    from zhen.glossary.entities import DEFAULT_SEEDS
    from zhen.jobs.normalise import normalise_job

    if mode not in ("annotate", "replace"):
        _fail(f"unknown --mode {mode!r}: use annotate or replace", EXIT_USAGE)
    if glossary is None and Path(out, "glossary.csv").exists():
        glossary = Path(out, "glossary.csv")
    report = normalise_job(files or [], glossary=str(glossary) if glossary else None, out=out, mode=mode,
                           seeds=[DEFAULT_SEEDS, *seeds] if seeds else None, encoding=encoding)
    for line in report:
        typer.echo(line, err=True)


glossary_app = typer.Typer(help=f"Build, convert and show term glossaries ({GLOSSARY_FORMATS.describe()}).",
                           no_args_is_help=True)
app.add_typer(glossary_app, name="glossary")
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the output even if a person edited it since zhen wrote it.")]
ToGlossaryOpt = Annotated[Optional[WritableGlossaryFormat],
                          typer.Option("--to", help="Output format (default: from the extension).")]


@glossary_app.command("build")
@handles_errors
def glossary_build(
    inputs: Annotated[
        Optional[list[str]],
        typer.Argument(help="Aligned pairs (.tsv/.jsonl/.tmx from zhen align) or bilingual documents. "
                            "Default: the bundled slide deck.", show_default=False),
    ] = None,
    output: Annotated[str, typer.Option("-o", "--output", help="Glossary to write; format from the extension.")] = ...,
    to: ToGlossaryOpt = None,
    merge: Annotated[Optional[Path], typer.Option("--merge", help="Existing glossary: reviewed entries keep their text and status.")] = None,
    min_score: Annotated[Optional[float], typer.Option("--min-score", min=0.0, max=1.0, help="Drop entries scoring below this.")] = None,
    encoder: EncoderOpt = "use-m",
    embed: Annotated[bool, typer.Option("--embed", help="Add phrase-embedding evidence (slower).")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="ISO date for TBX transacGrp (default: none, reproducible).")] = None,
    encoding: EncodingOpt = None,
    force: ForceOpt = False,
) -> None:
    """Extract Chinese-English term pairs with variants, acronyms, status and evidence."""
    from zhen.glossary import write_glossary
    from zhen.jobs.glossary import build, check_output

    check_output(output, merge, *(inputs or []), fmt=to, date=date, force=force)
    g = build(inputs or [], merge=str(merge) if merge else None, min_score=min_score, encoder=encoder,
              embed=embed, encoding=encoding)
    write_glossary(g, output, to, date=date, force=force)
    typer.echo(f"{len(g.entries)} entries -> {output}", err=True)


@glossary_app.command("convert")
@handles_errors
def glossary_convert(
    source: Annotated[Path, typer.Argument(help="Glossary to read.")],
    target: Annotated[str, typer.Argument(help="Glossary to write.")],
    from_: Annotated[Optional[GlossaryFormat], typer.Option("--from", help="Input format (default: from the extension).")] = None,
    to: ToGlossaryOpt = None,
    columns: Annotated[Optional[str], typer.Option("--columns", help='Map another tool\'s table: en=English,zh="HK Chinese",abbr=English_Abbr')] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="ISO date for TBX transacGrp.")] = None,
    force: ForceOpt = False,
) -> None:
    """Convert between zhen CSV, TBX v3, TBX 2008, JSON, OmegaT TSV and other people's tables."""
    from zhen.glossary import read_glossary, write_glossary
    from zhen.jobs.glossary import check_output

    check_output(target, source, fmt=to, date=date, force=force)
    g = read_glossary(source, from_, columns=columns)
    write_glossary(g, target, to, date=date, force=force)
    typer.echo(f"{len(g.entries)} entries -> {target}", err=True)


@glossary_app.command("show")
@handles_errors
def glossary_show(
    glossary_file: Annotated[Path, typer.Argument(help="Glossary to show.")],
    grep: Annotated[Optional[str], typer.Option("--grep", help="Only entries with a term matching this (any language, any variant).")] = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.text,
) -> None:
    """Show glossary entries, optionally only those matching --grep."""
    import json

    from zhen.glossary import read_glossary, show_entry

    g = read_glossary(glossary_file)
    entries = g.grep(grep) if grep else list(g.entries)
    for e in entries:
        if fmt == "jsonl":
            typer.echo(json.dumps(e.to_dict(), ensure_ascii=False))
        else:
            typer.echo(show_entry(e))
    if fmt == "text":
        typer.echo(f"{len(entries)} of {len(g.entries)} entries", err=True)


@app.command()
@handles_errors
def review(
    glossary_file: Annotated[Path, typer.Argument(help="Glossary to review (zhen CSV, TBX, JSON or OmegaT); every decision is saved to it at once.")],
    pairs: Annotated[Optional[Path], typer.Option("--pairs", help="Aligned pairs (pairs.tsv/.jsonl/.tmx) the glossary was built from: shown as evidence.")] = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Only print the URL; do not open a browser.")] = False,
) -> None:
    """Review a glossary in the browser: accept, reject, edit, merge and split entries with the keyboard.

    Prints the page's URL (with its token) as the first line; Ctrl+C stops the server."""
    from zhen.jobs.review import review_server

    server = review_server(glossary_file, pairs=pairs, port=port)
    typer.echo(server.url)
    sys.stdout.flush()
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    typer.echo("zhen review: every decision is saved as you make it; Ctrl+C stops the server.", err=True)
    server.serve()


@app.command()
@handles_errors
def corpus(
    zh_dir: Annotated[Optional[str], typer.Argument(help="Folder of Chinese documents (not yet paired).", show_default=False)] = None,
    en_dir: Annotated[Optional[str], typer.Argument(help="Folder of English documents.", show_default=False)] = None,
    out: Annotated[str, typer.Option("--out", help="Output folder: doc_pairs.csv, parts/*.parquet, tmx/*.tmx, manifest.json, errors.csv.")] = "corpus-out",
    manifest: Annotated[Optional[str], typer.Option("--manifest", help="CSV/JSONL of given pairs (zh,en columns, or file for a bilingual document).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (a process pool sized to the cores) or ray (a Ray Data pipeline; pip install 'zhen-toolkit[ray]').")] = "local",
    address: Annotated[Optional[str], typer.Option("--address", help="With --engine ray: an existing cluster's address (default: start a local one).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes (default: the cores).")] = None,
    presplit: Annotated[bool, typer.Option("--presplit", help="One sentence per line.")] = False,
    encoding: EncodingOpt = None,
    encoder: EncoderOpt = "use-m",
    min_confidence: Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Document pairs below this are reported unpaired.")] = 0.5,
) -> None:
    """Pair documents across two folders (or take given pairs) and align every pair, restartably."""
    if manifest is None and (zh_dir is None or en_dir is None):
        _fail("give ZH_DIR EN_DIR, or --manifest M", EXIT_USAGE)
    if manifest is not None and zh_dir is not None:
        _fail("give ZH_DIR EN_DIR or --manifest, not both", EXIT_USAGE)
    from zhen.jobs.corpus import ENGINES, run_corpus

    if engine not in ENGINES:
        _fail(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})", EXIT_USAGE)

    progress = None
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TimeRemainingColumn

        bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                       TaskProgressColumn(), TimeRemainingColumn(), transient=True)
        bar.start()
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)
    try:
        res = run_corpus(out, zh_dir=zh_dir, en_dir=en_dir, manifest=manifest, engine=engine, workers=workers,
                         encoder=encoder, presplit=presplit, encoding=encoding, min_confidence=min_confidence,
                         progress=progress, address=address)
    finally:
        if progress is not None:
            bar.stop()
    paired = sum(1 for z, e, _ in res.pairs if z and e)
    typer.echo(f"{paired} document pairs, {len(res.pairs) - paired} unpaired documents, {res.sentence_pairs} "
               f"sentence pairs ({res.aligned_parts} aligned, {res.skipped_parts} unchanged), "
               f"{len(res.errors)} errors -> {res.out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    app()
