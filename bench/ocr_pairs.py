"""Count the characters the OCR read in place of others, on the development split.

usage: python bench/ocr_pairs.py [--min N] [--write rules/ocr_pairs.tsv] [--top K]

For every Tesseract setting in ``bench/extract/text/tesseract-*`` and every
page of the **development** split only (the ``test`` split is held out and
never counted), each gold string (kicker, title, subtitle, byline, jump,
block) is located at its best local match in the OCR text, whitespace
removed on both sides (the alignment of ``bench/extract/score.py``'s
``floor``), and the two are aligned character by character (Levenshtein
edit operations). Every isolated substitution of one Han character by
another (two characters read right on either side: a longer run of
differences is mostly text the alignment lost track of) is a pair
``gold -> read``; the script prints the commonest, and with
``--write`` writes those seen at least ``--min`` times (default 1) as the
rules file ``rules/ocr_pairs.tsv`` (``read<TAB>gold<TAB>count``) with a
header saying how it was made. Punctuation substitutions are printed, not
written (they are handled by ``repair_ocr_punctuation``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from cleanup.chars import IS_HAN  # noqa: E402
from cleanup.evaluate import article_strings  # noqa: E402

EXTRACT = HERE / "extract"
SPLIT = "dev"  # never "test": the held-out pages are measured, not counted


CONTEXT = 2  # characters read right on each side of a counted substitution


def ocr_tools() -> list[str]:
    return sorted(p.name for p in (EXTRACT / "text").iterdir() if p.name.startswith("tesseract"))


def substitutions(gold: str, raw: str) -> Iterator[tuple[str, str]]:
    """(gold char, read char) of every substitution in the best local
    alignment of gold in raw (both without whitespace)."""
    al = partial_ratio_alignment(gold, raw)
    if al is None:
        return
    span = raw[al.dest_start : al.dest_end]
    ops = Levenshtein.opcodes(gold, span)
    for k, op in enumerate(ops):
        # an isolated substitution: one character for one, with at least
        # CONTEXT characters read right on either side (a longer replaced run
        # is mostly text the alignment could not follow: another column)
        if op.tag != "replace" or op.src_end - op.src_start != 1 or op.dest_end - op.dest_start != 1:
            continue
        before = ops[k - 1] if k else None
        after = ops[k + 1] if k + 1 < len(ops) else None
        if before is not None and (before.tag != "equal" or before.src_end - before.src_start < CONTEXT):
            continue
        if after is not None and (after.tag != "equal" or after.src_end - after.src_start < CONTEXT):
            continue
        yield gold[op.src_start], span[op.dest_start]


def count_pairs(
    split: str = SPLIT, pages_of: Callable[[str], bool] = lambda stem: True
) -> tuple[Counter[tuple[str, str]], int, int]:
    """Counter of (read, gold) pairs, the number of pages and of gold
    characters (of the pages whose stem pages_of accepts: a half of dev, to
    tune on the other half)."""
    if split == "test":
        raise SystemExit("the test split is held out: pairs are counted on dev only")
    pairs: Counter[tuple[str, str]] = Counter()
    pages = chars = 0
    for tool in ocr_tools():
        for txt in sorted((EXTRACT / "text" / tool / split).glob("page_*.txt")):
            if not pages_of(txt.stem):
                continue
            gold_file = EXTRACT / "gold" / split / f"{txt.stem}.jsonl"
            raw = "".join(txt.read_text(encoding="utf-8").split())
            pages += 1
            for line in gold_file.read_text(encoding="utf-8").splitlines():
                for s in article_strings(json.loads(line)):
                    s = "".join(s.split())
                    chars += len(s)
                    for g, r in substitutions(s, raw):
                        pairs[(r, g)] += 1
    return pairs, pages, chars


HEADER = """\
# Look-alike characters as Tesseract chi_sim read them, counted on the
# development split of the extraction corpus (bench/extract, seeds 1000-1011,
# printed pages OCRed at 200 and 300 dpi; the held-out test split is never
# counted). Made by `python bench/ocr_pairs.py --write rules/ocr_pairs.tsv`:
# each gold string is located at its best local match in the OCR text
# (whitespace removed) and aligned character by character; every isolated
# substitution (one Han character for another, with two characters read
# right on either side) is a pair. One line per character as read: gold
# lists the characters it stood for, commonest first, and seen how often
# each was seen ({pages} pages, {chars} gold characters).
# Candidates only: repair_ocr_characters replaces a character only where the
# lexicon decides (ocr_lookalikes.tsv holds the pairs from shape alone).
# Licence: generated from the project's own corpus, MIT.
#pass: repair_ocr_characters
#: read\tgold\tseen
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min", type=int, default=1, help="keep pairs seen at least this often")
    ap.add_argument("--write", type=Path, help="write the pairs as a rules file")
    ap.add_argument("--top", type=int, default=30, help="print the commonest pairs")
    args = ap.parse_args(argv)
    pairs, pages, chars = count_pairs()
    han = {k: n for k, n in pairs.items() if IS_HAN.fullmatch(k[0]) and IS_HAN.fullmatch(k[1])}
    other = {k: n for k, n in pairs.items() if k not in han}
    print(f"{pages} pages, {chars} gold characters, {sum(pairs.values())} substitutions")
    print(f"Han for Han: {sum(han.values())} in {len(han)} pairs; top {args.top}:")
    for (r, g), n in sorted(han.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {g} read as {r}: {n}")
    print("other substitutions (punctuation, Latin, digits):")
    for (r, g), n in sorted(other.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {g!r} read as {r!r}: {n}")
    if args.write:
        by_read: dict[str, list[tuple[int, str]]] = {}
        for (r, g), n in han.items():
            if n >= args.min:
                by_read.setdefault(r, []).append((-n, g))
        body = "".join(
            f"{r}\t{''.join(g for _, g in sorted(gs))}\t{','.join(str(-n) for n, _ in sorted(gs))}\n"
            for r, gs in sorted(by_read.items())
        )
        args.write.write_text(HEADER.format(pages=pages, chars=chars) + body, encoding="utf-8")
        print(f"wrote {sum(map(len, by_read.values()))} pairs ({len(by_read)} characters) to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
