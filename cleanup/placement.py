"""Where a change happened, in the raw page and in the cleaned articles.

The review page (``cleanup.review``) highlights every change on both
sides. Text passes report exact input positions; passes that run after
lines are joined report the paragraph's first input line and a column
counted in the joined paragraph, which lies past the end of that line. So a
change is *found*, not trusted: its ``before`` text is looked for at the
reported position, then near where that column falls once the paragraph's
line breaks are skipped, in the reported line and the lines after it; its
``after`` text is looked for in the cleaned text near where an alignment
of the raw page with the cleaned text puts that spot. A change found
nowhere near is reported as not placed, never put at a guessed place.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from .chars import HSPACE_CHARS
from .model import Change

# How far (characters) a found before/after text may lie from where the
# reported position says: positions after joining drift by the spaces and
# line breaks earlier passes removed from the paragraph.
NEAR = 12
# Lines after the reported one searched for a change's before text.
LOOKAHEAD_LINES = 60
# Pages longer than this (characters, raw or clean) are not aligned (the
# alignment takes about len(raw) * len(clean) / 8 bytes): their changes are
# placed in the cleaned text only where their context is unique.
ALIGN_LIMIT = 40_000

_SPACE = re.escape(HSPACE_CHARS)
# Line breaks, with the spaces around them, that joining a paragraph removes.
_JOIN = re.compile(rf"[{_SPACE}]*\n[{_SPACE}\n]*")


class Span(NamedTuple):
    """Where a change sits: text[start:end] is its before (raw) or after (clean) text."""

    start: int
    end: int


class Placement(NamedTuple):
    """Spans of the page's changes, by index into the change list; a change
    missing from a side was not found there."""

    raw: dict[int, Span]
    clean: dict[int, Span]


def line_starts(text: str) -> list[int]:
    """Offset of each line of text."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


class Taken:
    """Spans already given to a change: two changes never claim the same text."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        # the spans never overlap, so only the neighbours of where this one
        # would go can clash with it
        i = bisect.bisect_left(self.spans, (start, end))
        return not any(_clash(a, b, start, end) for a, b in self.spans[max(0, i - 1) : i + 3])

    def take(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))


def _clash(a: int, b: int, start: int, end: int) -> bool:
    """Do spans a:b and start:end overlap? An insertion (an empty span) clashes
    with another at the same point, or with a span around it, not with one
    it only touches."""
    if start == end and a == b:
        return start == a
    if start == end:
        return a < start < b
    if a == b:
        return start < a < end
    return a < end and start < b


def _pattern(text: str) -> re.Pattern[str]:
    """text, allowing a line break (and the spaces around it) between any two
    characters: a moved or repeated paragraph is reported joined, but stands
    in the raw page over several lines."""
    if "\n" in text or len(text) < 2:
        return re.compile(re.escape(text))
    gap = f"(?:[{_SPACE}]*\n[{_SPACE}]*)?"
    return re.compile(gap.join(re.escape(ch) for ch in text))


def _nearest(
    pattern: re.Pattern[str], text: str, lo: int, hi: int, aim: int, taken: Taken, slack: int
) -> Span | None:
    """The free match of pattern starting in text[lo:hi] closest to aim, within slack."""
    best: Span | None = None
    # only matches within slack of aim count: the search never goes further
    # (a page of one long line is searched near each change, not whole)
    lo, hi = max(lo, aim - slack), min(hi, aim + slack)
    pos = max(0, lo)
    while pos <= min(hi, len(text)):
        m = pattern.search(text, pos)
        if m is None or m.start() > hi:
            break
        d = abs(m.start() - aim)
        if d <= slack and taken.free(m.start(), m.end()) and (best is None or d < abs(best.start - aim)):
            best = Span(m.start(), m.end())
        pos = m.start() + 1
    return best


class RawText:
    """The raw page with what locating changes in it needs, built once."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.first_line = first_line
        self.starts = line_starts(text)
        # joined[i]: characters of text[:i] left once the paragraph's line
        # breaks (and the spaces around them) are removed, as joining does
        kept = [1] * len(text)
        for m in _JOIN.finditer(text):
            kept[m.start() : m.end()] = [0] * (m.end() - m.start())
        self.joined = [0]
        for k in kept:
            self.joined.append(self.joined[-1] + k)

    def offset(self, line: int, column: int) -> int | None:
        """Offset of line:column, when the line is on this page and the column in it."""
        k = line - self.first_line
        if not 0 <= k < len(self.starts):
            return None
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
        off = self.starts[k] + column - 1
        return off if self.starts[k] <= off <= end else None

    def estimate(self, line: int, column: int) -> int | None:
        """Where column falls when counted in the paragraph that starts at
        line, its line breaks skipped (a joined paragraph's column)."""
        k = line - self.first_line
        if not 0 <= k < len(self.starts):
            return None
        target = self.joined[self.starts[k]] + column - 1
        i = bisect.bisect_left(self.joined, target, lo=self.starts[k])
        return min(i, len(self.text))

    def window_end(self, line: int) -> int:
        k = min(line - self.first_line + LOOKAHEAD_LINES, len(self.starts) - 1)
        return len(self.text) if k == len(self.starts) - 1 else self.starts[k + 1]

    def place(self, c: Change, taken: Taken) -> Span | None:
        """The span of c's before text in the raw page, or None where not found."""
        exact = self.offset(c.line, c.column)
        if c.before == "":  # an insertion: the position is all there is
            at = exact if exact is not None else self.estimate(c.line, c.column)
            if at is None or not taken.free(at, at):
                return None
            return Span(at, at)
        if (
            exact is not None
            and self.text.startswith(c.before, exact)
            and taken.free(exact, exact + len(c.before))
        ):
            return Span(exact, exact + len(c.before))
        aim = self.estimate(c.line, c.column)
        if aim is None:
            return None
        k = c.line - self.first_line
        line_start = self.starts[k]
        pattern = _pattern(c.before)
        found = None
        if c.before.strip(HSPACE_CHARS) == "\n":
            # a line wrap is reported on the line it ends: that line's end comes
            # first (a column break, two line breaks, on the line after them)
            end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
            found = _nearest(pattern, self.text, line_start, end + 1, end, taken, len(c.before) + NEAR)
        if found is None:
            found = _nearest(
                pattern,
                self.text,
                line_start - len(c.before) - 2,
                self.window_end(c.line),
                aim,
                taken,
                NEAR + len(c.before),
            )
        return found


