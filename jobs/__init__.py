"""Multi-stage jobs behind the CLI: ``zhen run`` (:mod:`zhen.jobs.run`), alignment and
evaluation of files (:mod:`zhen.jobs.align`), glossary builds (:mod:`zhen.jobs.glossary`),
terminology checks of files (:mod:`zhen.jobs.check`), entity normalisation of files
(:mod:`zhen.jobs.normalise`) and the HTML report (:mod:`zhen.jobs.report`).
"""
