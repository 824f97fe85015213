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
from array import array
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from .chars import HSPACE_CHARS
from .model import Article, Change, OutputPosition

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


class Piece(NamedTuple):
    """One text of the cleaned side: an article's field or block."""

    article: int
    role: str  # jump, kicker, title, subtitle, byline, text, heading
    text: str
    cut: bool = False
    block: int | None = None  # a block's index in its article


def pieces(articles: Sequence[Article]) -> list[Piece]:
    out = []
    for i, a in enumerate(articles):
        for role in ("jump", "kicker", "title", "subtitle", "byline"):
            value = getattr(a, role)
            if value:
                out.append(Piece(i, role, value))
        for k, b in enumerate(a.blocks):
            out.append(Piece(i, b.type, b.text, b.cut, k))
    return out


def clean_text_of(parts: Sequence[Piece]) -> tuple[str, list[int]]:
    """The pieces joined by newlines, and the offsets of those newlines."""
    text = "\n".join(p.text for p in parts)
    bounds, pos = [], 0
    for p in parts[:-1]:
        pos += len(p.text)
        bounds.append(pos)
        pos += 1
    return text, bounds


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
        kept = bytearray(b"\x01") * len(text)
        for m in _JOIN.finditer(text):
            kept[m.start() : m.end()] = bytes(m.end() - m.start())
        # (a running sum in C: this is built for every page cleaned with exact positions)
        self.joined = array("q", [0])
        self.joined.extend(accumulate(kept))

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


# Context a change is found by in the clean text: this many letters, digits
# or Han characters on a side, then this many if those occur more than once.
CONTEXT_KEYS = (6, 12)
# Pages whose clean text is longer than this (characters) are not searched
# by context (see ContextFinder).
CONTEXT_LIMIT = 200_000
_KEY = re.compile(r"[^\W_]")


def _fold(ch: str) -> str:
    """A full-width letter or digit as its ASCII form (normalize_characters
    narrows them before any key is compared)."""
    return chr(ord(ch) - 0xFEE0) if "\uff10" <= ch <= "\uff5a" else ch


class _Keys:
    """The letters, digits and Han characters of a text, folded, with their offsets."""

    def __init__(self, text: str) -> None:
        self.offsets = [m.start() for m in _KEY.finditer(text)]
        self.text = "".join(_fold(text[i]) for i in self.offsets)

    def unique(self, context: str) -> int | None:
        """The one place context occurs at (a key index), None if it occurs
        nowhere or more than once."""
        at = self.text.find(context)
        return at if at >= 0 and self.text.find(context, at + 1) < 0 else None


def _marks(text: str, lo: int, hi: int) -> int:
    """Characters of text[lo:hi] that are not white space."""
    return sum(1 for ch in text[lo:hi] if not ch.isspace())


def _skip_marks(text: str, pos: int, n: int, forward: bool) -> int:
    """pos moved past n characters of text that are not white space (and
    the white space among them), forward or back."""
    while n > 0 and (pos < len(text) if forward else pos > 0):
        if forward:
            n -= not text[pos].isspace()
            pos += 1
        else:
            pos -= 1
            n -= not text[pos].isspace()
    return pos


