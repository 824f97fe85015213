"""Line wraps and column breaks inside paragraphs.

Extractors keep every printed line end: narrow columns give lines of 10-25
characters; a paragraph that runs over a column or page end is cut by a blank
line. The pass makes one paragraph one line again:

- inside a block (lines without a blank line between them) a line is joined
  to the next unless it ends a sentence (and does not fill the column), is
  much shorter than the column, is
  furniture (byline, credit, jump line) or the next line opens an article;
  a block of short lines without running-text punctuation is a headline group
  and is left for assembly;
- across a blank line, a paragraph that stops mid-sentence is continued by the
  next block when that block is running text too (a short line without
  punctuation continues only when a word of the lexicon straddles the cut);
- the joint is empty between Chinese characters, one space between Latin
  words, and a Latin word hyphenated at the line end is rejoined.
"""

from __future__ import annotations

import statistics
import unicodedata
from array import array
from collections.abc import Sequence

import regex

from ..chars import ends_sentence
from ..lexicon import spans_word
from ..linekinds import (
    COLUMN_MIN_LINES,
    column_width,
    credit_at_end,
    furniture_and_leads,
    has_body_punct,
    is_byline,
    is_credit,
    is_furniture,
    is_headline_like,
    is_lead,
    printed_lines,
    width,
)
from ..model import Block, Change, ChangeColumns
from ..rules import Rules
from .base import Context

NAME = "join_wrapped_lines"

_LATIN_END = regex.compile(r"[A-Za-z0-9][.,;:!?)\"']?$")
_LATIN_START = regex.compile(r"^[A-Za-z0-9(\"']")
_HYPHENATED = regex.compile(r"[A-Za-z]-$")
_LOWER_START = regex.compile(r"^[a-z]")
# A line with no letter, digit or ideograph (a lone dash, a rule) is not a
# piece of a paragraph.
_WORDY = regex.compile(r"[\p{Han}\p{L}\p{N}]")

# A line that ends a sentence ends its paragraph, unless it fills the column
# (within this many columns): a paragraph's last line is rarely full, while a
# sentence often ends exactly at a line end inside a paragraph.
FULL_LINE_SLACK = 1.0
# A line shorter than this share of its block's column width ends a paragraph.
SHORT_LINE = 0.6
# Blank lines that end a paragraph for sure: no cut continues across them
# (cleanup's own text output marks a paragraph whose end was lost so).
HARD_GAP = 2
# A lone line this close to the column width may be a cut paragraph.
FULL_COLUMN = 0.8
# Without columns, a line without punctuation this wide may be a cut paragraph.
LONG_LINE = 10
# The most lines a headline group has; more short lines are a narrow column.
HEADLINE_GROUP_MAX = 4


def joint(a: str, b: str) -> tuple[str, str, str]:
    """(left, separator, right) to join line a with line b."""
    left, right = a.rstrip(), b.lstrip()
    if not (left[-1:].isascii() and right[:1].isascii()):
        return left, "", right  # Chinese on one side: nothing between
    if _HYPHENATED.search(left) and _LOWER_START.match(right):
        return left[:-1], "", right
    if _LATIN_END.search(left) and _LATIN_START.match(right):
        return left, " ", right
    return left, "", right


def _joint_change(a: str, b: str, line: int, offset: int) -> tuple[str, str, str, Change]:
    """joint(a, b) and its change; offset is the length of the text before a."""
    left, sep, right = joint(a, b)
    before = a[len(left) :] + "\n" + b[: len(b) - len(right)]
    return left, sep, right, Change(NAME, line, offset + len(left) + 1, before, sep, "line wrap")


def _join_two(a: str, b: str, line: int) -> tuple[str, Change]:
    left, sep, right, change = _joint_change(a, b, line, 0)
    joined = left + sep + right
    if _starts_with_mark(right):
        joined = unicodedata.normalize("NFC", joined)
    return joined, change


def _starts_with_mark(text: str) -> bool:
    """Combining marks meeting across a joint: the joined text needs NFC again."""
    return bool(text) and unicodedata.combining(text[0]) != 0


def _is_headline_group(lines: tuple[str, ...], rules: Rules | None = None) -> bool:
    if rules is not None and is_lead(lines[0], rules):
        return False
    return len(lines) <= HEADLINE_GROUP_MAX and all(is_headline_like(x) for x in lines)


# Two phrases of two or more Han characters with one space between: the
# parallel halves of a headline; running text has no such space.
_PHRASES = regex.compile(r"\p{Han}{2,}[”’」』》]* [“‘「『《]*\p{Han}{2,}")
# A line this much narrower than its block's column does not fill it
# (twice this much: a paragraph's indented first line is narrower by two),
HEADER_SLACK = 2.0
# nor does a line this share of a narrow column.
NARROW_HEADER = 0.75


