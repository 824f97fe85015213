"""Columns read row by row: line 1 of every column, then line 2 of every column.

pdftotext and pdfminer order a page's text by where it stands. When the
columns of a box are set with wide leading, the lines of neighbouring
columns sit on nearly the same baseline and the extractor reads across the
box: each column's line (or pair of lines) is followed by those of the other
columns in that row. Read as it is, every sentence is cut at every line and
glued to the other columns' sentences.

The geometry that caused it also undoes it: every column advances one row at
a time, so the next piece of a column stands a fixed number of pieces further
on, the number of columns read across (the stride). And text cut at a line
end goes on across the cut: a word of the lexicon straddles the joint far
more often between a piece and its true successor than between two pieces
that do not follow each other (how much more, by how common the word is, was
counted on the development pages: ``EVIDENCE``). For each piece (a block as
the extractor separated it) and each stride we weigh the joint with the
piece that stride further on, and choose the stride of every piece by
dynamic programming (a Viterbi path): leaving the stride of a page read in
order, 1, costs as much as a couple of strong joints, and so does moving
between two other strides (a column's baseline shifted by a heading; the
development pages read best with the two costs equal). Each piece is
then followed by the piece its stride points to, and the page is read chain
by chain, each chain (a column) from its first piece, in the order the
chains start: the extractor read the first row left to right.

Where a run of rows ends, its last pieces point past the box: a piece goes
on into a piece of another stride only when a word bears it out. A headline
(short, no running-text punctuation, not as wide as the column lines it is
paired with) is never pulled into a column. Pieces a word joins become one
block, which line joining then reads as any column.

A stride counts column pieces only: a line far wider than the stretch's
commonest (a caption or a paragraph across the columns, read in its own
order between two rows), a photo credit, and the short last line such a
wider run goes on into are left out of the count, and read as a chain of
their own where they start.

A page read in order keeps stride 1 everywhere: its joints score at stride
1, and another stride would have to beat it joint after joint. Paragraphs
the extractor read whole (more than two lines, or lines wider than any
column) are never part of a row.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence

from ..chars import ends_sentence
from ..lexicon import COMMON_JOINT, joint_strength
from ..linekinds import display_width, is_credit, is_headline_like, is_lead, is_separator
from ..model import Block, Change
from ..positions import Origins
from ..rules import Rules
from .base import Context

NAME = "separate_interleaved_columns"

# Strides tried: a box read across holds at most this many columns.
MAX_STRIDE = 8
# What a joint's strength (the commonness of the word across it, see
# lexicon.joint_strength) says about two pieces following each other: up to
# each strength, the log likelihood ratio of "successor" to "not", counted
# over 60,208 line pairs of the development pages (pdfminer and pdftotext,
# each line and the 8 after it; the true order from PyMuPDF's reading of
# the same pages): python bench/extract/joint_evidence.py recounts it.
EVIDENCE = ((0, -0.50), (4, 0.56), (7, 1.98), (9, 3.11), (99, 3.65))
# The cost, in the same units, of leaving stride 1 or coming back to it, and
# of moving between two other strides.
ENTER = 4.5
SHIFT = 4.5
# What a move between strides saves where it comes at a headline (far below
# any evidence: it only breaks ties). Where no joint tells where one box's
# rows end and the next box's begin, the headline over the next box does.
AT_HEADLINE = 0.01
# Where the joints say nothing (headlines, a paragraph's last line), the
# page is read in its order: the stride changes at the last piece before the
# evidence, not anywhere between.
IN_ORDER = 0.05
# Characters of each side read for the joint.
SIDE = 4
# A piece of more lines than this is a paragraph the extractor read whole.
PIECE_LINES = 2
# ... and of lines no wider than this (display columns): a column's line.
PIECE_WIDTH = 30
# Two lines of one column are as wide as each other within this (characters).
FILL_SLACK = 1.5
# A column's lines are as wide as each other: the commonest width of a
# chain is its column's when this many of its pieces have it.
FULL_LINES = 3
# A piece wider than this many times its stretch's commonest width is no
# column's line.
WIDER = 1.5
# Fewer pieces than this are never read as columns.
MIN_PIECES = 6
# The path is found over windows of this many pieces, so that the work and
# the memory stay linear in a page's length.
WINDOW = 4000


def _edges(block: Block) -> tuple[str, str, bool]:
    """A piece's first and last characters (spaces dropped) and whether it
    ends a sentence."""
    first = "".join(block.lines[0].split())
    last = "".join(block.lines[-1].split())
    return first[:SIDE], last[-SIDE:], ends_sentence(last)


def _is_piece(block: Block) -> bool:
    """A block as a row-by-row reading leaves it: a line or two of a column,
    not a paragraph read whole (nor a paragraph already joined into one line)."""
    if len(block.lines) > PIECE_LINES or is_separator(block.lines[0]):
        return False  # a separator between articles is no column's line
    # a line no longer than the bound is no wider (most lines are asked only this)
    return all(
        len(line) <= PIECE_WIDTH or display_width("".join(line.split())) <= PIECE_WIDTH
        for line in block.lines
    )


def _extend_up(
    path: array[int],
    blocks: Sequence[Block],
    heads: Sequence[str],
    tails: Sequence[str],
    ended: Sequence[bool],
    rules: Rules,
) -> None:
    """Start each run of a stride of 2 or more at its first row.

    The path keeps stride 1 until the first joint that bears the other
    stride out, so the first row's leading pieces (a column's first line
    whose joint with its next says nothing) stay behind, and read on into the
    next column's first line. A piece just before a run is taken into it
    when it goes on into the piece the run's stride points to (a word across
    the joint), or is a column's line: as wide as that piece and stopping
    mid-sentence, not a headline (a lead, ``本报讯（…）``, opens a column)."""
    n = len(path)
    for i in range(n - 1, 0, -1):
        k = path[i]
        if k == 1 or path[i - 1] != 1:
            continue
        for m in range(i - 1, -1, -1):
            j = m + k
            if path[m] != 1 or j >= n:
                break
            across = _strength(tails[m], heads[j])
            if across < _strength(tails[m], heads[m + 1]):
                break  # the page's own order reads better here
            column = (
                not ended[m]
                and (not is_headline_like(blocks[m].text) or is_lead(blocks[m].text, rules))
                and abs(_width(blocks[m]) - _width(blocks[j])) <= FILL_SLACK
            )
            if not (across > 0 or column):
                break
            path[m] = k


def _strength(tail: str, head: str) -> int:
    return joint_strength(tail, head) if tail and head else 0


def _width(block: Block) -> float:
    return display_width("".join(block.lines[-1].split()))


def _headlines_apart(blocks: Sequence[Block], dist: Sequence[int], rules: Rules) -> list[bool]:
    """Pieces that read as a headline (short, no running-text punctuation,
    no lead) and are as wide as neither piece dist[i] before and after them:
    a column's line is as wide as the lines above and below it in its column
    (even one with a quote and a space in it)."""
    widths = [display_width("".join(b.text.split())) for b in blocks]
    n = len(blocks)
    return [
        is_headline_like(b.text)
        and not is_lead(b.text, rules)
        and all(abs(widths[j] - widths[i]) > FILL_SLACK for j in (i - dist[i], i + dist[i]) if 0 <= j < n)
        for i, b in enumerate(blocks)
    ]


def _standing_alone(blocks: Sequence[Block], path: Sequence[int], rules: Rules) -> list[bool]:
    """Pieces read in a row (stride 2 or more) that are headlines standing
    apart from the pieces their stride pairs them with: a headline over a
    box, never a column's line (a lead opens a column)."""
    return [k > 1 and apart for k, apart in zip(path, _headlines_apart(blocks, path, rules))]


