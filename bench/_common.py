"""Shared bench helpers."""

from __future__ import annotations

import resource
from pathlib import Path

from zhen.align.encoders import encode_spans


class Precomputed:
    """Hands the aligner the span embeddings computed (and timed) by the bench."""

    def __init__(self, enc, spans: dict[int, list]):
        self.name, self._enc, self._spans = enc.name, enc, spans

    @property
    def dim(self) -> int:
        return self._enc.dim

    def encode(self, texts):
        return self._enc.encode(texts)

    def encode_spans(self, texts, max_span, joiner=" "):
        got = self._spans.get(tuple(texts))
        if got is not None and len(got) >= max_span:
            return got[:max_span]
        return encode_spans(self._enc, texts, max_span, joiner)


def read_lines(path: Path) -> list[str]:
    """One sentence a line, UTF-8 (the MAC-dev and Bible files)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.strip() for line in lines]


def peak_mb() -> float:
    """Peak resident memory of this process, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
