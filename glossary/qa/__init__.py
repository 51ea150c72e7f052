"""Terminology QA of a translation against a glossary, aware of Hong Kong Chinese (``zhen check``).

In the manner of Xbench, Verifika, Trados' Terminology Verifier and Okapi CheckMate: every
aligned pair is read against the glossary and against the rest of the file, and each problem
becomes one *finding*.

>>> from zhen.glossary import read_glossary                         # doctest: +SKIP
>>> from zhen.jobs.check import load_check_input                 # doctest: +SKIP
>>> pairs, src, tgt = load_check_input(["pairs.tsv"])            # doctest: +SKIP
>>> frame = check(pairs, read_glossary("glossary.csv"), src_lang=src, tgt_lang=tgt)  # doctest: +SKIP
>>> frame = apply_ignore(frame, "accepted.txt")                   # doctest: +SKIP
>>> render_findings(frame, "html")                                # doctest: +SKIP

The modules, bottom up:

``records``      :class:`Finding`, the findings frame's schema, severities, ITS 2.0 issue types,
                 finding keys.
``index``        glossary terms found in a text (one Aho–Corasick automaton per language over
                 :func:`zhen.corpora.keys.match_key`).
``direction``    which way a file goes (by script), and refusing empty, mixed-up or shifted files.
``context``      what every check reads: pairs, languages, indexes, per-pair caches.
``terms`` ``consistency`` ``numbers`` ``script`` ``untranslated`` ``acronyms``
                 the checks, one function each; its docstring is its help text.
``registry``     :data:`CHECKS`: the checks by name, in report order.
``run``          :func:`check` and :func:`check_signature`.
``ignore``       ignore files (:func:`apply_ignore`).
``spelling`` ``nearmiss``
                 the spelling-variant and near-miss checks (fuzzy matches of a required term).
``render``       text, CSV, JSONL, HTML and XLIFF with ITS 2.0 issues (:data:`FORMATS`).

Direction
    Either zh→en or en→zh. When not given, each side's language is found by script
    (:func:`zhen.corpora.scripts.text_lang`).

Severities
    ``error`` (must fix), ``warning`` (look at it), ``info`` (minor or likely legitimate: a
    candidate glossary entry, a source-side inconsistency, a term used fewer times than in the
    source). ``reaches(frame, "warning")`` is what ``--fail-on warning`` tests.

Findings (:func:`finding_schema`)
    One row per finding: its key, the 1-based pair number (the row in a TSV/JSONL file, the
    ``<tu>`` in a TMX, the translated segment in an XLIFF), the pair's segment ids, the unit's own
    id in the file it came from (TMX ``tuid``, XLIFF ``id``) and that file (the pair's document:
    the XLIFF ``<file original>``), check, severity, ITS 2.0 ``locQualityIssueType``,
    a message, the source and target spans (0-based character offsets into the pair's texts, end
    exclusive, with the text they cover), what was expected and what was found, the concept id,
    the languages and both texts (so a report can show the pair). Rows are sorted by pair, then
    check, then offsets: the same input always gives the same bytes. A key hashes what the
    finding says, not where the pair sits (:func:`~zhen.glossary.qa.records.finding_key`), so an
    ignore file (:mod:`zhen.glossary.qa.ignore`) keeps working when pairs are added or moved.
"""

from __future__ import annotations

from zhen.glossary.qa.direction import check_alignment, detect_direction, validate_pairs
from zhen.glossary.qa.ignore import apply_ignore, read_ignore_keys
from zhen.glossary.qa.records import (
    FINDING_COLUMNS, ISSUE_TYPES, SEVERITIES, Finding, finding_schema, reaches, severity_rank,
)
from zhen.glossary.qa.registry import CHECKS, check_names, describe_checks
from zhen.glossary.qa.render import FORMATS, render_findings
from zhen.glossary.qa.run import check, check_signature, spelling_rules

__all__ = [
    "CHECKS", "FINDING_COLUMNS", "FORMATS", "ISSUE_TYPES", "SEVERITIES", "Finding", "apply_ignore", "check",
    "check_alignment", "check_names", "check_signature", "describe_checks", "detect_direction", "finding_schema",
    "reaches", "read_ignore_keys", "render_findings", "severity_rank", "spelling_rules", "validate_pairs",
]