def _box_headlines(blocks: Sequence[Block], rules: Rules) -> list[bool]:
    """Pieces that read as a headline over a box: headlines as wide as
    neither piece beside them."""
    return _headlines_apart(blocks, [1] * len(blocks), rules)


def _evidence(strength: int) -> float:
    for top, weight in EVIDENCE:
        if strength <= top:
            return weight
    return EVIDENCE[-1][1]


_WEIGHTS = tuple(_evidence(v) for v in range(32))


def _emissions(
    i: int, heads: Sequence[str], tails: Sequence[str], ended: Sequence[bool], short: Sequence[bool]
) -> list[float]:
    """What the joints of piece i say for each stride (index 1 to MAX_STRIDE)."""
    row = [0.0] * (MAX_STRIDE + 1)
    row[1] = IN_ORDER
    if ended[i] or not tails[i]:
        return row  # a sentence end says nothing about what follows
    n = len(heads)
    for k in range(1, MAX_STRIDE + 1):
        j = i + k
        if j >= n:
            break
        if k > 1 and not short[j - 1]:
            # a row read across holds a line or two of each column: a
            # paragraph the extractor read whole is no part of one
            for m in range(k, MAX_STRIDE + 1):
                row[m] = -ENTER
            break
        if heads[j]:
            row[k] += _WEIGHTS[min(joint_strength(tails[i], heads[j]), 31)]
    if not short[i]:
        for k in range(2, MAX_STRIDE + 1):
            row[k] = -ENTER
    return row


