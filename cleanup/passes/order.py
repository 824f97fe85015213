"""Blocks and lines the extractor put in the wrong place on the page.

When a paragraph stops mid-sentence and the block after it does not go on
with it (a headline follows, or the page ends), its continuation was
stranded elsewhere. We move a block back only when the text makes it
certain: the candidate must itself start mid-sentence in a way no paragraph
starts (a count with its measure word, ``3891处。``; punctuation), or go on
with an enumeration the unfinished paragraph left open (``…柴草堆、`` +
``建筑垃圾、…``) — and it must be the only such candidate. The blocks that
followed the stranded one, up to the next headline or heading, move with it.
"""

from __future__ import annotations

import statistics
from array import array
from collections import Counter
from collections.abc import Callable
from itertools import accumulate

import regex

from ..chars import ends_sentence
from ..lexicon import COMMON_JOINT, joint_strength, spans_word
from ..linekinds import (
    display_width,
    has_body_punct,
    is_furniture,
    is_headline_like,
    is_lead,
    printed_spans,
)
from ..model import Block, Change
from ..positions import Origins
from .base import Context
from .wraps import HARD_GAP, joint

NAME = "restore_reading_order"

# A paragraph never starts with a bare count and its measure word, nor with
# punctuation that closes or continues a clause.
_COUNT_START = regex.compile(
    r"^[\d.,]+(?:万|亿)?(?:处|个|人|次|起|户|家|项|件|场|名|台|辆|元|吨|公里|亩|万)[。，、；.,;]"
)
_MIDSENTENCE_START = regex.compile(_COUNT_START.pattern + r"|^[，。、；：）》”’,;:)]")
# A block that goes on with an open enumeration starts with its next item:
# a short noun phrase and another enumeration comma.
_NEXT_ITEM = regex.compile(r"^[^，。；！？,;!?、“”]{1,8}、")

MIN_UNFINISHED = 20
# Stranded blocks and displaced lines are looked for this many blocks around
# the damage: they stay on their page, and the search stays linear in the
# length of a file that holds many pages.
WINDOW = 200


def _unfinished(b: Block, nxt: Block | None, ctx: Context) -> bool:
    if len(b.lines) != 1 or b.mark:
        return False
    s = b.lines[0].strip()
    if len(s) < MIN_UNFINISHED or ends_sentence(s) or not has_body_punct(s):
        return False
    if is_furniture(s, ctx.rules):
        return False
    if nxt is not None and nxt.gap >= HARD_GAP:
        return False  # ended there: its end was lost
    return nxt is None or len(nxt.lines) > 1 or nxt.mark > 0 or is_headline_like(nxt.lines[0])


def _fits(tail: str, cand: Block, ctx: Context) -> bool:
    if len(cand.lines) != 1 or cand.mark:
        return False
    head = cand.lines[0].strip()
    if is_lead(head, ctx.rules) or is_furniture(head, ctx.rules) or not has_body_punct(head):
        return False
    # spaces are not removed yet: a justified line reads ``194 次 ， 开 展``
    packed = head.replace(" ", "")
    if _MIDSENTENCE_START.match(packed):
        return True
    return tail.endswith("、") and bool(_NEXT_ITEM.match(packed))


# A headline run this many blocks long at most stands between a paragraph and
# the body under the headline.
HEADER_BLOCKS = 6


def _goes_on_under_headline(tail: str, blocks: list[Block], i: int, ctx: Context) -> bool:
    """Does the first paragraph after the headline lines that follow block i
    go on with tail, a word of the lexicon straddling the two?"""
    for k in range(i + 1, min(len(blocks), i + 1 + HEADER_BLOCKS)):
        s = blocks[k].lines[0].strip()
        if is_headline_like(s) or is_furniture(s, ctx.rules):
            continue
        if is_lead(s, ctx.rules) or k == i + 1:
            return False
        return joint_strength("".join(tail.split())[-4:], "".join(s.split())[:4]) >= COMMON_JOINT
    return False