class ContextFinder:
    """Changes found in the clean text by the letters and Han characters
    around them in the raw page (punctuation and white space, which the
    passes change, are not compared): where the alignment cannot place a
    change (other changes next to it, a page whose columns were put in
    reading order, text moved), its context usually can.

    A side's context places a change when it occurs once in the clean text.
    Both sides must agree; one side alone is trusted only when nothing else
    stands between it and the change on the raw line (the text before a line
    start is another line's, which the passes may have put anywhere).
    Built on first use: most pages never need it.
    """

    def __init__(self, raw: str, clean: str) -> None:
        self.raw, self.clean = raw, clean
        self._keys: tuple[_Keys, _Keys] | None = None
        # each context is looked for in the whole clean text: on a longer
        # page that would be quadratic in its length, so nothing is placed
        self.usable = len(clean) <= CONTEXT_LIMIT

    def keys(self) -> tuple[_Keys, _Keys]:
        if self._keys is None:
            self._keys = (_Keys(self.raw), _Keys(self.clean))
        return self._keys

    def _side(self, at: int, left: bool) -> tuple[int | None, bool]:
        """(clean offset of the change by the context on one side of raw
        offset at, whether that context is on the change's raw line)."""
        rk, ck = self.keys()
        i = bisect.bisect_left(rk.offsets, at)
        if (left and i == 0) or (not left and i >= len(rk.offsets)):
            return None, False
        near = rk.offsets[i - 1] if left else rk.offsets[i]
        lo, hi = (near + 1, at) if left else (at, near)
        own = "\n" not in self.raw[lo:hi]
        between = _marks(self.raw, lo, hi)
        for n in CONTEXT_KEYS:
            context = rk.text[max(0, i - n) : i] if left else rk.text[i : i + n]
            if len(context) < min(CONTEXT_KEYS) // 2:
                return None, False
            k = ck.unique(context)
            if k is None:
                continue
            if left:
                pos = ck.offsets[k + len(context) - 1] + 1
                return _skip_marks(self.clean, pos, between, True), own
            return _skip_marks(self.clean, ck.offsets[k], between, False), own
        return None, False

    def place(self, c: Change, span: Span) -> Span | None:
        """The span of c's after text in the clean text, by its context (None where it is not certain)."""
        if not self.usable:
            return None
        start, start_own = self._side(span.start, left=True)
        end, end_own = self._side(span.end, left=False)
        n = len(c.after)
        if start is not None and end is not None:
            # the after text lies between the two sides, white space aside
            if self.clean[start:end].strip() != c.after.strip() or not self.clean.startswith(c.after, start):
                return None
            return Span(start, start + n)
        if start is not None and start_own and (n == 0 or self.clean.startswith(c.after, start)):
            return Span(start, start + n)
        if end is not None and end_own and (n == 0 or self.clean.startswith(c.after, end - n)):
            return Span(end - n, end)
        return None


def _context(raw: str, span: Span) -> tuple[str, str]:
    """Up to three visible raw characters on each side of span."""
    left = re.sub(rf"[{_SPACE}\n]", "", raw[max(0, span.start - 12) : span.start])[-3:]
    right = re.sub(rf"[{_SPACE}\n]", "", raw[span.end : span.end + 12])[:3]
    return left, right


def place_clean(
    c: Change,
    span: Span,
    raw: str,
    clean: str,
    align: Alignment,
    taken: Taken,
    bounds: Sequence[int],
    keys: ContextFinder | None = None,
) -> Span | None:
    """The span of c's after text in clean (a deletion: the empty span where
    its before was), or None where not found. bounds are the offsets of the
    clean text's separators (a span never crosses one)."""
    if align.ops:
        at = align.map(span.start)
        # the alignment is trusted next to text it matched: where it only
        # pairs unequal stretches (columns put in another order) an after
        # text near "its" place may be another change's
        matched = (span.start > 0 and align.equal_at(span.start - 1)) or (
            span.end < len(raw) and align.equal_at(span.end)
        )
        if at is not None and matched:
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
    by_context = keys.place(c, span) if keys is not None else None
    if by_context is not None and taken.free(*by_context) and _within(by_context, bounds):
        return by_context
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
    keys = ContextFinder(raw.text, clean)
    out = Placement({}, {})
    # small changes first: a rewrite of many lines (columns put in reading
    # order) would otherwise take the text of every repair made inside it
    for i in sorted(range(len(changes)), key=lambda i: len(changes[i].before) + len(changes[i].after)):
        c = changes[i]
        span = raw.place(c, raw_taken)
        if span is None:
            continue
        raw_taken.take(*span)
        out.raw[i] = span
        found = place_clean(c, span, raw.text, clean, align, clean_taken, bounds, keys)
        if found is not None:
            clean_taken.take(*found)
            out.clean[i] = found
    return out


def output_positions(
    changes: Sequence[Change], raw: str, articles: Sequence[Article]
) -> list[OutputPosition | None]:
    """Where each change's after text stands in the articles cleaned from
    the page raw (changes located in it, as with exact positions), found as
    the review page finds it; None for a change not found there, and for a
    note that changes nothing."""
    parts = pieces(articles)
    if not parts:  # nothing came out: nothing stands anywhere
        return [None] * len(changes)
    clean, bounds = clean_text_of(parts)
    real = [i for i, c in enumerate(changes) if c.before != c.after]
    placement = place([changes[i] for i in real], RawText(raw), clean, bounds)
    out: list[OutputPosition | None] = [None] * len(changes)
    for k, span in placement.clean.items():
        p = bisect.bisect_left(bounds, span.start)  # the piece the span is in
        start = bounds[p - 1] + 1 if p else 0
        part = parts[p]
        field = "blocks" if part.block is not None else part.role
        out[real[k]] = OutputPosition(part.article, field, part.block, span.start - start)
    return out
