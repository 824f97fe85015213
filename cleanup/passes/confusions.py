"""Characters the OCR confused with a look-alike (``检杳`` for ``检查``).

Pairs come from ``rules/confusions.tsv``. A pair fires only where the text
as read forms no word of the lexicon around the character and the repaired
text does: ``检杳`` -> ``检查``, while ``杳无音信`` stays. Guessing from
frequency alone is not done: a rule fires only where it has one reading.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..lexicon import covers
from ..model import Edit
from .base import Context, as_fixer

_PATTERNS: dict[frozenset[str], regex.Pattern[str]] = {}


# The longest word the lexicon is asked about: the window read around a character.
LONGEST = 4


def _in_word(text: str, i: int, ch: str) -> bool:
    """True when ch at position i of text would stand inside a lexicon word."""
    start = max(0, i - LONGEST + 1)  # only the words that could cover i are read
    window = text[start:i] + ch + text[i + 1 : i + LONGEST]
    return covers(window, i - start, LONGEST)


def find_ocr_confusions(text: str, ctx: Context) -> Iterator[Edit]:
    """Look-alike characters with exactly one reading in context.

    >>> from cleanup.passes.confusions import repair_ocr_confusions
    >>> repair_ocr_confusions("进行检杳，重点")
    '进行检查，重点'
    """
    table = ctx.rules.confusions
    if not table:
        return
    key = frozenset(table)
    if key not in _PATTERNS:
        _PATTERNS[key] = regex.compile("[" + "".join(regex.escape(k) for k in sorted(key)) + "]")
    for m in _PATTERNS[key].finditer(text):
        i, wrong = m.start(), m.group()
        if _in_word(text, i, wrong):
            continue
        fits = [r for r in table[wrong] if _in_word(text, i, r)]
        if len(fits) == 1:
            yield Edit(i, i + 1, fits[0], f"OCR confusion {wrong}->{fits[0]}")


repair_ocr_confusions = as_fixer(find_ocr_confusions)