# A stranded block is a candidate for every unfinished paragraph within
# WINDOW blocks of it: any of them other than the one asking is a rival.
RIVAL_REACH = WINDOW


def _rival_ends(blocks: list[Block], i: int, j: int, ctx: Context) -> bool:
    """Is a paragraph other than block i, near block j, unfinished too, in
    a way block j would go on with?"""
    for k in range(max(0, j - RIVAL_REACH), min(len(blocks), j + RIVAL_REACH)):
        if k == i or k == j:
            continue
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if _unfinished(blocks[k], nxt, ctx) and _fits(blocks[k].lines[0].rstrip(), blocks[j], ctx):
            return True
    return False


def _joins_strongly(tail: str, cand: Block) -> bool:
    """Does a common word straddle tail and the candidate's start?"""
    head = "".join(cand.lines[0].split())[:4]
    return joint_strength("".join(tail.split())[-4:], head) >= COMMON_JOINT


def _group_end(blocks: list[Block], start: int, ctx: Context) -> int:
    """End (exclusive) of the run of body paragraphs that starts at start."""
    end = start + 1
    while end < len(blocks):
        b = blocks[end]
        s = b.lines[0].strip()
        if len(b.lines) > 1 or b.mark or is_headline_like(s) or is_lead(s, ctx.rules):
            break
        if is_furniture(s, ctx.rules) or not has_body_punct(s):
            break
        end += 1
    return end


