"""ASCII punctuation in Chinese text, and straight quotes.

Extractors and OCR engines often emit ``, ; : ( ) ? ! .`` and ``"`` where
the paper printed the full-width marks (``.`` only right after Chinese
text). A mark is widened when Chinese text stands next to it (spaces ignored); it stays ASCII inside numbers
(``1,000``, ``9:00``), URLs and Latin phrases. Straight double quotes are
paired, per line, into ``“`` and ``”``; single quotes into ``‘`` and ``’``
only where they touch Chinese text (``don't`` keeps its apostrophe).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator

import regex

from ..chars import CJK, HSPACE, HSPACE_CHARS
from ..linekinds import within
from ..model import Edit, apply_edits
from .base import Context, as_fixer, lines_with

_CJK_CHAR = regex.compile(rf"[{CJK}]")
# A mark with Chinese text on one side (spaces between allowed), found in one
# regex pass rather than deciding mark by mark in Python; a full stop only
# right after Chinese text and not inside a number, an ellipsis or a word.
# A run of marks (,, or ?!) is one unit: widening only its first mark would
# leave the next one to a second cleaning.
# Linear whatever the page holds: a run is tried only where it starts (a
# search tried at every mark of a run of n marks reads n²/2 of them), taken
# whole (possessive: a shorter run never ends beside Chinese text, as the
# next character is a mark), and the lookbehinds, which read back over
# spaces, are tried only at a mark, so a run of spaces is read back over once.
_MARK_IN_CJK = regex.compile(
    rf"(?<![,;:?!()])(?=[,;:?!()])(?:(?<=[{CJK}]{HSPACE}*)[,;:?!()]++|[,;:?!()]++(?={HSPACE}*[{CJK}]))"
    rf"|(?=\.)(?<![.])(?<=[\p{{Han}}”’）]{HSPACE}*)\.(?![.A-Za-z0-9])"
)
# ASCII classes only: \w would also match Han and make the e-mail branch
# backtrack over every run of Chinese text. The local part of an address is
# tried only where a run of its characters starts (or where the last match
# ended, \G, as a search from every position would find), taken whole: a
# search from each letter of a long run without an @ after it is quadratic.
_URL = regex.compile(
    r"(?:https?://|www\.)[!-~]+"
    r"|(?:(?<![A-Za-z0-9._%+-])|\G)[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++\.[A-Za-z0-9.]+"
)
_HAS_MARK = regex.compile(r"[,;:()?!.]")
_PAREN_PAIR = regex.compile(r"\(([^()\n]*)\)")
_STRAIGHT_QUOTE = regex.compile("[\"']")
_DOUBLE_QUOTE = re.compile('"')
_SINGLE_QUOTE = re.compile("'")
_ANY_DOUBLE = re.compile('["“”]')
_CURLY_DOUBLE = regex.compile("[“”]")
_ANGLE = regex.compile("[〈〉《》]")
_BRACKET = re.compile("[（(〈《〉》）)]")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] in HSPACE_CHARS:
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _chinese_side(text: str, i: int) -> bool:
    return bool(_CJK_CHAR.match(_neighbour(text, i, -1) or "a")) or bool(
        _CJK_CHAR.match(_neighbour(text, i, 1) or "a")
    )


# Rounds of asking the widened lines again (see find_ascii_punctuation).
WIDEN_ROUNDS = 4


def find_ascii_punctuation(text: str, ctx: Context) -> Iterator[Edit]:
    """ASCII marks that stand in Chinese text.

    A widened mark is Chinese context for the marks next to it (``展.)``:
    the ``)`` follows ``。`` once the full stop is widened), so the lines
    that changed are asked again until nothing more is widened; otherwise
    a second cleaning would widen what the first left.

    >>> from cleanup.passes.punctuation import widen_punctuation
    >>> widen_punctuation("本报讯(通讯员 伊宣)为此,我们在9:00开会;价格5.61万元")
    '本报讯（通讯员 伊宣）为此，我们在9:00开会；价格5.61万元'
    >>> widen_punctuation("发展.)")
    '发展。）'
    """
    edits = _widen_once(text, ctx)
    found = {e.start: e for e in edits}
    # every decision is made within a line and edits keep the length: the
    # changed lines of the widened text are searched again, in place (a few
    # rounds: each widens a mark touching the last, and real text has runs
    # of two or three, so a page of alternating .).). is not quadratic)
    for _ in range(WIDEN_ROUNDS):
        if not edits:
            break
        widened = apply_edits(text, [found[i] for i in sorted(found)])
        more: list[Edit] = []
        for start in _line_starts(widened, (e.start for e in edits)):
            end = widened.find("\n", start)
            end = len(widened) if end < 0 else end
            more += [
                Edit(start + e.start, start + e.end, e.new, e.note)
                for e in _widen_once(widened[start:end], ctx)
                if start + e.start not in found
            ]
        found.update((e.start, e) for e in more)
        edits = more
    return iter([found[i] for i in sorted(found)])


def _line_starts(text: str, positions: Iterable[int]) -> list[int]:
    """The starts of the lines that hold the sorted positions, each once.

    Each search for a line end goes back only to the position before: on a
    line of a million characters, searching from each position to the
    line's start would be quadratic."""
    out: list[int] = []
    line_start, scanned = 0, 0
    for pos in positions:
        nl = text.rfind("\n", scanned, pos)
        if nl >= 0:
            line_start = nl + 1
        scanned = max(scanned, pos)
        if not out or out[-1] != line_start:
            out.append(line_start)
    return out


