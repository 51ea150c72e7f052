"""The input side of ``zhen check``: pair files (TSV, JSONL, TMX in either direction, XLIFF 1.2
and 2.x from a CAT tool), a bilingual document, or two files aligned first
(:func:`zhen.jobs.align.align_files`), read into pairs and a direction that
:func:`zhen.glossary.qa.check` can take; and the XLIFF output's own checks (it is a copy of the
input, so the input must be one XLIFF file and the output another file)."""

from __future__ import annotations

from pathlib import Path

from zhen.corpora.errors import InputError
from zhen.glossary.qa import check_alignment, detect_direction, validate_pairs

_PAIR_EXTENSIONS = {".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".tmx": "tmx",
                    ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mqxliff": "xliff"}


def _read_tmx_any_direction(path: Path) -> list:
    """A zh–en TMX read in the direction its header declares (``srclang``)."""
    import re

    from zhen.align.formats import FormatError, read_tmx
    from zhen.corpora.textio import read_input

    head = read_input(path, what="TMX file")[:8192].decode("utf-8", "replace")
    m = re.search(r"<header\b[^>]*\bsrclang\s*=\s*[\"']([^\"']+)", head)
    english_first = bool(m) and m.group(1).lower().split("-")[0] == "en"
    try:
        if english_first:
            return read_tmx(path, srclang="en", tgtlang="zh")
        return read_tmx(path, srclang="zh", tgtlang="en")
    except FormatError as exc:
        if "language" not in exc.reason:
            raise
        raise InputError(exc.source, exc.reason, line=exc.line,
                         hint="zhen check reads Chinese–English TMX files (zh-HK and en)") from None


def _read_pair_file(path: Path) -> list:
    from zhen.align.formats import FormatError, read_pairs

    fmt = _PAIR_EXTENSIONS[path.suffix.lower()]
    if fmt == "tmx":
        return _read_tmx_any_direction(path)
    if fmt == "xliff":
        from zhen.align.xliff import read_xliff

        return read_xliff(path).pairs
    try:
        return read_pairs(path, format=fmt)  # type: ignore[arg-type]
    except FormatError as exc:
        raise InputError(exc.source, exc.reason, line=exc.line,
                         hint=f"write it as zhen writes {fmt.upper()} pairs (zhen align --format {fmt})") from None


def load_check_input(inputs: list[str], *, encoder: str = "use-m") -> tuple[list, str, str]:
    """Pairs to check and their direction, from the command line's INPUT arguments.

    One file with a pairs extension (``.tsv``, ``.jsonl``, ``.tmx``, ``.xlf``/``.xliff``; a TMX
    or XLIFF in either direction) is read as aligned pairs; one other file is a bilingual document and two files are SRC and
    TGT, aligned first with ``encoder``. Returns ``(pairs, src_lang, tgt_lang)`` with BCP-47 tags
    found by script. Empty, broken or mixed-direction input raises :class:`InputError`.
    """
    if not inputs or len(inputs) > 2:
        raise InputError(None, f"got {len(inputs)} inputs",
                         hint="give aligned pairs (.tsv, .jsonl, .tmx, .xlf) or two files SRC TGT")
    paths = [Path(p) for p in inputs]
    for p in paths:
        if not p.is_file():
            raise InputError(p, "no such file", hint="check the path")
    if len(paths) == 1 and paths[0].suffix.lower() in _PAIR_EXTENSIONS:
        pairs = _read_pair_file(paths[0])
        source = str(paths[0])
    else:
        from zhen.jobs.align import align_files

        result = align_files([str(p) for p in paths], encoder=encoder)
        pairs = list(result.pairs)
        source = " + ".join(str(p) for p in paths)
    validate_pairs(pairs, source)
    src_lang, tgt_lang = detect_direction(pairs, source=source)
    check_alignment(pairs, src_lang, tgt_lang, source)
    return pairs, src_lang, tgt_lang


def check_xliff_output(inputs: list[str], output: str | None) -> Path:
    """The XLIFF that ``--format xliff`` copies: the one input, which must be an XLIFF file and
    must not be the output (the translator's file is never written over). Checked before any
    work; raises :class:`InputError`."""
    from zhen.align.xliff import is_xliff
    from zhen.corpora.textio import read_input

    if len(inputs) != 1:
        raise InputError(None, "--format xliff writes findings into a copy of one XLIFF file",
                         hint="give the XLIFF the CAT tool exported as the only input")
    path = Path(inputs[0])
    if not path.is_file() or not is_xliff(read_input(path, what="XLIFF file")):
        raise InputError(path, "is not an XLIFF file", hint="--format xliff needs an XLIFF 1.2 or 2.x input")
    if output in (None, "-"):
        return path
    out = Path(output)
    if out.exists() and out.resolve() == path.resolve():
        raise InputError(out, "is the input XLIFF; zhen never writes over it",
                         hint="give another file with -o, e.g. " + path.with_suffix(".checked" + path.suffix).name)
    return path
