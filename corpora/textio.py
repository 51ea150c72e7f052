"""Reading documents: encoding detection, decoding with located errors, line iteration, atomic writes.

Detection order: BOM (UTF-8, UTF-16), BOM-less UTF-16 (NUL bytes on one parity), strict UTF-8,
then the two legacy CJK encodings our users meet, Big5(-HKSCS) and GB18030 (a superset of GB2312).
Both legacy codecs decode almost any byte string, so we pick the one whose characters are the
*common* characters of its script: level-1 of GB2312 (3,755 most frequent simplified characters)
and level-1 of Big5 (5,401 most frequent traditional ones). Mis-decoded text is mostly rare
characters, so a low share of common characters means "not this encoding".
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zhen.corpora.errors import InputError

#: Accepted by ``--encoding`` besides any name Python's codecs know.
ENCODING_ALIASES = {"big5": "big5hkscs", "gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}

_LEGACY_CJK = ("big5hkscs", "gb18030")
_SNIFF_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    path: str


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    chars: set[str] = set()
    # GB2312 level 1: rows 0xB0-0xD7, cells 0xA1-0xFE.
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    # Big5 level 1: 0xA440-0xC67E (lead bytes 0xA4-0xC6; trail 0x40-0x7E, 0xA1-0xFE).
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def _common_share(text: str) -> float:
    """Share of non-ASCII characters that are common CJK characters or CJK punctuation."""
    common = _common_hanzi()
    total = hits = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        if ch in common or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
            hits += 1
    return hits / total if total else 1.0


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return good / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: NUL bytes that decode to printable text in one byte order."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even_nul, odd_nul = sample[0::2].count(0), sample[1::2].count(0)
    # ASCII in UTF-16 puts its zero byte always on the same side; binary data scatters them.
    if max(even_nul, odd_nul) < 0.95 * (even_nul + odd_nul):
        return None
    best, best_share = None, 0.0
    for candidate in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(candidate)
        except UnicodeDecodeError:
            continue
        share = _printable_share(text) * (1.0 if "\x00" not in text else 0.5) * _common_share(text)
        if share > best_share:
            best, best_share = candidate, share
    return best if best_share >= 0.95 else None


def normalise_encoding_name(name: str) -> str:
    key = name.strip().lower()
    key = ENCODING_ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        raise InputError(None, f"unknown encoding {name!r}", hint="try utf-8, utf-16, gb18030 or big5") from None


def _strict_decode(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"cannot be decoded as {encoding} ({exc.reason})",
            byte=exc.start,
            hint="check the file or pass --encoding utf-8|utf-16|gb18030|big5",
        ) from None


def detect_encoding(data: bytes, path: str = "<bytes>") -> str:
    """Name the encoding of ``data`` or raise InputError (binary or undecodable)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _looks_utf16(data)
    if utf16:
        return utf16
    nul = data.find(b"\x00", 0, _SNIFF_BYTES)
    if nul >= 0:
        raise InputError(path, "looks like a binary file (NUL byte)", byte=nul, hint="give a plain-text file")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    decodable: list[tuple[float, int, str]] = []
    for rank, candidate in enumerate(_LEGACY_CJK):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        sample = text[:200_000]
        decodable.append((_common_share(sample), -rank, candidate))
        non_ascii = sum(1 for ch in sample if ch >= "\x80")
    if decodable:
        share, _, best = max(decodable)
        # A mostly-ASCII file with a handful of CJK bytes (an English UN text quoting one
        # name) gives too few characters to judge; GB18030 is the wider codec, so it wins then.
        if share >= 0.6:
            return best
        if non_ascii < 20:
            return "gb18030" if any(c == "gb18030" for _, _, c in decodable) else best
    raise InputError(
        path,
        f"not valid UTF-8 ({utf8_error.reason}) and does not read as GB18030 or Big5",
        byte=utf8_error.start,
        hint="pass --encoding with the file's real encoding",
    )


