"""TBX: ISO 30042:2019 (TBX v3) TBX-Basic in DCA style, and TBX 2008 ``martif`` for older tools.

v3 layout (validated in tests against LTAC's ``TBXcoreStructV03.rng`` and the XPath-1 port of
``TBX-Basic_DCA.sch``)::

    conceptEntry @id
      note "zhen:status=approved" / "zhen:score=…" / "zhen:frequency=…" / "zhen:kind=name" / "zhen:evidence=…"
      note (a person's note, as written)
      transacGrp (only when a date is passed: output stays byte-identical otherwise)
      langSec @xml:lang=en | zh-Hant-HK | zh-Hans
        termSec  term, termNote termType, termNote administrativeStatus, descrip context

TBX-Basic has no picklist value for "candidate/approved/rejected" of a whole entry, so those
and our score live in ``note`` elements with a ``zhen:`` prefix; other tools show them as notes.
The first termSec of a langSec is the preferred term; Simplified forms get their own ``zh-Hans``
langSec (termType ``variant``).

An empty glossary writes an empty ``body``, which the TBX core schema does not allow (a body
needs one conceptEntry); tools read it, validators flag it.

Reading never fetches or expands anything: no DTD loading, no network, no entity resolution, and
a file that uses entities at all is refused (an XXE payload is one).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from zhen.corpora.errors import InputError, InvalidArgument
from zhen.corpora.textio import read_input
from zhen.glossary.fields import format_evidence, parse_evidence
from zhen.glossary.model import ENTRY_KINDS, ENTRY_STATUSES, TERM_TYPES, Entry, Glossary, Term, concept_id

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ADMN = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts", "deprecated": "deprecatedTerm-admn-sts"}
_ADMN_BACK = {v: k for k, v in _ADMN.items()} | {"supersededTerm-admn-sts": "deprecated"}
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_id(cid: str) -> str:
    return cid if _NCNAME.match(cid) else "zhen-" + hashlib.sha1(cid.encode()).hexdigest()[:16]


def _check_text(text: str, what: str, cid: str) -> str:
    if _XML_BAD.search(text):
        raise InvalidArgument(f"{what} of {cid} holds a control character XML cannot carry")
    return text


def _notes(e: Entry) -> list[str]:
    notes = [f"zhen:status={e.status}", f"zhen:score={e.score:.4f}", f"zhen:frequency={e.frequency}"]
    if e.kind:
        notes.append(f"zhen:kind={e.kind}")
    if e.evidence:
        notes.append("zhen:evidence=" + format_evidence(e.evidence))
    if not _NCNAME.match(e.concept_id):
        notes.append("zhen:concept_id=" + e.concept_id)
    if e.note:
        notes.append(("zhen:note=" + e.note) if e.note.startswith("zhen:") else e.note)
    return notes


def _lang_groups(e: Entry) -> list[tuple[str, list[tuple[Term, str]]]]:
    """(lang tag, [(term, context)]) with the preferred term first."""
    en = [(Term(e.en, "fullForm", "preferred"), e.en_context)] + [(t, "") for t in e.en_variants]
    zh = [(Term(e.zh, "fullForm", "preferred"), e.zh_context)] + [(t, "") for t in e.zh_variants if t.type != "simplified"]
    hans = [(Term(t.text, "variant", t.status), "") for t in e.zh_variants if t.type == "simplified"]
    groups = [("en", en), ("zh-Hant-HK", zh)]
    if hans:
        groups.append(("zh-Hans", hans))
    return groups


def _sub(parent, tag: str, text: str | None = None, **attrs):
    from lxml import etree

    el = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        el.text = text
    return el


def _entries(body, g: Glossary, date: str | None, *, ns: str, entry: str, lang: str, term_group: str) -> None:
    """The concept entries, the same in both TBX flavours but for four element names."""
    for e in g.entries:
        ce = _sub(body, ns + entry, id=_xml_id(e.concept_id))
        for n in _notes(e):
            _sub(ce, ns + "note", _check_text(n, "note", e.concept_id))
        if date:
            tg = _sub(ce, ns + "transacGrp")
            _sub(tg, ns + "transac", "origination", type="transactionType")
            _sub(tg, ns + "date", date)
        for tag, terms in _lang_groups(e):
            ls = _sub(ce, ns + lang)
            ls.set(XML_LANG, tag)
            for term, ctx in terms:
                ts = _sub(ls, ns + term_group)
                _sub(ts, ns + "term", _check_text(term.text, "term", e.concept_id))
                _sub(ts, ns + "termNote", term.type if term.type != "simplified" else "variant", type="termType")
                _sub(ts, ns + "termNote", _ADMN[term.status], type="administrativeStatus")
                if ctx:
                    _sub(ts, ns + "descrip", _check_text(ctx, "context", e.concept_id), type="context")


def render_tbx(g: Glossary, *, date: str | None = None, title: str = "zhen glossary") -> bytes:
    """TBX v3, TBX-Basic dialect, DCA style: ``tbx > text > body > conceptEntry > langSec > termSec``."""
    from lxml import etree

    ns = f"{{{TBX_NS}}}"
    root = etree.Element(ns + "tbx", nsmap={None: TBX_NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, "en")
    fd = _sub(_sub(root, ns + "tbxHeader"), ns + "fileDesc")
    _sub(_sub(fd, ns + "titleStmt"), ns + "title", title)
    _sub(_sub(fd, ns + "sourceDesc"), ns + "p", "zhen " + json.dumps(g.meta, ensure_ascii=False, sort_keys=True))
    body = _sub(_sub(root, ns + "text"), ns + "body")
    _entries(body, g, date, ns=ns, entry="conceptEntry", lang="langSec", term_group="termSec")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- TBX 2008 (martif) ------------------------------------------------------------------------

def render_tbx2008(g: Glossary, *, date: str | None = None) -> bytes:
    """TBX 2008 / TBX-Basic 2.x: ``martif > text > body > termEntry > langSet > tig > term``."""
    from lxml import etree

    root = etree.Element("martif", type="TBX-Basic")
    root.set(XML_LANG, "en")
    header = _sub(root, "martifHeader")
    _sub(_sub(_sub(header, "fileDesc"), "sourceDesc"), "p", "zhen " + json.dumps(g.meta, ensure_ascii=False, sort_keys=True))
    _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, "text"), "body")
    _entries(body, g, date, ns="", entry="termEntry", lang="langSet", term_group="tig")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading ----------------------------------------------------------------------------------

# Elements of TBX-Basic (both versions); anything else in a 2008 file is refused with its line.
_KNOWN = frozenset("""
tbx tbxHeader fileDesc titleStmt title publicationStmt sourceDesc encodingDesc revisionDesc change p
text body back refObjectSec refObject item itemGrp itemSet conceptEntry langSec termSec term termNote
termNoteGrp descrip descripGrp admin adminGrp adminNote note ref xref transacGrp transac transacNote date
martif martifHeader termEntry langSet tig ntig termGrp hi foreign sc ec ph
""".split())


def _entity_line(data: bytes, names: list[str]) -> int:
    """The line where the document first uses one of the declared entities (in the body, after
    the DTD), else where the first one is declared: the line a person has to look at."""
    body = data.find(b"]>")
    start = body + 2 if body >= 0 else 0
    uses = [data.find(f"&{n};".encode(), start) for n in names]
    uses = [u for u in uses if u >= 0]
    at = min(uses) if uses else max(data.find(b"<!ENTITY"), 0)
    return data.count(b"\n", 0, at) + 1


def _safe_parse(path: str | Path):
    from lxml import etree

    import io

    p = Path(path)
    data = read_input(p, what="TBX file", empty_hint="give a TBX file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise InputError(p, f"is not well-formed XML ({exc.msg})", line=line, hint="fix the XML or re-export it") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        names = sorted(ent.name for ent in dtd.iterentities())
        raise InputError(p, f"declares XML entities ({', '.join(names)}); they are neither fetched nor expanded",
                         line=_entity_line(data, names), hint="remove the <!DOCTYPE …> block; a TBX file needs no entities")
    for node in tree.iter():
        if isinstance(node, etree._Entity):
            raise InputError(p, f"uses the entity &{node.name}; which is not expanded", line=node.sourceline,
                             hint="replace the entity with its text")
    return tree


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el) -> str:
    return "".join(el.itertext()).strip()


def read_tbx(path: str | Path) -> Glossary:
    """A TBX v3 (``tbx``) or TBX 2008 (``martif``) file as a Glossary."""
    tree = _safe_parse(path)
    root = tree.getroot()
    kind = _local(root.tag)
    if kind not in ("tbx", "martif"):
        raise InputError(path, f"root element is <{kind}>, not <tbx> or <martif>", line=root.sourceline,
                         hint="give a TBX file")
    v3 = kind == "tbx"
    for el in root.iter():
        name = _local(el.tag)
        if not name:
            continue
        if name not in _KNOWN:
            raise InputError(path, f"unknown element <{name}> in a TBX{'' if v3 else ' 2008'} file", line=el.sourceline,
                             hint="TBX-Basic allows conceptEntry/termEntry, langSec/langSet, termSec/tig, term, termNote, descrip, note, admin, transacGrp")
    entry_tag, lang_tag, term_tag = ("conceptEntry", "langSec", "termSec") if v3 else ("termEntry", "langSet", "tig")
    entries, seen = [], {}
    for ce in root.iter():
        if _local(ce.tag) != entry_tag:
            continue
        entries.append(_read_entry(ce, lang_tag, term_tag, path, seen))
    meta = {}
    for p in root.iter():
        if _local(p.tag) == "p" and (p.text or "").startswith("zhen {"):
            try:
                meta = json.loads(p.text[5:])
            except json.JSONDecodeError:
                meta = {}
            break
    return Glossary.of(entries, meta)


def _read_entry(ce, lang_tag: str, term_tag: str, path, seen: dict) -> Entry:
    fields = {"status": "candidate", "score": "0", "frequency": "0", "evidence": "", "concept_id": "", "note": "",
              "kind": ""}
    notes = []
    langs: dict[str, list[tuple[Term, str]]] = {}
    for child in ce:
        name = _local(child.tag)
        if name == "note":
            t = _text(child)
            m = re.match(r"zhen:(status|score|frequency|evidence|concept_id|note|kind)=(.*)$", t, flags=re.S)
            if m:
                fields[m.group(1)] = m.group(2)
            elif t:
                notes.append(t)
        elif name == lang_tag:
            lang = child.get(XML_LANG) or child.get("lang") or ""
            for ts in child:
                if _local(ts.tag) == "ntig":
                    ts = next((x for x in ts.iter() if _local(x.tag) == "termGrp"), ts)
                elif _local(ts.tag) != term_tag:
                    continue
                term_el = next((x for x in ts if _local(x.tag) == "term"), None)
                if term_el is None:
                    raise InputError(path, f"<{term_tag}> without <term>", line=ts.sourceline, hint="add the term")
                text = _text(term_el)
                if not text:
                    raise InputError(path, "empty <term>", line=term_el.sourceline, hint="fill in the term or delete it")
                typ, status, ctx = "variant", "admitted", ""
                for tn in ts.iter():
                    tname, ttype = _local(tn.tag), tn.get("type")
                    if tname == "termNote" and ttype == "termType":
                        typ = _text(tn) if _text(tn) in TERM_TYPES else "variant"
                    elif tname == "termNote" and ttype == "administrativeStatus":
                        status = _ADMN_BACK.get(_text(tn), "admitted")
                    elif tname == "descrip" and ttype == "context":
                        ctx = _text(tn)
                langs.setdefault(lang, []).append((Term(text, typ, status), ctx))
    if fields["note"]:
        notes.insert(0, fields["note"])
    en_key = next((k for k in langs if k.lower().startswith("en")), None)
    zh_key = next((k for k in langs if k.lower().startswith("zh") and "hans" not in k.lower() and k.lower() not in ("zh-cn", "zh-sg")), None)
    hans_key = next((k for k in langs if k.lower().startswith("zh") and k != zh_key), None)
    if zh_key is None and hans_key is not None:
        zh_key, hans_key = hans_key, None
    if en_key is None or zh_key is None:
        raise InputError(path, f"entry {ce.get('id') or '?'} lacks an {'English' if en_key is None else 'Chinese'} term",
                         line=ce.sourceline, hint="each entry needs an en and a zh language section")
    (en_main, en_ctx), *en_rest = langs[en_key]
    (zh_main, zh_ctx), *zh_rest = langs[zh_key]
    zh_variants = [t for t, _ in zh_rest]
    if hans_key:
        zh_variants += [Term(t.text, "simplified", t.status) for t, _ in langs[hans_key]]
    cid = fields["concept_id"] or ce.get("id") or concept_id(en_main.text, zh_main.text)
    if cid in seen:
        raise InputError(path, f"duplicate concept id {cid} (first on line {seen[cid]})", line=ce.sourceline,
                         hint="give each entry its own id")
    seen[cid] = ce.sourceline
    status = fields["status"] if fields["status"] in ENTRY_STATUSES else "candidate"
    try:
        score, freq = float(fields["score"]), int(fields["frequency"])
    except ValueError:
        raise InputError(path, "zhen:score or zhen:frequency note is not a number", line=ce.sourceline,
                         hint="fix or delete the note") from None
    return Entry(cid, en_main.text, zh_main.text, tuple(t for t, _ in en_rest), tuple(zh_variants), status, score, freq,
                 parse_evidence(fields["evidence"], path=path, line=ce.sourceline), "\n".join(notes), en_ctx, zh_ctx,
                 kind=fields["kind"] if fields["kind"] in ENTRY_KINDS else "")
