"""Spaces the extractor added: justification, joined lines, spaced letters.

A space between two Chinese characters, or between Chinese text and
full-width punctuation, digits or Latin letters, was not printed — except:

- in bylines and credits (``本报通讯员 林奥 孙宇``) and inside the
  parentheses of a lead or credit (``本报讯（记者 常欣月 通讯员 伊宣）``);
- a single space separating two phrases of two or more Han characters each
  in a headline-like line (``抢抓机遇 蓄积动能``) or inside quotes in a
  paragraph that is not space-joined (``“节能降碳 你我同行”``).

A paragraph is *space-joined* when the extractor joined every printed line
with a space: then spaces inside quotes are join artifacts too. Spaces
between two Latin words stay (runs become one space); spaces at line ends go.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from ..chars import CJK, HSPACE, HSPACE_CHARS, char_class
from ..linekinds import (
    LEAD_OPEN,
    NAME_START,
    PHRASE_END,
    PHRASE_START,
    ROLE_AT_END,
    SPACE_JOINED,
    credit_at_end,
    credit_parens,
    is_byline,
    is_credit,
    is_headline_like,
    sets_roles_apart,
    within,
)
from ..model import Edit
from .base import Context, as_fixer, lines_with

_RUN = re.compile(char_class(HSPACE_CHARS) + "+")  # a plain class: the stdlib engine is faster
# A run of spaces with Chinese text on at least one side, found whole.
# Tried only where a run starts and taken whole: a search from every space of
# a long run, each reading the run to its end, is quadratic in the run.
_RUN_BY_CJK = regex.compile(rf"(?<=[{CJK}]){HSPACE}++|(?<!{HSPACE}){HSPACE}++(?=[{CJK}])")
_HAN = regex.compile(r"\p{Han}")
_ASCII_WORD = regex.compile(r"[A-Za-z0-9%.+\-_/&'\")(\]]")
# Parentheses whose content names people: the spaces inside are the credit's.
_QUOTED = regex.compile(r"“[^“”\n]*”|「[^「」\n]*」")


_NAME_LEFT = regex.compile(r"[\p{Han}·]{2,}$")
_NAME_RIGHT = regex.compile(r"^(?:[\p{Han}·]{2,}|[摄攝發发](?!\p{Han}))")  # a name, or the credit's 摄


def _separates_names(line: str, start: int, end: int) -> bool:
    return bool(_NAME_LEFT.search(line[max(0, start - 8) : start])) and bool(
        _NAME_RIGHT.match(line[end : end + 8])
    )


def _role_before_name(line: str, start: int, end: int) -> bool:
    """Does a byline's role, spelled out with or without spaces between its
    characters, end at start, and a name follow at end (通 讯 员 韩 冰)? The
    space between is the byline's own where the page sets roles and names
    apart."""
    left = "".join(line[max(0, start - 12) : start].split())
    right = "".join(line[end : end + 16].split())
    return bool(ROLE_AT_END.search(left)) and bool(NAME_START.match(right))


_LEAD_PARENS = regex.compile(rf"{LEAD_OPEN}[^（）()]*$")


def _in_lead_parens(line: str, at: int) -> bool:
    """Is position at inside the parentheses right after a lead's 讯 or 电?"""
    return bool(_LEAD_PARENS.search("".join(line[max(0, at - 40) : at].split())))


def _separates_phrases(line: str, start: int, end: int) -> bool:
    # a phrase is two Han characters plus closing marks: a short window will do
    return bool(PHRASE_END.search(line[max(0, start - 8) : start])) and bool(
        PHRASE_START.match(line[end : end + 8])
    )


def _line_edits(line: str, pos: int, ctx: Context, spaced_roles: bool = False) -> Iterator[Edit]:
    stripped = line.strip(HSPACE_CHARS)
    lead = len(line) - len(line.lstrip(HSPACE_CHARS))
    if lead:
        yield Edit(pos, pos + lead, "", "space at line start")
    tail_start = lead + len(stripped)

    # the runs between the first and last visible character, as (start, end),
    # read as needed (the spans of a line with a million runs are not held)
    def runs() -> Iterator[tuple[int, int]]:
        return (m.span() for m in _RUN.finditer(line, lead, tail_start))

    if is_byline(stripped, ctx.rules) or is_credit(stripped, ctx.rules):
        for a, b in runs():
            if line[a:b] != " ":
                yield Edit(pos + a, pos + b, " ", "one space in a byline")
    else:
        parens = "(" in line or "（" in line  # (most lines have no parentheses or quotes)
        credits = credit_parens(line) if parens else []
        tail_credit = credit_at_end(line, ctx.rules)
        if tail_credit:  # a caption and its credit on one line
            credits.append((tail_credit.start(), tail_credit.end() + 1))
            credits.sort()
        in_credit = within(credits)
        quotes = "“" in line or "「" in line
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(line)] if quotes else []
        in_quotes = within(quoted)
        headline = is_headline_like(stripped)

        def chinese(a: int) -> bool:  # the run at a has Chinese text on a side
            return _RUN_BY_CJK.match(line, a) is not None

        # whether the line is space-joined only matters for spaces inside quotes
        joined = (
            bool(quoted)
            and not headline
            and sum(1 for a, _ in runs() if chinese(a) and not (credits and in_credit(a))) >= SPACE_JOINED
        )
        for a, b in runs():
            if credits and in_credit(a):
                # a credit's spaces separate roles and names (记者 常欣月);
                # between single characters they are justification (杜 鹏飞)
                if _separates_names(line, a, b) or (spaced_roles and _role_before_name(line, a, b)):
                    if line[a:b] != " ":
                        yield Edit(pos + a, pos + b, " ", "one space in a credit")
                else:
                    yield Edit(pos + a, pos + b, "", "artifact space in a credit")
                continue
            if not chinese(a):
                if line[a:b] != " ":
                    yield Edit(pos + a, pos + b, " ", "one space between Latin words")
                continue
            if (
                (headline or (not joined and quoted and in_quotes(a)))
                and line[a:b] == " "
                and _separates_phrases(line, a, b)
            ):
                continue
            if spaced_roles and parens and _role_before_name(line, a, b) and _in_lead_parens(line, a):
                # a spaced-out lead (本 报 讯 （ 通 讯 员 韩 冰 ）): its role and name
                # keep the space the page sets between them
                if line[a:b] != " ":
                    yield Edit(pos + a, pos + b, " ", "one space between a byline's role and name")
                continue
            yield Edit(pos + a, pos + b, "", "artifact space")
    if tail_start < len(line):
        yield Edit(pos + tail_start, pos + len(line), "", "space at line end")


def find_artifact_spaces(text: str, ctx: Context) -> Iterator[Edit]:
    """Spaces inside Chinese text that were not printed.

    >>> from cleanup.passes.spaces import remove_artifact_spaces
    >>> remove_artifact_spaces("发 现 、早 报 告 ，研发中心 1 个")
    '发现、早报告，研发中心1个'
    """
    spaced_roles = sets_roles_apart(text)
    for pos, line in lines_with(_RUN, text):
        yield from _line_edits(line, pos, ctx, spaced_roles)


remove_artifact_spaces = as_fixer(find_artifact_spaces)
