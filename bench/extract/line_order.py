"""How well separate_interleaved_columns puts back the line order.

usage: python bench/extract/line_order.py [--split dev|test] [--pages]

PyMuPDF reads the corpus pages in order (see README): every line pdfminer
or pdftotext printed is found once among PyMuPDF's lines, whose order is
the true one. For each tool, the share of consecutive line pairs (both
found) that are consecutive in PyMuPDF's order: as the tool printed them,
and after separate_interleaved_columns.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from cleanup.model import blocks_from_text  # noqa: E402
from cleanup.passes.base import default_context  # noqa: E402
from cleanup.passes.interleave import separate_interleaved_columns  # noqa: E402

TEXT = HERE / "text"


def _key(line: str) -> str:
    return "".join(line.split())


def _adjacent(order: list[int | None]) -> tuple[int, int]:
    pairs = [(a, b) for a, b in itertools.pairwise(order) if a is not None and b is not None]
    return sum(b == a + 1 for a, b in pairs), len(pairs)


def page_order(tool: str, split: str, page: Path) -> tuple[tuple[int, int], tuple[int, int]]:
    ref = [_key(x) for x in (TEXT / "pymupdf" / split / page.name).read_text(encoding="utf-8").splitlines()]
    ref = [x for x in ref if x]
    where: dict[str, list[int]] = {}
    for i, x in enumerate(ref):
        where.setdefault(x, []).append(i)

    def index(line: str) -> int | None:
        hits = where.get(_key(line), [])
        return hits[0] if len(hits) == 1 else None

    blocks = blocks_from_text(page.read_text(encoding="utf-8"))
    out, _ = separate_interleaved_columns(blocks, default_context())
    before = [index(x) for b in blocks for x in b.lines if x.strip()]
    after = [index(x) for b in out for x in b.lines if x.strip()]
    return _adjacent(before), _adjacent(after)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--pages", action="store_true", help="a line per page")
    args = ap.parse_args()
    for tool in ("pdfminer", "pdftotext"):
        raw = new = pairs_raw = pairs_new = 0
        for page in sorted((TEXT / tool / args.split).glob("*.txt")):
            (a, n), (b, m) = page_order(tool, args.split, page)
            raw, pairs_raw, new, pairs_new = raw + a, pairs_raw + n, new + b, pairs_new + m
            if args.pages:
                print(f"  {tool} {page.stem}: {a / max(n, 1):.1%} -> {b / max(m, 1):.1%}")
        print(
            f"{tool} ({args.split}): next line is the true next {raw / pairs_raw:.1%} as printed, "
            f"{new / pairs_new:.1%} after separate_interleaved_columns"
        )


if __name__ == "__main__":
    main()