def _header_lines(
    lines: Sequence[str], widths: Sequence[float], col: float, furniture: list[bool], leads: list[bool]
) -> tuple[list[bool], list[bool]]:
    """Which lines of a long block are headline lines standing among its columns' text,
    and which finish the headline line before them (a subtitle the column wrapped).

    Extractors that read a page box by box give one block with no blank line
    between a paragraph's end, the next box's headline lines and its text. A
    headline line looks like none of the column's lines: no running-text
    punctuation, and either narrower or wider than the column, or two
    parallel phrases, or a subtitle opening with ——. It stands after a
    paragraph's end (or another headline or furniture line), never inside a
    paragraph: a column line without punctuation that fills the column is
    running text.
    """
    n = len(lines)
    out = [False] * n
    rest = [False] * n
    stripped = [x.strip() for x in lines]
    subtitle = [s.startswith("——") and not has_body_punct(s) for s in stripped]
    for i, s in enumerate(stripped):
        if not s or leads[i]:
            continue
        before = stripped[i - 1] if i else ""
        after_end = i == 0 or out[i - 1] or furniture[i - 1] or ends_sentence(before)
        if subtitle[i]:
            # a —— subtitle stands under its title, itself a headline line
            out[i] = after_end or is_headline_like(before)
        elif i and subtitle[i - 1] and out[i - 1] and widths[i - 1] >= col - FULL_LINE_SLACK:
            # the rest of a subtitle the column wrapped: not a line of its own
            rest[i] = True
        elif after_end and is_headline_like(s):
            w = widths[i]
            # a paragraph's first line, indented two characters, is not narrow
            narrow = w < col - 2 * HEADER_SLACK or w <= NARROW_HEADER * col
            out[i] = (
                narrow
                or w > col + HEADER_SLACK
                or bool(_PHRASES.search(s))
                or (i + 1 < n and subtitle[i + 1])
            )
    return out, rest


def _split_block(
    b: Block, ctx: Context, changes: ChangeColumns, furniture: list[bool], leads: list[bool]
) -> list[Block]:
    """Paragraphs (and headline groups) of one block.

    furniture and leads say which of its lines are bylines, credits, jump
    lines or separators, and which open with a lead (本报讯…).
    """
    lines = b.lines
    rules = ctx.rules
    n = len(lines)
    if n <= 3:
        spaced = " ".join(x.strip() for x in lines)
        if is_credit(spaced, rules) or is_byline(spaced, rules):
            for i in range(1, n):
                changes.append(
                    Change(NAME, b.line + i - 1, len(lines[i - 1].rstrip()) + 1, "\n", " ", "byline wrap")
                )
            return [b._replace(lines=(spaced,), role="byline")]
    if not leads[0] and _is_headline_group(lines):
        return [b]
    widths = array("d", map(width, lines))  # (8 bytes a line, not a float object)
    col = column_width(widths)
    full = col - FULL_LINE_SLACK if n >= 3 else float("inf")  # a line this wide fills the column
    short = SHORT_LINE * col if n >= 3 else -1.0  # a line narrower ends its paragraph
    if n >= COLUMN_MIN_LINES:
        header, rest = _header_lines(lines, widths, col, furniture, leads)
    else:
        header = rest = [False] * n
    out: list[Block] = []
    # the paragraph so far as pieces (joining strings one by one would copy
    # it at every line); offset is the length of the pieces before the last
    pieces, offset, start = [lines[0]], 0, b.line
    for i in range(1, n):
        a, nxt, w = lines[i - 1], lines[i], widths[i - 1]
        stop = (
            furniture[i - 1]
            or furniture[i]
            or (header[i - 1] and not rest[i])
            or header[i]
            or w < short
            or (ends_sentence(a) and w < full)
            or leads[i]
            or (
                w < SHORT_LINE * col
                and is_headline_like(a)
                and not has_body_punct(cur := "".join(pieces))
                and not is_lead(cur, rules)  # 本报讯 alone on a line opens the paragraph
            )
        )
        if stop:
            out.append(
                Block(("".join(pieces),), start, b.mark if not out else 0, gap=b.gap if not out else 0)
            )
            pieces, offset, start = [nxt], 0, b.line + i
            continue
        tail, head = pieces[-1][-1], nxt[0]
        if (
            tail > "\x7f"
            and head > "\x7f"
            and not tail.isspace()
            and not head.isspace()
            and not unicodedata.combining(head)
        ):
            # the common case, Chinese meeting Chinese with nothing to strip:
            # what joint() would say, without its string work
            changes.append(Change(NAME, b.line + i - 1, offset + len(pieces[-1]) + 1, "\n", "", "line wrap"))
            offset += len(pieces[-1])
            pieces.append(nxt)
            continue
        left, sep, right, change = _joint_change(pieces[-1], nxt, b.line + i - 1, offset)
        changes.append(change)
        pieces[-1] = left + sep
        offset += len(pieces[-1])
        pieces.append(right)
        if _starts_with_mark(right):
            pieces, offset = [unicodedata.normalize("NFC", "".join(pieces))], 0
    out.append(Block(("".join(pieces),), start, b.mark if not out else 0, gap=b.gap if not out else 0))
    return out


