"""English spelling variants: British/American pairs and hyphenation, as named rules.

Entity names (:func:`zhen.glossary.entities.variants.expand_variants`) take only the rules that
are safe inside a name (:data:`NAME_RULES`); terminology QA (:mod:`zhen.glossary.qa.index`)
takes them all (:data:`SPELLING_RULES`), so a glossary written in one spelling still finds a
target written in the other. Plurals are not here: the QA index inflects terms itself.

Each rule maps a text to the texts one toggle away; :func:`spelling_toggles` applies the chosen
rules once and :func:`spelling_variants` closes over them (a bounded closure: "Industrialisation
Programme Centre" has eight spellings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from zhen.corpora.registry import Registry

_JOINABLE = re.compile(r"\b([A-Za-z]{2,4})-([a-z][a-z]+)\b")
_CO_VOWEL = re.compile(r"\b([Cc]o)(?=[aeiou][a-z]{3,})")
_ISATION = re.compile(r"(?<=[a-z])isation")
_IZATION = re.compile(r"(?<=[a-z])ization")
_CENTRE = ((re.compile(r"\b([Cc]ent)re(s?)\b"), r"\1er\2"), (re.compile(r"\b([Cc]ent)er(s?)\b"), r"\1re\2"))
_PROGRAMME = ((re.compile(r"\b([Pp]rogram)me(s?)\b"), r"\1\2"), (re.compile(r"\b([Pp]rogram)(s?)\b"), r"\1me\2"))

# -ise/-ize verbs: the many -ise words that never take z are listed (OED and Merriam-Webster).
_ISE_VERB = re.compile(r"\b([A-Za-z]{3,}?)i([sz])(e|es|ed|ing|er|ers)\b")
_NEVER_IZE = frozenset("""
advertis advis apprais aris chastis circumcis compris compromis demis despis devis disguis enfranchis
enterpris excis exercis expertis franchis improvis incis merchandis premis promis prais rais revis
supervis surmis surpris televis treatis vis wis nois pois cruis concis precis paradis otherwis
""".split())
# -our/-or: words in -our that are spelled so everywhere.
_OUR = re.compile(r"\b([A-Za-z]{2,}?)(ou?)r(s|ed|ing|able|ite|ites|ful|less)?\b")
_ALWAYS_OUR = frozenset("four hour our your pour tour flour sour devour contour detour amour scour dour "
                        "troubadour velour glamour paramour".split())
# -re/-er: only these nouns (most English -re words are not variants: "more", "store", "acre").
_RE_NOUNS = ("centre", "metre", "litre", "theatre", "fibre", "calibre", "sabre", "sombre", "spectre",
             "lustre", "meagre", "manoeuvre", "kilometre", "centimetre", "millimetre", "reconnoitre")
_RE_ER = re.compile(r"\b(" + "|".join(w[:-2] for w in _RE_NOUNS) + r")(re|er)(s?)\b", re.IGNORECASE)
_YSE = re.compile(r"\b(anal|paral|catal|dial|hydrol|electrol)y([sz])(e|es|ed|ing)\b", re.IGNORECASE)


def _hyphen(text: str) -> list[str]:
    """``e-commerce`` ↔ ``ecommerce``, ``Cooperation`` ↔ ``Co-operation``."""
    out = [text[:m.start()] + m.group(1) + m.group(2) + text[m.end():] for m in _JOINABLE.finditer(text)]
    if _CO_VOWEL.search(text):
        out.append(_CO_VOWEL.sub(r"\1-", text))
    return out


def _isation(text: str) -> list[str]:
    """-isation ↔ -ization (the noun; the verbs are ``ise``)."""
    return [_ISATION.sub("ization", text), _IZATION.sub("isation", text)]


def _subs(pairs) -> Callable[[str], list[str]]:
    return lambda text: [rx.sub(rep, text) for rx, rep in pairs]


def _ise(text: str) -> list[str]:
    """-ise ↔ -ize verbs (organise/organize, recognised/recognized), never enterprise/exercise."""
    def swap(m: re.Match) -> str:
        if (m.group(1) + "is").lower() in _NEVER_IZE:
            return m.group(0)
        return m.group(1) + "i" + ("z" if m.group(2) == "s" else "s") + m.group(3)
    return [_ISE_VERB.sub(swap, text)]


def _our(text: str) -> list[str]:
    """-our ↔ -or (labour/labor, behaviour/behavior, favourite/favorite)."""
    def swap(m: re.Match) -> str:
        head, vowels, tail = m.group(1), m.group(2), m.group(3) or ""
        word = head + vowels + "r"
        if word.lower() in _ALWAYS_OUR or (vowels == "o" and not head.lower().endswith(_OR_HEADS)):
            return m.group(0)
        return head + ("o" if vowels == "ou" else "ou") + "r" + tail
    return [_OUR.sub(swap, text)]


# An -or word takes -our only after these endings (labor, color, behavior, harbor, honor, …):
# "doctor", "sector", "motor" never do.
_OR_HEADS = ("lab", "col", "behavi", "harb", "hon", "fav", "neighb", "vig", "rum", "hum", "savi",
             "sav", "vap", "arm", "od", "rig", "tum", "val", "cand", "clam", "glam", "splend", "fervo",
             "endeav", "parl", "arb")


def _re_er(text: str) -> list[str]:
    """-re ↔ -er in the nouns that have both (centre/center, metre/meter, theatre/theater)."""
    return [_RE_ER.sub(lambda m: m.group(1) + ("er" if m.group(2).lower() == "re" else "re") + m.group(3), text)]


def _yse(text: str) -> list[str]:
    """-yse ↔ -yze (analyse/analyze, paralysed/paralyzed)."""
    return [_YSE.sub(lambda m: m.group(1) + "y" + ("z" if m.group(2) == "s" else "s") + m.group(3), text)]


def _and(text: str) -> list[str]:
    return [text.replace(" & ", " and ")] if " & " in text else []


#: The rules by name, with what each one toggles; ``zhen check --spelling`` offers these.
SPELLING_RULES: Registry[tuple[str, Callable[[str], list[str]]]] = Registry("spelling rule")
for _name, _label, _rule, _summary in (
    ("hyphen", "hyphen", _hyphen, "e-commerce/ecommerce, Co-operation/Cooperation"),
    ("isation", "spelling", _isation, "-isation/-ization"),
    ("centre", "spelling", _subs(_CENTRE), "centre/center"),
    ("programme", "spelling", _subs(_PROGRAMME), "programme/program"),
    ("and", "spelling", _and, "& / and"),
    ("ise", "spelling", _ise, "-ise/-ize verbs (organise/organize; never enterprise, exercise)"),
    ("our", "spelling", _our, "-our/-or (labour/labor, behaviour/behavior)"),
    ("re", "spelling", _re_er, "-re/-er nouns (metre/meter, theatre/theater)"),
    ("yse", "spelling", _yse, "-yse/-yze (analyse/analyze)"),
):
    SPELLING_RULES.add(_name, (_label, _rule), _summary)

#: Rules safe inside a proper name (entity matching), in the order entities apply them.
NAME_RULES = ("hyphen", "isation", "centre", "programme", "and")


def spelling_toggles(text: str, rules: Iterable[str] = NAME_RULES) -> list[tuple[str, str]]:
    """``[(variant, "hyphen" | "spelling")]``: ``text`` with one rule applied, in rule order;
    unchanged results left out. An unknown rule name raises ``UnknownChoice``."""
    out = []
    for name in rules:
        label, rule = SPELLING_RULES.get(name)
        out += [(v, label) for v in rule(text) if v != text]
    return out


def spelling_variants(text: str, rules: Iterable[str] | None = None, *, limit: int = 16) -> list[str]:
    """Every spelling of ``text`` the rules reach (all rules when ``None``), ``text`` excluded,
    at most ``limit``, in the order they are found.

    Every rule but ``and`` changes one word at a time, so the spellings are made word by word
    (each word's closure cached: a 10 000-term glossary shares most of its words) and combined."""
    names = tuple(rules) if rules is not None else SPELLING_RULES.names()
    if not names or not re.search(r"[A-Za-z]", text):
        return []
    forms = [""]
    for k, word in enumerate(text.split(" ")):
        options = _word_forms(word, names)
        forms = [f + (" " if k else "") + w for f in forms for w in options][: limit + 1]
    return [f for f in dict.fromkeys(forms) if f != text][:limit]


@lru_cache(maxsize=65536)
def _word_forms(word: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """``word`` and its spellings by ``names`` (a bounded closure), ``word`` first."""
    if word == "&":
        return ("&", "and") if "and" in names else ("&",)
    seen = {word: None}
    queue = [word]
    while queue and len(seen) <= 8:
        for variant, _ in spelling_toggles(queue.pop(0), names):
            if variant not in seen:
                seen[variant] = None
                queue.append(variant)
    return tuple(seen)
