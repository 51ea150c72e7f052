"""Running the checks: pairs and a glossary in, one findings frame out (the job behind
``zhen check`` and the QA step of ``zhen run``), and the signature that records what made it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zhen.corpora.errors import InputError
from zhen.glossary.qa.context import Context, checkable_entries
from zhen.glossary.qa.direction import (
    MISALIGNED_LENGTH_CORR, MISALIGNED_NUMBER_AGREEMENT, MIXED_DIRECTION_SHARE, check_alignment, detect_direction,
    language_kind, validate_pairs,
)
from zhen.glossary.qa.records import Finding, finding_key, finding_schema
from zhen.glossary.qa.registry import CHECKS, check_names
from zhen.glossary.qa.terms import LOW_SCORE
from zhen.glossary.qa.untranslated import UNTRANSLATED_MIN_WORDS

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from zhen.align.formats import AlignedPair
    from zhen.glossary.model import Glossary


def _load_glossary(glossary: Glossary | str | Path) -> tuple[Glossary, str]:
    from zhen.glossary.model import Glossary

    if isinstance(glossary, Glossary):
        return glossary, str(glossary.meta.get("path", "<glossary>"))
    from zhen.glossary import read_glossary

    path = Path(glossary)
    return read_glossary(path), str(path)


def check(pairs: Sequence[AlignedPair], glossary: Glossary | str | Path, *, src_lang: str | None = None,
          tgt_lang: str | None = None, checks: Iterable[str] | None = None,
          spelling: Iterable[str] | None = None) -> pl.DataFrame:
    """Check aligned pairs against a glossary; one row per finding (:func:`finding_schema`).

    ``glossary`` is a :class:`~zhen.glossary.model.Glossary` or a path to one. Languages not
    given are found by script. ``checks`` picks names from :data:`CHECKS` (default: all; an
    unknown one raises :class:`~zhen.corpora.errors.UnknownChoice`). ``spelling`` picks the
    English spelling rules by which terms also match (:data:`zhen.corpora.spelling.SPELLING_RULES`;
    default all, ``()`` none: a term then matches only as the glossary writes it). Empty, misaligned or
    mixed-direction pairs and a glossary with no Chinese–English entries raise
    :class:`InputError`; the inputs are never changed.
    """
    import polars as pl

    pairs = list(pairs)
    names = check_names(checks)
    rules = spelling_rules(spelling)
    validate_pairs(pairs, "<pairs>")
    if src_lang is None or tgt_lang is None:
        found_src, found_tgt = detect_direction(pairs, source="<pairs>")
        src_lang, tgt_lang = src_lang or found_src, tgt_lang or found_tgt
    if language_kind(src_lang) == language_kind(tgt_lang):
        raise InputError(None, f"source and target are both {src_lang!r}/{tgt_lang!r}",
                         hint="zhen check compares Chinese with English")
    g, gname = _load_glossary(glossary)
    if not checkable_entries(g):
        raise InputError(gname, f"has no Chinese–English entries to check against ({len(g.entries)} entries, "
                         f"{sum(e.status == 'rejected' for e in g.entries)} rejected)",
                         hint="give a zh–en glossary, e.g. the glossary.csv that zhen run writes")
    ctx = Context(pairs, g, src_lang, tgt_lang, spelling=rules)
    check_alignment(pairs, src_lang, tgt_lang, "<pairs>", ctx.numbers)
    findings: list[Finding] = []
    for name in names:
        findings.extend(CHECKS.get(name).function(ctx))
    order = {n: k for k, n in enumerate(CHECKS.names())}
    findings.sort(key=lambda f: (f.pair, order[f.check], f.src_start if f.src_start is not None else -1,
                                 f.tgt_start if f.tgt_start is not None else -1, f.message))
    rows = []
    seen = set()
    for f in findings:
        p = pairs[f.pair]
        key = finding_key(f, p)
        if (f.pair, key) in seen:
            continue
        seen.add((f.pair, key))
        rows.append({
            "key": key, "pair": f.pair + 1, "pair_id": p.pair_id, "unit_id": p.unit_id or None,
            "file": p.doc, "check": f.check,
            "severity": f.severity, "issue_type": f.issue_type, "message": f.message,
            "src_start": f.src_start, "src_end": f.src_end,
            "src_span": p.src_text[f.src_start:f.src_end] if f.src_start is not None else None,
            "tgt_start": f.tgt_start, "tgt_end": f.tgt_end,
            "tgt_span": p.tgt_text[f.tgt_start:f.tgt_end] if f.tgt_start is not None else None,
            "expected": f.expected, "found": f.found, "concept_id": f.concept_id or None,
            "src_lang": src_lang, "tgt_lang": tgt_lang, "src_text": p.src_text, "tgt_text": p.tgt_text,
        })
    schema = finding_schema()
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def spelling_rules(names: Iterable[str] | None = None) -> tuple[str, ...]:
    """``names`` checked against :data:`~zhen.corpora.spelling.SPELLING_RULES` (``None``: all)."""
    from zhen.corpora.spelling import SPELLING_RULES

    if names is None:
        return SPELLING_RULES.names()
    return tuple(dict.fromkeys(SPELLING_RULES.check(n) for n in names))


def check_signature(*, src_lang: str, tgt_lang: str, checks: Iterable[str] | None = None,
                    glossary: str | None = None, spelling: Iterable[str] | None = None) -> dict:
    """What made a findings file (for its ``.meta.json`` and the report headers)."""
    from zhen.corpora.output import signature

    return signature(stage="check", src_lang=src_lang, tgt_lang=tgt_lang,
                     checks=list(checks) if checks is not None else list(CHECKS.names()), glossary=glossary,
                     spelling=list(spelling_rules(spelling)),
                     thresholds={"low_score": LOW_SCORE, "misaligned_length_corr": MISALIGNED_LENGTH_CORR,
                                 "misaligned_number_agreement": MISALIGNED_NUMBER_AGREEMENT,
                                 "mixed_direction_share": MIXED_DIRECTION_SHARE,
                                 "untranslated_min_words": UNTRANSLATED_MIN_WORDS})
