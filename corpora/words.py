"""English words: tokens, stop words and a crude stem, shared by term extraction, acronym
finding and entity names."""

from __future__ import annotations

import re
from functools import lru_cache

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

# ’ (U+2019) is the apostrophe of typeset English (the Hansards, Xinhua): inside a word it is one
# word with it ("China’s", "People’s"), as ' is; at the edges it is a closing quote.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’&+\-]*[A-Za-z0-9+]|[A-Za-z]")


def en_words(text: str) -> list[str]:
    return _WORD.findall(text)


_BRITISH_OUR = re.compile(r"(?<=[a-z]{3})our(?=(?:s|ed|ing|able|ably|ite|ites|ist|ists|er|ers|less|ful)?$)")
_BRITISH_RE = re.compile(r"(?<=[a-z])(t|ib)re(?=[sd]?$)")


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """A deliberately crude stem: lower case, then the first five letters of long words.

    Prefix stemming is the usual trick for cross-language matching (develop/development/
    developing; industry/industrial/industrialisation): collisions cost little because a pair must
    also be covered word for word the other way."""
    w = word.lower().replace("’", "'").strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if "&" in w or "+" in w or any(c.isdigit() for c in w):
        return w
    # Hong Kong writes British English, CC-CEDICT glosses in American: labour/labor,
    # centre/center, fibre/fiber stem alike (organise/organize, programme/program already do).
    w = _BRITISH_OUR.sub("or", w)
    w = _BRITISH_RE.sub(r"\1er", w)
    if len(w) > 5:
        return w[:5]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def is_stop(word: str) -> bool:
    return word.lower() in STOP_WORDS
