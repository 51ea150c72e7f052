"""What the sources define themselves: acronyms, short forms, synonyms and marked names.

Government documents introduce a name once and then use its short form: ``Innovation and
Technology Fund (ITF)``, ``… Co-operation Zone (Hetao Co-operation Zone)``, ``Hong Kong Park
(also known as Hong Kong-Shenzhen Innovation and Technology Park)``, 「新型工業加速計劃」（「加速計劃」）.
They also mark names: quotes round scheme names in the Estimates (“Innovation and Technology
Venture Fund”), a bold or plain name before a colon that opens a paragraph in the overview, and
heading lines in the Yearbook. Each becomes a :class:`Definition` with its document and line.

Long forms come from :func:`zhen.corpora.acronyms.schwartz_hearst` (the acronym's letters matched
right to left), extended to the whole run of capitalised words before the bracket, because the
minimal long form drops a leading "Hong Kong" (MRDI) or "Innovation and Technology" (ITIF) that
belongs to the official name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhen.corpora.acronyms import schwartz_hearst
from zhen.corpora.scripts import has_cjk
from zhen.corpora.textio import line_finder
from zhen.corpora.words import is_stop
from zhen.glossary.candidates import clean_term, zh_marked

#: Words that end (or open: "Committee on …") the names of bodies, programmes, schemes and places.
HEADS = frozenset(["scheme", "schemes", "fund", "funds", "park", "parks", "institute", "institutes", "office", "bureau", "bureaux", "committee", "council", "commission", "centre", "centres", "center", "centers", "zone", "programme", "programmes", "program", "corporation", "company", "limited", "technopole", "cluster", "clusters", "hub", "laboratory", "laboratories", "lab", "platform", "alliance", "authority", "department", "ministry", "government", "initiative", "blueprint", "plan", "portal", "gateway", "area", "region", "awards", "team", "unit", "division", "force", "group", "university", "congress", "challenge", "branch", "innopark", "innoparks", "innocentre", "service", "association", "foundation", "academy", "board", "agency", "administration", "secretariat", "network", "consortium", "loop"])
_CONNECTORS = {"and", "of", "for", "on", "the", "&", "in", "at", "to"}
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][\w&+'’./@-]*\+?|,|[^\s\w]")
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Za-z][A-Za-z0-9&+/.\-]{1,11}$|^[A-Z][a-z]+[A-Z][A-Za-z]*$")
_AKA = re.compile(
    r"^(?:also known as|i\.\s?e\.,?|that is,?|or)\s+(?:the\s+)?(?P<name>[^,;]+?)"
    r"(?:\s*,\s*which (?:will|would) be referred (?:to )?as (?P<acr>\S+?) below)?\s*$", re.IGNORECASE)
_PAREN = re.compile(r"[(（]([^()（）]{1,160})[)）]")
_QUOTED = re.compile(r"[“\"]([^“”\"]{3,120})[”\"]")
_COLON_HEAD = re.compile(r"^\s*(?:[#>*\-◆➤•]+\s*)*([^:：]{3,120}?)\s*[:：](?:\s|$)")
_MARKUP = re.compile(r"\*+|</?(?:b|i|u|em|strong|span|small|sub)\b[^>]*>|<sup\b[^>]*>[^<]{0,4}</sup>|\\(?=[$*_#])")


@dataclass(frozen=True, slots=True)
class Definition:
    """One thing a source says about a name. ``kind``: acronym | shortForm | synonym | marked.
    ``short`` is empty for ``marked`` (a name standing alone); for ``synonym`` it is the other
    full name. ``generic``: a short form such as "the Co-operation Zone" that names a different
    body in every document, so it applies only where it is defined."""

    doc: str
    line: int
    long: str
    short: str
    kind: str
    lang: str = "en"
    generic: bool = False
    extra: tuple[str, ...] = ()  # further aliases the definition yields (``RAISE+ Scheme``)
    alt_long: str = ""  # a wider reading of the long form, preferred when it is a known name

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"


def words_of(name: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][\w&+'’.\-]*\+?", name)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _title_word(word: str) -> bool:
    """Capitalised like a word of a name (Research, One-plus), not an all-capital acronym (R&D)."""
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper() and any(c.islower() for c in letters)


def has_head(name: str) -> bool:
    return any(w.lower().strip(".,") in HEADS for w in words_of(name))


def is_title_case(name: str) -> bool:
    content = [w for w in words_of(name) if w.lower() not in _CONNECTORS]
    return bool(content) and all(_capitalised(w) for w in content)


def is_name_like(name: str, *, strict: bool = False, acronym_long: bool = False) -> bool:
    """Does ``name`` name a body, programme, scheme or place (not a topic such as "Quantum
    Technology" or a term such as "artificial intelligence")?

    A head noun (Scheme, Fund, Park, Office …) and a capitalised word do it; a lower-case name
    needs three words and a singular head at the end ("national manufacturing innovation
    centre"). ``strict`` (names the genre marks: quotes, colon heads, headings) also wants
    title case; ``acronym_long`` accepts three title-case words without a head (the long form
    of a defined acronym: Closer Economic Partnership Arrangement, Digital Corporate Identity).
    """
    ws = words_of(name)
    if len(ws) < 2 or has_cjk(name):
        return False
    content = [w for w in ws if w.lower() not in _CONNECTORS]
    if strict and (not is_title_case(name) or not ws[0][:1].isalpha()
                   or re.search(r"[—–]|\b\d+(?:\.\d+)?\b", name)):
        return False
    if has_head(name):
        if any(_title_word(w) for w in content):
            return True
        last = ws[-1].lower()
        return len(ws) >= 3 and last in HEADS and not last.endswith("s")
    return acronym_long and len(content) >= 3 and is_title_case(name)


# --- a clean view of a document: markup out, whitespace runs as one space ---------------------

def clean_view(text: str) -> tuple[str, list[int]]:
    """Markup (``**``, ``<b>``, ``\\$``) and zero-width characters removed, every run of
    whitespace one space (so names broken across PDF lines join up); ``index[i]`` is the offset
    in ``text`` of clean character ``i``."""
    blank = _MARKUP.sub(lambda m: " " * len(m.group(0)), text)
    out: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(blank):
        if ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
            continue
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
            prev_space = True
        else:
            prev_space = False
        out.append(ch)
        index.append(i)
    return "".join(out), index


# --- English ------------------------------------------------------------------------------------

_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_LOOKBACK = 1000


def name_run_before(before: str, *, possessive: bool = False) -> str:
    """The run of capitalised words (with "and", "of the", commas inside) that ends ``before``:
    ``…the \\$10 billion Research, Academic and Industry Sectors One-plus`` → the name part.
    A sentence end, a possessive (``Cyberport's``), a number or a lower-case word stops it;
    ``possessive=True`` reads through possessives (Shenzhen Municipal People's Government)."""
    tokens = _NAME_TOKEN.findall(before[-400:])
    run: list[str] = []
    i = len(tokens) - 1
    while i >= 0:
        tok = tokens[i]
        low = tok.lower()
        prev = tokens[i - 1].lower() if i > 0 else ""
        if tok == ",":
            if not (run and _capitalised(run[0]) and prev[:1].isalpha() and tokens[i - 1][:1].isupper()):
                break
        elif tok[0].isdigit():
            if not (_ORDINAL.match(tok) and run):
                break
        elif tok[0].isalnum() and _capitalised(tok):
            if tok.endswith(".") and len(tok) > 2 and not re.search(r"\.\w", tok):
                break  # "…in Hong Kong." ends a sentence; "Wi-Fi.HK" does not
            if (re.search(r"['’]s$", tok) and not possessive) or tok in ("The", "A", "An"):
                break
            if is_stop(low) and low not in _CONNECTORS and not tok.isupper():
                break
        elif low == "the" and run and prev in ("of", "for", "on", "to"):
            pass  # Office of the Government Chief Information Officer
        elif not (low in _CONNECTORS and low != "the" and run):
            break
        run.insert(0, tok)
        i -= 1
    while run and (run[0] == "," or run[0].lower() in _CONNECTORS or run[0][0].isdigit()):
        run.pop(0)
    return re.sub(r" ,", ",", " ".join(run))


def _initials(long: str) -> list[str]:
    return [w[0].lower() for w in words_of(long) if w.lower() not in _CONNECTORS]


def _long_for_acronym(short: str, run: str) -> tuple[str, str] | None:
    """The long form of ``short`` inside ``run``: the whole run when its initials spell the
    acronym (Innovation, Technology and Industry Bureau → ITIB), else the Schwartz–Hearst long
    form widened over the capitalised words just before it (Hong Kong + Microelectronics …
    Institute → MRDI), never across "and" or a comma (… Police Force and Hong Kong Internet …).
    When the letters spell the minimal form exactly (Closer Economic Partnership Arrangement)
    that one wins. Returns ``(long, other reading)``; the registry takes the other reading
    when only it is a name it already knows."""
    if not run:
        return None
    letters = [c.lower() for c in short if c.isalpha()]
    if letters and _initials(run) == letters:
        return run, ""
    minimal = schwartz_hearst(short, run)
    if minimal is None:
        return None
    start = run.rfind(minimal)
    if start < 0:
        return minimal, ""
    prefix = run[:start].split()
    wide = minimal
    while prefix and _title_word(prefix[-1]) and prefix[-1].lower() not in _CONNECTORS and not prefix[-1].endswith(","):
        wide = f"{prefix.pop()} {wide}"
    if _initials(minimal) == letters:  # CEPA: the letters spell exactly the minimal form
        return minimal, (wide if wide != minimal else "")
    return wide, (minimal if wide != minimal else "")


def _short_form_ok(short: str, long: str) -> bool:
    sw = [w.lower() for w in words_of(short) if w.lower() != "the"]
    lw = [w.lower() for w in words_of(long)]
    if not sw or not lw or len(" ".join(sw)) >= len(" ".join(lw)):
        return False
    if sw[-1] == lw[-1] and len(sw) < len(lw):
        return True
    it = iter(lw)
    return all(w in it for w in sw)


def _is_generic(short: str, generic_words: frozenset[str]) -> bool:
    ws = [w.lower() for w in words_of(short)]
    if ws and ws[0] == "the":
        ws = ws[1:]
    return bool(ws) and all(w in HEADS or w in generic_words for w in ws)


_GENERIC_WORDS = frozenset({"co-operation", "cooperation", "joint", "main", "new"})
#: Heads that make an acronym inside a name stand for the whole name (RAISE+ Scheme, CorpID
#: Platform); after "(HKSAR) Government" the acronym stands for the words before it only.
_PROGRAMME_HEADS = frozenset({"scheme", "fund", "programme", "program", "platform", "initiative", "plan"})


def _strip_the(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name)


def english_definitions(text: str, doc: str) -> list[Definition]:
    clean, index = clean_view(text)
    out: list[Definition] = []
    line_of = line_finder(text)

    def line_at(pos: int) -> int:
        return line_of(index[min(pos, len(index) - 1)] if index else 0)

    for m in _PAREN.finditer(clean):
        inner = clean_term(m.group(1).strip())
        if not inner or inner.lower() in ("continued", "e.g", "i.e"):
            continue
        # What a definition can reach back: a quoted name (≤ 300 characters) or a run of names
        # (name_run_before reads 400); a window, not the whole text before each bracket.
        before = clean[max(0, m.start() - _LOOKBACK):m.start()].rstrip()
        line = line_at(m.start())
        quoted = re.search(r"[“\"]([^“”\"]{3,300})[”\"]\s*$", before)
        run = clean_term(quoted.group(1)) if quoted else name_run_before(before)
        if not run:
            continue
        aka = _AKA.match(m.group(1).strip())
        if aka:
            other = clean_term(aka.group("name"))
            if is_name_like(run, acronym_long=True) and is_name_like(other, acronym_long=True):
                out.append(Definition(doc, line, run, other, "synonym"))
                if aka.group("acr"):
                    out.append(Definition(doc, line, other, aka.group("acr").strip(".,"), "acronym"))
            continue
        after = clean[m.end():m.end() + 60]
        tail = re.match(r"\s*([A-Z][a-z]+)\b", after)
        tokens = inner.split()
        if len(tokens) == 1 and _ACRONYM.match(inner) and not has_cjk(inner):
            loose = "" if quoted else name_run_before(before, possessive=True)
            if loose != run and _initials(loose) == [c.lower() for c in inner if c.isalpha()]:
                run = loose  # the acronym spells the name through its possessive (SMPG)
            found = _long_for_acronym(inner, run)
            if not found:
                continue
            long, alt = found
            head_word = tail.group(1).removesuffix("s") if tail else ""
            if head_word.lower() in _PROGRAMME_HEADS and not re.match(r"\s*[A-Z][a-z]+\s+[A-Z]", after):
                # Research, … One-plus (RAISE+) Scheme: the acronym sits inside the name.
                full = f"{long} {head_word}"
                if is_name_like(full, acronym_long=True):
                    out.append(Definition(doc, line, full, inner, "acronym",
                                          extra=(f"{long} ({inner}) {head_word}", f"{inner} {head_word}")))
                continue
            if is_name_like(long, acronym_long=True):
                out.append(Definition(doc, line, long, inner, "acronym", alt_long=alt))
            continue
        if len(tokens) <= 6 and _capitalised(inner.lstrip("the ").lstrip() or "x") and _short_form_ok(inner, run):
            if not is_name_like(run, acronym_long=True):
                continue
            generic = _is_generic(inner, _GENERIC_WORDS)
            if not generic:
                inner = _strip_the(inner)
            kind = "acronym" if len(tokens) == 2 and _ACRONYM.match(tokens[0]) else "shortForm"
            out.append(Definition(doc, line, run, inner, kind, generic=generic))
    for m in _QUOTED.finditer(clean):
        name = _strip_the(clean_term(m.group(1)))
        if is_name_like(name, strict=True):
            out.append(Definition(doc, line_at(m.start()), name, "", "marked"))
    offset = 0
    for raw in text.splitlines(keepends=True):
        line_text = _MARKUP.sub("", raw).strip()
        number = line_of(offset)
        offset += len(raw)
        if not line_text:
            continue
        head = _COLON_HEAD.match(line_text)
        if head:
            name = re.sub(r"\s*\([^()]*\)\s*", " ", head.group(1)).strip()
            name = _strip_the(clean_term(name))
            if is_name_like(name, strict=True):
                out.append(Definition(doc, number, name, "", "marked"))
        elif (len(words_of(line_text)) <= 12 and not re.search(r"[.;:!?,()\d]$|[()]", line_text)
              and not line_text.isupper() and not has_cjk(line_text)):
            name = clean_term(re.sub(r"^[#\s]+", "", line_text))
            if is_name_like(name, strict=True) and words_of(name)[-1].lower() in HEADS:
                out.append(Definition(doc, number, name, "", "marked"))
    return out


# --- Chinese ------------------------------------------------------------------------------------

def chinese_definitions(text: str, doc: str) -> list[Definition]:
    """Short forms and acronyms the Chinese text defines: 「新型工業加速計劃」（「加速計劃」）."""
    out: list[Definition] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not has_cjk(raw):
            continue
        line = _MARKUP.sub("", raw)
        _, variants = zh_marked(line)
        for v in variants:
            if v.type not in ("shortForm", "acronym") or len(v.short) < 2 or len(v.full) < 3:
                continue  # （續） after a repeated slide title is a "continued" mark, not a name
            out.append(Definition(doc, number, v.full, v.short, v.type, lang="zh"))
    return out


def source_definitions(text: str, doc: str) -> list[Definition]:
    """Every definition in one document, English then Chinese, in document order per kind."""
    return english_definitions(text, doc) + chinese_definitions(text, doc)
