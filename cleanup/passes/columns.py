"""Columns printed side by side on one line, as ``pdftotext -layout`` prints them.

A layout-keeping extractor writes each physical row of the page as one line:
the rows of every column side by side, padded with spaces to where they
stood. Read as it is, every line glues the columns together. We cut each row
into its pieces, follow each column down the page (a column is a run of rows
whose pieces start at the same place), and read the page block by block in
the order a reader would: a recursive cut of the page at the blank rows and
blank vertical strips between blocks (the XY-cut of page segmentation),
preferring a cut between bands of rows two or more blank rows apart, then a
cut between columns, then any cut between rows.

The geometry is read from the text alone: the places where pieces start,
counted over the page, are the column starts; nothing is assumed about a
column's width or the number of columns.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import regex

from ..chars import ends_sentence
from ..linekinds import display_width, is_headline_like
from ..model import SHARED_TEXT, Block, Change
from ..positions import Origins
from .base import Context

NAME = "read_side_by_side_columns"

# Pieces of a row are separated by two spaces or more; a single space is a
# gutter only where a column is known to start (a full column line leaves one
# space before the next column).
_PIECE = regex.compile(r"\S+(?: \S+)*")
_WIDE_GAP = regex.compile(r"\S {3,}\S")
_GLUE = regex.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
# A line pushed this far right by spaces stands where it was printed.
PLACED_INDENT = " " * 8
PLACED_MIN_LINES = 3
# Where on a line a single-space gutter between two glued columns lies.
GLUE_MIDDLE = (0.3, 0.7)
# A page is read as side by side when this share of its lines has a wide gap.
SIDE_BY_SIDE_SHARE = 0.2
SIDE_BY_SIDE_MIN_LINES = 5
# A piece belongs to the column that starts this close to it (characters):
# a row whose earlier columns hold narrow Latin letters or digits pushes the
# later ones a little to the right.
START_SLACK = 2
# A column goes on across this many rows without a piece of it (rows of the
# other columns fall between when their baselines differ).
ROW_SLACK = 3
# A column start is one that this many rows use.
COLUMN_MIN_ROWS = 3
# Between bands of the page more than this many blank rows apart a cut is
# taken before any other.
BAND_GAP = 1
# Runs of this many lines or fewer, stacked, are kept as one block.
STACKED_LINES = 2
# Guards against pages built to be slow: boxes nested deeper than this are
# read row by row.
MAX_DEPTH = 64
# No page has more gutters than this, nor more headline lines over one band.
MAX_GAPS = 64
# A run of this many lines or fewer is a headline's (or a stray line), not a column.
HEAD_LINES = 3
# Pieces shorter than this are not counted when the column width is read.
MIN_COLUMN_WIDTH = 4
# A width is common when this share of the commonest width's pieces has it.
COMMON_WIDTH = 0.3
# A piece this many column widths long holds the lines of two columns; the
# next column starts no sooner than this share of a width into it.
GLUED = 1.4
# How far from the column width a full column line may end (ASCII counts half).
FILL_SLACK = 1.5
# A paragraph's first line is indented by up to this many characters.
INDENT = 4
# A cut where no space is must have none this close either (characters).
SPACE_SLACK = 3


@dataclass(slots=True)
class _Piece:
    """Text of a line between wide gaps: line[start:end], sliced when read
    (a page of tiny pieces would otherwise hold a string object per piece
    besides its lines)."""

    row: int
    start: int
    end: int
    line: str

    @property
    def text(self) -> str:
        return self.line[self.start : self.end]


@dataclass(slots=True)
class _Run:
    """Pieces that follow one another down one column (or one headline line)."""

    pieces: list[_Piece]
    left: int = 0
    right: int = 0

    @classmethod
    def of(cls, piece: _Piece) -> _Run:
        return cls([piece], piece.start, piece.end)

    @property
    def start(self) -> int:
        """Where its first line starts."""
        return self.pieces[0].start

    def add(self, piece: _Piece) -> None:
        self.pieces.append(piece)
        self.left = min(self.left, piece.start)
        self.right = max(self.right, piece.end)

    @property
    def edge(self) -> int:
        """Where the run's column ends: its widest line may run a character
        or two over (narrow digits each take a whole cell)."""
        return max(self.left + 1, self.right - START_SLACK)

    @property
    def top(self) -> int:
        return self.pieces[0].row

    @property
    def bottom(self) -> int:
        return self.pieces[-1].row


def looks_side_by_side(lines: list[str]) -> bool:
    """Whether lines hold text side by side: separated by wide runs of spaces,
    or glued by one space at the same place on neighbouring lines (two
    columns whose every line is full)."""
    visible = [line for line in lines if line.strip()]
    wide = sum(1 for line in visible if _WIDE_GAP.search(line.strip()))
    if wide >= SIDE_BY_SIDE_SHARE * len(visible) and wide >= SIDE_BY_SIDE_MIN_LINES:
        return True
    # text set where it stood on the page (lines pushed right by spaces, as
    # no OCR engine or flowing extractor writes them) with some rows side by side
    placed = sum(1 for line in visible if line.startswith(PLACED_INDENT))
    return placed >= PLACED_MIN_LINES and wide + _glued_rows(lines) >= SIDE_BY_SIDE_MIN_LINES


def _glued_rows(lines: list[str]) -> int:
    """Lines with no wide gap whose single space between two non-ASCII
    characters, near the middle, has one on the line above or below it within
    START_SLACK characters (a gutter of one space running down the rows)."""
    middles: list[set[int]] = []
    for line in lines:
        body = line.rstrip()
        near = set()
        if not _WIDE_GAP.search(body.strip()):
            for m in _GLUE.finditer(body):
                if GLUE_MIDDLE[0] * len(body) <= m.start() <= GLUE_MIDDLE[1] * len(body):
                    near.add(m.start())
        middles.append(near)
    count = 0
    for i, here in enumerate(middles):
        around = [*middles[i - 1 : i], *middles[i + 1 : i + 2]]
        if any(abs(x - y) <= START_SLACK for x in here for other in around for y in other):
            count += 1
    return count


def _pieces(row: int, line: str) -> list[_Piece]:
    return [_Piece(row, m.start(), m.end(), line) for m in _PIECE.finditer(line)]


def _visible_width(text: str) -> float:
    return display_width(text.replace(" ", ""))


def _column_width(rows: list[list[_Piece]]) -> float:
    """The width of a full column line: the commonest width of a piece (most
    rows of a column fill it), or half of it where every row of a box glues
    two columns and the lines of one are common too."""
    widths = Counter(
        round(_visible_width(p.text)) for row in rows for p in row if len(p.text) >= MIN_COLUMN_WIDTH
    )
    if not widths:
        return 0.0
    commonest, top = widths.most_common(1)[0]
    halves = [
        w
        for w, n in widths.items()
        if abs(2 * w - commonest) <= FILL_SLACK and n >= max(COLUMN_MIN_ROWS, COMMON_WIDTH * top)
    ]
    return float(min(halves, default=commonest))


def _glued_cuts(piece: _Piece, width: float, starts: list[int] | None = None) -> list[tuple[int, float]]:
    """Offsets in a piece too long for a column where a full column line ends
    at a single space (the next column's line starts there). Given the
    column starts, a piece with only a few characters of the next column
    (its paragraph's last line, ending a sentence) is cut too, where one of
    them starts. Each cut comes with how far the line before it is from the
    column width."""
    text = piece.text
    long = _visible_width(text) > GLUED * width
    if not long and starts is None:
        return []
    cuts = []
    # an indented first line of a paragraph is measured from its column's start
    base = max((s for s in starts or () if 0 <= piece.start - s <= INDENT), default=piece.start)
    seen = float(piece.start - base)
    for k, c in enumerate(text):
        if c == " ":
            if abs(seen - width) <= FILL_SLACK and k + 1 < len(text):
                at = piece.start + k + 1
                if long or (ends_sentence(text) and any(abs(at - s) <= START_SLACK for s in starts or ())):
                    cuts.append((k + 1, abs(seen - width)))
            continue
        seen += 0.5 if c < "\x80" else 1.0
        if seen > width + FILL_SLACK:
            break
    return cuts


def _column_starts(rows: list[list[_Piece]], width: float) -> list[int]:
    """Where columns start: where pieces start, or where a piece too long for
    a column has the end of a full column line, on COLUMN_MIN_ROWS rows or more."""
    hits: Counter[int] = Counter()
    for row in rows:
        for p in row:
            hits[p.start] += 1
            for k, _ in _glued_cuts(p, width):
                hits[p.start + k] += 1
    starts: list[int] = []
    for x in sorted(hits, key=lambda x: (-hits[x], x)):
        near = sum(hits[y] for y in range(x - START_SLACK, x + START_SLACK + 1))
        if near >= COLUMN_MIN_ROWS and all(abs(x - s) > START_SLACK for s in starts):
            starts.append(x)
    return sorted(starts)


def _split_glued(
    piece: _Piece, starts: list[int], width: float, neighbours: Callable[[int, int], bool]
) -> list[_Piece]:
    """Cut a piece that runs on into the next column where that column starts.

    At the single space after a full column line; where the row's narrow
    Latin letters or digits left no space, at a column start that the rows
    just above or below show (``neighbours(row, start)``)."""
    out = []
    line = piece.line
    while True:
        if not any(-START_SLACK <= piece.start - s <= max(INDENT, START_SLACK) for s in starts):
            break
        cuts = _glued_cuts(piece, width, starts)
        if cuts:
            # the line that fills the column best; of equals, the one ending
            # where the next column starts
            k, _ = min(cuts, key=lambda c: (c[1], min(abs(piece.start + c[0] - s) for s in starts)))
            left_end = piece.start + k - 1  # (the space between is dropped)
        elif _visible_width(piece.text) > GLUED * width:
            near = [
                s - piece.start
                for s in starts
                if 0 < s - piece.start < len(piece.text)
                and abs(_visible_width(piece.text[: s - piece.start]) - width) <= FILL_SLACK / 2
                and " "
                not in piece.text[max(0, s - piece.start - SPACE_SLACK) : s - piece.start + SPACE_SLACK]
                and neighbours(piece.row, s)
            ]
            if not near:
                break
            k = near[0]
            left_end = piece.start + k
        else:
            break
        out.append(_Piece(piece.row, piece.start, left_end, line))
        piece = _Piece(piece.row, piece.start + k, piece.end, line)
    out.append(piece)
    return out


def _runs(rows: list[list[_Piece]], blank: list[bool], width: float = 0.0) -> list[_Run]:
    """Follow pieces down the page: a piece goes on the run that starts where it
    starts (or, a heading centred in a column, whose width it falls inside)
    and reached a row just above, with no blank row of the page between; not
    the run of a headline line set across the box (see _headline_over)."""
    runs: list[_Run] = []
    open_runs: list[int] = []
    last_blank = -1
    for i, row_pieces in enumerate(rows):
        if blank[i]:
            last_blank = i
            open_runs = []
            continue
        open_runs = [k for k in open_runs if i - runs[k].bottom <= ROW_SLACK + 1]
        taken: set[int] = set()
        for p in row_pieces:
            best, best_cost = None, None
            for k in open_runs:
                r = runs[k]
                if k in taken or r.bottom <= last_blank:
                    continue
                if any(q.start < r.edge and r.left < q.end for x in range(r.bottom + 1, i) for q in rows[x]):
                    continue  # another block's lines stand between
                if len(r.pieces) == 1 and _headline_over(r.pieces[0], p, width):
                    continue  # a headline across the box, not its column's first line
                if abs(r.start - p.start) <= START_SLACK:
                    cost = abs(r.start - p.start)
                elif (
                    r.start < p.start and p.end <= r.right + START_SLACK and len(r.pieces) >= COLUMN_MIN_ROWS
                ):
                    cost = START_SLACK + 1
                else:
                    continue
                if best_cost is None or cost < best_cost:
                    best, best_cost = k, cost
            if best is None:
                runs.append(_Run.of(p))
                best = len(runs) - 1
                open_runs.append(best)
            else:
                runs[best].add(p)
            taken.add(best)
    return runs


def _headline_over(top: _Piece, p: _Piece, width: float) -> bool:
    """Is top, the first piece of a run, a headline line set across the box
    whose column p starts where top starts (a subtitle centred over the box
    lines up with a column by chance)? No running-text punctuation, far wider
    than the page's column, and p no short rest of it but a column's line."""
    return (
        width > 0
        and is_headline_like(top.text)
        and _visible_width(top.text) > GLUED * width
        and _visible_width(p.text) >= width / 2
    )


def _row_segments(runs: list[_Run]) -> list[tuple[int, list[_Run]]]:
    """The runs cut where no run crosses a row: (blank rows before, runs) top to bottom."""
    ordered = sorted(runs, key=lambda r: (r.top, r.bottom))
    out: list[tuple[int, list[_Run]]] = []
    reach = None
    for r in ordered:
        if reach is None or r.top > reach:
            out.append((0 if reach is None else r.top - reach - 1, [r]))
        else:
            out[-1][1].append(r)
        reach = r.bottom if reach is None else max(reach, r.bottom)
    return out


def _col_gaps(runs: list[_Run]) -> list[int]:
    """Character positions no run covers, one between each two neighbouring parts."""
    ordered = sorted(runs, key=lambda r: r.left)
    gaps = []
    reach = ordered[0].edge
    for r in ordered[1:]:
        if r.left >= reach:
            gaps.append(reach)
        reach = max(reach, r.edge)
    return gaps


def _part(runs: list[_Run], gap: int, left: bool) -> list[_Run]:
    return [r for r in runs if (r.edge <= gap) == left]


def _box_fit(left: list[_Run], right: list[_Run], top: set[int]) -> tuple[int, float]:
    """How well a cut between two parts fits two boxes side by side (lower is better).

    A headline stands centred over its box, so it starts left of the box's
    middle (its characters are wider than the extractor's character cells,
    so where it ends says little); and the box on the left ends its last
    column with the end of a sentence."""
    misfit = 0
    off = 0.0
    for part in (left, right):
        heads = [r for r in part if id(r) in top]
        body = [r for r in part if id(r) not in top] or part
        lo, hi = min(r.left for r in body), max(r.right for r in body)
        middle = (lo + hi) / 2
        misfit += 2 * sum(1 for h in heads if not lo - START_SLACK <= h.left <= middle)
        off += sum(abs((h.left + h.right) / 2 - middle) for h in heads)
    body = [r for r in left if id(r) not in top]
    if body:
        last = max(body, key=lambda r: (r.left, r.bottom))
        misfit += 0 if ends_sentence(last.pieces[-1].text) else 1
    return misfit, off


def _reading_order(runs: list[_Run], depth: int = 0) -> list[_Run]:
    """XY-cut, for a newspaper page.

    Bands of the page far apart are read one after the other. Within a band
    the headlines above the text come first, unless they stand side by side
    over boxes that a gutter separates all the way down: then the boxes are
    read one after the other, each with its headline.
    """
    if len(runs) <= 1:
        return runs
    if depth > MAX_DEPTH:  # no page nests boxes this deep: read it row by row
        return sorted(runs, key=lambda r: (r.top, r.left))
    segments = _row_segments(runs)
    if any(blank > BAND_GAP for blank, _ in segments[1:]):
        bands: list[list[_Run]] = []
        for blank, seg in segments:
            if not bands or blank > BAND_GAP:
                bands.append([])
            bands[-1].extend(seg)
        return [r for band in bands for r in _reading_order(band, depth + 1)]
    if len(segments) == 1:
        gaps = _col_gaps(runs)
        if not gaps:
            return sorted(runs, key=lambda r: (r.top, r.left))
        parts = [
            [r for r in runs if lo <= r.left and r.edge <= hi] for lo, hi in zip([0, *gaps], [*gaps, 1 << 30])
        ]
        return [r for part in parts for r in _reading_order(part, depth + 1)]
    out: list[_Run] = []
    heads = _heads(segments)
    gaps_below = _gaps_below(segments, [count > 1 for _, count in heads])
    for i, (_, seg) in enumerate(segments):
        below = gaps_below.get(i)
        if below:
            top = _zone(segments, i, heads[i][0])
            between = [g for g in below if any(h.edge <= g for h in top) and any(h.left >= g for h in top)]
            if between:
                # headlines side by side: cut between the boxes they stand over
                rest = [r for _, later in segments[i:] for r in later]
                ids = set(map(id, top))
                g = min(between, key=lambda g: _box_fit(_part(rest, g, True), _part(rest, g, False), ids))
                return [
                    *out,
                    *_reading_order(_part(rest, g, True), depth + 1),
                    *_reading_order(_part(rest, g, False), depth + 1),
                ]
        out.extend(_reading_order(seg, depth + 1))
    return out


def _heads(segments: list[tuple[int, list[_Run]]]) -> list[tuple[int, int]]:
    """For each segment i, where the headline lines that start there end:
    (end, count), the runs of segments[i:end]. They are the runs of it and
    of the segments after it up to the first that holds a column (two boxes'
    headlines side by side need not share rows), or, for a segment that
    holds a column, its own runs. (As bounds, not lists: a page of many
    short segments would hold a list of up to MAX_GAPS runs for each.)"""
    out: list[tuple[int, int]] = [(0, 0)] * len(segments)
    end = count = 0  # the zone below: segments[i + 1:end], count runs
    for i in range(len(segments) - 1, -1, -1):
        seg = segments[i][1]
        if all(len(r.pieces) <= HEAD_LINES for r in seg):
            if not count or count >= MAX_GAPS:
                end, count = i + 1, 0
            count += len(seg)
            out[i] = (end, count)
        else:
            end = count = 0
            out[i] = (i + 1, len(seg))
    return out


def _zone(segments: list[tuple[int, list[_Run]]], i: int, end: int) -> list[_Run]:
    return [r for _, seg in segments[i:end] for r in seg]


def _gaps_below(segments: list[tuple[int, list[_Run]]], wanted: list[bool]) -> dict[int, list[int]]:
    """For each wanted segment, the column positions that no run of it or of
    the segments below it covers.

    Found in one walk up the band, keeping the covered stretches merged, so a
    band of many segments is not measured again from each of them."""
    covered: list[list[int]] = []  # disjoint [left, right) stretches, in order
    out: dict[int, list[int]] = {}
    for i in range(len(segments) - 1, -1, -1):
        seg = segments[i][1]
        for r in seg:
            k = bisect.bisect_left(covered, [r.left, r.left])
            lo, hi = r.left, r.edge
            if k > 0 and covered[k - 1][1] >= lo:
                k -= 1
            j = k
            while j < len(covered) and covered[j][0] <= hi:
                lo, hi = min(lo, covered[j][0]), max(hi, covered[j][1])
                j += 1
            covered[k:j] = [[lo, hi]]
        if wanted[i] and 1 < len(covered) <= MAX_GAPS:
            out[i] = [c[1] for c in covered[:-1]]
    return out


def read_side_by_side_columns(
    blocks: tuple[Block, ...], ctx: Context
) -> tuple[tuple[Block, ...], list[Change]]:
    """Read a page printed with its columns side by side column by column."""
    if not blocks:
        return blocks, []
    first = blocks[0].line
    last = blocks[-1].line + len(blocks[-1].lines)
    lines = [""] * (last - first)
    for b in blocks:
        for k, line in enumerate(b.lines):
            lines[b.line - first + k] = line
    if not looks_side_by_side(lines):
        return blocks, []
    rows = [_pieces(i, line) for i, line in enumerate(lines)]
    width = _column_width(rows)
    starts = _column_starts(rows, width)

    def neighbours(row: int, start: int) -> bool:
        """Whether a row just above or below, with no blank row between, has a piece starting there."""
        for step in (-1, 1):
            for r in (row + step, row + 2 * step):
                if not 0 <= r < len(rows) or not rows[r]:
                    break
                if any(abs(p.start - start) <= START_SLACK for p in rows[r]):
                    return True
        return False

    rows = [[q for p in row for q in _split_glued(p, starts, width, neighbours)] for row in rows]
    runs = _runs(rows, [not row for row in rows], width)
    # the runs hold the pieces: a page of tiny pieces is not held twice
    rows, lines = [], []
    ordered = _reading_order(runs)
    del runs
    moves = _moves(ordered, first)
    out: list[Block] = []
    group: list[str] = []  # the lines of the block being gathered
    top = previous = None
    # each run is let go once its block is made (a page of tiny pieces would
    # otherwise hold its runs, its pieces and its blocks at once)
    ordered.reverse()
    # short pieces that repeat (rules, a lone mark, furniture) share one string
    shared: dict[str, str] = {}

    # (with exact positions asked for, each piece's place in the input is kept)
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]

    def texts(r: _Run) -> Iterator[str]:
        for p in r.pieces:
            t = p.text
            if origins is not None:
                at = origins.line_origin(first + p.row, p.line)
                origins.place(t, None if at is None else at + p.start)
                yield t
                continue
            yield shared.setdefault(t, t) if len(t) <= SHARED_TEXT else t

    while ordered:
        r = ordered.pop()
        if previous is not None and _stacked(previous, r):
            # lines on consecutive rows, one under the other (a headline
            # centred line by line): one block, as the extractor kept them
            group.extend(texts(r))
        else:
            if top is not None:
                out.append(Block(tuple(group), first + top, gap=1))
            group, top = list(texts(r)), r.top
        previous = r
    if top is not None:
        out.append(Block(tuple(group), first + top, gap=1))
    return tuple(out), moves


def _stacked(upper: _Run, lower: _Run) -> bool:
    """Whether lower, a line or two, goes on right under upper, a line or two, within its width."""
    return (
        len(upper.pieces) <= STACKED_LINES
        and len(lower.pieces) <= STACKED_LINES
        and lower.top == upper.bottom + 1
        and lower.left < upper.right
        and upper.left < lower.right
    )


def _moves(ordered: Iterable[_Run], first: int) -> list[Change]:
    """One note per block read out of the extractor's row order."""
    changes = []
    previous = None
    for r in ordered:
        if previous is not None and r.top < previous.bottom:
            changes.append(
                Change(
                    NAME,
                    first + r.top,
                    r.start + 1,
                    "",
                    "",
                    f"column read after the one ending on line {first + previous.bottom}",
                )
            )
        previous = r
    return changes
