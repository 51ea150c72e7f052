"""The one HTML page shell for the reports zhen writes (report.html, ``zhen check --format html``).

A page is one self-contained file that opens offline from disk: inline CSS and JavaScript, no
URL to fetch. Every piece of document text goes through :func:`escape` (or :func:`mark_span`,
which escapes too); only the page's own CSS, JavaScript and markup are written raw.
"""

from __future__ import annotations

import html


def escape(text: object) -> str:
    """``text`` as HTML text or attribute value (``None`` is empty)."""
    return html.escape("" if text is None else str(text))


def mark_span(text: str, start: int | None, end: int | None, *, cls: str = "") -> str:
    """``text`` escaped, with ``text[start:end]`` in a ``<mark>`` (of class ``cls``, if given).
    A missing, empty or out-of-range span leaves the text unmarked."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return escape(text)
    tag = f'<mark class="{escape(cls)}">' if cls else "<mark>"
    return f"{escape(text[:start])}{tag}{escape(text[start:end])}</mark>{escape(text[end:])}"


def page(title: str, css: str, body: str, js: str) -> str:
    """A complete page: ``body`` (markup the caller escaped) after the head, ``js`` at the end."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body>"
        f"{body}<script>{js}</script></body></html>\n"
    )
