"""zhen: Chinese (Hong Kong, Traditional) <-> English documents.

The package is laid out in layers, each importing only those below it (import-linter keeps
this; see ``tests/test_architecture.py``):

    zhen.corpora   reading, segmenting, text tools (scripts, keys, numbers, acronyms), output
    zhen.align     encoders, sentence alignment, pair formats, evaluation
    zhen.glossary  term extraction, glossary formats; ``qa`` (terminology checks) and
                   ``entities`` (entity-name normalisation) consume a glossary
    zhen.jobs      multi-stage jobs (``zhen run`` and friends) and the HTML report
    zhen.cli       the ``zhen`` command

Importing ``zhen`` is cheap: nothing heavy loads until it is used.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "__version__":
        from zhen.corpora.output import toolkit_version

        return toolkit_version()
    raise AttributeError(name)
