"""Typed records shared by the aligner, its evaluation and its writers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bead:
    """One alignment bead: source ids, target ids (0-based, ascending) and a confidence in 0..1.

    A 1-0 bead has an empty ``tgt``; a 0-1 bead an empty ``src``.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
