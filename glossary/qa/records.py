"""What a check reports: the :class:`Finding` record, the findings frame's schema, severities,
ITS 2.0 issue types and the key that names a finding in an ignore file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from zhen.corpora.errors import UnknownChoice
from zhen.corpora.keys import match_key

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from zhen.align.formats import AlignedPair

#: Severities, least to most severe.
SEVERITIES = ("info", "warning", "error")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

#: ITS 2.0 ``locQualityIssueType`` values the checks use (W3C ITS 2.0 §8.15.3, the
#: ``locQualityIssueType`` list).
ISSUE_TYPES = ("terminology", "inconsistency", "numbers", "characters", "untranslated", "omission",
               "addition", "style", "misspelling")
#: ``locQualityIssueSeverity`` (ITS 2.0: 0, no effect, to 100, severe) for each severity.
ITS_SEVERITY = {"info": 10.0, "warning": 50.0, "error": 100.0}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one pair. Offsets are into the pair's own texts (end exclusive)."""

    pair: int  # 0-based index into the pairs given to check(); the frame shows it 1-based
    check: str
    severity: str
    issue_type: str
    message: str
    src_start: int | None = None
    src_end: int | None = None
    tgt_start: int | None = None
    tgt_end: int | None = None
    expected: str = ""
    found: str = ""
    concept_id: str = ""


FINDING_COLUMNS = (
    "key", "pair", "pair_id", "unit_id", "file", "check", "severity", "issue_type", "message",
    "src_start", "src_end", "src_span", "tgt_start", "tgt_end", "tgt_span",
    "expected", "found", "concept_id", "src_lang", "tgt_lang", "src_text", "tgt_text",
)


def finding_schema() -> dict:
    """The declared schema of the findings frame (column order is :data:`FINDING_COLUMNS`)."""
    import polars as pl

    ints = {"pair", "src_start", "src_end", "tgt_start", "tgt_end"}
    return {c: (pl.Int64 if c in ints else pl.String) for c in FINDING_COLUMNS}


def severity_rank(severity: str) -> int:
    """0 for ``info`` up to 2 for ``error``; :class:`UnknownChoice` for anything else."""
    try:
        return _RANK[severity]
    except KeyError:
        raise UnknownChoice("severity", severity, SEVERITIES) from None


def milder(severity: str) -> str:
    """One step less severe (``info`` stays ``info``)."""
    return SEVERITIES[max(0, severity_rank(severity) - 1)]


def reaches(frame: pl.DataFrame, severity: str) -> bool:
    """True when some finding is at least as severe as ``severity`` (``--fail-on``)."""
    threshold = severity_rank(severity)
    if frame.height == 0:
        return False
    return any(severity_rank(s) >= threshold for s in frame.get_column("severity").unique().to_list())


@lru_cache(maxsize=1024)
def _pair_hash(check: str, src_text: str, tgt_text: str):
    """The hash state after a finding key's check name and pair texts, once per pair: a pair with
    many findings would otherwise fold and hash its whole text once per finding (quadratic on one
    long pair). The digest is the same as hashing the joined parts in one go."""
    return hashlib.sha1("\x1f".join((check, match_key(src_text), match_key(tgt_text))).encode("utf-8"))


def finding_key(f: Finding, p: AlignedPair) -> str:
    """``check:hash`` of what the finding says (check, both texts through the match key, spans,
    expected, found, concept), not of where the pair sits: keys survive pairs being added or
    moved, and the same problem in two identical pairs shares one key."""
    rest = (str(f.src_start), str(f.src_end), str(f.tgt_start), str(f.tgt_end), f.expected, f.found,
            f.concept_id, f.issue_type)
    h = _pair_hash(f.check, p.src_text, p.tgt_text).copy()
    h.update(("\x1f" + "\x1f".join(rest)).encode("utf-8"))
    return f"{f.check}:{h.hexdigest()[:12]}"