def _strides(
    heads: Sequence[str],
    tails: Sequence[str],
    ended: Sequence[bool],
    short: Sequence[bool],
    headline: Sequence[bool] = (),
) -> array[int]:
    """The stride (1 to MAX_STRIDE) of each piece: how many pieces on its
    column goes on (a Viterbi path over the pieces)."""
    n = len(heads)
    ks = range(1, MAX_STRIDE + 1)
    width = MAX_STRIDE + 1
    # best[k]: the best total of a path whose last piece has stride k
    best = [0.0] + [0.0 if k == 1 else -ENTER for k in ks]
    back = bytearray(n * width)  # where each piece's best path came from
    others = ks[1:]
    for i in range(n):
        row = _emissions(i, heads, tails, ended, short)
        shift = SHIFT - AT_HEADLINE if headline and headline[i] else SHIFT
        # the best and second best strides other than 1, for moves between them
        top = max(others, key=best.__getitem__)
        second = max((k for k in others if k != top), key=best.__getitem__)
        new = [0.0] * width
        base = i * width
        for k in ks:
            value, src = best[k], k
            if k == 1:
                if best[top] - ENTER > value:
                    value, src = best[top] - ENTER, top
            else:
                if best[1] - ENTER > value:
                    value, src = best[1] - ENTER, 1
                j = top if top != k else second
                if best[j] - shift > value:
                    value, src = best[j] - shift, j
            new[k] = value + row[k]
            back[base + k] = src
        best = new
    k = max(ks, key=best.__getitem__)
    path = array("b", bytes(n))
    for i in range(n - 1, -1, -1):
        path[i] = k
        k = back[i * width + k]
    return path


def _reading_order(
    path: Sequence[int], joins: Sequence[bool] = (), alone: Sequence[bool] = ()
) -> tuple[list[int], list[int]]:
    """Pieces in reading order (each chain followed from its first piece,
    the chains in the order they start), and each piece's successor.

    Two pieces may point to the same one: the last piece of a column ends
    where the columns beside it go on, and its stride points past them.
    The piece goes to the one that reads with the stride it is read with
    (its column went on), else to the nearer one; the other ends its chain.
    """
    n = len(path)
    pred = [-1] * n
    for i in range(n):
        j = i + path[i]
        if j >= n:
            continue
        if path[i] > 1:
            if alone and (alone[i] or alone[j]):
                continue  # a headline is no column's line
            if path[j] != path[i] and not (joins and joins[i]):
                # the run of rows ends here: its last row goes on into
                # nothing that the text bears out
                continue
        p = pred[j]
        if p < 0 or path[i] == path[j] or path[p] != path[j]:
            pred[j] = i
    succ = [-1] * n
    for j, i in enumerate(pred):
        if i >= 0:
            succ[i] = j
    out: list[int] = []
    for start in range(n):
        if pred[start] >= 0:
            continue
        i = start
        while i >= 0:
            out.append(i)
            i = succ[i]
    # (a piece's successor stands after it: every chain has a first piece,
    # and every piece is reached from one)
    return out, succ


