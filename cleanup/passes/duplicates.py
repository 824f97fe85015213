"""Text the extractor printed twice.

Three shapes: a whole paragraph repeated (the same block extracted from two
overlapping text boxes); a few characters repeated on both sides of a column
break (``兑现绩效工资`` / ``资，确保``); a headline whose tail is doubled
(``促进平安共建聚民力聚民力``). A doubled character inside running text
(``的的``) is the author's and stays: none of these shapes covers it. Every
removal is reported with the text removed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import regex

from ..chars import ends_sentence
from ..lexicon import is_word
from ..linekinds import HEADLINE_MAX, has_body_punct, is_furniture, is_headline_like, is_lead
from ..model import Block, Change, Edit
from ..rules import Rules
from .base import Context, as_fixer, lines_with

_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")
# what str.split() cuts at (no whitespace character lies past U+3000, the
# ideographic space: the table is built from that range, not all of Unicode)
_NO_WHITESPACE = dict.fromkeys(c for c in range(0x3001) if chr(c).isspace())
_NARROW = regex.compile(r"[!-/:-@\[-`{-~]")  # ASCII punctuation


@functools.lru_cache(maxsize=8)
def _widening(rules: Rules) -> tuple[dict[int, str], bool]:
    """The table that widens ASCII marks, and whether it maps one mark to one."""
    table = str.maketrans({**rules.punctuation, '"': "“", "”": "“"})
    return table, all(len(v) == 1 for v in table.values())


_HAN_RUN = regex.compile(r"^\p{Han}+$")
# A line short enough to be a headline (with a doubled tail): longer lines are never read.
_SHORT_LINE = regex.compile(rf"^[^\n]{{4,{HEADLINE_MAX + 8}}}$", regex.MULTILINE)

# Marks that a column break may repeat (the author never doubles them).
_BREAK_PUNCT = set("，、；：,;:")
# A repeated paragraph must be long enough that repeating it cannot be the
# author's intent (bylines and photo credits legitimately repeat).
MIN_DUPLICATE = 20
# The longest repeat at a column break we look for, in characters.
MAX_BREAK_REPEAT = 12


# A block cut into more pieces than this at its spaces and line ends loses
# them by translation: slower than a split, but a split holds a string
# object per piece (a block of a million one-character lines has a million).
SPLIT_PIECES = 1 << 12


def _unspaced(text: str, lines: int) -> str:
    """text without whitespace (what str.split() cuts at)."""
    if lines + text.count(" ") < SPLIT_PIECES:
        return "".join(text.split())
    return text.translate(_NO_WHITESPACE)


def _drop_repeats(
    blocks: tuple[Block, ...], ctx: Context, name: str
) -> tuple[tuple[Block, ...], list[Change]]:
    """Drop a block whose text appeared earlier on the page (reported as name).

    The same paragraph may have been extracted once with ASCII and once with
    full-width punctuation, or wrapped differently: two blocks are the same
    when they are equal with spaces and line ends dropped and punctuation
    widened (but kept: a comma's difference is a difference). That key is
    costly on Chinese text, so blocks are compared in steps, each only on a
    match of the one before: the length without spaces (which widening one
    mark into one mark keeps), the letters and digits alone, the key.
    """
    widen, by_length = _widening(ctx.rules)

    def key(flat: str) -> str:
        return flat.translate(widen) if _NARROW.search(flat) else flat

    # a block whose length no earlier block shares waits here unsigned; the
    # others are filed by signature (each signature is made once)
    alone: dict[int, tuple[str, int]] = {}  # length -> (text without spaces, line)
    lengths: set[int] = set()
    # signature -> the blocks not yet keyed (text without spaces, line), and
    # the first line of each key made: every block's key is made at most
    # once and looked up, not compared with every earlier block of its
    # signature (blocks of the same letters, punctuated differently, would
    # make that quadratic)
    signed: dict[str, tuple[list[tuple[str, int]], dict[str, int]]] = {}
    out: list[Block] = []
    changes: list[Change] = []
    for b in blocks:
        text = b.text
        # only running text: a repeated headline or byline may be printed twice
        if len(text) < MIN_DUPLICATE or not has_body_punct(text):
            out.append(b)
            continue
        flat = _unspaced(text, len(b.lines))
        if by_length and len(flat) not in lengths:
            lengths.add(len(flat))
            alone[len(flat)] = (flat, b.line)
            out.append(b)
            continue
        if len(flat) in alone:
            first_flat, first_line = alone.pop(len(flat))
            signed.setdefault(_NOT_WORD.sub("", first_flat), ([], {}))[0].append((first_flat, first_line))
        sig = _NOT_WORD.sub("", flat)
        unkeyed, keyed = signed.setdefault(sig, ([], {}))
        if (unkeyed or keyed) and len(sig) >= MIN_DUPLICATE // 2:
            for t, line in unkeyed:  # in page order: a key keeps its first line
                keyed.setdefault(key(t), line)
            unkeyed.clear()
            mine = key(flat)
            first = keyed.get(mine)
            if first is not None and len(mine) >= MIN_DUPLICATE:
                changes.append(Change(name, b.line, 1, text, "", f"repeats line {first}"))
                continue
            keyed.setdefault(mine, b.line)
        else:
            unkeyed.append((flat, b.line))
        out.append(b)
    return tuple(out), changes


def drop_duplicate_blocks(blocks: tuple[Block, ...], ctx: Context) -> tuple[tuple[Block, ...], list[Change]]:
    """A block (text between blank lines) printed twice, dropped before lines are joined.

    It must go before joining: a repeated column block ends mid-sentence like
    the one before it, and joining would glue the copy to the original.
    """
    return _drop_repeats(blocks, ctx, "drop_duplicate_blocks")


def drop_duplicate_paragraphs(
    blocks: tuple[Block, ...], ctx: Context
) -> tuple[tuple[Block, ...], list[Change]]:
    """A paragraph printed twice, found once lines are joined into paragraphs.

    A paragraph repeated inside one block (no blank line between the copies)
    or wrapped differently only shows as a duplicate after joining.
    """
    return _drop_repeats(blocks, ctx, "drop_duplicate_paragraphs")


def _break_repeat(tail: str, head: str) -> int:
    """Length of text repeated at the end of tail and the start of head."""
    if head[:1] in _BREAK_PUNCT and tail.endswith(head[:1]):
        return 1  # 、、 or ，， : punctuation is never doubled by an author
    for k in range(min(MAX_BREAK_REPEAT, len(tail), len(head) - 1), 0, -1):
        piece = head[:k]
        if tail.endswith(piece) and _HAN_RUN.match(piece):
            if k == 1 and is_word(piece * 2):  # 人人, 天天: a real reduplication
                continue
            return k
    return 0


# Blank lines before a block that mark a cut paragraph (see wraps.HARD_GAP).
CUT_GAP = 2


def drop_break_repeats(blocks: tuple[Block, ...], ctx: Context) -> tuple[tuple[Block, ...], list[Change]]:
    """Trim text repeated on both sides of a column break inside a sentence."""
    out = list(blocks)
    changes: list[Change] = []
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        tail, head = a.lines[-1].rstrip(), b.lines[0].lstrip()
        # any repeat starts with head's first character, somewhere in tail's end
        if not head or head[0] not in tail[-MAX_BREAK_REPEAT:]:
            continue
        if (
            ends_sentence(tail)
            or not has_body_punct(a.text)
            or not has_body_punct(b.lines[0])
            or is_furniture(head, ctx.rules)
            or is_lead(head, ctx.rules)
            or b.mark
            # two blank lines: the paragraph was cut there and goes on elsewhere
            or b.gap >= CUT_GAP
        ):
            continue
        k = _break_repeat(tail, head)
        if k:
            cut = len(b.lines[0]) - len(head)
            lines = (b.lines[0][:cut] + head[k:], *b.lines[1:])
            out[i + 1] = b._replace(lines=lines)
            changes.append(
                Change("drop_break_repeats", b.line, cut + 1, head[:k], "", "repeated across a break")
            )
    return tuple(out), changes


def find_doubled_tails(text: str, ctx: Context) -> Iterator[Edit]:
    """A headline line ending in the same 2-8 characters twice keeps one copy.

    >>> from cleanup.passes.duplicates import drop_doubled_heading_tails
    >>> drop_doubled_heading_tails("促进平安共建聚民力聚民力")
    '促进平安共建聚民力'
    """
    for pos, line in lines_with(_SHORT_LINE, text):
        s = line.rstrip()
        # a doubled tail of k characters repeats the last one k places back
        if s and s[-1] in s[-9:-2] and is_headline_like(s):
            for k in range(min(8, len(s) // 2 - 1), 1, -1):
                piece = s[-k:]
                # 研究研究: a two-character word said twice may be meant
                if k == 2 and is_word(piece):
                    continue
                if s[-2 * k : -k] == piece and _HAN_RUN.match(piece) and not is_word(piece * 2):
                    yield Edit(pos + len(s) - k, pos + len(s), "", "heading tail printed twice")
                    break


drop_doubled_heading_tails = as_fixer(find_doubled_tails)
