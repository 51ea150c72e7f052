"""XLIFF 1.2 and 2.x, the bilingual files CAT tools (memoQ, Trados, OmegaT, Phrase) exchange:
units read into :class:`~zhen.align.formats.AlignedPair` records, a writer, and findings written
back into a copy as ITS 2.0 Localization Quality Issue annotations.

Reading
    XLIFF 1.2 (``urn:oasis:names:tc:xliff:document:1.2``, and 1.1, which has its structure): every ``<trans-unit>`` of every
    ``<file>`` (inside ``<group>``\\s too) with a non-empty ``<target>`` is one pair. XLIFF 2.x
    (``urn:oasis:names:tc:xliff:document:2.0`` and ``…:2.2``): every ``<segment>`` of every
    ``<unit>``. ``translate="no"`` units and units not yet translated (no target, or an empty
    one) are left out. The pair's ``unit_id`` is the unit's ``id`` (XLIFF 2: ``unit#segment`` for
    a unit of several segments), its ``doc`` the file's ``original`` (XLIFF 2: the ``<file>``
    ``id``). Languages come from ``source-language``/``target-language`` (2.x: ``srcLang``/
    ``trgLang``).
Inline markup
    Text inside paired codes and markers (1.2 ``<g>``, ``<mrk>``; 2.x ``<pc>``, ``<mrk>``) is
    kept; every standalone or opening/closing code (1.2 ``<x/>``, ``<bx/>``, ``<ex/>``, ``<ph>``,
    ``<bpt>``, ``<ept>``, ``<it>``; 2.x ``<ph/>``, ``<sc/>``, ``<ec/>``) becomes one
    :data:`PLACEHOLDER` character, so offsets into the text count the code as one position and
    never read its native markup (``<b>``, ``{1}``) as words. ``<cp hex=…>`` is its character.
Writing back (:func:`annotate_xliff`)
    The input's bytes are parsed again and each unit with findings gets a standoff
    ``<its:locQualityIssues xml:id=…>`` holding one ``<its:locQualityIssue>`` per finding
    (``locQualityIssueType``, ``locQualityIssueComment``, ``locQualityIssueSeverity`` 0–100),
    placed in the ``<trans-unit>``/``<unit>`` as the W3C ITS 2.0 XLIFF 1.2 mapping and the XLIFF
    2.1 ITS module do. The target points at it with ``its:locQualityIssuesRef``: an attribute
    of ``<target>`` in 1.2 (its extension point), a ``<mrk type="its:any">`` around the target's
    content in 2.x (whose ``<target>`` takes no foreign attributes). Everything else, comments
    and processing instructions included, is left as it was; the result is new bytes, never the
    input file.

Safe on untrusted files, as :func:`zhen.align.formats.read_tmx`: no DTD, no entity expansion, no
network.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from zhen.align.formats import AlignedPair, FormatError, PathLike
from zhen.corpora.textio import atomic_write, read_input

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
# 1.1 (what translate-toolkit writes) has 1.2's structure: read and annotated alike.
_XLIFF_1 = frozenset({"urn:oasis:names:tc:xliff:document:1.1", XLIFF_12})
XLIFF_2 = ("urn:oasis:names:tc:xliff:document:2.0", "urn:oasis:names:tc:xliff:document:2.2")
ITS = "http://www.w3.org/2005/11/its"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: What an inline code stands as in a pair's text: one position, never a word character.
PLACEHOLDER = "\ufffc"
_CODES = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec"})
_TEXT_KEEPING = frozenset({"g", "mrk", "pc"})


@dataclass(frozen=True, slots=True)
class XliffUnit:
    """One translated segment of an XLIFF file, with what a CAT tool shows beside it."""

    pair: AlignedPair
    state: str  # 1.2 target@state, 2.x segment@state; "" when not given
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class XliffDocument:
    version: str  # "1.2", "2.0", "2.1", "2.2"
    src_lang: str
    tgt_lang: str
    units: tuple[XliffUnit, ...]

    @property
    def pairs(self) -> list[AlignedPair]:
        return [u.pair for u in self.units]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False, remove_pis=False)


def _parse(data: bytes, name: str) -> etree._ElementTree:
    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"not well-formed XML: {exc.msg}", source=name, line=exc.lineno,
                          fix="check that the file is a complete XLIFF document") from None
    root = tree.getroot()
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or (ns not in _XLIFF_1 and ns not in XLIFF_2):
        raise FormatError(f"root element is {root.tag!r}, not an XLIFF 1.x or 2.x <xliff>", source=name,
                          line=root.sourceline, fix="export the file from the CAT tool as XLIFF 1.2 or 2.x")
    return tree


def is_xliff(data: bytes) -> bool:
    """True when the first kilobytes look like an XLIFF document (any version)."""
    head = data[:4096]
    return b"<xliff" in head and b"urn:oasis:names:tc:xliff:document:" in head


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def inline_text(el: etree._Element) -> str:
    """The text of a ``<source>``/``<target>``/``<mrk>``: codes as :data:`PLACEHOLDER`."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            parts.append(f"&{child.name};")
        elif isinstance(child.tag, str):
            name = _local(child)
            if name in _TEXT_KEEPING:
                parts.append(inline_text(child))
            elif name in _CODES:
                parts.append(PLACEHOLDER)
            elif name == "cp":
                try:
                    parts.append(chr(int(child.get("hex", ""), 16)))
                except ValueError:
                    parts.append(PLACEHOLDER)
            # sm/em (annotation markers) stand for nothing in the text.
        parts.append(child.tail or "")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Segment:
    holder: etree._Element  # the trans-unit (1.2) or unit (2.x): where standoff markup goes
    source: etree._Element
    target: etree._Element
    unit_id: str
    doc: str | None
    state: str
    notes: tuple[str, ...]


