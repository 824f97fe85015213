"""Markdown heading marks left by an upstream converter (``#``, ``##``).

The marks are hints, not truth: ``##`` marks section headings and new
article titles alike. The pass removes them from the text and keeps the
level on the block (``Block.mark``) for article assembly to weigh.
"""

from __future__ import annotations

import regex

from ..chars import HSPACE
from ..model import Block, Change
from .base import Context

# Any horizontal space after the marks (an ideographic or no-break space
# too: the space pass would make it a plain one, and a second cleaning
# would then take the marks off).
_MARK = regex.compile(rf"^{HSPACE}*(#{{1,6}}){HSPACE}+(?=\S)")
NAME = "strip_markdown_marks"


def strip_markdown_marks(blocks: tuple[Block, ...], ctx: Context) -> tuple[tuple[Block, ...], list[Change]]:
    """Remove ``#`` marks at line starts; remember the level on the block."""
    if not any("#" in line for b in blocks for line in b.lines):
        return blocks, []  # the common case: no converter touched the page
    out: list[Block] = []
    changes: list[Change] = []
    for b in blocks:
        lines = list(b.lines)
        mark = b.mark
        for i, line in enumerate(lines):
            m = _MARK.match(line)
            if m:
                lines[i] = line[m.end() :]
                changes.append(Change(NAME, b.line + i, 1, m.group(), "", f"heading level {len(m.group(1))}"))
                if i == 0:
                    mark = len(m.group(1))
        out.append(b._replace(lines=tuple(lines), mark=mark) if lines != list(b.lines) else b)
    return tuple(out), changes
