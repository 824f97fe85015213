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

import re
import unicodedata
from collections.abc import Iterator

import regex

from ..model import Edit
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
    "\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2028\u2029\u2060\ufeff"
    "\u2e80-\u2fdf\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
)
# A full-width full stop between digits is a decimal point once the digits
# are narrowed (５．６１ -> 5.61).
_FW_DECIMAL = regex.compile(r"(?<=[0-9０-９])．(?=[0-9０-９])")


def find_odd_characters(text: str, ctx: Context) -> Iterator[Edit]:
    """Code points that stand for an ordinary character, and invisible ones.

    >>> from cleanup.passes.characters import normalize_characters
    >>> normalize_characters("⾦额２０２３元")
    '金额2023元'
    """
    edits: list[Edit] = []
    for m in _CHAR_CLASS.finditer(text):
        s = m.group()
        if s.startswith("\r"):
            edits.append(Edit(m.start(), m.end(), "\n", "line end"))
        elif s in _TABLE:
            edits.append(Edit(m.start(), m.end(), _TABLE[s], _NOTES[s]))
    for m in _FW_DECIMAL.finditer(text):
        edits.append(Edit(m.start(), m.end(), ".", "decimal point"))
    # NFC only matters where combining sequences or compatibility ideographs
    # occur; one check of the whole page keeps clean pages on the fast path.
    if not unicodedata.is_normalized("NFC", text):
        pos = 0
        for line in text.split("\n"):
            if not unicodedata.is_normalized("NFC", line):
                for i, ch in enumerate(line):
                    nfc = unicodedata.normalize("NFC", ch)
                    if nfc != ch and ch not in _TABLE:
                        edits.append(Edit(pos + i, pos + i + 1, nfc, "NFC"))
                # combining sequences: normalise the line as a whole
                whole = unicodedata.normalize("NFC", line)
                per_char = "".join(unicodedata.normalize("NFC", c) for c in line)
                if whole != per_char:
                    edits = [e for e in edits if not pos <= e.start < pos + len(line)]
                    line_fixed = _FW_DECIMAL.sub(".", line.translate(_ORDS))  # what the edits above did
                    whole = unicodedata.normalize("NFC", line_fixed.replace("\r", "\n"))
                    edits.append(Edit(pos, pos + len(line), whole, "NFC"))
            pos += len(line) + 1
    edits.sort(key=lambda e: e.start)
    return iter(edits)


normalize_characters = as_fixer(find_odd_characters)