def _segments(root: etree._Element) -> Iterator[_Segment]:
    """Every translated segment in document order: the one walk both reading and writing back
    use, so the k-th pair read is the k-th segment annotated."""
    ns = etree.QName(root).namespace
    q = lambda name: f"{{{ns}}}{name}"  # noqa: E731
    for file_el in root.iter(q("file")):
        doc = file_el.get("original") if ns in _XLIFF_1 else file_el.get("id")
        if ns in _XLIFF_1:
            for tu in file_el.iter(q("trans-unit")):
                target = tu.find(q("target"))
                source = tu.find(q("source"))
                if tu.get("translate") == "no" or source is None or target is None or not inline_text(target).strip():
                    continue
                yield _Segment(tu, source, target, tu.get("id", ""), doc, target.get("state", ""),
                               tuple(inline_text(n) for n in tu.findall(q("note"))))
            continue
        for unit in file_el.iter(q("unit")):
            if unit.get("translate") == "no":
                continue
            notes = tuple(inline_text(n) for n in unit.iterfind(f"{q('notes')}/{q('note')}"))
            segs = unit.findall(q("segment"))
            for k, seg in enumerate(segs):
                source, target = seg.find(q("source")), seg.find(q("target"))
                if source is None or target is None or not inline_text(target).strip():
                    continue
                uid = unit.get("id", "")
                if len(segs) > 1:
                    uid += "#" + (seg.get("id") or str(k + 1))
                yield _Segment(unit, source, target, uid, doc, seg.get("state", ""), notes)


def _languages(root: etree._Element) -> tuple[str, str]:
    ns = etree.QName(root).namespace
    if ns in _XLIFF_1:
        f = root.find(f"{{{ns}}}file")
        return (f.get("source-language", ""), f.get("target-language", "")) if f is not None else ("", "")
    return root.get("srcLang", ""), root.get("trgLang", "")


def read_xliff(path: PathLike) -> XliffDocument:
    """The translated segments of an XLIFF 1.2 or 2.x file (see the module notes)."""
    name = str(path)
    tree = _parse(read_input(path, what="XLIFF file"), name)
    root = tree.getroot()
    ns = etree.QName(root).namespace
    version = root.get("version") or ("1.2" if ns in _XLIFF_1 else "2.0")
    src_lang, tgt_lang = _languages(root)
    units = []
    for k, s in enumerate(_segments(root)):
        pair = AlignedPair((k,), (k,), inline_text(s.source), inline_text(s.target), 0.0, s.doc,
                           unit_id=s.unit_id)
        units.append(XliffUnit(pair, s.state, s.notes))
    return XliffDocument(version, src_lang, tgt_lang, tuple(units))


@dataclass(frozen=True, slots=True)
class Issue:
    """One ITS 2.0 Localization Quality Issue (ITS 2.0 §8.15)."""

    type: str  # a locQualityIssueType value
    comment: str
    severity: float  # 0 (no effect) to 100 (severe)


