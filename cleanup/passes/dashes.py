"""Glyphs standing where the Chinese dash —— was printed.

OCR reads the long dash as ``一一`` or a lone ``一`` ("one"); PDF text layers
give a single ``—``, ``――`` (U+2015), ``──`` (U+2500), ``－－`` or ``--``. The
glyph runs come from ``rules/dashes.tsv`` and become ``——`` next to Chinese
text; a run of one glyph only at a line's start (a subtitle's ``—记…``):
between two terms it is the connector (``中国—东盟``) and stays. A lone
``一`` becomes a dash only where "one" cannot be meant: at the start of
a headline-like line (a subtitle, ``一伊通…``) or between two phrases of
a headline-like line (``转变服务思路一夯实治理根基``), and only when no
word of the lexicon contains it there (``一社区一品牌``, ``第一版``,
``统一``: untouched).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

import regex

from ..chars import CJK, HSPACE_CHARS
from ..lexicon import covers, words
from ..linekinds import PHRASE_END, PHRASE_START, is_headline_like
from ..model import Edit
from .base import Context, as_fixer, lines_with

DASH = "——"
_CJK_CHAR = regex.compile(rf"[{CJK}]")
_HAN = regex.compile(r"\p{Han}")
_ONE = regex.compile("一")


def _glyph_pattern(glyphs: tuple[str, ...]) -> regex.Pattern[str]:
    alts = "|".join(regex.escape(g) for g in glyphs)
    # a glyph run must not be part of a longer run of dash-like characters
    return regex.compile(rf"(?<![—―─－\-])(?:{alts})(?![—―─－\-])")


_PATTERNS: dict[tuple[str, ...], regex.Pattern[str]] = {}


def _starts_word(text: str, i: int) -> bool:
    """True when a word of 3-4 characters starts at i (一一列举)."""
    vocab = words()
    return any(i + n <= len(text) and text[i : i + n] in vocab for n in (3, 4))


_SPACE_RUN = regex.compile(rf"[{regex.escape(HSPACE_CHARS)}]+")


def _phrase(left: str, right: str, last: bool) -> str:
    """The phrase of left before the 一 (last) or of right after it: cut at a
    space remove_artifact_spaces keeps (one ASCII space between two phrases
    of two or more Han characters: ``一堤 动仗``), not at an artifact space
    it removes (``务 思路``, ``思路一夯\u3000根基``)."""
    line = left + "一" + right
    offset = 0 if last else len(left) + 1
    text = left if last else right
    spaces = list(_SPACE_RUN.finditer(text))
    for m in reversed(spaces) if last else spaces:
        a, b = offset + m.start(), offset + m.end()
        if m.group() == " " and PHRASE_END.search(line[:a]) and PHRASE_START.match(line[b:]):
            return text[m.end() :] if last else text[: m.start()]
    return text


def _lone_one_dashes(line: str, openers: tuple[str, ...]) -> Iterator[int]:
    s = line.strip()
    if not is_headline_like(s) or s.count("一") != 1:
        return
    lead = len(line) - len(line.lstrip())
    i = line.index("一")
    # its neighbours are read past spaces, which remove_artifact_spaces takes
    # out later (思路 一 夯实 is 思路一夯实 once cleaned: the same dash)
    left, right = line[:i].rstrip(HSPACE_CHARS), line[i + 1 :].lstrip(HSPACE_CHARS)
    if i == lead and right.startswith(openers) and len(s) >= 6:
        yield i  # 一记… at a headline's start: the subtitle's ——记…
        return
    if covers(left + "一" + right, len(left)):  # 一 inside a word (统一, 第一, 一线): "one"
        return
    if i == lead and len(_HAN.findall(s)) >= 4:
        yield i
    elif (  # the phrases on either side (a split headline joined by a space has two)
        len(_HAN.findall(_phrase(left, right, last=True))) >= 3
        and len(_HAN.findall(_phrase(left, right, last=False))) >= 3
        and _HAN.match(left[-1:] or " ")
        and _HAN.match(right[:1] or " ")
    ):
        yield i


def find_dash_glyphs(text: str, ctx: Context) -> Iterator[Edit]:
    """Dash look-alikes next to Chinese text, and a lone 一 used as a dash.

    >>> from cleanup.passes.dashes import repair_dashes
    >>> repair_dashes("一伊通“三个转变”助推社区转型升级")
    '——伊通“三个转变”助推社区转型升级'
    """
    glyphs = ctx.rules.dash_glyphs
    if glyphs not in _PATTERNS:
        _PATTERNS[glyphs] = _glyph_pattern(glyphs)
    # made in order as they are found, not held: a page can hold a glyph every
    # few characters
    lone = [
        Edit(pos + i, pos + i + 1, DASH, "一 in a dash position")
        for pos, line in lines_with(_ONE, text)
        for i in _lone_one_dashes(line, ctx.rules.dash_openers)
    ]
    end = 0
    # a glyph run and a lone 一 never overlap, but be safe
    for e in heapq.merge(_glyph_edits(text, _PATTERNS[glyphs]), lone, key=lambda e: e.start):
        if e.start >= end:
            yield e
            end = e.end


def _glyph_edits(text: str, pattern: regex.Pattern[str]) -> Iterator[Edit]:
    for m in pattern.finditer(text):
        # context is read past spaces (the space pass removes them later),
        # walking from the match (a copy of the text before and after it
        # per match is quadratic in the page)
        b = m.start()
        while b > 0 and text[b - 1] in HSPACE_CHARS:
            b -= 1
        before = text[b - 1 : b]
        a = m.end()
        while a < len(text) and text[a] in HSPACE_CHARS:
            a += 1
        after = text[a : a + 1]
        at_line_start = not before or before == "\n"
        if m.group() == "一一" and _starts_word(text, m.start()):
            continue  # 一一列举, 一一对应: "one by one"
        if len(m.group()) == 1 and not at_line_start:
            continue  # a lone — between two terms is the connector (中国—东盟, 2016—2020年)
        if _CJK_CHAR.match(before or "a") or _CJK_CHAR.match(after or "a") or at_line_start:
            yield Edit(m.start(), m.end(), DASH, f"dash glyph {m.group()!r}")


repair_dashes = as_fixer(find_dash_glyphs)
