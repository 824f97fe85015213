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
  punctuation continues only when a word of the lexicon straddles the cut)
  and does not start with a line far wider than the paragraph's column (a
  photo caption set across the columns, another box);
- the joint is empty between Chinese characters, one space between Latin
  words, and a Latin word hyphenated at the line end is rejoined.
"""

from __future__ import annotations

import statistics
import unicodedata
from array import array
from collections.abc import Sequence

import regex

from ..chars import ends_sentence, leaves_open
from ..lexicon import spans_word
from ..linekinds import (
    COLUMN_MIN_LINES,
    FURNITURE_MAX,
    NAME_START,
    ROLE_AT_LEAD_END,
    ROLE_ENDS,
    column_width,
    credit_at_end,
    display_width,
    furniture_and_leads,
    has_body_punct,
    is_byline,
    is_credit,
    is_furniture,
    is_headline_like,
    is_lead,
    is_rubric,
    printed_lines,
    sets_roles_apart,
    squash,
    unspaced,
    width,
)
from ..model import Block, Change, ChangeColumns
from ..positions import Origins, Runs
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
_ROLE_SPACE = "line wrap between a byline's role and name: the space it took"
# A printed line this many times as wide as a column is set outside it.
OTHER_COLUMN = 1.5
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


def _is_headline_group(lines: tuple[str, ...], rules: Rules | None = None, many: bool = False) -> bool:
    """Short lines without running-text punctuation: a headline group. With
    many, any number of them (lines around a byline: a header, as cleanup's
    own text output prints one; a narrow column has punctuation somewhere)."""
    if rules is not None and is_lead(lines[0], rules):
        return False
    return (many or len(lines) <= HEADLINE_GROUP_MAX) and all(is_headline_like(x) for x in lines)


# One name of a byline (a line that finishes a wrapped byline).
_NAME = regex.compile(r"[\p{Han}·]{2,4}$")


def _wrapped_furniture(lines: tuple[str, ...], line: int, rules: Rules) -> tuple[str, list[Change]] | None:
    """A byline or credit wrapped over two or three lines, joined, and the joins.

    The lines are joined with a space (``本报通讯员 林奥`` / ``孙宇``) or, when
    that is no byline, as running text is where that makes a photo credit
    whose name the wrap cut (``本报通讯员张晓`` / ``丹 摄`` is
    ``本报通讯员张晓丹 摄``; joined with a space, the space pass would leave
    ``张晓 丹摄``, a byline of two names, for a second cleaning to join).
    Bylines are not joined so: a one-character headline line under a
    byline (``记者红丽`` / ``人``) would become part of the name.
    """
    if any(is_rubric(x, rules) for x in lines):
        return None  # a column's name (记者手记) is no part of a byline
    if is_furniture(lines[0], rules) or is_furniture(unspaced(lines[0]), rules):
        # complete alone: only a name, 摄 or a byline finish it
        return _finished_furniture(lines, line, rules)
    if any(is_furniture(x, rules) for x in lines[1:]):
        return None  # a byline whole on a later line finishes nothing above it (通讯员 / 本报通讯员 丁丁)
    spaced = " ".join(x.strip() for x in lines)
    if is_credit(spaced, rules) or is_byline(spaced, rules) or is_byline(unspaced(spaced), rules):
        return spaced, _space_joins(lines, line)
    return _credit_cut_in_name(lines, line, rules)


def _finished_furniture(lines: tuple[str, ...], line: int, rules: Rules) -> tuple[str, list[Change]] | None:
    """A byline or credit line and the lines that finish it (a second name,
    another byline, ``摄``), joined, and the joins; None when they do not
    (``本报通讯员孙宇`` / ``伊通总工会`` is a byline and a headline, though the
    byline patterns take any run of Han characters for names)."""
    if is_credit(lines[0], rules) or any(is_rubric(x, rules) for x in lines[1:]):
        return None  # a credit ends with its 摄, a column's name finishes no byline
    spaced = " ".join(x.strip() for x in lines)
    probe = unspaced(spaced)
    # names go on only a list of names (spaced: 本报通讯员 林奥 / 孙宇), not
    # 本报记者红丽 / 务员 (a kicker under the byline, as the text output prints one)
    listed = " " in squash(lines[0])
    names = all(
        (listed and _NAME.match(unspaced(x))) or is_byline(x, rules) or is_byline(unspaced(x), rules)
        for x in lines[1:]
    )
    byline = is_byline(spaced, rules) or is_byline(probe, rules)
    if is_credit(spaced, rules) or (names and byline):
        return spaced, _space_joins(lines, line)
    return _credit_cut_in_name(lines, line, rules)


def _space_joins(lines: tuple[str, ...], line: int) -> list[Change]:
    return [
        Change(NAME, line + i - 1, len(lines[i - 1].rstrip()) + 1, "\n", " ", "byline wrap")
        for i in range(1, len(lines))
    ]


def _credit_cut_in_name(lines: tuple[str, ...], line: int, rules: Rules) -> tuple[str, list[Change]] | None:
    """Lines joined as running text is, when that makes a photo credit whose
    name the wrap cut (a piece of one character at the cut: 记者节 / 致敬新闻人
    is no name), and the joins."""
    if not any(_cut_in_name(lines[i - 1], lines[i]) for i in range(1, len(lines))):
        return None
    text, prev, joins = lines[0].strip(), lines[0].strip(), []
    for i in range(1, len(lines)):
        indent = len(lines[i - 1]) - len(lines[i - 1].lstrip())
        left, sep, right, change = _joint_change(prev, lines[i].strip(), line + i - 1, indent)
        text = text[: len(text) - len(prev)] + left + sep + right
        prev = right
        joins.append(change._replace(note="byline wrap"))
    return (text, joins) if is_credit(text, rules) else None


def _cut_in_name(a: str, b: str) -> bool:
    """A wrap between a and b left a piece of one character on either side."""
    left, right = a.split(), b.split()
    return bool(left and right) and (len(left[-1]) == 1 or len(right[0]) == 1)


def _byline_across_break(a: Block, b: Block, rules: Rules) -> tuple[str, list[Change]] | None:
    """A byline cut in two by a column break (``记者`` / blank / ``公务``):
    the second line is not furniture alone, together they are (the first
    line may be, when the second finishes it: ``本报通讯员伊宣`` / ``摄``). (Printed on two
    lines of one block they are joined as a wrapped byline, which is how
    cleanup's own text output, one header line a line, is read again.)"""
    # (a byline already put together goes on taking the names cut from it, as a
    # second cleaning, reading them on one block, would)
    if len(a.lines) != 1 or len(b.lines) != 1 or a.mark or b.mark or a.role not in (None, "byline"):
        return None
    if b.role or b.gap >= HARD_GAP:
        return None
    tail, head = a.lines[0].strip(), b.lines[0].strip()
    if not tail or not head or is_furniture(head, rules):
        return None
    if width(tail) > FURNITURE_MAX or width(head) > FURNITURE_MAX:
        return None
    joined = _wrapped_furniture((tail, head), b.line - 1, rules)
    if joined is None:
        return None
    text, (join,) = joined
    return text, [Change(NAME, b.line, 1, "\n\n", join.after, "byline cut by a column break")]


# Two phrases of two or more Han characters with one space between: the
# parallel halves of a headline; running text has no such space.
_PHRASES = regex.compile(r"\p{Han}{2,}[”’」』》]* [“‘「『《]*\p{Han}{2,}")
# A line this much narrower than its block's column does not fill it
# (twice this much: a paragraph's indented first line is narrower by two),
HEADER_SLACK = 2.0
# nor does a line this share of a narrow column.
NARROW_HEADER = 0.75


def _header_lines(
    lines: Sequence[str], widths: Sequence[float], col: float, furniture: bytearray, leads: bytearray
) -> tuple[bytearray, bytearray]:
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
    # (a byte a line for each answer: a page of a million one-character
    # lines would take 8 bytes a line in a list of bools)
    n = len(lines)
    out = bytearray(n)
    rest = bytearray(n)
    subtitle = bytearray((s := x.strip()).startswith("——") and not has_body_punct(s) for x in lines)
    # lines standing right above a lead (本报讯…): the headline it opens under,
    # however wide the column they fill
    above_lead = bytearray(n)
    # and lines standing above a —— subtitle: the title (and kicker) over it,
    # as wide as a narrow column's lines as they may be (我身边的共产党员 /
    # “片警老赵”的三本账 / ——记…), when a paragraph's end comes before them
    above_subtitle = bytearray(n)
    for j in range(n):
        if leads[j] or subtitle[j]:
            mark = above_lead if leads[j] else above_subtitle
            for i in range(j - 1, max(-1, j - 1 - HEADLINE_GROUP_MAX), -1):
                if not is_headline_like(lines[i].strip()):
                    break
                mark[i] = True
    before = ""
    for i, line in enumerate(lines):
        s = line.strip()
        if i:
            before = lines[i - 1].strip()
        if not s or leads[i]:
            continue
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
                or above_lead[i]
                or above_subtitle[i]
            )
    return out, rest


