"""Typed errors shared by the library. The CLI maps an :class:`UnknownChoice` to exit code 2
(usage) and every other ZhenError to exit code 3.

Each error names where the problem is (file, line, byte) and what to do about it, so the one
line a user sees is enough to fix the input.
"""

from __future__ import annotations

from pathlib import Path


class ZhenError(Exception):
    """Base class: bad input or a missing resource (CLI exit code 3)."""


class InputError(ZhenError):
    """A problem with one input file, located as precisely as we can."""

    def __init__(
        self,
        path: str | Path | None,
        problem: str,
        *,
        hint: str = "",
        line: int | None = None,
        byte: int | None = None,
    ) -> None:
        self.path = str(path) if path is not None else "<input>"
        self.problem = problem
        self.hint = hint
        self.line = line
        self.byte = byte
        where = self.path
        if line is not None:
            where += f", line {line}"
        if byte is not None:
            where += f", byte {byte}"
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class InvalidArgument(ZhenError, ValueError):
    """A caller passed a value the library cannot use (a programming or option error). Also a
    ValueError, so library users may catch either."""


class UnknownChoice(InvalidArgument):
    """A name that is not in its registry (encoder, format, check, mode …). The CLI reports it as
    a usage error (exit code 2) listing the valid names."""

    def __init__(self, kind: str, value: object, valid: tuple[str, ...] | list[str]) -> None:
        self.kind = kind
        self.value = value
        self.valid = tuple(valid)
        super().__init__(f"unknown {kind} {value!r}: use one of {', '.join(self.valid)}")


class ResourceError(ZhenError):
    """A model, dictionary or other resource that is missing or cannot be loaded offline."""


class OutputError(ZhenError):
    """An output that cannot be written (read-only folder, a directory in the way, a file a
    person edited)."""

    def __init__(self, path: str | Path, problem: str, *, hint: str = "") -> None:
        self.path = str(path)
        message = f"{self.path}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)
