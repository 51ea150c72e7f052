"""The glossary's records: concept entries, built from aligned pairs (:class:`zhen.align.formats.AlignedPair`).

One :class:`Entry` is one concept (TBX ``conceptEntry``): a preferred English and HK Chinese term,
variants per language with a TBX-Basic ``termType``, a review status, a score and the evidence
that produced it. Everything is a frozen dataclass; a :class:`Glossary` is an immutable, sorted
tuple of entries, so the same build writes the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from zhen.corpora.errors import InvalidArgument
from zhen.corpora.keys import match_key

#: Entry status: what a reviewer decided about the whole pair.
ENTRY_STATUSES = ("candidate", "approved", "rejected")
#: Term status, mapped 1:1 onto TBX-Basic ``administrativeStatus`` (``…Term-admn-sts``).
TERM_STATUSES = ("preferred", "admitted", "deprecated")
#: Variant types. The first six are TBX-Basic ``termType`` values; ``simplified`` is ours: the
#: same term in Simplified script (TBX writes it as a ``zh-Hans`` langSec, termType ``variant``).
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase", "simplified")
#: Entry kind, so a reviewer can sort: a *name* (a programme, body, office, place or title: the
#: text names one thing), a *term* (a domain concept: 算力 ↔ computing power) or an *acronym*
#: (the English side is only an acronym that no source spells out). Empty: not known (imports).
ENTRY_KINDS = ("name", "term", "acronym")
#: Language tags (BCP-47) the writers use.
LANG_TAGS = {"en": "en", "zh": "zh-Hant-HK", "zh-Hans": "zh-Hans"}


@dataclass(frozen=True, slots=True, order=True)
class Term:
    text: str
    type: str = "variant"  # one of TERM_TYPES
    status: str = "admitted"  # one of TERM_STATUSES

    def __post_init__(self) -> None:
        if self.type not in TERM_TYPES:
            raise InvalidArgument(f"term type {self.type!r} is not one of {', '.join(TERM_TYPES)}")
        if self.status not in TERM_STATUSES:
            raise InvalidArgument(f"term status {self.status!r} is not one of {', '.join(TERM_STATUSES)}")


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """Where a pair was seen: the aligned pair's id, its document, and which signal found it
    (``colon``, ``bracket``, ``bold``, ``quote``, ``heading``, ``acronym``, ``dictionary``,
    ``walign``, ``association``, ``embedding``, ``import``; ``definition``: an English-only
    source spells the acronym out, ``pair_id`` is then ``doc:line``)."""

    pair_id: str
    source: str
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    concept_id: str
    en: str
    zh: str
    en_variants: tuple[Term, ...] = ()
    zh_variants: tuple[Term, ...] = ()
    status: str = "candidate"
    score: float = 0.0
    frequency: int = 0
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    en_context: str = ""  # one example sentence per language (TBX ``context``, JSON; not in CSV)
    zh_context: str = ""
    kind: str = ""  # one of ENTRY_KINDS, or "" when not known

    def __post_init__(self) -> None:
        if self.status not in ENTRY_STATUSES:
            raise InvalidArgument(f"entry status {self.status!r} is not one of {', '.join(ENTRY_STATUSES)}")
        if self.kind and self.kind not in ENTRY_KINDS:
            raise InvalidArgument(f"entry kind {self.kind!r} is not one of {', '.join(ENTRY_KINDS)}")

    @property
    def edited(self) -> bool:
        """A person changed the preferred text: the id no longer hashes the text it holds."""
        return self.concept_id != concept_id(self.en, self.zh)

    @property
    def reviewed(self) -> bool:
        """Touched by a person: decided, edited or annotated. Rebuilds never overwrite these."""
        return self.status != "candidate" or self.edited or bool(self.note)

    def terms(self, lang: str) -> tuple[str, ...]:
        """The preferred term then every variant of ``lang`` (``en`` or ``zh``)."""
        if lang == "en":
            return (self.en, *(t.text for t in self.en_variants))
        return (self.zh, *(t.text for t in self.zh_variants))

    def to_dict(self) -> dict:
        return {
            "concept_id": self.concept_id, "en": self.en, "zh": self.zh,
            "en_variants": [{"text": t.text, "type": t.type, "status": t.status} for t in self.en_variants],
            "zh_variants": [{"text": t.text, "type": t.type, "status": t.status} for t in self.zh_variants],
            "status": self.status, "score": self.score, "frequency": self.frequency,
            "evidence": [{"pair_id": e.pair_id, "source": e.source, "doc": e.doc} for e in self.evidence],
            "note": self.note, "en_context": self.en_context, "zh_context": self.zh_context,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Entry:
        return cls(
            concept_id=d["concept_id"], en=d["en"], zh=d["zh"],
            en_variants=tuple(Term(**t) for t in d.get("en_variants", ())),
            zh_variants=tuple(Term(**t) for t in d.get("zh_variants", ())),
            status=d.get("status", "candidate"), score=float(d.get("score", 0.0)),
            frequency=int(d.get("frequency", 0)),
            evidence=tuple(Evidence(**e) for e in d.get("evidence", ())),
            note=d.get("note", ""), en_context=d.get("en_context", ""), zh_context=d.get("zh_context", ""),
            kind=d.get("kind", ""),
        )


_SPACE = re.compile(r"\s+")


def normalise_key(text: str) -> str:
    """What two spellings of one term share: :func:`zhen.corpora.keys.match_key`."""
    return match_key(text)


def concept_id(en: str, zh: str) -> str:
    """Stable id of a pair: a hash of its normalised preferred terms, so rebuilds keep ids and
    a person's edit of either term shows (``Entry.edited``)."""
    key = f"{normalise_key(en)}\t{normalise_key(zh)}".encode()
    return "c" + hashlib.sha1(key).hexdigest()[:12]