def _split_block(
    b: Block,
    ctx: Context,
    changes: ChangeColumns,
    furniture: bytearray,
    leads: bytearray,
    spaced_roles: bool = False,
) -> list[Block]:
    """Paragraphs (and headline groups) of one block.

    furniture and leads say which of its lines are bylines, credits, jump
    lines or separators, and which open with a lead (本报讯…).
    """
    lines = b.lines
    rules = ctx.rules
    n = len(lines)
    if n <= 3:
        wrapped = _wrapped_furniture(lines, b.line, rules)
        if wrapped is not None:
            text, joins = wrapped
            changes.extend(joins)
            return [b._replace(lines=(text,), role="byline")]
    # a byline or credit that opens or closes a longer block, finished on
    # the lines after it (本报通讯员 林奥 / 孙宇 / 近日…, …。 / 通讯员陈雷 / 摄):
    # joined as it is when it is the whole block
    for k in (3, 2):
        if n > k and furniture[0] and not furniture[1]:
            found = _finished_furniture(lines[:k], b.line, rules)
            if found is not None:
                changes.extend(found[1])
                rest = Block(lines[k:], b.line + k, gap=0)
                return [
                    b._replace(lines=(found[0],), role="byline"),
                    *_split_block(rest, ctx, changes, furniture[k:], leads[k:], spaced_roles),
                ]
        if n > k and furniture[n - k] and not furniture[n - k + 1]:
            found = _finished_furniture(lines[n - k :], b.line + n - k, rules)
            if found is not None:
                before = b._replace(lines=lines[: n - k])
                opening = _split_block(before, ctx, changes, furniture[: n - k], leads[: n - k], spaced_roles)
                changes.extend(found[1])
                return [*opening, Block((found[0],), b.line + n - k, role="byline", gap=0)]
    # 本报讯 opens a paragraph, under its headline; bylines and jump lines
    # stand between headline lines (cleanup's own header: title, subtitle,
    # byline) without making them a paragraph
    heads = (tuple(x for x, f in zip(lines, furniture) if not f) or lines) if any(furniture) else lines
    if not any(leads) and _is_headline_group(heads, many=len(heads) < n):
        return [b]
    # 4 bytes a line, not a float object: widths are whole or half columns, exact in 32 bits
    widths = array("f", map(width, lines))
    col = column_width(widths)
    full = col - FULL_LINE_SLACK if n >= 3 else float("inf")  # a line this wide fills the column
    short = SHORT_LINE * col if n >= 3 else -1.0  # a line narrower ends its paragraph
    if n >= COLUMN_MIN_LINES:
        header, wrapped_head = _header_lines(lines, widths, col, furniture, leads)
    else:
        header = wrapped_head = bytearray(n)
        # a short block that opens with headline lines and then a lead
        # (全民健身 活力定湖 / 2024定湖半程马拉松鸣枪开跑 / 本报4月14日讯 / …): they
        # are the headline it opens under, as in a long block, however wide
        first_lead = leads.find(1)
        if first_lead > 0 and all(
            not furniture[k] and is_headline_like(lines[k].strip()) for k in range(first_lead)
        ):
            header = bytearray([1] * first_lead + [0] * (n - first_lead))
            # the column is the body's, not the headline's
            col = column_width(widths[first_lead:])
            full = col - FULL_LINE_SLACK if n - first_lead >= 3 else float("inf")
            short = SHORT_LINE * col if n - first_lead >= 3 else -1.0
    out: list[Block] = []
    # with exact positions asked for: where each printed line stands in the
    # blocks' source, and the runs of the paragraph so far (None: unknown)
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]
    src = origins.line_origin(b.line, lines[0]) if origins is not None else None
    runs = _start_runs(src, lines[0]) if origins is not None else None
    # the paragraph so far as pieces (joining strings one by one would copy
    # it at every line); offset is the length of the pieces before the last
    pieces, offset, start = [lines[0]], 0, b.line
    for i in range(1, n):
        a, nxt, w = lines[i - 1], lines[i], widths[i - 1]
        stop = (
            furniture[i - 1]
            or furniture[i]
            or (header[i - 1] and not wrapped_head[i])
            or header[i]
            or (w < short and not ROLE_AT_LEAD_END.search("".join(a.split())))
            or (ends_sentence(a) and w < full)
            or leads[i]
            or (
                w < SHORT_LINE * col
                and is_headline_like(a)
                and not leaves_open(a)  # （维 / 焦，全: as across a blank line (_short_line_continues)
                and not has_body_punct(cur := "".join(pieces))
                and not is_lead(cur, rules)  # 本报讯 alone on a line opens the paragraph
            )
        )
        nxt_src = origins.line_origin(b.line + i, nxt) if origins is not None else None
        if stop:
            text = _paragraph(pieces, runs, origins)
            out.append(Block((text,), start, b.mark if not out else 0, gap=b.gap if not out else 0))
            pieces, offset, start = [nxt], 0, b.line + i
            src = nxt_src
            runs = _start_runs(src, nxt) if origins is not None else None
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
            # what joint() would say, without its string work; but a line
            # ended between a byline's role and its name took the space
            # printed there with it
            role = spaced_roles and tail in ROLE_ENDS and _role_cut_from_name(pieces[-1], nxt)
            sep, note = (" ", _ROLE_SPACE) if role else ("", "line wrap")
            at = offset + len(pieces[-1])
            if origins is not None and src is not None:
                changes.append(Change(NAME, *origins.line_col(src + len(pieces[-1])), "\n", sep, note))
            else:
                changes.append(Change(NAME, b.line + i - 1, at + 1, "\n", sep, note))
            pieces[-1] += sep
            offset = at + len(sep)
            pieces.append(nxt)
            if runs is not None:
                runs = _add_run(runs, offset, nxt_src, nxt)
            src = nxt_src
            continue
        left, sep, right, change = _joint_change(pieces[-1], nxt, b.line + i - 1, offset)
        if origins is not None and src is not None:
            change = change._replace(line=(pos := origins.line_col(src + len(left)))[0], column=pos[1])
        changes.append(change)
        if runs is not None:  # the last piece loses what the joint took from it
            runs.size[-1] -= len(pieces[-1]) - len(left)
        pieces[-1] = left + sep
        offset += len(pieces[-1])
        pieces.append(right)
        cut = len(nxt) - len(right)
        if runs is not None:
            runs = _add_run(runs, offset, None if nxt_src is None else nxt_src + cut, right)
        src = None if nxt_src is None else nxt_src + cut
        if _starts_with_mark(right):
            pieces, offset = [unicodedata.normalize("NFC", "".join(pieces))], 0
            runs = src = None  # (normalised: its pieces no longer line up with the source)
    text = _paragraph(pieces, runs, origins)
    out.append(Block((text,), start, b.mark if not out else 0, gap=b.gap if not out else 0))
    return out


