"""The checks by name, in report order: what ``check(..., checks=...)``, ``zhen check --check``
and ``--list-checks`` offer. Each check function's docstring is its help text (its first line
the summary); an unknown name raises :class:`~zhen.corpora.errors.UnknownChoice` listing the
valid ones, which the CLI reports as a usage error."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhen.corpora.registry import Registry
from zhen.glossary.qa.acronyms import check_acronym
from zhen.glossary.qa.consistency import check_inconsistency
from zhen.glossary.qa.nearmiss import check_near_miss
from zhen.glossary.qa.numbers import check_number
from zhen.glossary.qa.records import Finding
from zhen.glossary.qa.script import check_script
from zhen.glossary.qa.spelling import check_spelling_variant
from zhen.glossary.qa.terms import check_deprecated_term, check_missing_term
from zhen.glossary.qa.untranslated import check_untranslated

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    function: Callable[[Context], list[Finding]]
    severities: tuple[str, ...]  # what it may report, most severe first

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.function) or ""

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


CHECKS: Registry[Check] = Registry("check")
for _check in (
    Check("missing-term", check_missing_term, ("error", "warning", "info")),
    Check("near-miss", check_near_miss, ("error", "warning", "info")),
    Check("deprecated-term", check_deprecated_term, ("error", "warning")),
    Check("spelling-variant", check_spelling_variant, ("warning", "info")),
    Check("inconsistency", check_inconsistency, ("warning", "info")),
    Check("number", check_number, ("error", "warning")),
    Check("script", check_script, ("error", "warning", "info")),
    Check("untranslated", check_untranslated, ("error", "warning", "info")),
    Check("acronym", check_acronym, ("warning",)),
):
    CHECKS.add(_check.name, _check, _check.summary)


def check_names(names: Iterable[str] | None = None) -> tuple[str, ...]:
    """``names`` checked against the registry, repeats dropped (``None``: every check)."""
    if names is None:
        return CHECKS.names()
    return tuple(dict.fromkeys(CHECKS.check(n) for n in names))


def describe_checks() -> list[tuple[str, str, str]]:
    """(name, one-line summary, full help) for every check, in registry order."""
    return [(c.name, c.summary, c.value.doc) for c in CHECKS]
