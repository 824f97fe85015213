"""What a pass is, and the context every pass receives.

Three shapes of pass, by what they see:

- ``text``: the whole page as one string, before it is cut into blocks
  (encoding damage, character normalisation). The pass proposes edits.
- ``block``: the text of one block (a paragraph, after line joining); the
  pass proposes edits, applied block by block.
- ``layout``: the tuple of blocks; the pass returns new blocks and the changes
  it made (joins, moves, removals).

Text and block passes are written as *finders*: ``text -> Iterable[Edit]``.
The pipeline turns edits into changes (with line and column) and applies
them; :func:`as_fixer` turns a finder into the plain ``str -> str`` function
each pass module also exports for use on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import regex

from ..model import Block, Change, Edit, apply_edits
from ..rules import Rules, load_rules

Stage = Literal["text", "block", "layout", "assemble"]


@dataclass(frozen=True)
class Context:
    """Read-only state a pass may consult: the rules and the options."""

    rules: Rules
    options: dict[str, object] = field(default_factory=dict)

    def option(self, name: str, default: object = None) -> object:
        return self.options.get(name, default)


def default_context() -> Context:
    return Context(load_rules())


Finder = Callable[[str, Context], Iterable[Edit]]
LayoutFn = Callable[[tuple[Block, ...], Context], tuple[tuple[Block, ...], Sequence[Change]]]


@dataclass(frozen=True)
class Pass:
    """A named repair: the registry lists these in their default order.

    ``run`` is a :data:`Finder` for text and block passes, a :data:`LayoutFn`
    for layout passes, and for ``assemble`` returns articles instead of
    blocks; the stage says which, so it is typed loosely here.
    """

    name: str
    stage: Stage
    run: Callable[..., Any]
    summary: str
    default: bool = True
    ocr: bool = False  # runs only on pages that look like OCR output, or with --ocr (passes.ocr)


def lines_with(pattern: regex.Pattern[str], text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line of text where pattern matches.

    The search runs over the whole text at C speed, so a finder that only
    has work on some lines (those with a quote, a space, a 一) never walks
    the others in Python. The pattern must not match across a line end.
    """
    pos, size = 0, len(text)
    while pos <= size:
        m = pattern.search(text, pos)
        if m is None:
            return
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.start())
        if end < 0:
            end = size
        yield start, text[start:end]
        pos = end + 1


def as_fixer(finder: Finder) -> Callable[..., str]:
    """A ``str -> str`` function that applies finder's edits to its input."""

    def fix(text: str, *, context: Context | None = None) -> str:
        ctx = context or default_context()
        return apply_edits(text, list(finder(text, ctx)))

    fix.__doc__ = finder.__doc__
    return fix
