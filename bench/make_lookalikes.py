"""Build rules/ocr_lookalikes.tsv: characters that look alike, from shape data.

usage: python bench/make_lookalikes.py PYCORRECTOR_DIR CHAR_SIMILAR_DIR [--write rules/ocr_lookalikes.tsv]

The sources are the data files of two packages, fetched without installing
them (``pip download --no-deps pycorrector char-similar -d /tmp/x``, then
unzip the wheels):

- pycorrector 1.1.4 (Apache-2.0, https://github.com/shibing624/pycorrector):
  ``pycorrector/data/same_stroke.txt``, lines of characters of similar shape
  (the first character and its look-alikes); every two characters of a line
  are a pair;
- char-similar 0.0.2 (https://github.com/yongzhuo/char-similar; its metadata
  says MIT, the LICENSE file in its wheel is Apache-2.0):
  ``char_similar/data/char_stroke.dict`` (each character as its two parts),
  ``char_struct.dict`` (its structure: left-right, top-bottom, ...) and
  ``char_fourangle.dict`` (its four-corner code). Two characters of the
  same structure that share one of their two parts (the part shared by at
  most GROUP characters: 宀 heads hundreds) and agree in CORNERS or more of the
  first four digits of their four-corner codes (CORNERS) are a pair (汛/讯, 宏/安).

Only characters of jieba's dictionary with a log count of at least COMMON
as a word of their own are kept (rare characters are no reading the lexicon
could confirm). Pairs are symmetric. (The classic OCR pairs missing from
both, 己/已, 日/曰, 人/入, 大/太, 天/夭, 干/千, ..., are typed in by hand in
rules/ocr_classic.tsv.)
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cleanup.lexicon import words  # noqa: E402

COMMON = 4  # a character's own log count in jieba's dictionary, at least
GROUP = 60  # characters sharing a part, at most, for the part to count
CORNERS = 3  # four-corner digits (of the first four) two characters share, at least
HEADER = """\
# Characters that look alike: candidates for repair_ocr_characters, which
# replaces a character by one of its look-alikes only where jieba's lexicon
# reads the replacement as a much more likely text (see cleanup/passes/ocr.py).
# One line per character; lookalikes lists every character it may have been
# misread for. Made by `python bench/make_lookalikes.py PYCORRECTOR_DIR
# CHAR_SIMILAR_DIR --write rules/ocr_lookalikes.tsv` from:
# - pycorrector 1.1.4, pycorrector/data/same_stroke.txt (characters of similar
#   shape), Copyright shibing624, Apache License 2.0
#   (https://github.com/shibing624/pycorrector, http://www.apache.org/licenses/LICENSE-2.0);
# - char-similar 0.0.2, char_similar/data/char_stroke.dict, char_struct.dict,
#   char_fourangle.dict (parts, structure, four-corner code; two characters
#   of one structure sharing a part and three four-corner digits are a pair),
#   Copyright yongzhuo (https://github.com/yongzhuo/char-similar): the package
#   metadata says MIT License, the LICENSE file it ships is the Apache License
#   2.0; both allow this use with attribution, the stricter (Apache-2.0) is kept;
# (classic OCR pairs, 己/已, 日/曰, ..., are typed in by hand in ocr_classic.tsv).
# Only characters with a jieba log count of {common} or more as a word of their own.
# The derived table is distributed under the licences of its sources (copies
# in rules/licenses/).
#pass: repair_ocr_characters
#: char\tlookalikes
"""


def pycorrector_pairs(folder: Path) -> set[tuple[str, str]]:
    pairs = set()
    for line in (
        (folder / "pycorrector" / "data" / "same_stroke.txt").read_text(encoding="utf-8").splitlines()
    ):
        chars = line.split()
        pairs.update(itertools.permutations(chars, 2))
    return pairs


def char_similar_pairs(folder: Path, common: set[str]) -> set[tuple[str, str]]:
    data = folder / "char_similar" / "data"

    def load(name: str) -> dict:
        return json.loads((data / name).read_text(encoding="utf-8"))

    parts, struct, four = load("char_stroke.dict"), load("char_struct.dict"), load("char_fourangle.dict")
    groups: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for c, p in parts.items():
        if c in common and isinstance(p, list) and len(p) == 2:
            for k in (0, 1):
                groups[(struct.get(c, ""), k, p[k])].append(c)
    pairs = set()
    for members in groups.values():
        if len(members) > GROUP:
            continue
        for a, b in itertools.permutations(members, 2):
            fa, fb = four.get(a, ""), four.get(b, "")
            if sum(x == y for x, y in zip(fa[:4], fb[:4])) >= CORNERS:
                pairs.add((a, b))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pycorrector", type=Path, help="the unzipped pycorrector wheel")
    ap.add_argument("char_similar", type=Path, help="the unzipped char-similar wheel")
    ap.add_argument("--write", type=Path)
    args = ap.parse_args(argv)
    vocab = words()
    common = {w for w, n in vocab.items() if len(w) == 1 and n >= COMMON}
    pairs = {(a, b) for a, b in pycorrector_pairs(args.pycorrector) if a in common and b in common}
    print(f"pycorrector: {len(pairs)} pairs")
    cs = char_similar_pairs(args.char_similar, common)
    print(f"char-similar: {len(cs)} pairs")
    pairs |= cs
    table: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        table[a].add(b)
    lines = []
    for c in sorted(table):
        lines.append(f"{c}\t{''.join(sorted(table[c]))}")
    print(f"{len(lines)} characters, {sum(len(v) for v in table.values())} pairs")
    if args.write:
        args.write.write_text(HEADER.format(common=COMMON) + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
