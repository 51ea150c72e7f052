"""Terminology QA of a translation against a glossary (``zhen check``)."""