def _continues(a: Block, b: Block, ctx: Context, column: float) -> bool:
    """True when paragraph a, cut mid-sentence, goes on in block b."""
    if len(a.lines) != 1 or len(b.lines) != 1 or a.mark or b.mark or a.role or b.role:
        return False
    if b.gap >= HARD_GAP:
        return False
    tail, head = a.lines[0].strip(), b.lines[0].strip()
    rules = ctx.rules
    if not tail or not head or ends_sentence(tail) or not _WORDY.search(tail):
        return False
    if is_furniture(tail, rules) or is_furniture(head, rules) or is_lead(head, rules):
        return False
    if credit_at_end(tail, rules):
        return False
    if is_headline_like(head) or (not has_body_punct(head) and width(head) <= 40):
        return False
    if is_headline_like(tail):
        return _short_line_continues(tail, head, column)
    return not _indented(head)


# A first printed line this much narrower than the paragraph's other lines
# was indented: it opens a paragraph (measured in display columns).
INDENT = 1.0


def _indented(line: str) -> bool:
    """True when a space-joined paragraph's first printed line is indented.

    Papers indent a paragraph's first line by two characters; extractors drop
    the indent but, joining printed lines with spaces, keep the line's length.
    A block that opens with a short printed line starts a paragraph, so a cut
    paragraph before it lost its end (lost text stays lost).
    """
    lines = printed_lines(line, least=2)
    if not lines or len(lines) < 3:
        return False
    typical = statistics.median(width(x) for x in lines[1:-1])
    return width(lines[0]) <= typical - INDENT


def _short_line_continues(tail: str, head: str, column: float) -> bool:
    """Is a line without punctuation (a heading?) the start of a paragraph?

    It is when it leaves a quote or bracket open (``…写入“村``). Otherwise the
    cut must fall inside a word (``…普法及安`` / ``全教育…``) and the line must
    look like running text: filling the column of a wrapped page, or, on a
    page of one-line paragraphs, long, without a phrase space, and followed by
    a real paragraph.
    """
    opened = tail.count("“") > tail.count("”") or tail.count("（") > tail.count("）")
    if opened:
        return True
    if not spans_word(tail[-3:], head[:3]):
        return False
    if column > 0:
        return width(tail) >= FULL_COLUMN * column
    return " " not in tail and width(tail) >= LONG_LINE and width(head) >= 2 * LONG_LINE


def join_wrapped_lines(blocks: tuple[Block, ...], ctx: Context) -> tuple[tuple[Block, ...], Sequence[Change]]:
    """Make every paragraph one line: join wraps and column-break cuts."""
    changes = ChangeColumns()  # a change per joined line: kept as columns
    units: list[Block] = []
    owners: list[Block] = []
    # the questions every printed line is asked, answered for the page at once
    many = [b for b in blocks if len(b.lines) > 1]
    # (a page that is one block of lines is asked as it is, not copied)
    wrapped: Sequence[str] = many[0].lines if len(many) == 1 else [x for b in many for x in b.lines]
    furniture, leads = furniture_and_leads(wrapped, ctx.rules)
    k = 0
    for b in blocks:
        n = len(b.lines) if len(b.lines) > 1 else 0
        if n and n == len(furniture):  # the page is one block: no copies of its answers
            parts = _split_block(b, ctx, changes, furniture, leads)
        else:
            parts = _split_block(b, ctx, changes, furniture[k : k + n], leads[k : k + n]) if n else [b]
        k += n
        units.extend(parts)
        owners.extend([b] * len(parts))
    out: list[Block] = []
    column = 0.0  # width of the last wrapped column seen
    seen: Block | None = None  # the block of the units before (measured once, not per unit)
    for b, u in zip(owners, units):
        if b is not seen and len(b.lines) > 1 and not _is_headline_group(b.lines):
            column = column_width(array("d", map(width, b.lines)))
        seen = b
        if out and _continues(out[-1], u, ctx, column):
            prev = out[-1]
            text, change = _join_two(prev.lines[0], u.lines[0], u.line)
            changes.append(Change(NAME, u.line, 1, change.before + "\n", change.after, "column break"))
            out[-1] = prev._replace(lines=(text,))
        else:
            out.append(u)
    return tuple(out), changes
