"""Accounting for every input character: the "nothing is lost silently" check.

A character of the input is accounted for when it is in the output or when a
reported change removed it: the change's ``before`` holds it and its
``after`` does not. A change that only names a line (``before == after``, as
assembly's notes do) accounts for nothing, so it cannot hide a line that
assembly dropped.

Characters are compared as canonical decompositions (NFD): a letter and a
combining mark that meet when a wrap is joined compose into one character,
which is the same text, not a loss.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

from .model import Change, Page


def visible(text: str) -> Counter[str]:
    """The non-whitespace characters of a text, decomposed and counted (whitespace is layout)."""
    return Counter(c for c in unicodedata.normalize("NFD", text) if not c.isspace())


def removed_by(changes: Iterable[Change]) -> Counter[str]:
    """The characters the changes removed, net of what each put back."""
    removed: Counter[str] = Counter()
    for c in changes:
        if c.before != c.after:
            removed.update(visible(c.before) - visible(c.after))
    return removed


def unaccounted(text: str, page: Page) -> Counter[str]:
    """Characters of ``text`` neither in the page's articles nor removed by a reported change.

    Empty for every page the pipeline cleans; the property tests and the
    fuzzer check it.

    >>> from cleanup import clean_page
    >>> raw = "（上接第一版）\\n"
    >>> unaccounted(raw, clean_page(raw))
    Counter()
    """
    out: Counter[str] = Counter()
    for a in page.articles:
        for s in a.strings():
            out.update(visible(s))
    return visible(text) - out - removed_by(page.changes)
