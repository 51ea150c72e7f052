"""Reading: encodings detected and decoded, bad files named with a fix, lines with offsets."""

from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EVAL, needs_shared
from zhen.corpora.errors import InputError
from zhen.corpora.textio import atomic_write, decode_bytes, iter_lines, read_document

TRAD = "創新科技及工業局：2026-27年度財政預算案，「人工智能資助計劃」已批出近30個項目。"
SIMP = "创新科技及工业局：人工智能资助计划已批出近三十个研发项目，支持本地研究。"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TRAD.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TRAD.encode("utf-8"), "utf-8-sig"),
        (TRAD.encode("utf-16"), "utf-16"),
        (TRAD.encode("utf-16-le"), "utf-16-le"),
        (TRAD.encode("utf-16-be"), "utf-16-be"),
        (TRAD.encode("big5hkscs"), "big5hkscs"),
        (SIMP.encode("gb2312"), "gb18030"),
        (SIMP.encode("gb18030"), "gb18030"),
        (b"plain ASCII text\n", "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "big5", "gb2312", "gb18030", "ascii"],
)
def test_encodings_are_detected_and_decoded(data, expected):
    decoded = decode_bytes(data)
    assert decoded.encoding == expected
    assert decoded.text.lstrip("\ufeff") in (TRAD, SIMP, "plain ASCII text\n")
    assert not decoded.text.startswith("\ufeff")


@needs_shared(EVAL)
@pytest.mark.parametrize(
    ("name", "encoding", "snippet"),
    [
        ("champollion/eval/890621fc.txt", "gb18030", "立法局"),
        ("champollion/eval/890621fe.txt", "utf-8", "LEGISLATIVE"),
        ("champollion/eval/UN19930101_020.e.txt", "gb18030", "Union of Soviet"),
        ("champollion/eval/UN19990209_010.c.txt", "gb18030", "联合国"),
    ],
)
def test_real_gb18030_files_decode(name, encoding, snippet):
    decoded = read_document(EVAL / name)
    assert decoded.encoding == encoding
    assert snippet in decoded.text


def test_encoding_override_and_located_error(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(TRAD.encode("big5hkscs"))
    assert read_document(path, encoding="big5").text == TRAD
    with pytest.raises(InputError) as info:
        read_document(path, encoding="utf-8")
    assert info.value.byte == 0 and "big5.txt" in str(info.value) and "--encoding" in str(info.value)
    with pytest.raises(InputError, match="unknown encoding"):
        read_document(path, encoding="klingon")


def test_undecodable_bytes_name_the_offset(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"good text " * 10 + b"\xff\xfe\xfd" + b"\x80" * 40)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.byte == 100
    assert "broken.txt" in str(info.value)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "is empty"),
        (lambda p: p.write_bytes(b"  \n\n"), "is empty"),
        (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" + bytes(range(256)) * 4), "binary"),
    ],
    ids=["missing", "directory", "empty", "blank", "binary"],
)
def test_bad_files_get_one_clear_error(tmp_path, setup, message):
    path = tmp_path / "input.txt"
    setup(path)
    with pytest.raises(InputError, match=message) as info:
        read_document(path)
    assert "input.txt" in str(info.value)


def test_lines_keep_offsets_with_crlf_and_cr():
    text = "第一行\r\nsecond line\rthird\n\nlast"
    lines = list(iter_lines(text))
    assert [ln.text for ln in lines] == ["第一行", "second line", "third", "", "last"]
    for ln in lines:
        assert text[ln.start:ln.start + len(ln.text)] == ln.text
    assert [ln.number for ln in lines] == [1, 2, 3, 4, 5]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_iter_lines_offsets_property(text):
    for ln in iter_lines(text):
        assert text[ln.start:ln.start + len(ln.text)] == ln.text
        assert "\n" not in ln.text and "\r" not in ln.text


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left behind
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_write_modes_and_folders(tmp_path):
    mask = os.umask(0o027)
    try:
        fresh = tmp_path / "new" / "deeper" / "out.bin"  # missing folders are created
        with atomic_write(fresh, "wb") as fh:
            fh.write(b"\x00\xff")
        assert fresh.read_bytes() == b"\x00\xff"
        assert fresh.stat().st_mode & 0o777 == 0o666 & ~0o027  # as open() would make it, not 0600
        fresh.chmod(0o600)
        with atomic_write(fresh, "w", newline="") as fh:
            fh.write("a\r\nb\n")
        assert fresh.read_bytes() == b"a\r\nb\n"  # text written as given
        assert fresh.stat().st_mode & 0o777 == 0o600  # a replaced file keeps its permissions
    finally:
        os.umask(mask)
