"""Characters that look right but are the wrong code points.

PDF extractors and OCR engines emit Kangxi radicals (U+2F00-U+2FDF) and CJK
radical-supplement forms where the font drew an ordinary ideograph, CJK
compatibility ideographs from legacy encodings, full-width digits and Latin
letters from GB2312-era typesetting, control and zero-width characters from
text layers, and line separators of every platform. All become the plain
character. We never apply NFKC to the whole text: it would also narrow the
full-width punctuation that Chinese text must keep.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

import regex

from ..model import Edit, EditList
from .base import Context, as_fixer


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    # Kangxi radicals and the radicals supplement: NFKC names the unified
    # ideograph the radical stands for (where Unicode records one).
    for cp in list(range(0x2F00, 0x2FE0)) + list(range(0x2E80, 0x2F00)):
        ch = chr(cp)
        mapped = unicodedata.normalize("NFKC", ch)
        if mapped != ch and len(mapped) == 1:
            table[ch] = mapped
    # Full-width digits and Latin letters: typeset in GB2312, read as such.
    for cp in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):
        table[chr(cp)] = chr(cp - 0xFEE0)
    # Controls (C0 but tab and newline, DEL, C1), zero-width characters, the
    # soft hyphen and a BOM inside the text carry nothing printed.
    for cp in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), *range(0x7F, 0xA0)]:
        table[chr(cp)] = ""
    for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
        table[ch] = ""
    # Line and paragraph separators, and old Mac line ends, are line breaks.
    # A form feed separates pages: a blank line keeps the pages apart.
    table["\u2028"] = "\n"
    table["\u2029"] = "\n\n"
    table["\x0c"] = "\n\n"
    return table


_TABLE = _build_table()
_ORDS = {ord(k): v for k, v in _TABLE.items()}
_NOTES = {k: unicodedata.name(k, "control") for k in _TABLE}  # what each change says it was
# The characters this pass deletes (controls, zero-width): other passes that
# must judge text as it will be after this one use the table.
INVISIBLE = {k: v for k, v in _ORDS.items() if v == ""}
# Ranges rather than a list of the table's characters: a short class is
# matched much faster, and by the standard library's engine faster still
# (see chars.char_class). Characters of a range with no entry are left alone.
_CHAR_CLASS = re.compile(
    "\r\n?|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2028\u2029\u2060\ufeff"
    "\u2e80-\u2fdf\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
)
# A str can hold surrogates (a decoder run with surrogateescape or
# surrogatepass, or text built in Python) that no encoder writes: a high and
# a low one together become the character they encode, a lone one U+FFFD.
_SURROGATES = frozenset(map(chr, range(0xD800, 0xE000)))
_SURROGATE = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
_SURROGATE_NOTE = {1: "lone surrogate", 2: "surrogate pair"}


def _unsurrogate(s: str) -> str:
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le") if len(s) == 2 else "\ufffd"


# A full-width full stop between digits is a decimal point once the digits
# are narrowed (５．６１ -> 5.61).
_FW_DECIMAL = regex.compile(r"(?<=[0-9０-９])．(?=[0-9０-９])")


def find_odd_characters(text: str, ctx: Context) -> Iterator[Edit]:
    """Code points that stand for an ordinary character, and invisible ones.

    >>> from cleanup.passes.characters import normalize_characters
    >>> normalize_characters("⾦额２０２３元")
    '金额2023元'
    """
    # Three kinds of edits, each found in page order and merged: nothing is
    # held per character or line but the NFC edits (compactly), which say
    # where the other edits fall inside a piece replaced whole.
    nfc = EditList(_nfc_edits(text)) if not unicodedata.is_normalized("NFC", text) else EditList()
    starts, ends = nfc.starts, nfc.ends

    def kept(e: Edit) -> bool:
        """Not inside a piece replaced whole (an NFC edit of two or more characters)."""
        k = bisect_right(starts, e.start) - 1
        return k < 0 or ends[k] <= e.start or ends[k] - starts[k] < 2

    others = heapq.merge(_table_edits(text), _decimal_edits(text), key=lambda e: e.start)
    return heapq.merge(filter(kept, others) if len(nfc) else others, nfc, key=lambda e: e.start)


def _table_edits(text: str) -> Iterator[Edit]:
    for m in _CHAR_CLASS.finditer(text):
        s = m.group()
        if s.startswith("\r"):
            yield Edit(m.start(), m.end(), "\n", "line end")
        elif s in _TABLE:
            yield Edit(m.start(), m.end(), _TABLE[s], _NOTES[s])
        elif s[0] in _SURROGATES:
            yield Edit(m.start(), m.end(), _unsurrogate(s), _SURROGATE_NOTE[len(s)])


def _decimal_edits(text: str) -> Iterator[Edit]:
    for m in _FW_DECIMAL.finditer(text):
        yield Edit(m.start(), m.end(), ".", "decimal point")


def _nfc_edits(text: str) -> Iterator[Edit]:
    """NFC edits of the lines that need them, in order (lines read one at a time)."""
    pos, size = 0, len(text)
    while pos <= size:
        end = text.find("\n", pos)
        if end < 0:
            end = size
        line = text[pos:end]
        if not unicodedata.is_normalized("NFC", line):
            # a CRLF's CR is left to its own edit: it is the line's end
            core = line[:-1] if line.endswith("\r") and end < size else line
            # surrogates keep their own edits: the pieces between them
            cuts = [m.span() for m in _SURROGATE.finditer(core)] if _SURROGATE.search(core) else []
            bounds = [0, *(x for span in cuts for x in span), len(core)]
            for a, b in zip(bounds[::2], bounds[1::2]):
                yield from _nfc(core[a:b], pos + a)
        pos = end + 1


def _nfc(piece: str, pos: int) -> list[Edit]:
    """NFC edits of a piece of a line at pos: a character at a time, or the
    piece whole where a combining sequence composes (never one character)."""
    per_char = [unicodedata.normalize("NFC", c) for c in piece]
    whole = unicodedata.normalize("NFC", piece)
    if whole != "".join(per_char):
        # combining sequences: normalise the piece as a whole, the other
        # characters first and line ends too (a lone CR is a line break)
        whole = unicodedata.normalize("NFC", _FW_DECIMAL.sub(".", piece.translate(_ORDS)).replace("\r", "\n"))
        return [Edit(pos, pos + len(piece), whole, "NFC")]
    return [
        Edit(pos + i, pos + i + 1, nfc, "NFC")
        for i, (ch, nfc) in enumerate(zip(piece, per_char))
        if nfc != ch and ch not in _TABLE
    ]


normalize_characters = as_fixer(find_odd_characters)