def _canonical_score(x: float) -> float:
    # Four decimals: enough to rank, and the same float prints the same in every format.
    return round(float(x), 4)


def canonical_entry(e: Entry) -> Entry:
    """Sorted variants and evidence, rounded score, NFC text: one spelling for equal entries."""
    return replace(
        e,
        en=unicodedata.normalize("NFC", e.en), zh=unicodedata.normalize("NFC", e.zh),
        en_variants=tuple(sorted(set(e.en_variants))), zh_variants=tuple(sorted(set(e.zh_variants))),
        evidence=tuple(sorted(set(e.evidence))), score=_canonical_score(e.score),
    )


def _sort_key(e: Entry):
    return (-e.score, normalise_key(e.en), normalise_key(e.zh), e.concept_id)


@dataclass(frozen=True)
class Glossary:
    """An immutable, deterministically ordered set of entries (best score first)."""

    entries: tuple[Entry, ...] = ()
    meta: dict = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, entries: Iterable[Entry], meta: dict | None = None) -> Glossary:
        return cls(tuple(sorted((canonical_entry(e) for e in entries), key=_sort_key)), dict(meta or {}))

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def get(self, concept: str) -> Entry | None:
        for e in self.entries:
            if e.concept_id == concept:
                return e
        return None

    def lookup(self, term: str) -> list[Entry]:
        """Entries whose preferred term or any variant equals ``term`` (compared through
        match_key, so 人工智能/人工智能, ＡＩ/AI and case all match), best first."""
        key = normalise_key(term)
        return [e for e in self.entries if any(normalise_key(t) == key for t in (*e.terms("en"), *e.terms("zh")))]

    def grep(self, pattern: str) -> list[Entry]:
        """Entries where a regular expression matches any term, the note or the concept id
        (also tried against the match_key form, so a Simplified pattern finds Traditional)."""
        rx = re.compile(pattern, re.IGNORECASE)
        alt = re.compile(normalise_key(pattern), re.IGNORECASE)
        out = []
        for e in self.entries:
            hay = [*e.terms("en"), *e.terms("zh"), e.note, e.concept_id]
            if any(rx.search(h) or alt.search(normalise_key(h)) for h in hay if h):
                out.append(e)
        return out

    def to_frame(self):
        """Entries as a polars frame with :func:`glossary_schema`; variants and evidence as lists."""
        import polars as pl

        rows = [{
            "concept_id": e.concept_id, "en": e.en, "zh": e.zh,
            "en_variants": [t.text for t in e.en_variants], "en_variant_types": [t.type for t in e.en_variants],
            "zh_variants": [t.text for t in e.zh_variants], "zh_variant_types": [t.type for t in e.zh_variants],
            "status": e.status, "score": e.score, "frequency": e.frequency,
            "evidence": [f"{ev.source}={ev.pair_id}" for ev in e.evidence], "note": e.note, "kind": e.kind,
        } for e in self.entries]
        return pl.DataFrame(rows, schema=glossary_schema()) if rows else pl.DataFrame(schema=glossary_schema())


def glossary_schema():
    import polars as pl

    return {
        "concept_id": pl.String, "en": pl.String, "zh": pl.String,
        "en_variants": pl.List(pl.String), "en_variant_types": pl.List(pl.String),
        "zh_variants": pl.List(pl.String), "zh_variant_types": pl.List(pl.String),
        "status": pl.String, "score": pl.Float64, "frequency": pl.Int64,
        "evidence": pl.List(pl.String), "note": pl.String, "kind": pl.String,
    }


def show_entry(e: Entry) -> str:
    """A one-entry text block for ``zhen glossary show`` (the CLI prints it; we never do)."""
    lines = [f"{e.concept_id}  [{e.status}]" + (f" {e.kind}" if e.kind else "") + f"  score {e.score:.3f}  freq {e.frequency}",
             f"  en: {e.en}", f"  zh: {e.zh}"]
    for lang, variants in (("en", e.en_variants), ("zh", e.zh_variants)):
        for t in variants:
            lines.append(f"    {lang} {t.type}: {t.text}" + ("" if t.status == "admitted" else f" ({t.status})"))
    if e.note:
        lines.append(f"  note: {e.note}")
    if e.evidence:
        shown = ", ".join(f"{ev.source}@{ev.pair_id}" for ev in e.evidence[:6])
        more = f" (+{len(e.evidence) - 6})" if len(e.evidence) > 6 else ""
        lines.append(f"  evidence: {shown}{more}")
    return "\n".join(lines)
