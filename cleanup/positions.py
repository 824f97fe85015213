"""Exact input positions of changes, worked out when asked for
(``Config.exact_positions``, ``clean_page(text, exact_positions=True)``; the
command line asks with ``--explain``, ``--report`` and ``cleanup review``).

Each pass reports where it changed the text *it* saw: a text pass in the
page after the text passes before it, a block pass in the joined paragraphs
after the block passes before it. To say where a change is in the page as it
was given, the pipeline maps those places back:

- every pass's edits are kept as an :class:`EditMap`, which maps an offset of
  the text after the edits to the text before them;
- a paragraph joined from printed lines keeps its :class:`Runs`: where each
  piece of its text starts in the text the blocks were cut from (the page
  after the text passes) and how long it is. What a joint removed (a line
  end, the spaces around it) lies between two runs, what it inserted (a
  space between Latin words) in no run;
- a printed line that was not joined is found on the line of the page its
  block says it stands on (``Block.line + k``), as the whole line or as its
  one occurrence there (a piece a column reader cut, a line a markdown mark
  was stripped from).

A change is *exact* (``Change.exact``) when its ``before`` stands, as it is,
at the line and column given (for an insertion: when its place maps to one).
Anything else (a ``before`` that holds text an earlier pass wrote, a line a
layout pass rebuilt, a paragraph whose source is not known) keeps the nearest
position known and says ``exact=False``: never a guess presented as a fact.

Off by default: the runs take some 24 bytes per printed line, and the
mapping costs time the summary does not need.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from .model import Block, Change, ChangeColumns, EditList


def line_starts(text: str) -> array[int]:
    """Offset of the start of every line of text (lines end at ``\\n``)."""
    out = array("q", [0])
    pos = text.find("\n")
    while pos >= 0:
        out.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return out


class EditMap:
    """Offsets of a text after sorted edits, mapped back to the text before them."""

    __slots__ = ("ends", "new_ends", "new_starts", "starts")

    def __init__(self, edits: EditList) -> None:
        self.starts, self.ends = edits.starts, edits.ends
        self.new_starts = array("q")
        self.new_ends = array("q")
        shift = 0
        for start, end, new in zip(edits.starts, edits.ends, edits.new_texts()):
            at = start + shift
            self.new_starts.append(at)
            self.new_ends.append(at + len(new))
            shift += len(new) - (end - start)

    def back(self, o: int, n: int = 0) -> tuple[int, bool]:
        """(the offset o had before the edits, whether the n characters from
        o are text the edits left as it was)."""
        i = bisect_right(self.new_starts, o) - 1
        nxt = i + 1
        intact = nxt >= len(self.new_starts) or o + n <= self.new_starts[nxt]
        if i < 0:
            return o, intact
        if o >= self.new_ends[i]:  # after the edit's new text
            return self.ends[i] + o - self.new_ends[i], intact
        # inside text an edit wrote: where the replaced text started (its
        # character at the same distance, when there is one)
        return self.starts[i] + min(o - self.new_starts[i], self.ends[i] - self.starts[i]), False


def back_through(maps: Sequence[EditMap], o: int, n: int = 0) -> tuple[int, bool]:
    """o mapped back through maps, the last first; intact when no edit touched the span."""
    intact = True
    for m in reversed(maps):
        o, ok = m.back(o, n)
        intact = intact and ok
    return o, intact


class Runs:
    """Where a paragraph's text comes from: runs of it, each a copy of the
    source text (the page the blocks were cut from) at some offset.

    ``para[k]``, ``src[k]``, ``size[k]``: run k is ``text[para[k]:para[k] +
    size[k]]``, equal to ``source[src[k]:src[k] + size[k]]``. Text between
    runs was inserted (a joint's space).
    """

    __slots__ = ("para", "size", "src", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.para = array("q")
        self.src = array("q")
        self.size = array("q")

    def add(self, para: int, src: int, size: int) -> None:
        """Run para..para+size is source[src:src+size] (joined to the run before
        when it goes straight on from it)."""
        if size <= 0:
            return
        if self.para and self.para[-1] + self.size[-1] == para and self.src[-1] + self.size[-1] == src:
            self.size[-1] += size
            return
        self.para.append(para)
        self.src.append(src)
        self.size.append(size)

    def copy(self, other: Runs, lo: int, hi: int, shift: int) -> None:
        """Add other's runs clipped to other.text[lo:hi], moved by shift."""
        for p, s, z in zip(other.para, other.src, other.size):
            a, b = max(p, lo), min(p + z, hi)
            if a < b:
                self.add(a + shift, s + a - p, b - a)

    def locate(self, o: int, n: int = 0) -> tuple[int, bool] | None:
        """(source offset of text[o], whether text[o:o+n] is one run's copy);
        None before the first run."""
        k = bisect_right(self.para, o) - 1
        if k < 0:
            return None
        off = o - self.para[k]
        if off < self.size[k] or (off == self.size[k] and n == 0):
            return self.src[k] + off, off + n <= self.size[k]
        # in text a joint inserted: the place it went in the source
        return self.src[k] + self.size[k], False


class Origins:
    """The source of the page's blocks (the text after the text passes) and
    the runs of the paragraphs joined from it, keyed by the paragraph string
    (its identity: a pass that rewrites a paragraph makes a new string, whose
    runs are then unknown rather than wrong)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = line_starts(source)
        self._runs: dict[int, Runs] = {}
        # printed lines a layout pass cut from a line or moved away from the
        # lines of their block: the string, and its source offset (None: one
        # string object placed twice, as a cached one-character string can be)
        self._placed: dict[int, tuple[str, int | None]] = {}

    def place(self, s: str, at: int | None) -> None:
        """Printed line s stands at source offset at (whatever its block's line)."""
        old = self._placed.get(id(s))
        if old is not None and old[0] is s and old[1] != at:
            at = None
        self._placed[id(s)] = (s, at)

    def moving(self, block: Block) -> None:
        """The lines of block are about to be moved away from its first line:
        each one's place is kept."""
        for k, s in enumerate(block.lines):
            self.place(s, self.line_origin(block.line + k, s))

    def line_origin(self, line: int, s: str) -> int | None:
        """Source offset of printed line s, said to stand on 1-based source
        line `line`: where a layout pass placed it, else the whole line, or
        its only occurrence in it."""
        placed = self._placed.get(id(s))
        if placed is not None and placed[0] is s:
            return placed[1]
        if not 1 <= line <= len(self.starts) or not s:
            return None
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.source)
        if end - start == len(s) and self.source.startswith(s, start):
            return start
        at = self.source.find(s, start, end)
        if at < 0 or self.source.find(s, at + 1, end) >= 0:
            return None
        return at

    def runs(self, s: str, line: int) -> Runs | None:
        """The runs of paragraph or printed line s of a block starting at source line `line`."""
        r = self._runs.get(id(s))
        if r is not None and r.text is s:
            return r
        at = self.line_origin(line, s)
        if at is None:
            return None
        r = Runs(s)
        r.add(0, at, len(s))
        return r

    def keep(self, runs: Runs) -> None:
        self._runs[id(runs.text)] = runs

    def joined(self, text: str, a: Runs | None, b: Runs | None) -> None:
        """Keep the runs of text, paragraph a joined with paragraph b: a piece
        of a (from its start or its indent), what the joint inserted, a piece
        of b (to its end or its trailing spaces). Nothing is kept when text
        is not so made (a joint that normalised the text)."""
        if a is None or b is None:
            return
        lo, keep = max(((k, _common_prefix(text, a.text, k)) for k in {0, _indent(a.text)}), key=_second)
        ends = {len(b.text), len(b.text.rstrip())}
        hi, tail = max(((k, _common_suffix(text, b.text, k)) for k in ends), key=_second)
        tail = min(tail, len(text) - keep)
        out = Runs(text)
        out.copy(a, lo, lo + keep, -lo)
        out.copy(b, hi - tail, hi, len(text) - hi)
        self.keep(out)

    def spliced(self, text: str, parts: Sequence[tuple[Runs | None, int, int]]) -> None:
        """Keep the runs of text, made of the pieces runs.text[lo:hi] of parts in order."""
        out, at = Runs(text), 0
        for runs, lo, hi in parts:
            if runs is None or runs.text[lo:hi] != text[at : at + hi - lo]:
                return
            out.copy(runs, lo, hi, at - lo)
            at += hi - lo
        if at == len(text):
            self.keep(out)

    def between(self, a: Runs | None, at: int, b: Runs | None, to: int) -> tuple[int, str] | None:
        """(source offset, source text) from a.text[at] to b.text[to]: what a
        joint of two paragraphs removed; None when either place is unknown."""
        s = a.locate(at) if a is not None else None
        e = b.locate(to) if b is not None else None
        if s is None or e is None or e[0] < s[0]:
            return None
        return s[0], self.source[s[0] : e[0]]

    def line_col(self, off: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset."""
        k = bisect_right(self.starts, off) - 1
        return k + 1, off - self.starts[k] + 1


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip())


def _second(pair: tuple[int, int]) -> int:
    return pair[1]


def _common_prefix(text: str, s: str, start: int) -> int:
    """How many characters text starts with of s[start:]."""
    n, limit = 0, min(len(text), len(s) - start)
    while n < limit and text[n] == s[start + n]:
        n += 1
    return n


def _common_suffix(text: str, s: str, end: int) -> int:
    """How many characters text ends with of s[:end]."""
    n, limit = 0, min(len(text), end)
    while n < limit and text[-1 - n] == s[end - 1 - n]:
        n += 1
    return n


class Locator:
    """Changes of a page's passes, placed in the page as it was given."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.starts = line_starts(original)
        self.text_maps: list[EditMap] = []  # the text passes' edits, in order
        self.origins: Origins | None = None  # once the blocks are cut

    def place(self, c: Change, o: int, n: int, intact: bool, maps: Sequence[EditMap]) -> Change:
        """c at offset o of the text after maps' edits (its before intact there or not)."""
        at, ok = back_through(maps, o, n)
        k = bisect_right(self.starts, at) - 1
        # (the tests check that an exact change's before stands there, on
        # the samples, the corpus and random pages: it is not checked here)
        exact = intact and ok
        return c._replace(line=k + 1, column=at - self.starts[k] + 1, exact=exact)

    def text_changes(self, pass_name: str, text: str, edits: EditList) -> ChangeColumns:
        """The changes of a text pass's edits of text (the page after the text passes before it)."""
        maps = self.text_maps
        out = ChangeColumns()  # (a change per line of a page of short lines: kept as columns)
        for e in edits:
            c = Change(pass_name, 0, 0, text[e.start : e.end], e.new, e.note)
            out.append(self.place(c, e.start, e.end - e.start, True, maps))
        return out

    def layout_changes(self, changes: Iterable[Change]) -> ChangeColumns:
        """Changes a layout pass (or assembly) reported at a line and column of
        the blocks' source: exact where its before stands there."""
        origins = self.origins
        assert origins is not None
        src, starts = origins.source, origins.starts
        out = ChangeColumns()
        for c in changes:
            if c.before == c.after or c.exact is False:  # (a note; a place the pass did not know)
                out.append(c)
                continue
            if not 1 <= c.line <= len(starts):
                out.append(c._replace(exact=False))
                continue
            o = starts[c.line - 1] + c.column - 1
            end = starts[c.line] if c.line < len(starts) else len(src) + 1
            intact = 0 <= c.column - 1 and o < end and src.startswith(c.before, o)
            if not intact:
                out.append(c._replace(exact=False))
                continue
            out.append(self.place(c, o, len(c.before), True, self.text_maps))
        return out

    def block_changes(
        self,
        pass_name: str,
        text: str,
        edits: EditList,
        block_maps: Sequence[EditMap],
        lines: Sequence[str],
        lines_at: Sequence[int],
        line_runs: dict[int, Runs | None],
        fallback: Iterable[Change],
    ) -> ChangeColumns:
        """The changes of a block pass's edits of text (the paragraphs, joined
        by line ends, after the block passes of block_maps); lines are the
        paragraphs before any block pass, lines_at their offsets in that text
        and fallback the changes as they are located without positions."""
        origins = self.origins
        assert origins is not None
        out = ChangeColumns()
        for e, c in zip(edits, fallback):
            n = e.end - e.start
            o, intact = back_through(block_maps, e.start, n)
            k = bisect_right(lines_at, o) - 1
            if k not in line_runs:
                line_runs[k] = origins.runs(lines[k], c.line)
            runs = line_runs[k]
            found = runs.locate(o - lines_at[k], n) if runs is not None else None
            if found is None:
                out.append(c._replace(exact=False))
                continue
            src, ok = found
            out.append(self.place(c, src, n, intact and ok, self.text_maps))
        return out
