"""CC-CEDICT glosses for pairing; the loader lives in :mod:`zhen.corpora.cedict` (the aligner
uses it too, and align/ sits below glossary/)."""

from zhen.corpora.cedict import Lexicon, acronym_of_gloss, cedict_path, cedict_version, load_cedict

__all__ = ["Lexicon", "acronym_of_gloss", "cedict_path", "cedict_version", "load_cedict"]