def restore_reading_order(blocks: tuple[Block, ...], ctx: Context) -> tuple[tuple[Block, ...], list[Change]]:
    """Join a paragraph cut mid-sentence with its stranded continuation."""
    out = list(blocks)
    changes: list[Change] = []
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]
    i = 0
    while i < len(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if not _unfinished(out[i], nxt, ctx):
            i += 1
            continue
        tail = out[i].lines[0].rstrip()
        near = range(max(0, i - WINDOW), min(len(out), i + WINDOW))
        cands = [j for j in near if j != i and _fits(tail, out[j], ctx)]
        # the candidate must not simply continue the paragraph before it
        cands = [
            j
            for j in cands
            if j == 0
            or ends_sentence(out[j - 1].lines[-1])
            or j - 1 == i
            or is_headline_like(out[j - 1].lines[-1])
            or out[j - 1].mark
        ]
        if len(cands) != 1:
            i += 1
            continue
        j = cands[0]
        head = out[j].lines[0].replace(" ", "")
        weak = not _COUNT_START.match(head) and not _NEXT_ITEM.match(head)
        if (weak or _rival_ends(out, i, j, ctx)) and not _joins_strongly(tail, out[j]):
            # a block that only starts with punctuation could be anything (a
            # printed line never starts with a comma: OCR noise, a fragment
            # cut from a line); and where another paragraph near it stops
            # mid-sentence too, in a way it would go on with as well (a page
            # of columns read row by row is full of them), nothing says which
            # it continues: a word across the joint must
            i += 1
            continue
        if _goes_on_under_headline(tail, out, i, ctx) and not _COUNT_START.match(head):
            # the paragraph under the headline that follows goes on with it
            # (a headline read late, see assembly): a block that only starts
            # with punctuation is no better a continuation than that one
            i += 1
            continue
        end = _group_end(out, j, ctx)
        if j <= i < end:
            i += 1
            continue
        group = out[j:end]
        left, sep, right = joint(tail, group[0].lines[0])
        joined = out[i]._replace(lines=(left + sep + right,))
        # a move is a removal where the text stood and an insertion where it
        # goes: the report says what moved, from where to where
        head = group[0].lines[0]
        changes.append(Change(NAME, group[0].line, 1, head, "", f"moved to continue line {out[i].line}"))
        came = f"continues here: moved from line {group[0].line}"
        # where the moved text goes: the end of the unfinished paragraph (the
        # passes' own positions: its line, a column in it, and its first line)
        into = Change(NAME, out[i].line, len(tail) + 1, "", right, came)
        went_into = Change(NAME, out[i].line, 1, "", "", "")
        if origins is not None:  # (exact positions asked for: where the paragraph ends in the input)
            ra = origins.runs(out[i].lines[0], out[i].line)
            origins.joined(joined.lines[0], ra, origins.runs(head, group[0].line))
            stop = ra.locate(len(left)) if ra is not None else None
            if stop is None:  # (not known: said so, not left to look right)
                into = went_into = into._replace(exact=False)
            else:
                line, col = origins.line_col(stop[0])
                into = went_into = into._replace(line=line, column=col)
        changes.append(into)
        for g in group[1:]:
            text = "\n".join(g.lines)
            changes.append(Change(NAME, g.line, 1, text, "", f"moved with line {group[0].line}"))
            went = f"moved after line {group[0].line}, with it"
            changes.append(went_into._replace(after=text, note=went))
        # the joined paragraph takes the unfinished one's place; the blocks
        # that followed the stranded one come right after it (list slices:
        # a page of thousands of blocks is not walked in Python per move)
        moved = [joined, *group[1:]]
        if j > i:
            out = out[:i] + moved + out[i + 1 : j] + out[end:]
            new_i = i
        else:  # the stranded part comes before: end <= i
            out = out[:j] + out[end:i] + moved + out[i + 1 :]
            new_i = i - (end - j)
        i = new_i + len(group)
    return tuple(out), changes


# Typesetting never starts a printed line with these (避头点), so no split
# of a glued line puts one at the start of a line.
_NO_LINE_START = "，。、；：？！,.;:?!）)”’」』》"
# A printed segment this many times the column width holds a stray line
# (and one longer than the upper bound holds more than two lines: left alone).
DOUBLE_LINE = 1.6
TOO_LONG = 2.4
# How close to the column width a stray printed line must be.
LINE_FIT = (0.7, 1.15)


def _stray_in(seg: str, prev: str | None, nxt: str | None, column: float) -> list[tuple[str, str]]:
    """(kept part, stray line) splits of an over-long printed line.

    The stray line sits at the end (the kept part goes on with the next
    printed line, ``为深入推`` + ``进夏季``) or at the start (the previous
    printed line goes on with the kept part); the joint left behind must fall
    inside a word.
    """
    lo, hi = LINE_FIT[0] * column, LINE_FIT[1] * column
    found = []
    head_width, tail_width = _split_widths(seg)
    for i in range(1, len(seg)):
        if seg[i] in _NO_LINE_START or seg[i - 1] in _NO_LINE_START:
            continue
        if nxt and lo <= tail_width(i) <= hi and spans_word(seg[max(0, i - 3) : i], nxt[:3]):
            found.append((seg[:i], seg[i:]))
        if prev and lo <= head_width(i) <= hi and spans_word(prev[-3:], seg[i : i + 3]):
            found.append((seg[i:], seg[:i]))
    return found


def _split_widths(seg: str) -> tuple[Callable[[int], float], Callable[[int], float]]:
    """display_width of seg[:i] and of seg[i:], for every i, from prefix counts.

    Measuring both parts of every split of a long segment anew would read
    it once per split: quadratic in its length.
    """
    n = len(seg)
    ascii_before = list(accumulate((c < "\x80" for c in seg), initial=0))
    # next_visible[i]: the first non-space at or after i; last_visible[i]:
    # one past the last non-space before i (what strip() keeps)
    next_visible = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_visible[i] = next_visible[i + 1] if seg[i].isspace() else i
    last_visible = [0] * (n + 1)
    for i in range(1, n + 1):
        last_visible[i] = last_visible[i - 1] if seg[i - 1].isspace() else i
    first, end = next_visible[0], last_visible[n]

    def width(a: int, b: int) -> float:
        return b - a - (ascii_before[b] - ascii_before[a]) / 2 if b > a else 0.0

    return (lambda i: width(first, last_visible[i])), (lambda i: width(next_visible[i], end))


def restore_displaced_lines(
    blocks: tuple[Block, ...], ctx: Context
) -> tuple[tuple[Block, ...], list[Change]]:
    """Put a printed line that landed inside another column back where it fits.

    In space-joined text one printed line is sometimes glued into a line of
    the neighbouring column (``为深入推漏,煤气罐是否为制式标准,煤气泄 进夏季``).
    It is moved only when all of this holds: the glued segment is about two
    lines long; exactly one split leaves a joint inside a word; and exactly one
    place on the page, between two blocks cut mid-sentence, takes the stray
    line with a word on both sides (``有无泄`` + ``漏…煤气泄`` + ``漏报警器``).

    First, the last printed lines of text boxes that the extractor put after
    all the boxes go back to their boxes (see _cut_off_lines).
    """
    blocks, changes0 = _restore_cut_off_lines(blocks, ctx)
    out = list(blocks)
    changes: list[Change] = []
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]
    for k, b in enumerate(out):
        if len(b.lines) != 1:
            continue
        spans = printed_spans(b.lines[0])
        if spans is None or len(spans) < 8:
            continue
        line = b.lines[0]
        n = len(spans) // 2

        def seg_at(i: int, line: str = line, spans: array[int] = spans) -> str:
            return line[spans[2 * i] : spans[2 * i + 1]]

        # (widths are whole or half columns: their median is read from counts)
        widths = array("d", (display_width(seg_at(i)) for i in range(n)))
        column = _median(widths, 1, n - 1)
        for si in range(n):
            if not DOUBLE_LINE * column < widths[si] <= TOO_LONG * column:
                continue
            seg = seg_at(si)
            prev = seg_at(si - 1) if si > 0 else None
            nxt = seg_at(si + 1) if si + 1 < n else None
            splits = _stray_in(seg, prev, nxt, column)
            if len(splits) != 1:
                continue
            kept, stray = splits[0]
            spots = [
                j
                for j in range(max(0, k - WINDOW), min(len(out) - 1, k + WINDOW))
                if j != k
                and len(out[j].lines) == 1
                and not ends_sentence(out[j].lines[0])
                and spans_word(out[j].lines[0].rstrip()[-3:], stray[:3])
                and spans_word(stray[-3:], out[j + 1].lines[0].lstrip()[:3])
            ]
            if len(spots) != 1:
                continue
            j = spots[0]
            at = b.lines[0].index(seg)
            col = at + (len(kept) if seg.startswith(kept) else 0) + 1
            out[k] = b._replace(lines=(b.lines[0].replace(seg, kept, 1),))
            host = out[j]
            target = host.lines[0].rstrip()
            out[j] = host._replace(lines=(target + stray,))
            # where the stray line goes: the end of the line that takes it
            went = Change(
                NAME_DISPLACED, out[j].line, len(target) + 1, "", stray, f"displaced line from line {b.line}"
            )
            if origins is not None:  # (exact positions asked for: where both lines' text stands)
                runs, cut = origins.runs(line, b.line), col - 1
                origins.spliced(out[k].lines[0], [(runs, 0, cut), (runs, cut + len(stray), len(line))])
                into = origins.runs(host.lines[0], host.line)
                origins.spliced(out[j].lines[0], [(into, 0, len(target)), (runs, cut, cut + len(stray))])
                end = into.locate(len(target)) if into is not None else None
                went = (
                    went._replace(exact=False)
                    if end is None
                    else went._replace(line=(pos := origins.line_col(end[0]))[0], column=pos[1])
                )
            changes.append(
                Change(
                    NAME_DISPLACED,
                    b.line,
                    col,
                    stray,
                    "",
                    f"printed line displaced; moved to line {out[j].line}",
                )
            )
            changes.append(went)
            break
    return tuple(out), changes0 + changes


