"""Registries: named choices (encoders, formats, checks) in one place, so the CLI offers and
validates exactly what the library provides (sacrebleu's lesson: a registry per kind of thing)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from zhen.corpora.errors import UnknownChoice

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Choice(Generic[T]):
    name: str
    value: T
    summary: str = ""


class Lazy:
    """A registry value named by ``"module:attribute"`` and imported on first ``get``, so a
    registry can sit in a light module that the CLI imports for ``--help``."""

    __slots__ = ("target",)

    def __init__(self, target: str) -> None:
        self.target = target

    def load(self):
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)


class Registry(Generic[T]):
    """An ordered set of named choices of one ``kind``; ``get`` of an unknown name raises
    :class:`UnknownChoice` listing the valid names. Values may be :class:`Lazy`."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, Choice[T]] = {}
        self._aliases: dict[str, str] = {}

    def add(self, name: str, value: T, summary: str = "", *, aliases: tuple[str, ...] = ()) -> T:
        self._items[name] = Choice(name, value, summary)
        for a in aliases:
            self._aliases[a] = name
        return value

    def names(self) -> tuple[str, ...]:
        return tuple(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items or name in self._aliases

    def __iter__(self) -> Iterator[Choice[T]]:
        return iter(self._items.values())

    def choice(self, name: str) -> Choice[T]:
        key = self._aliases.get(name, name)
        try:
            return self._items[key]
        except KeyError:
            raise UnknownChoice(self.kind, name, self.names()) from None

    def get(self, name: str) -> T:
        value = self.choice(name).value
        return value.load() if isinstance(value, Lazy) else value

    def describe(self) -> str:
        """``a, b, c``: for help texts."""
        return ", ".join(self.names())

    def check(self, name: str) -> str:
        """``name`` itself (its canonical spelling) when registered; raises otherwise."""
        return self.choice(name).name
