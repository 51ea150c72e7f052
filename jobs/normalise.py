"""``zhen normalise``: entity normalisation over files or the bundled corpus, into a folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from zhen import corpora
from zhen.glossary.entities import normalise_documents, write_normalisation


def normalise_job(files: Sequence[str], *, glossary: str | Path | None = None, out: str | Path = "out",
                  mode: str = "annotate", seeds: Sequence[str | Path] | None = None,
                  encoding: str | None = None) -> list[str]:
    """``zhen normalise [FILE...] --glossary G --out DIR --mode M``: the bundled sources when no
    file is given. Returns report lines; raises InputError for bad input."""
    from zhen.corpora.output import check_folder

    check_folder(out)
    docs = corpora.load_documents(list(files), encoding=encoding)
    result = normalise_documents(docs, glossary, mode=mode, seeds=seeds, encoding=encoding)
    write_normalisation(result, out)
    return result.summary()