def _widen_once(text: str, ctx: Context) -> list[Edit]:
    table = ctx.rules.punctuation
    # (every URL and e-mail address has one of these: most pages have none)
    maybe_urls = "@" in text or "http" in text or "www." in text
    # (as spans: a set of every protected position took 100 bytes a character)
    urls = [
        (m.start() - 1, m.end())
        for m in (_URL.finditer(text) if maybe_urls else ())
        if ("(" in m.group() or _HAS_MARK.search(m.group()))
    ]
    in_url = within(urls)
    edits: dict[int, str] = {}  # position -> its full-width mark (an Edit each when yielded)
    paired: set[int] = set()
    # A pair of parentheses is widened as a pair when its content or its
    # outside touches Chinese text.
    for m in _PAREN_PAIR.finditer(text):
        o, c = m.start(), m.end() - 1
        paired.update((o, c))
        if urls and in_url(o):
            continue
        if _CJK_CHAR.search(m.group(1)) or _chinese_side(text, o) or _chinese_side(text, c):
            edits[o] = table.get("(", "（")
            edits[c] = table.get(")", "）")
    # a paired parenthesis was decided with its pair above
    for m in _MARK_IN_CJK.finditer(text):
        start, end = m.span()
        for i in range(start, end) if end - start > 1 else (start,):
            if i in paired or (urls and in_url(i)):
                continue
            ch = text[i]
            new = table.get(ch)
            if new is None or (ch in ",:" and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()):
                continue  # 1,000 and 9:00
            edits[i] = new
    return [Edit(i, i + 1, edits[i], "full-width in Chinese text") for i in sorted(edits)]


widen_punctuation = as_fixer(find_ascii_punctuation)