def annotate_xliff(data: bytes, issues: Mapping[int, Sequence[Issue]], *, name: str = "<xliff>",
                   id_prefix: str = "zhen-lqi") -> bytes:
    """A copy of the XLIFF ``data`` with ``issues[k]`` on the k-th segment :func:`read_xliff`
    returns (the module notes say where they go). Unknown segment numbers raise
    :class:`FormatError`: the findings are not for this file."""
    tree = _parse(data, name)
    root = tree.getroot()
    v12 = etree.QName(root).namespace in _XLIFF_1
    segments = list(_segments(root))
    wrong = sorted(k for k in issues if not 0 <= k < len(segments))
    if wrong:
        raise FormatError(f"findings name segment {wrong[0] + 1}, the file has {len(segments)}", source=name,
                          fix="write findings into the XLIFF they were made from")
    taken = {el.get(_XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(_XML_ID)}
    for k in sorted(issues):
        if not issues[k]:
            continue
        seg = segments[k]
        ref = f"{id_prefix}-{k + 1}"
        while ref in taken:
            ref += "x"
        taken.add(ref)
        group = etree.Element(f"{{{ITS}}}locQualityIssues", nsmap={"its": ITS})
        group.set(_XML_ID, ref)
        if v12:
            seg.holder.append(group)  # 1.2 allows other namespaces after the unit's own elements
        else:
            # 2.0 <unit>: elements of other namespaces first, then notes, originalData, segments.
            own = next((c for c in seg.holder if isinstance(c.tag, str) and etree.QName(c).namespace
                        == etree.QName(seg.holder).namespace), None)
            if own is None:
                seg.holder.append(group)
            else:
                own.addprevious(group)
        for issue in issues[k]:
            etree.SubElement(group, f"{{{ITS}}}locQualityIssue", locQualityIssueType=issue.type,
                             locQualityIssueComment=issue.comment,
                             locQualityIssueSeverity=f"{issue.severity:g}")
        if v12:
            seg.target.set(f"{{{ITS}}}locQualityIssuesRef", f"#{ref}")
        else:
            _wrap_content(seg.target, ref)
    # One its: declaration on the root, so every annotation reads its:… as the spec writes it.
    etree.cleanup_namespaces(tree, top_nsmap={"its": ITS})
    root.set(f"{{{ITS}}}version", "2.0")
    return etree.tostring(tree, xml_declaration=True, encoding=tree.docinfo.encoding or "UTF-8")


def _wrap_content(target: etree._Element, ref: str) -> None:
    ns = etree.QName(target).namespace
    mrk = etree.Element(f"{{{ns}}}mrk", id=f"{ref}-m", type="its:any", nsmap={"its": ITS})
    mrk.set(f"{{{ITS}}}locQualityIssuesRef", f"#{ref}")
    mrk.text, target.text = target.text, None
    for child in list(target):
        mrk.append(child)
    target.append(mrk)


def write_xliff(pairs: Iterable[AlignedPair], path: PathLike, *, src_lang: str = "zh-HK",
                tgt_lang: str = "en", version: str = "1.2", original: str = "zhen") -> None:
    """Pairs as an XLIFF 1.2 or 2.0 file (one unit a pair, ids from ``unit_id`` or the pair's
    position, state ``translated``), written atomically."""
    if version not in ("1.2", "2.0"):
        raise FormatError(f"XLIFF version {version!r} cannot be written", source=str(path),
                          fix="write version 1.2 or 2.0")
    pairs = list(pairs)
    if version == "1.2":
        root = etree.Element(f"{{{XLIFF_12}}}xliff", version="1.2", nsmap={None: XLIFF_12})
        file_el = etree.SubElement(root, f"{{{XLIFF_12}}}file", original=original, datatype="plaintext",
                                   **{"source-language": src_lang, "target-language": tgt_lang})
        body = etree.SubElement(file_el, f"{{{XLIFF_12}}}body")
        for k, p in enumerate(pairs):
            tu = etree.SubElement(body, f"{{{XLIFF_12}}}trans-unit", id=p.unit_id or str(k + 1))
            etree.SubElement(tu, f"{{{XLIFF_12}}}source").text = p.src_text
            etree.SubElement(tu, f"{{{XLIFF_12}}}target", state="translated").text = p.tgt_text
    else:
        ns = XLIFF_2[0]
        root = etree.Element(f"{{{ns}}}xliff", version="2.0", srcLang=src_lang, trgLang=tgt_lang, nsmap={None: ns})
        file_el = etree.SubElement(root, f"{{{ns}}}file", id=original)
        for k, p in enumerate(pairs):
            unit = etree.SubElement(file_el, f"{{{ns}}}unit", id=p.unit_id or str(k + 1))
            seg = etree.SubElement(unit, f"{{{ns}}}segment", state="translated")
            etree.SubElement(seg, f"{{{ns}}}source").text = p.src_text
            etree.SubElement(seg, f"{{{ns}}}target").text = p.tgt_text
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with atomic_write(Path(path), "wb") as fh:
        fh.write(data)