NAME_DISPLACED = "restore_displaced_lines"
# A printed line holds at most this many characters (a column of 20 and a
# few marks); a run of fewer lone lines than this is not told from short
# paragraphs.
CUT_LINE_MAX = 24
CUT_LINES_MIN = 2


def _lone_line(b: Block, ctx: Context) -> bool:
    """A block of one printed line that reads as running text."""
    if len(b.lines) != 1 or b.mark:
        return False
    s = b.lines[0].strip()
    if not s or display_width("".join(s.split())) > CUT_LINE_MAX or is_headline_like(s):
        return False
    return not is_furniture(s, ctx.rules) and not is_lead(s, ctx.rules)


def _cut_off_lines(blocks: tuple[Block, ...], ctx: Context) -> list[tuple[int, int]]:
    """(box, line) pairs: text boxes whose last printed line the extractor
    put after all of them (pdfminer prints a box's last line apart when its
    baseline is off the box's grid: …垃圾堆放点变 … / 成了花团锦簇的休闲小广场…).

    A run of lone lines right after k boxes (blocks of two lines or more,
    back to the headline above them) that stop mid-sentence: the i-th box
    goes on in the i-th line. Taken only where a common word straddles half
    the joints or more, two at least."""
    pairs: list[tuple[int, int]] = []
    n, i = len(blocks), 0
    while i < n:
        if not _lone_line(blocks[i], ctx):
            i += 1
            continue
        j = i
        while j < n and _lone_line(blocks[j], ctx):
            j += 1
        k = i - 1
        while k >= 0 and i - k <= WINDOW and not blocks[k].mark:
            if len(blocks[k].lines) == 1:
                s = blocks[k].lines[0].strip()
                if is_headline_like(s) or is_furniture(s, ctx.rules):
                    break
            k -= 1
        boxes = [
            m
            for m in range(k + 1, i)
            if len(blocks[m].lines) >= 2
            and not ends_sentence(blocks[m].lines[-1])
            and has_body_punct(blocks[m].text)
        ]
        if CUT_LINES_MIN <= len(boxes) <= j - i:
            found = [(m, i + r) for r, m in enumerate(boxes)]
            strong = sum(_joins_strongly(blocks[m].lines[-1], blocks[r]) for m, r in found)
            if strong >= max(CUT_LINES_MIN, (len(found) + 1) // 2):
                pairs.extend(found)
        i = j
    return pairs


def _restore_cut_off_lines(
    blocks: tuple[Block, ...], ctx: Context
) -> tuple[tuple[Block, ...], list[Change]]:
    pairs = _cut_off_lines(blocks, ctx)
    if not pairs:
        return blocks, []
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]
    out = list(blocks)
    changes: list[Change] = []
    taken = set()
    for m, r in pairs:
        box, lone = out[m], blocks[r]
        if origins is not None:
            origins.moving(lone)
        line = lone.lines[0]
        note = f"a box's last line printed after the boxes; moved to line {box.line}"
        changes.append(Change(NAME_DISPLACED, lone.line, 1, line, "", note))
        end = box.line + len(box.lines) - 1
        note = f"continues here: moved from line {lone.line}"
        at = len(box.lines[-1]) + 1
        changes.append(Change(NAME_DISPLACED, end, at, "", "\n" + line, note, exact=False))
        out[m] = box._replace(lines=(*box.lines, line))
        taken.add(r)
    return tuple(b for k, b in enumerate(out) if k not in taken), changes


def _median(values: array[float], start: int, end: int) -> float:
    """statistics.median of values[start:end], counted rather than sorted
    (the values repeat: display widths are whole or half columns)."""
    counts = Counter(values[start:end])
    size = end - start
    seen = 0
    low = None
    for v in sorted(counts):
        seen += counts[v]
        if low is None and seen >= (size + 1) // 2:
            low = v
            if size % 2 or seen > size // 2:
                return v
        if low is not None and seen > size // 2:
            return (low + v) / 2
    return statistics.median(values[start:end])