class Alignment:
    """Raw offsets mapped to clean offsets through an edit-distance alignment."""

    def __init__(self, raw: str, clean: str) -> None:
        self.ops: list[tuple[str, int, int, int, int]] = []
        if len(raw) <= ALIGN_LIMIT and len(clean) <= ALIGN_LIMIT:
            self.ops = [tuple(op) for op in Levenshtein.opcodes(raw, clean)]  # type: ignore[misc]
        self.keys = [op[1] for op in self.ops]

    def _op(self, i: int) -> tuple[str, int, int, int, int] | None:
        k = bisect.bisect_right(self.keys, i) - 1
        while k > 0 and self.ops[k][1] == self.ops[k][2] == i:  # an insertion at i: the op that holds i
            k -= 1
        return self.ops[k] if 0 <= k < len(self.ops) else None

    def map(self, i: int) -> int | None:
        op = self._op(i)
        if op is None:
            return None
        _, i1, _, j1, j2 = op
        return j1 + min(i - i1, j2 - j1)

    def equal_at(self, i: int) -> bool:
        """Is raw[i] aligned with an equal clean character?"""
        op = self._op(i)
        return op is not None and op[0] == "equal" and op[1] <= i < op[2]


def _context(raw: str, span: Span) -> tuple[str, str]:
    """Up to three visible raw characters on each side of span."""
    left = re.sub(rf"[{_SPACE}\n]", "", raw[max(0, span.start - 12) : span.start])[-3:]
    right = re.sub(rf"[{_SPACE}\n]", "", raw[span.end : span.end + 12])[:3]
    return left, right


def place_clean(
    c: Change, span: Span, raw: str, clean: str, align: Alignment, taken: Taken, bounds: Sequence[int]
) -> Span | None:
    """The span of c's after text in clean (a deletion: the empty span where
    its before was), or None where not found. bounds are the offsets of the
    clean text's separators (a span never crosses one)."""
    if align.ops:
        at = align.map(span.start)
        if at is not None:
            if c.after:
                found = _nearest(_pattern(c.after), clean, at - NEAR, at + NEAR, at, taken, NEAR)
                if found is not None and _within(found, bounds):
                    return found
            else:
                # a removal is placed only between two characters that are
                # certainly the same on both sides
                left_ok = span.start == 0 or align.equal_at(span.start - 1)
                right_ok = span.end >= len(raw) or align.equal_at(span.end)
                end = align.map(span.end) if span.end < len(raw) else len(clean)
                if left_ok and right_ok and end is not None and taken.free(end, end):
                    return Span(end, end)
    # moved text (a headline printed after its body) aligns with nothing: its
    # context and the after text, found once in the whole clean text, place it
    left, right = _context(raw, span)
    if len(left) + len(right) < 2:
        return None
    gap = f"[{_SPACE}]?"
    pattern = re.compile(re.escape(left) + gap + f"({re.escape(c.after)})" + gap + re.escape(right))
    hits = [m for m in pattern.finditer(clean)]
    if len(hits) != 1:
        return None
    found = Span(hits[0].start(1), hits[0].end(1))
    return found if taken.free(*found) and _within(found, bounds) else None


def _within(span: Span, bounds: Sequence[int]) -> bool:
    """Does span lie inside one piece of the clean text (between two separators)?"""
    i = bisect.bisect_left(bounds, span.start)
    return i >= len(bounds) or bounds[i] >= span.end


def place(changes: Sequence[Change], raw: RawText, clean: str, bounds: Sequence[int]) -> Placement:
    """Spans of changes in the raw page and in the clean text (pieces joined
    by one separator character at each offset of bounds)."""
    raw_taken, clean_taken = Taken(), Taken()
    align = Alignment(raw.text, clean)
    out = Placement({}, {})
    for i, c in enumerate(changes):
        span = raw.place(c, raw_taken)
        if span is None:
            continue
        raw_taken.take(*span)
        out.raw[i] = span
        found = place_clean(c, span, raw.text, clean, align, clean_taken, bounds)
        if found is not None:
            clean_taken.take(*found)
            out.clean[i] = found
    return out