def _stretches(short: Sequence[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of pieces long enough to be rows read across,
    with the block after it (a column's last paragraph may be read whole),
    cut into windows of at most WINDOW pieces."""
    out: list[tuple[int, int]] = []
    n, i = len(short), 0
    while i < n:
        if not short[i]:
            i += 1
            continue
        j = i
        while j < n and short[j]:
            j += 1
        if j - i >= MIN_PIECES:
            out.extend((s, min(s + WINDOW, j + 1, n)) for s in range(i, j, WINDOW))
        i = j
    return out


def separate_interleaved_columns(
    blocks: tuple[Block, ...], ctx: Context
) -> tuple[tuple[Block, ...], list[Change]]:
    """Pieces of columns read row by row, put back column by column."""
    if len(blocks) < MIN_PIECES:
        return blocks, []
    short = [_is_piece(b) for b in blocks]
    order = list(range(len(blocks)))
    succ = [-1] * len(blocks)
    glued = [False] * len(blocks)
    for start, end in _stretches(short):
        keep = _in_columns(blocks, start, end, ctx.rules)
        window = tuple(blocks[i] for i in keep)
        edges = [_edges(b) for b in window]
        h = [x[0] for x in edges]
        t = [x[1] for x in edges]
        e = [x[2] for x in edges]
        path = _strides(h, t, e, [short[i] for i in keep], _box_headlines(window, ctx.rules))
        if max(path) == 1:
            continue
        _extend_up(path, window, h, t, e, ctx.rules)
        # the word across each piece's joint with the piece its stride points to
        ahead = [_strength(t[i], h[i + path[i]]) if i + path[i] < len(path) else 0 for i in range(len(path))]
        joins = [v > 0 for v in ahead]
        # a line that goes on there with a common word is a column's line (an
        # indented paragraph's first line is as short as a headline), not a
        # headline standing apart
        alone = [a and v < COMMON_JOINT for a, v in zip(_standing_alone(window, path, ctx.rules), ahead)]
        part, links = _reading_order(path, joins, alone)
        on = [j or f for j, f in zip(joins, _running_on(window, path, links, e, ctx.rules))]
        chains = _with_wider_lines(keep, part, links, start, end)
        order[start:end] = chains
        for i, j, g in zip(keep, links, on):
            succ[i] = keep[j] if j >= 0 else -1
            glued[i] = g
    if all(i == j for i, j in enumerate(order)):
        return blocks, []
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]
    return _merged(blocks, order, succ, glued, origins), _changes(blocks, order)


def _piece_width(block: Block) -> float:
    return max(display_width("".join(line.split())) for line in block.lines)


def _in_columns(blocks: Sequence[Block], start: int, end: int, rules: Rules) -> list[int]:
    """The pieces of a stretch as wide as its columns: a line far wider than
    the commonest (a caption or a lead across the columns, another box read
    in its order between two rows) is no column's line, and counting it would
    throw every stride after it out by one. Nor is a photo credit, nor the
    short last line of such a wider run (a common word across the cut)."""
    widths = [_piece_width(blocks[i]) for i in range(start, end)]
    common = Counter(round(w) for w in widths).most_common(1)[0][0]
    wider = [
        w > WIDER * common and not is_headline_like(blocks[start + i].text) for i, w in enumerate(widths)
    ]
    out = [w or is_credit(blocks[start + i].text, rules) for i, w in enumerate(wider)]
    for i in range(len(out) - 1):
        if not wider[i] or out[i + 1]:
            continue
        tail = _edges(blocks[start + i])[1]
        for j in range(i + 1, min(i + 1 + MAX_STRIDE, len(out))):
            if widths[j] < common and _strength(tail, _edges(blocks[start + j])[0]) >= COMMON_JOINT:
                out[j] = True
                break
    return [start + i for i, o in enumerate(out) if not o]


def _with_wider_lines(
    keep: Sequence[int], part: Sequence[int], links: Sequence[int], start: int, end: int
) -> list[int]:
    """The stretch in reading order: the column pieces chain by chain, and
    each run of wider lines left out of them (a box read in its own order)
    as a chain of its own, where it starts."""
    inside = set(keep)
    runs: list[list[int]] = []
    for i in range(start, end):
        if i not in inside:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    led = {j for j in links if j >= 0}
    out: list[int] = []
    r = 0
    for i in part:
        piece = keep[i]
        # a run of wider lines goes before the first chain that starts after it
        while r < len(runs) and runs[r][0] < piece and i not in led:
            out.extend(runs[r])
            r += 1
        out.append(piece)
    for run in runs[r:]:
        out.extend(run)
    return out


def _running_on(
    blocks: Sequence[Block], path: Sequence[int], succ: Sequence[int], ended: Sequence[bool], rules: Rules
) -> list[bool]:
    """Pieces that run on into their successor on the column: a full line of
    the column (as wide as its column's commonest line) that ends no
    sentence, followed by no lead. Where every row of a box is a block of its
    own the blank lines between the pieces say nothing of paragraphs; the
    geometry does, as it does for the lines of a block. Only inside a run
    of rows, and never from a headline."""
    widths = [_width(b) for b in blocks]
    # each piece's column: the first piece of its chain (succ points forward)
    root = list(range(len(blocks)))
    for i, j in enumerate(succ):
        if j >= 0:
            root[j] = root[i]
    common: dict[int, Counter[int]] = {}
    for i, c in enumerate(root):
        common.setdefault(c, Counter())[round(widths[i])] += 1
    full = {}
    for c, n in common.items():
        w, count = n.most_common(1)[0]
        if count >= FULL_LINES:
            full[c] = w
    return [
        j >= 0
        # inside a run of rows, not where one ends
        and path[i] == path[j] > 1
        and not ended[i]
        and root[i] in full
        and abs(widths[i] - full[root[i]]) <= FILL_SLACK
        # a headline's width is no column's, even where it matches one; a
        # chain may start with the headline over its box
        and not (
            is_headline_like(blocks[i].text)
            and not is_lead(blocks[i].text, rules)
            and (root[i] == i or abs(widths[i] - widths[j]) > FILL_SLACK)
        )
        and not is_lead(blocks[j].text, rules)
        and not blocks[j].lines[0][:1].isspace()
        for i, j in enumerate(succ)
    ]


def _merged(
    blocks: tuple[Block, ...],
    order: list[int],
    succ: list[int],
    glued: list[bool],
    origins: Origins | None = None,
) -> tuple[Block, ...]:
    """The pieces in reading order, a column's pieces that a word joins one
    block: they were cut apart only by the other columns' lines (origins,
    when exact positions are asked for, keeps where those lines stand)."""
    out: list[Block] = []
    prev = -1
    for i in order:
        b = blocks[i]
        if prev >= 0 and succ[prev] == i and i != prev + 1 and glued[prev]:
            last = out[-1]
            if origins is not None:
                origins.moving(b)
            out[-1] = last._replace(lines=last.lines + b.lines)
        else:
            out.append(b)
        prev = i
    return tuple(out)


def _changes(blocks: tuple[Block, ...], order: list[int]) -> list[Change]:
    """One change per stretch of the page put in another order: the pieces as
    they were and as they are now."""
    changes: list[Change] = []
    i, n = 0, len(order)
    while i < n:
        if order[i] == i:
            i += 1
            continue
        # the stretch ends where every piece before it is one of its own
        j, top = i, i
        while j < n:
            top = max(top, order[j])
            j += 1
            if top == j - 1:
                break
        before = "\n\n".join(blocks[m].text for m in range(i, j))
        after = "\n\n".join(blocks[m].text for m in order[i:j])
        changes.append(
            Change(
                NAME,
                blocks[i].line,
                1,
                before,
                after,
                f"columns read row by row ({j - i} pieces): each column's pieces put together",
            )
        )
        i = j
    return changes
