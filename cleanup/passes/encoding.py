"""Damage done by decoding bytes with the wrong codec (mojibake).

Three kinds reach us:

- UTF-8 read as Latin-1 / cp1252 (``ä¸­å›½``): ftfy repairs it, configured
  to fix *only* the encoding. ftfy's defaults would also narrow full-width
  punctuation and uncurl quotes, turning ``（记者）他说：“你好！”`` into ASCII.
- UTF-8 read as GBK / GB18030 (``涓浗``): ftfy does not handle Chinese
  codecs; a line is re-encoded as GB18030 and decoded as UTF-8. A Chinese line
  that really is GBK text almost never forms valid UTF-8, so a strict decode
  that succeeds is strong evidence.
- GBK read as Latin-1 / cp1252 (``ÖÐ¹ú``): re-encoded and decoded as GB18030,
  kept only when the result is mostly Han text.

Each repair is done line by line, so a page with one damaged line keeps the
others as they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import ftfy
import regex

from ..chars import char_class, han_ratio
from ..model import Edit
from .base import Context, as_fixer
from .characters import INVISIBLE

# Only the encoding fixers: widths, quotes, line breaks and normalisation are
# the business of other passes (or must not change at all).
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# Lead bytes of multi-byte UTF-8 sequences seen through Latin-1/cp1252: a line
# without any of them cannot hold UTF-8-as-Latin-1 mojibake, so ftfy is
# skipped for it (the common case: a clean Chinese line).
_LATIN_MOJIBAKE = regex.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u0178\u02c6-\u02dc\u2013-\u203a\u20ac\u2122]"
)
# Latin-1 letters in quantity: GBK bytes read as Latin-1.
_LATIN_RUN = regex.compile(r"[\u00a1-\u00ff]{4,}")
# The characters normalize_characters deletes (not the line ends it rewrites:
# a CRLF page would make every line a suspect for nothing).
_INVISIBLE_RE = re.compile(char_class(chr(c) for c in INVISIBLE))
# UTF-8 read as GBK leaves no cheap mark (the result is dense in rare but
# valid ideographs), so the round trip is tried on every non-ASCII line and
# judged by strict decoding, which fails at once on real GBK-range text.


def _utf8_read_as_gbk(line: str) -> str | None:
    if len(line) < 4 or line.isascii():
        return None
    try:
        fixed = line.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if fixed == line or han_ratio(fixed) < 0.3:
        return None
    return fixed


def _gbk_read_as_latin(line: str) -> str | None:
    if not _LATIN_RUN.search(line):
        return None
    for codec in ("latin-1", "cp1252"):
        try:
            data = line.encode(codec)
        except UnicodeEncodeError:
            continue
        try:
            data.decode("utf-8")
            return None  # valid UTF-8 bytes: UTF-8 mojibake, ftfy's case
        except UnicodeDecodeError:
            pass
        try:
            fixed = data.decode("gb18030")
        except UnicodeDecodeError:
            continue
        if han_ratio(fixed) >= 0.5 and han_ratio(line) == 0:
            return fixed
    return None


def find_mojibake(text: str, ctx: Context) -> Iterator[Edit]:
    """Lines whose characters are another codec's reading of their bytes.

    >>> from cleanup.passes.encoding import fix_mojibake
    >>> fix_mojibake("ä¸­å›½")
    '中国'
    """
    for start, piece in _slices(text):
        lines = piece.split("\n")
        pos, done = start, 0
        for i in _suspects(piece, lines):
            pos += sum(len(x) for x in lines[done:i]) + i - done
            done = i
            raw = lines[i]
            found = _repair_line(raw)
            if found is None and _INVISIBLE_RE.search(raw):
                # as normalize_characters will leave it (controls and zero-width
                # characters gone), so a second cleaning finds nothing more; the
                # line as it is comes first, as C1 controls and the soft hyphen
                # are themselves bytes of UTF-8 mojibake
                found = _repair_line(raw.translate(INVISIBLE))
            if found is not None:
                yield Edit(pos, pos + len(raw), found[0], found[1])


# The most lines re-encoded at once when looking for UTF-8 read as GBK.
ROUND_TRIP_LINES = 4096


def _slices(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of runs of ROUND_TRIP_LINES lines of text: a huge page
    is judged a slice at a time, so its lines are never all held as strings
    (a page of a million short lines would take 20 times its size)."""
    start, size = 0, len(text)
    lines = _lines_pattern(ROUND_TRIP_LINES)
    while True:
        m = lines.match(text, start)  # (fails only where fewer lines are left)
        stop = m.end() if m else size
        if start == 0 and stop == size:
            yield 0, text
            return
        yield start, text[start:stop]
        if stop >= size:
            return
        start = stop + 1


@functools.lru_cache(maxsize=4)
def _lines_pattern(n: int) -> re.Pattern[str]:
    """n lines from where it is matched, the last without its line end."""
    return re.compile(rf"(?:[^\n]*\n){{{n - 1}}}[^\n]*")


def _suspects(text: str, lines: list[str]) -> list[int]:
    """Indices of the lines that may be mojibake; the others cannot be.

    Decided for the whole slice at C speed: each kind of damage has a mark
    (Latin-1 letters, UTF-8 lead bytes seen through Latin-1, invisible
    characters) found by one search of the slice, and UTF-8 read as GBK is
    found by one round trip of it (GB18030 never produces a newline byte,
    and an invalid UTF-8 sequence never swallows one, so the round trip's
    lines line up with the slice's).
    """
    found: set[int] = set()
    try:
        trips = text.encode("gb18030").decode("utf-8", "replace").split("\n")
    except UnicodeEncodeError:  # lone surrogates: every line is judged alone
        found.update(range(len(lines)))
    else:
        found.update(
            i for i, (line, trip) in enumerate(zip(lines, trips)) if trip != line and "\ufffd" not in trip
        )
    for mark in (_LATIN_RUN, _LATIN_MOJIBAKE, _INVISIBLE_RE):
        if mark.search(text):
            found.update(i for i, line in enumerate(lines) if mark.search(line))
    return sorted(found)


@functools.lru_cache(maxsize=1 << 10)
def _repair_line(line: str) -> tuple[str, str] | None:
    """(repaired line, what was wrong), or None.

    Memoised: ftfy takes a tenth of a millisecond a line, and a page of
    repeated lines (a rule, a running head) would pay it for every copy.
    """
    # GBK read as Latin-1 first: its test (strict decode, mostly Han) is the
    # strictest, and ftfy would read the same bytes as Cyrillic.
    fixed = _gbk_read_as_latin(line)
    if fixed is not None:
        return fixed, "GBK read as Latin-1"
    if _LATIN_MOJIBAKE.search(line):
        candidate = ftfy.fix_text(line, config=_FTFY)
        if candidate != line:
            return candidate, "UTF-8 read as Latin-1/cp1252"
    fixed = _utf8_read_as_gbk(line)
    if fixed is not None:
        return fixed, "UTF-8 read as GBK"
    return None


fix_mojibake = as_fixer(find_mojibake)