def _start_runs(src: int | None, line: str) -> Runs | None:
    """The runs of a paragraph that starts with printed line `line`, found at src."""
    if src is None:
        return None
    runs = Runs("")
    runs.add(0, src, len(line))
    return runs


def _add_run(runs: Runs, at: int, src: int | None, piece: str) -> Runs | None:
    """runs with piece (found at src) at paragraph offset at; None when src is unknown."""
    if src is None:
        return None
    runs.add(at, src, len(piece))
    return runs


def _paragraph(pieces: list[str], runs: Runs | None, origins: Origins | None) -> str:
    """The paragraph of pieces (its runs kept by origins, when known)."""
    text = "".join(pieces)
    if origins is not None and runs is not None and len(pieces) > 1:
        runs.text = text
        origins.keep(runs)
    return text


def _role_cut_from_name(line: str, nxt: str) -> bool:
    """Does line end with a lead byline's role and nxt start with its name
    (本报讯（通讯员 / 潘丽娟）2月20日…)?"""
    return bool(ROLE_AT_LEAD_END.search("".join(line.split()))) and bool(NAME_START.match(nxt))


def _continues(
    a: Block, b: Block, ctx: Context, column: float, widths: tuple[float, float] = (0.0, 0.0)
) -> bool:
    """True when paragraph a, cut mid-sentence, goes on in block b.

    column is the width of the last column seen; widths are the width a's
    block was wrapped at (0 for a block of one line) and that of b's first
    printed line: a paragraph cut at a column end does not go on in a line
    much wider than its column (a photo caption across the columns, another
    box)."""
    if len(a.lines) != 1 or len(b.lines) != 1 or a.mark or b.mark or a.role or b.role:
        return False
    if min(widths) > 0 and widths[1] > OTHER_COLUMN * widths[0]:
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
    if leaves_open(tail):
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
    # the page sets a space between a byline's role and name (（记者 周敏）):
    # one that a line end swallowed is put back
    spaced_roles = any(sets_roles_apart(x) for b in blocks for x in b.lines)
    k = 0
    for b in blocks:
        n = len(b.lines) if len(b.lines) > 1 else 0
        if not n:
            parts = [b]
        elif n == len(furniture):  # the page is one block: no copies of its answers
            parts = _split_block(b, ctx, changes, furniture, leads, spaced_roles)
        else:
            parts = _split_block(b, ctx, changes, furniture[k : k + n], leads[k : k + n], spaced_roles)
        k += n
        units.extend(parts)
        owners.extend([b] * len(parts))
    out: list[Block] = []
    column = 0.0  # width of the last wrapped column seen
    seen: Block | None = None  # the block of the units before (measured once, not per unit)
    origins: Origins | None = ctx.option("origins")  # type: ignore[assignment]
    # the column the block of out[-1]'s end was wrapped at, and u's (0: one line, a headline group)
    wrapped_at = own = 0.0
    for b, u in zip(owners, units):
        first = 0.0
        if b is not seen:
            own = 0.0
            if len(b.lines) > 1 and not _is_headline_group(b.lines):
                column = own = column_width(array("f", map(width, b.lines)))
            first = display_width("".join(b.lines[0].split()))  # (a justified line's spaces are no width)
        seen = b
        cut = _byline_across_break(out[-1], u, ctx.rules) if out else None
        if cut is not None:
            found = cut[1]
            if origins is not None:
                keep, drop = len(out[-1].lines[0].rstrip()), _indent(u.lines[0])
                found = [_across(origins, out[-1], u, cut[0], c, keep, drop) for c in found]
            changes.extend(found)
            out[-1] = out[-1]._replace(lines=(cut[0],), role="byline")
        elif out and _continues(out[-1], u, ctx, column, (wrapped_at, first)):
            prev = out[-1]
            text, change = _join_two(prev.lines[0], u.lines[0], u.line)
            join = Change(NAME, u.line, 1, change.before + "\n", change.after, "column break")
            if origins is not None:
                left, _, right = joint(prev.lines[0], u.lines[0])
                join = _across(origins, prev, u, text, join, len(left), len(u.lines[0]) - len(right))
            changes.append(join)
            out[-1] = prev._replace(lines=(text,))
        else:
            out.append(u)
        wrapped_at = own
    return tuple(out), changes


def _across(origins: Origins, a: Block, b: Block, text: str, change: Change, keep: int, drop: int) -> Change:
    """change, the joint of paragraph a with the paragraph b after a break
    (which keeps a's first keep characters and drops b's first drop), as the
    source has it: what stands between them, and where. text, the joined
    paragraph, keeps their runs."""
    ra, rb = origins.runs(a.lines[0], a.line), origins.runs(b.lines[0], b.line)
    origins.joined(text, ra, rb)
    gap = origins.between(ra, keep, rb, drop)
    # (only blank space between them is what the joint removed; other text
    # between them, a column read in between, is not: the joint is then not
    # placed in the source)
    if gap is None or (gap[1].strip() and gap[1] != change.before):
        return change
    at, before = gap
    return change._replace(line=(pos := origins.line_col(at))[0], column=pos[1], before=before)


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip())
