"""The small data model every pass and writer shares.

Text passes see ``str``; layout passes see a tuple of :class:`Block` (the
page as the extractor cut it: runs of lines between blank lines); assembly
turns blocks into :class:`Article` objects. Everything here is immutable so a
pass can never change its input behind the pipeline's back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, overload

ArticleKind = Literal["article", "photo", "fragment"]
BlockType = Literal["text", "heading"]


class Change(NamedTuple):
    """One change a pass made: where, what it was, what it became, why.

    A named tuple (immutable, and cheap to create: pages produce thousands).
    """

    pass_name: str
    line: int  # 1-based line of the page input where the change starts
    column: int  # 1-based column within that line
    before: str
    after: str
    note: str = ""

    def describe(self) -> str:
        """One human line: ``pass  line:col  'before' -> 'after'  (note)``."""
        text = f"{self.pass_name}  {self.line}:{self.column}  {self.before!r} -> {self.after!r}"
        return f"{text}  ({self.note})" if self.note else text

    def as_dict(self) -> dict[str, object]:
        return {
            "pass": self.pass_name,
            "line": self.line,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "note": self.note,
        }


class Edit(NamedTuple):
    """A replacement of ``text[start:end]`` by ``new``, proposed by a text pass."""

    start: int
    end: int
    new: str
    note: str = ""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply sorted, non-overlapping edits to text."""
    edits = list(edits)
    if not edits:
        return text
    ends = [0, *(e.end for e in edits)]
    return (
        "".join([piece for e, pos in zip(edits, ends) for piece in (text[pos : e.start], e.new)])
        + text[ends[-1] :]
    )


def edit_positions(text: str, edits: Iterable[Edit]) -> Iterator[tuple[int, int]]:
    """(0-based line, 1-based column) in text of each of the sorted edits.

    Lines are counted incrementally, so locating every edit of a page costs
    one scan of it, however many edits there are.
    """
    line, prev, line_start = 0, 0, 0
    for e in edits:
        breaks = text.count("\n", prev, e.start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", prev, e.start) + 1
        prev = e.start
        yield line, e.start - line_start + 1


class Block(NamedTuple):
    """A run of extracted lines, as the extractor separated them.

    ``lines`` are the printed lines still unjoined; after line-wrap joining a
    block holds one paragraph (a single line). ``line`` is the 1-based input
    line where the block starts, kept so every later change can say where it
    happened. ``role`` is the structural role decided during assembly
    (``None`` until then); ``mark`` is the markdown heading level an upstream
    converter put on the block (0 for none), kept as a hint; ``gap`` is the
    number of blank lines before the block (two or more: a hard boundary that
    no paragraph continues across).

    A named tuple: pages have thousands of blocks and layout passes make new
    ones as they join and move lines (a frozen dataclass costs several times
    as much to create).
    """

    lines: tuple[str, ...]
    line: int
    mark: int = 0
    role: str | None = None
    gap: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class TextBlock(NamedTuple):
    """A body block of an article: a paragraph or a section heading.

    A named tuple (immutable, and cheap: a page has one per paragraph).
    """

    type: BlockType
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"type": self.type, "text": self.text}


@dataclass(frozen=True)
class Article:
    """One article of the page, in the schema of conventions.md."""

    kind: ArticleKind = "article"
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    blocks: tuple[TextBlock, ...] = ()
    jump: str | None = None

    def as_dict(self, source: str | None = None, index: int | None = None) -> dict[str, object]:
        out: dict[str, object] = {}
        if source is not None:
            out["source"] = source
        if index is not None:
            out["index"] = index
        out.update(
            kind=self.kind,
            kicker=self.kicker,
            title=self.title,
            subtitle=self.subtitle,
            byline=self.byline,
            blocks=[b.as_dict() for b in self.blocks],
            jump=self.jump,
        )
        return out

    def strings(self) -> list[str]:
        """Every text of the article in reading order (header fields, then blocks)."""
        head = [self.kicker, self.title, self.subtitle, self.byline, self.jump]
        return [s for s in head if s] + [b.text for b in self.blocks]


class _Edits(NamedTuple):
    """Edits a pass proposed on a text, not yet turned into changes."""

    pass_name: str
    text: str
    edits: list[Edit]
    starts: Sequence[int] | None  # input line of each line of text; None: line k is k + 1
    offset: int  # added to every line (the page's place in a file of pages)


# Edits on texts up to this many characters are located when first read; a
# longer text (a file of one huge page) is located at once, so the log never
# keeps copies of it alive.
LAZY_TEXT_LIMIT = 1 << 20