def decode_bytes(data: bytes, *, encoding: str | None = None, path: str = "<bytes>") -> Decoded:
    if encoding:
        name = normalise_encoding_name(encoding)
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
    else:
        name = detect_encoding(data, path)
    text = _strict_decode(data, name, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text=text, encoding=name, path=path)


def read_input(path: str | Path, *, what: str = "file", allow_empty: bool = False, empty_hint: str = "") -> bytes:
    """The bytes of one input file (``-``: stdin), with the errors every reader shares: no such
    file, a directory, unreadable, empty (or only white space) — each naming the path and the fix."""
    shown = str(path)
    if shown == "-":
        import sys

        data = sys.stdin.buffer.read()
        shown = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(shown, f"no such {what}", hint="check the path")
        if p.is_dir():
            raise InputError(shown, "is a directory", hint=f"give a {what}, not a folder")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(shown, f"cannot be read ({exc.strerror})", hint="check its permissions") from None
    if not allow_empty and not data.strip():
        raise InputError(shown, "is empty", hint=empty_hint or "give a file with text in it")
    return data


def read_document(path: str | Path, *, encoding: str | None = None, allow_empty: bool = False) -> Decoded:
    """Read and decode one file, with errors that say which file and what to do."""
    data = read_input(path, allow_empty=allow_empty)
    return decode_bytes(data, encoding=encoding, path="<stdin>" if str(path) == "-" else str(path))


def line_finder(text: str):
    """``line_of(offset)``: the 1-based line (counting line feeds) of an offset into ``text``,
    by bisection over the line starts, so asking for every offset stays linear."""
    import bisect

    feeds = [i for i, ch in enumerate(text) if ch == "\n"] if "\n" in text else []

    def line_of(offset: int) -> int:
        return bisect.bisect_left(feeds, offset) + 1

    return line_of


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based, as editors show it
    start: int  # offset of the first character in the decoded text
    text: str  # without its line ending


def iter_lines(text: str) -> Iterator[Line]:
    """Lines split on LF (CRLF and lone CR too), offsets kept; linear in the text length."""
    pos = 0
    number = 1
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line_end = end
        if line_end > pos and text[line_end - 1] == "\r":
            line_end -= 1
        chunk = text[pos:line_end]
        if "\r" in chunk:  # old Mac line endings inside the chunk
            sub = pos
            for part in chunk.split("\r"):
                yield Line(number, sub, part)
                number += 1
                sub += len(part) + 1
        else:
            yield Line(number, pos, chunk)
            number += 1
        if nl < 0:
            break
        pos = nl + 1


def default_cache_dir() -> Path:
    """``$ZHEN_CACHE_DIR`` or ``~/.cache/zhen``: the encoder's embedding cache, the parsed
    CC-CEDICT. Everything in it can be deleted; it is rebuilt on use."""
    env = os.environ.get("ZHEN_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "zhen"


def _new_file_mode(target: Path) -> int:
    """The mode a plain ``open(target, "w")`` would leave: the replaced file's own, else
    ``0o666 & ~umask`` (``mkstemp`` alone makes every file 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    # The umask can only be read by setting it; set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = ""):
    """Write to a temporary file beside ``path`` and rename it over ``path`` only on success.

    The one file writer of the toolkit. The temporary file sits in the target's folder (created
    if missing), so ``os.replace`` is a rename on one file system; its data is fsynced before the
    rename and the folder after it, so a crash leaves the old file or the new one, never a torn
    one. On any failure the temporary file is removed and the old file left as it was. The new
    file gets the permissions :func:`open` would give it (see :func:`_new_file_mode`).
    ``mode`` is ``"w"`` (text, ``encoding`` and ``newline`` as for :func:`open`) or ``"wb"``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        try:
            fh = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding=encoding, newline=newline)
        except BaseException:
            os.close(fd)
            raise
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with suppress(OSError):  # file systems without POSIX modes (some network shares)
            os.chmod(tmp, _new_file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    with suppress(OSError):  # not every platform can open a folder
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
