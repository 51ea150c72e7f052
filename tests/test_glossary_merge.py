"""A rebuild proposes, a person decides: merge semantics on the real deck."""

from __future__ import annotations

from dataclasses import replace

import pytest

from zhen.glossary import Glossary, build_glossary, merge_glossaries, pairs_from_deck, read_glossary, write_glossary


@pytest.fixture(scope="module")
def deck():
    return build_glossary(pairs_from_deck())


def _one(g, zh):
    hits = g.lookup(zh)
    assert hits, zh
    return hits[0]


def test_reviewed_entries_survive_a_rebuild(deck, tmp_path):
    nias = _one(deck, "新型工業加速計劃")
    hetao = _one(deck, "河套香港園區")
    tin = _one(deck, "新田科技城")
    edited = replace(nias, en="New Industrialisation Acceleration Scheme (NIAS)", status="approved", note="house style keeps NIAS")
    rejected = replace(hetao, status="rejected")
    annotated = replace(tin, note="check with PlanD")
    reviewed = Glossary.of([edited, rejected, annotated] + [e for e in deck if e.concept_id not in
                                                           {nias.concept_id, hetao.concept_id, tin.concept_id}])
    path = tmp_path / "reviewed.csv"
    write_glossary(reviewed, path)
    before = path.read_bytes()

    merged = merge_glossaries(read_glossary(path), build_glossary(pairs_from_deck()))
    assert path.read_bytes() == before  # merging never writes over its input
    got = merged.get(nias.concept_id)
    assert got.en == "New Industrialisation Acceleration Scheme (NIAS)" and got.status == "approved"
    assert got.note == "house style keeps NIAS"
    assert merged.get(hetao.concept_id).status == "rejected"
    # the rejected pair is not proposed again under any id
    assert [e.status for e in merged.lookup("Hetao Hong Kong Park")] == ["rejected"]
    # the edited entry's old text is not proposed again next to it
    assert [e.concept_id for e in merged.lookup("新型工業加速計劃")] == [nias.concept_id]
    assert merged.get(tin.concept_id).note == "check with PlanD"
    assert len(merged) == len(deck)


def test_rebuild_adds_and_updates_candidates(deck):
    old = Glossary.of([replace(e, score=0.1) for e in deck.entries[:5]])
    merged = merge_glossaries(old, deck)
    assert len(merged) == len(deck)
    assert all(merged.get(e.concept_id).score == e.score for e in deck.entries[:5])


def test_stale_candidates_are_kept(deck):
    extra = replace(deck.entries[0], concept_id="cmanual0001", en="Manual entry", zh="手動詞條")
    merged = merge_glossaries(Glossary.of([extra]), deck)
    assert merged.get("cmanual0001") is not None


def test_build_with_existing_merges(deck):
    nias = _one(deck, "新型工業加速計劃")
    existing = Glossary.of([replace(nias, status="rejected")])
    g = build_glossary(pairs_from_deck(), existing=existing)
    assert [e.status for e in g.lookup("新型工業加速計劃")] == ["rejected"]


def test_frame_and_grep(deck):
    frame = deck.to_frame()
    assert frame.height == len(deck) and frame.schema["score"].is_float()
    assert any(e.zh == "新型工業加速計劃" for e in deck.grep("NIAS"))
    assert any(e.zh == "新型工業加速計劃" for e in deck.grep("加速计划"))  # Simplified pattern finds Traditional