class ChangeLog(Sequence[Change]):
    """The changes of a page in the order the passes made them, located lazily.

    Text and block passes report edits as offsets into the text they saw;
    locating each (line, column, the text it replaced) costs about as much
    as finding it, and most callers only count changes per pass (the command
    line's summary, the Ray and record integrations). So edits are kept as
    found and turned into :class:`Change` objects the first time the log is
    read; counting needs no such work.
    """

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self._parts: list[list[Change] | _Edits] = []
        self._built: tuple[Change, ...] | None = None
        self.extend(changes)

    def extend(self, changes: Iterable[Change]) -> None:
        found = list(changes)
        if found:
            self._parts.append(found)
            self._built = None

    def add_edits(
        self, pass_name: str, text: str, edits: list[Edit], starts: Sequence[int] | None = None
    ) -> None:
        """Record sorted edits of text; line k of text is input line starts[k] (or k + 1)."""
        if not edits:
            return
        part = _Edits(pass_name, text, edits, starts, 0)
        # a huge page's text is not kept for later: its changes are located now
        self._parts.append(part if len(text) <= LAZY_TEXT_LIMIT else list(_locate(part)))
        self._built = None

    def add_log(self, other: Sequence[Change], line_offset: int, locate: bool = False) -> None:
        """Append another page's changes, their lines moved down by line_offset
        (and a log's edits located now, with locate: no page text is kept)."""
        parts = other._parts if isinstance(other, ChangeLog) else [list(other)]
        for part in parts:
            if isinstance(part, _Edits):
                moved = part._replace(offset=part.offset + line_offset)
                self._parts.append(list(_locate(moved)) if locate else moved)
            elif line_offset:
                self._parts.append([c._replace(line=c.line + line_offset) for c in part])
            else:
                self._parts.append(part)
        self._built = None

    def counts(self) -> dict[str, int]:
        """Changes per pass, in order of first appearance (nothing is located)."""
        counts: dict[str, int] = {}
        for part in self._parts:
            if isinstance(part, _Edits):
                counts[part.pass_name] = counts.get(part.pass_name, 0) + len(part.edits)
            else:
                for c in part:
                    counts[c.pass_name] = counts.get(c.pass_name, 0) + 1
        return counts

    def _all(self) -> tuple[Change, ...]:
        if self._built is None:
            out: list[Change] = []
            for part in self._parts:
                if isinstance(part, _Edits):
                    out.extend(_locate(part))
                else:
                    out.extend(part)
            self._built = tuple(out)
        return self._built

    def __len__(self) -> int:
        return sum(len(p.edits) if isinstance(p, _Edits) else len(p) for p in self._parts)

    @overload
    def __getitem__(self, i: int) -> Change: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Change, ...]: ...
    def __getitem__(self, i: int | slice) -> Change | tuple[Change, ...]:
        return self._all()[i]

    def __iter__(self) -> Iterator[Change]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._all() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ChangeLog({list(self._all())!r})"


def _locate(part: _Edits) -> Iterator[Change]:
    text, starts, offset = part.text, part.starts, part.offset
    for e, (k, col) in zip(part.edits, edit_positions(text, part.edits)):
        line = starts[k] if starts is not None else k + 1
        yield Change(part.pass_name, line + offset, col, text[e.start : e.end], e.new, e.note)


@dataclass(frozen=True)
class Page:
    """A cleaned page: its articles in reading order and what was changed."""

    articles: tuple[Article, ...]
    changes: Sequence[Change] = field(default=())
    source: str | None = None

    def changes_by_pass(self) -> dict[str, int]:
        if isinstance(self.changes, ChangeLog):
            return self.changes.counts()
        counts: dict[str, int] = {}
        for c in self.changes:
            counts[c.pass_name] = counts.get(c.pass_name, 0) + 1
        return counts

    def records(self) -> list[dict[str, object]]:
        """The articles as JSON-ready dicts with ``source`` and ``index``."""
        return [a.as_dict(self.source, i) for i, a in enumerate(self.articles)]


# A run of lines that each hold a visible character. The stdlib engine's \s
# is str.isspace, so "visible" means what line.strip() would keep.
_BLOCK = re.compile(r"(?:^[^\n]*\S[^\n]*(?:\n|\Z))+", re.MULTILINE)


def blocks_from_text(text: str) -> tuple[Block, ...]:
    """Split text into blocks at blank lines (found in one search of the text)."""
    blocks: list[Block] = []
    line, pos, end_line = 1, 0, 0  # end_line: the last line of the block before
    for m in _BLOCK.finditer(text):
        line += text.count("\n", pos, m.start())
        body = m.group()
        lines = tuple((body[:-1] if body.endswith("\n") else body).split("\n"))
        blocks.append(Block(lines, line, gap=line - end_line - 1))
        end_line = line + len(lines) - 1
        pos = m.start()
    return tuple(blocks)
