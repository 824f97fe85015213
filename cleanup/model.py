"""The small data model every pass and writer shares.

Text passes see ``str``; layout passes see a tuple of :class:`Block` (the
page as the extractor cut it: runs of lines between blank lines); assembly
turns blocks into :class:`Article` objects. Everything here is immutable so a
pass can never change its input behind the pipeline's back.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, Protocol, overload

from .chars import ends_sentence

ArticleKind = Literal["article", "photo", "fragment"]
BlockType = Literal["text", "heading"]


class OutputPosition(NamedTuple):
    """Where a change's ``after`` text stands in the cleaned articles:
    ``article`` indexes the articles of the Page that holds the change (the
    JSON Lines ``index``), ``field`` is ``kicker``, ``title``, ``subtitle``,
    ``byline``, ``jump`` or ``blocks`` (then ``block`` is the block's index),
    and ``offset`` is 0-based in that text: ``text[offset:offset + len(after)]
    == after`` (a removal: the place its text was taken from)."""

    article: int
    field: str
    block: int | None
    offset: int

    def describe(self) -> str:
        """``3.title:4``, ``3.blocks[2]:17``."""
        where = self.field if self.block is None else f"{self.field}[{self.block}]"
        return f"{self.article}.{where}:{self.offset}"

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"article": self.article, "field": self.field}
        if self.block is not None:
            out["block"] = self.block
        out["offset"] = self.offset
        return out


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
    # With exact positions asked for (``Config.exact_positions``): True when
    # ``before`` stands, as it is, at line:column of the input (an insertion:
    # its place is known), False when the position is only the nearest known
    # one; None when positions were not worked out (see cleanup/positions.py).
    exact: bool | None = None
    # With exact positions: where the change's after text stands in the
    # output, when it was found there (see cleanup/placement.py); None when
    # it was not, or positions were not worked out.
    output: OutputPosition | None = None

    def describe(self) -> str:
        """One human line: ``pass  line:col  'before' -> 'after'  (note)``
        (``~line:col`` for a position known only approximately; ``=> 3.title:4``
        after the position, where the output position is known)."""
        where = f"{'~' if self.exact is False else ''}{self.line}:{self.column}"
        if self.output is not None:
            where += f" => {self.output.describe()}"
        text = f"{self.pass_name}  {where}  {self.before!r} -> {self.after!r}"
        return f"{text}  ({self.note})" if self.note else text

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "pass": self.pass_name,
            "line": self.line,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "note": self.note,
        }
        if self.exact is not None:
            out["exact"] = self.exact
            # (with exact positions every change says where it went, or null)
            out["output"] = None if self.output is None else self.output.as_dict()
        return out


class Edit(NamedTuple):
    """A replacement of ``text[start:end]`` by ``new``, proposed by a text pass."""

    start: int
    end: int
    new: str
    note: str = ""


# Texts of edits and changes up to this long are kept once (longer ones,
# rarely equal, once per edit, without hashing them).
SHARED_TEXT = 16


class StringTable:
    """Strings as 32-bit numbers into a list: the distinct ones kept once.

    Edits and changes come by the million on a page of short lines (a line
    end removed at every line), and a reference to a string object per field
    would take 8 bytes each, a string object per value far more.
    """

    __slots__ = ("_index", "strings")

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}

    def code(self, s: str) -> int:
        """The number of s, entered once."""
        k = self._index.get(s)
        if k is None:
            k = self._index[s] = len(self.strings)
            self.strings.append(s)
        return k

    def text(self, s: str) -> int:
        """The number of a text: entered once when short, else each time (never hashed)."""
        if len(s) <= SHARED_TEXT:
            return self.code(s)
        self.strings.append(s)
        return len(self.strings) - 1


class EditList(Sequence[Edit]):
    """Sorted edits kept as columns: two arrays of offsets and, as numbers
    into a :class:`StringTable`, the new texts and the notes.

    A page can hold millions of edits (a page of ``中 中 中…`` has one per
    space); as :class:`Edit` tuples, with their offsets as int objects, they
    take about 150 bytes each, here 16, and an Edit is made only when read.
    """

    __slots__ = ("ends", "news", "notes", "starts", "table")

    def __init__(self, edits: Iterable[Edit] = ()) -> None:
        # offsets are 32-bit until a text longer than 4 G characters needs more
        self.starts = array("I")
        self.ends = array("I")
        self.news = array("I")
        self.notes = array("I")
        self.table = table = StringTable()
        starts, ends, news, notes = self.starts, self.ends, self.news, self.notes
        text, code = table.text, table.code
        for start, end, new, note in edits:
            try:
                starts.append(start)
                ends.append(end)
            except OverflowError:
                del starts[len(ends) :]
                self.starts = starts = array("Q", starts)
                self.ends = ends = array("Q", ends)
                starts.append(start)
                ends.append(end)
            news.append(text(new))
            notes.append(code(note))

    def new_texts(self) -> Iterator[str]:
        return map(self.table.strings.__getitem__, self.news)

    def __len__(self) -> int:
        return len(self.news)

    @overload
    def __getitem__(self, i: int) -> Edit: ...
    @overload
    def __getitem__(self, i: slice) -> list[Edit]: ...
    def __getitem__(self, i: int | slice) -> Edit | list[Edit]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        t = self.table.strings
        return Edit(self.starts[i], self.ends[i], t[self.news[i]], t[self.notes[i]])

    def __iter__(self) -> Iterator[Edit]:
        t = self.table.strings.__getitem__
        return map(Edit, self.starts, self.ends, map(t, self.news), map(t, self.notes))


# Pieces joined at a time when edits are applied: joining every piece of a
# page at once would hold a string object per piece (a page of millions of
# edits: hundreds of megabytes), joining in slices only a slice's.
_JOIN = 1 << 13


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply sorted, non-overlapping edits to text."""
    if isinstance(edits, EditList):
        triples: Iterable[tuple[int, int, str]] = zip(edits.starts, edits.ends, edits.new_texts())
    else:
        triples = ((e.start, e.end, e.new) for e in edits)
    done: list[str] = []
    pieces: list[str] = []
    pos = 0
    for start, end, new in triples:
        pieces.append(text[pos:start])
        pieces.append(new)
        pos = end
        if len(pieces) >= _JOIN:
            done.append("".join(pieces))
            pieces.clear()
    if not pos and not done and not pieces:
        return text  # no edits
    pieces.append(text[pos:])
    done.append("".join(pieces))
    return "".join(done)


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

    @property
    def cut(self) -> bool:
        """A paragraph whose end was lost: it stops mid-sentence (cut off at
        a column or page end whose continuation is not on the page; lost
        text stays lost)."""
        return self.type == "text" and not ends_sentence(self.text)

    def as_dict(self) -> dict[str, object]:
        # "cut" only where it is true: the schema's two keys otherwise
        if self.cut:
            return {"type": self.type, "text": self.text, "cut": True}
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
    edits: Sequence[Edit]
    starts: Sequence[int] | None  # input line of each line of text; None: line k is k + 1
    offset: int  # added to every line (the page's place in a file of pages)


class ChangeSink(Protocol):
    """Where a pass records changes as it makes them (a list, or :class:`ChangeColumns`)."""

    def append(self, c: Change, /) -> None: ...
    def extend(self, changes: Iterable[Change], /) -> None: ...


class ChangeColumns(Sequence[Change]):
    """Changes kept as columns (see :class:`EditList`): a pass that makes a
    change per line of a page of a million lines records them here, and a
    huge page's edits become these when they are located at once.

    About 24 bytes a change: line, column and, as numbers into a table,
    pass name, note and the texts before and after, 32-bit each. Short texts
    (a line end, nothing, a space) are entered in the table once, so a
    million line joins do not keep two references each.
    """

    __slots__ = ("afters", "befores", "columns", "exacts", "lines", "names", "notes", "outputs", "table")

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self.names = array("I")
        self.lines = array("i")
        self.columns = array("i")
        self.befores = array("I")
        self.afters = array("I")
        self.notes = array("I")
        # Change.exact as a byte each (see _EXACT), made for the first change that has one
        self.exacts: bytearray | None = None
        # Change.output, made for the first change that has one (only pages
        # cleaned with exact positions have them: a list is small enough)
        self.outputs: list[OutputPosition | None] | None = None
        self.table = StringTable()
        for c in changes:
            self.append(c)

    def extend(self, changes: Iterable[Change]) -> None:
        for c in changes:
            self.append(c)

    def append(self, c: Change) -> None:
        t = self.table
        if self.exacts is None and c.exact is not None:
            self.exacts = bytearray(len(self.names))
        if self.exacts is not None:
            self.exacts.append(_EXACT_CODE[c.exact])
        if self.outputs is None and c.output is not None:
            self.outputs = [None] * len(self.names)
        if self.outputs is not None:
            self.outputs.append(c.output)
        self.names.append(t.code(c.pass_name))
        self.lines.append(c.line)
        self.columns.append(c.column)
        self.befores.append(t.text(c.before))
        self.afters.append(t.text(c.after))
        self.notes.append(t.code(c.note))

    def moved(self, line_offset: int, article_offset: int = 0) -> ChangeColumns:
        """The same changes, line_offset lines further down (and their output
        positions article_offset articles further on)."""
        out = ChangeColumns()
        out.names, out.columns, out.befores, out.afters, out.notes = (
            self.names,
            self.columns,
            self.befores,
            self.afters,
            self.notes,
        )
        out.table, out.exacts, out.outputs = self.table, self.exacts, self.outputs
        out.lines = array("i", [x + line_offset for x in self.lines]) if line_offset else self.lines
        if article_offset and self.outputs is not None:
            out.outputs = [_later(o, article_offset) for o in self.outputs]
        return out

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, i: int) -> Change: ...
    @overload
    def __getitem__(self, i: slice) -> list[Change]: ...
    def __getitem__(self, i: int | slice) -> Change | list[Change]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        t = self.table.strings
        return Change(
            t[self.names[i]],
            self.lines[i],
            self.columns[i],
            t[self.befores[i]],
            t[self.afters[i]],
            t[self.notes[i]],
            None if self.exacts is None else _EXACT[self.exacts[i]],
            None if self.outputs is None else self.outputs[i],
        )

    def __iter__(self) -> Iterator[Change]:
        t = self.table.strings.__getitem__
        fields = (
            map(t, self.names),
            self.lines,
            self.columns,
            map(t, self.befores),
            map(t, self.afters),
            map(t, self.notes),
        )
        if self.exacts is None:
            return map(Change, *fields)
        exacts = map(_EXACT.__getitem__, self.exacts)
        if self.outputs is None:
            return map(Change, *fields, exacts)
        return map(Change, *fields, exacts, self.outputs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _later(o: OutputPosition | None, articles: int) -> OutputPosition | None:
    """An output position in a page that comes after that many articles."""
    return None if o is None else o._replace(article=o.article + articles)


def moved_change(c: Change, line_offset: int, article_offset: int = 0) -> Change:
    """A change of a page that starts line_offset lines into its input and
    after article_offset articles of its output."""
    if article_offset and c.output is not None:
        return c._replace(line=c.line + line_offset, output=_later(c.output, article_offset))
    return c._replace(line=c.line + line_offset) if line_offset else c


# Change.exact as ChangeColumns keeps it: a byte.
_EXACT: tuple[bool | None, ...] = (None, False, True)
_EXACT_CODE: dict[bool | None, int] = {None: 0, False: 1, True: 2}


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
        self._parts: list[list[Change] | _Edits | ChangeColumns] = []
        self._built: tuple[Change, ...] | None = None
        self.extend(changes)

    def extend(self, changes: Iterable[Change]) -> None:
        if isinstance(changes, ChangeColumns):  # kept as columns
            if len(changes):
                self._parts.append(changes)
                self._built = None
            return
        found = list(changes)
        if found:
            self._parts.append(found)
            self._built = None

    def add_edits(
        self, pass_name: str, text: str, edits: Sequence[Edit], starts: Sequence[int] | None = None
    ) -> None:
        """Record sorted edits of text; line k of text is input line starts[k] (or k + 1)."""
        if not edits:
            return
        part = _Edits(pass_name, text, edits, starts, 0)
        # a huge page's text is not kept for later: its changes are located now
        self._parts.append(part if len(text) <= LAZY_TEXT_LIMIT else ChangeColumns(_locate(part)))
        self._built = None

    def add_log(
        self, other: Sequence[Change], line_offset: int, locate: bool = False, article_offset: int = 0
    ) -> None:
        """Append another page's changes, their lines moved down by line_offset
        and their output positions on by article_offset articles (and a log's
        edits located now, with locate: no page text is kept)."""
        parts = other._parts if isinstance(other, ChangeLog) else [list(other)]
        for part in parts:
            if isinstance(part, _Edits):  # (edits have no output positions)
                moved = part._replace(offset=part.offset + line_offset)
                self._parts.append(ChangeColumns(_locate(moved)) if locate else moved)
            elif isinstance(part, ChangeColumns):
                moves = line_offset or article_offset
                self._parts.append(part.moved(line_offset, article_offset) if moves else part)
            elif line_offset or article_offset:
                self._parts.append([moved_change(c, line_offset, article_offset) for c in part])
            else:
                self._parts.append(part)
        self._built = None

    def counts(self) -> dict[str, int]:
        """Changes per pass, in order of first appearance (nothing is located).

        A note that changes no text (assembly's "this line is the headline",
        ``before == after``) is not a change and is not counted."""
        counts: dict[str, int] = {}
        for part in self._parts:
            if isinstance(part, _Edits):
                counts[part.pass_name] = counts.get(part.pass_name, 0) + len(part.edits)
            elif isinstance(part, ChangeColumns):
                t = part.table.strings
                for name, b, a in zip(part.names, part.befores, part.afters):
                    if b != a and t[b] != t[a]:
                        counts[t[name]] = counts.get(t[name], 0) + 1
            else:
                for c in part:
                    if c.before != c.after:
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


def locate_edits(
    pass_name: str, text: str, edits: Sequence[Edit], starts: Sequence[int] | None = None
) -> Iterator[Change]:
    """The changes of sorted edits of text, located in it (line k of text is
    input line starts[k], or k + 1)."""
    return _locate(_Edits(pass_name, text, edits, starts, 0))


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
            if c.before != c.after:  # (notes are not changes)
                counts[c.pass_name] = counts.get(c.pass_name, 0) + 1
        return counts

    def records(self) -> list[dict[str, object]]:
        """The articles as JSON-ready dicts with ``source`` and ``index``."""
        return [a.as_dict(self.source, i) for i, a in enumerate(self.articles)]


# A line that holds a visible character. The stdlib engine's \s is
# str.isspace, so "visible" means what line.strip() would keep. (Lines are
# found one at a time and runs of them made here: one pattern repeated over
# a block's lines made the engine keep some 60 bytes of state per line.)
_VISIBLE_LINE = re.compile(r"^[^\S\n]*\S.*", re.MULTILINE)


def blocks_from_text(text: str) -> tuple[Block, ...]:
    """Split text into blocks at blank lines (found in one search of the text)."""
    blocks: list[Block] = []
    line, pos, end_line = 1, 0, 0  # end_line: the last line of the block before
    seen: dict[str, str] = {}

    def add(start: int, end: int) -> None:
        nonlocal line, pos, end_line
        line += text.count("\n", pos, start)
        size = end - start
        short = size >= SHORT_LINES_BLOCK and text.count("\n", start, end) * SHORT_LINES >= size
        if size < BIG_BLOCK and not short:
            lines = tuple(text[start:end].split("\n"))
        else:
            lines = _shared_lines(text, start, end, seen)
        blocks.append(Block(lines, line, gap=line - end_line - 1))
        end_line = line + len(lines) - 1
        pos = start

    start = end = -2
    for m in _VISIBLE_LINE.finditer(text):
        if m.start() != end + 1:  # a blank line (or the text's start) before
            if start >= 0:
                add(start, end)
            start = m.start()
        end = m.end()
    if start >= 0:
        add(start, end)
    return tuple(blocks)


# A block longer than BIG_BLOCK characters, or than SHORT_LINES_BLOCK with
# lines shorter than SHORT_LINES on average, has its lines cut one at a time
# and equal lines share one string object.
BIG_BLOCK = 1 << 16
SHORT_LINES_BLOCK = 1 << 12
SHORT_LINES = 8


def _shared_lines(text: str, start: int, end: int, seen: dict[str, str]) -> tuple[str, ...]:
    """The lines of text[start:end], equal lines one object.

    A string object takes some 50-80 bytes besides its characters: a block
    of a million short lines split at once would take 20 times its text or
    more, and pages of short repeated lines (a rule, a lone character) exist.
    """
    out: list[str] = []
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            nl = end
        piece = text[pos:nl]
        out.append(seen.setdefault(piece, piece))
        if nl >= end:
            return tuple(out)
        pos = nl + 1