def _quote_in_cjk(line: str, i: int) -> bool:
    """A single quote touches Chinese text, looking past ASCII marks (``'好!'``)
    and spaces (``', 我``: once the comma is widened and the space removed,
    the quote touches 我, and a second cleaning would pair it)."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(line) and line[j] in ",;:?!. \t\u3000":
            j += step
        if 0 <= j < len(line) and _CJK_CHAR.match(line[j]):
            return True
    return False


def _turn(k: int) -> str:
    """The direction of a line's k-th double quote: open, close, open, …
    (Chinese text does not nest double quotes)."""
    return "“" if k % 2 == 0 else "”"


def _in_turn(count: int) -> list[str]:
    return [_turn(k) for k in range(count)]


def _alternating(marks: list[str]) -> list[str] | None:
    """The directions of a line's double quotes read open, close, open, …
    (Chinese text does not nest double quotes), if its curly ones agree."""
    if len(marks) % 2:
        return None
    want = _in_turn(len(marks))
    if any(m != '"' and m != w for m, w in zip(marks, want)):
        return None
    return want


def find_straight_quotes(text: str, ctx: Context) -> Iterator[Edit]:
    """Straight quotes in Chinese lines, paired open/close.

    Among curly ones, a straight quote takes the direction the line's
    quotes, read open, close, open, …, give it; where they give none (an odd
    count, a curly quote out of turn), the straight ones are paired alone.

    >>> from cleanup.passes.punctuation import pair_quotes
    >>> pair_quotes('开展"清河行动"工作')
    '开展“清河行动”工作'
    >>> pair_quotes('“一村一品”的"小产业"')
    '“一村一品”的“小产业”'
    """
    edits: list[Edit] = []
    for pos, line in lines_with(_STRAIGHT_QUOTE, text):
        if _CJK_CHAR.search(line):
            doubles = [m.start() for m in _DOUBLE_QUOTE.finditer(line)]
            if doubles:
                marks = [m.start() for m in _ANY_DOUBLE.finditer(line)]
                turns = _alternating([line[i] for i in marks])
                if turns is not None:
                    for i, w in zip(marks, turns):
                        if line[i] == '"':
                            edits.append(Edit(pos + i, pos + i + 1, w, "paired quote"))
                elif len(doubles) % 2 == 0:  # an odd count cannot be paired with certainty
                    for k, i in enumerate(doubles):
                        edits.append(Edit(pos + i, pos + i + 1, "“" if k % 2 == 0 else "”", "paired quote"))
            singles = [m.start() for m in _SINGLE_QUOTE.finditer(line) if _quote_in_cjk(line, m.start())]
            if singles and len(singles) % 2 == 0:
                for k, i in enumerate(singles):
                    edits.append(Edit(pos + i, pos + i + 1, "‘" if k % 2 == 0 else "’", "paired quote"))
    return iter(sorted(edits, key=lambda e: e.start))


def find_mirrored_quotes(text: str, ctx: Context) -> Iterator[Edit]:
    """A curly double quote turned the wrong way (``“种得出、卖不出“难题``), or a
    closing one read as a single quote (``“口袋公园'面积``), as OCR reads them.

    Chinese text does not nest double quotes, so a line's quotes read open,
    close, open, …; a quote is turned only when exactly one is out of turn
    and turning it makes the whole line's quotes alternate. A single quote
    stands for a double one only when the line has no other single quote and
    an odd count of double ones that it makes alternate.

    >>> from cleanup.passes.punctuation import repair_mirrored_quotes
    >>> repair_mirrored_quotes('为破解“种得出、卖不出“难题')
    '为破解“种得出、卖不出”难题'
    >>> repair_mirrored_quotes("这些“口袋公园'面积不等")
    '这些“口袋公园”面积不等'
    >>> repair_mirrored_quotes('“一村“二村”')  # two out of turn, or a lost one: left
    '“一村“二村”'
    """
    for pos, line in lines_with(_CURLY_DOUBLE, text):
        if '"' in line:
            continue  # pair_quotes' work; left alone
        # positions are streamed, never listed: a line of a million quotes
        # would hold an int object and more for each
        count = sum(1 for _ in _ANY_DOUBLE.finditer(line))
        single = line.find("'")
        extra: list[int] = []
        if (
            count % 2
            and single >= 0
            and line.find("'", single + 1) < 0
            and "‘" not in line
            and "’" not in line
            and _quote_in_cjk(line, single)
        ):
            extra, count = [single], count + 1
        if count % 2:
            continue
        off: tuple[int, str] | None = None
        marks = heapq.merge((m.start() for m in _ANY_DOUBLE.finditer(line)), extra)
        for k, i in enumerate(marks):
            w = _turn(k)
            if line[i] != w:
                if off is not None:
                    break
                off = (i, w)
        else:
            if off is not None:
                i, w = off
                single = line[i] == "'"
                note = "closing quote read as a single quote" if single else "quote turned the wrong way"
                yield Edit(pos + i, pos + i + 1, w, note)


def find_misread_brackets(text: str, ctx: Context) -> Iterator[Edit]:
    """An opening parenthesis read as an angle bracket (``〈记者 周敏）``,
    ``《下转第四版）``), or a closing one read so (``（记者 周敏》``), as OCR
    reads them: the bracket the mark pairs with says which it is.

    >>> from cleanup.passes.punctuation import repair_misread_brackets
    >>> repair_misread_brackets('本报讯〈记者 周敏）近日')
    '本报讯（记者 周敏）近日'
    >>> repair_misread_brackets('（详见《条例》）')  # a title inside parentheses: left
    '（详见《条例》）'
    """
    for pos, line in lines_with(_ANGLE, text):
        marks = [(m.start(), m.group()) for m in _BRACKET.finditer(line)]
        for k, (i, c) in enumerate(marks):
            if c in "〈《":
                after = marks[k + 1][1] if k + 1 < len(marks) else ""
                if after in "）)" and after:
                    yield Edit(pos + i, pos + i + 1, "（", "opening parenthesis read as an angle bracket")
            elif c in "〉》":
                before = marks[k - 1][1] if k else ""
                if before in "（(" and before:
                    yield Edit(pos + i, pos + i + 1, "）", "closing parenthesis read as an angle bracket")


pair_quotes = as_fixer(find_straight_quotes)
repair_misread_brackets = as_fixer(find_misread_brackets)
repair_mirrored_quotes = as_fixer(find_mirrored_quotes)
