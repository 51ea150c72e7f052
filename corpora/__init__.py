"""The bundled corpus and the document layer: list and load sources, read any file, segment it.

>>> from zhen.corpora import list_sources, load_source, segment_document
>>> [s.id for s in list_sources()][:1]
['budget-slides-2026']
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from zhen.corpora.errors import InputError, ZhenError
from zhen.corpora.segment import Segment, extract_tables, segment_text, segments_frame
from zhen.corpora.textio import read_document

__all__ = [
    "Document", "InputError", "Segment", "Source", "ZhenError", "as_document", "corpus_dir", "extract_tables",
    "get_source", "list_sources", "load_document", "load_documents", "load_source", "segment_document", "segments_frame",
]

_KINDS = {"bilingual-slides", "bilingual", "estimates", "yearbook", "overview", "text"}


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    file: str
    title: str
    publisher: str
    languages: tuple[str, ...]
    kind: str
    original: str = ""
    date: str = ""
    year: int | None = None
    note: str = ""

    @property
    def path(self) -> Path:
        return corpus_dir() / self.file

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    path: str
    text: str
    encoding: str
    kind: str = "text"
    languages: tuple[str, ...] = ()
    source: Source | None = field(default=None, compare=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def main_lang(self) -> str | None:
        if len(self.languages) == 1:
            return "zh" if self.languages[0].startswith("zh") else "en"
        return None


def corpus_dir() -> Path:
    return Path(str(files("zhen.corpora")))


@lru_cache(maxsize=4)
def _manifest(path: str) -> tuple[Source, ...]:
    manifest = Path(path)
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(manifest, "corpus manifest is missing", hint="reinstall zhen-toolkit") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(manifest, f"is not valid TOML ({exc})", hint="fix the manifest") from None
    sources = []
    for i, entry in enumerate(data.get("source", []), 1):
        missing = [k for k in ("id", "file", "title", "publisher", "languages", "kind") if k not in entry]
        if missing:
            raise InputError(manifest, f"source #{i} lacks {', '.join(missing)}", hint="add the keys")
        sources.append(Source(
            id=entry["id"], file=entry["file"], title=entry["title"], publisher=entry["publisher"],
            languages=tuple(entry["languages"]), kind=entry["kind"], original=entry.get("original", ""),
            date=str(entry.get("date", "")), year=entry.get("year"), note=entry.get("note", ""),
        ))
    return tuple(sources)


def list_sources(corpus: str | Path | None = None) -> list[Source]:
    """Sources listed in ``manifest.toml`` of ``corpus`` (default: the bundled corpus)."""
    base = Path(corpus) if corpus else corpus_dir()
    sources = _manifest(str(base / "manifest.toml"))
    if corpus:
        return [Source(**{**{f: getattr(s, f) for f in s.__slots__}, "file": str(base / s.file)}) for s in sources]
    return list(sources)


def get_source(source_id: str, corpus: str | Path | None = None) -> Source:
    for s in list_sources(corpus):
        if s.id == source_id:
            return s
    known = ", ".join(s.id for s in list_sources(corpus))
    raise InputError(None, f"no bundled source {source_id!r}", hint=f"one of: {known}")


def load_source(source_id: str, corpus: str | Path | None = None) -> Document:
    src = get_source(source_id, corpus)
    decoded = read_document(src.path)
    return Document(src.id, str(src.path), decoded.text, decoded.encoding, src.kind, src.languages, src)


def _doc_id(path: str) -> str:
    if path == "-":
        return "stdin"
    stem = Path(path).name
    stem = re.sub(r"\.(txt|md|text)$", "", stem, flags=re.I)
    return re.sub(r"[^\w.-]+", "-", stem) or "doc"


def load_document(path: str | Path, *, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read any file (``-`` for stdin). A bundled corpus file keeps its manifest identity."""
    p = str(path)
    if p != "-":
        resolved = Path(p).resolve()
        for s in list_sources():
            if s.path.resolve() == resolved:
                decoded = read_document(p, encoding=encoding)
                return Document(s.id, p, decoded.text, decoded.encoding, s.kind, s.languages, s)
    decoded = read_document(p, encoding=encoding)
    return Document(doc_id or _doc_id(p), decoded.path, decoded.text, decoded.encoding, _guess_kind(decoded.text))


def _guess_kind(text: str) -> str:
    """A file of our own users: 'bilingual' when Chinese and English lines alternate."""
    from zhen.corpora.scripts import text_lang

    langs = [text_lang(line) for line in text.splitlines()[:400] if line.strip()]
    if len(langs) >= 4 and "zh" in langs and "en" in langs:
        switches = sum(1 for a, b in zip(langs, langs[1:]) if a != b)
        if switches >= 0.3 * len(langs):
            return "bilingual"
    return "text"


def load_documents(files: list[str] | tuple[str, ...] = (), *, encoding: str | None = None,
                   corpus: str | Path | None = None, bilingual: bool = False) -> list[Document]:
    """The documents named by ``files`` (``-`` for stdin), or, with none, the bundled corpus (or
    the corpus folder ``corpus``) — only its bilingual sources when ``bilingual``. Every job that
    defaults to the bundled sources asks this one function."""
    if files:
        return [load_document(f, encoding=encoding) for f in files]
    return [load_source(s.id, corpus) for s in list_sources(corpus) if s.bilingual or not bilingual]


def as_document(item: Document | str | Path, *, encoding: str | None = None) -> Document:
    """A loaded Document as it is, a bundled source id, or a path: what every function that takes
    "a document" accepts."""
    if isinstance(item, Document):
        return item
    key = str(item)
    if any(s.id == key for s in list_sources()):
        return load_source(key)
    return load_document(key, encoding=encoding)


def segment_document(doc: Document | str | Path) -> list[Segment]:
    """Segments of a document (a loaded Document, a bundled source id, or a path)."""
    doc = as_document(doc)
    return segment_text(doc.text, doc.id, kind=doc.kind, main_lang=doc.main_lang)
