"""Count what a joint's strength says about two lines following each other.

usage: python bench/extract/joint_evidence.py

Recomputes ``EVIDENCE`` of cleanup/passes/interleave.py from the development
split only: for every line pdfminer or pdftotext printed and each of the 8
lines after it (both found once among PyMuPDF's lines, whose order is the
true one), the strength of the joint (``lexicon.joint_strength`` of the last
4 and first 4 characters) is counted for true successors and for the other
pairs; per bucket of strength, the log likelihood ratio of the two.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from cleanup.lexicon import joint_strength  # noqa: E402
from cleanup.passes.interleave import EVIDENCE, MAX_STRIDE, SIDE  # noqa: E402

TEXT = HERE / "text"


def _key(line: str) -> str:
    return "".join(line.split())


def _bucket(strength: int) -> int:
    return next(b for b, (top, _) in enumerate(EVIDENCE) if strength <= top)


def main() -> None:
    true: Counter[int] = Counter()
    other: Counter[int] = Counter()
    for tool in ("pdfminer", "pdftotext"):
        for page in sorted((TEXT / tool / "dev").glob("*.txt")):
            ref = [
                _key(x)
                for x in (TEXT / "pymupdf" / "dev" / page.name).read_text(encoding="utf-8").splitlines()
            ]
            where: dict[str, list[int]] = {}
            for i, x in enumerate(x for x in ref if x):
                where.setdefault(x, []).append(i)
            lines = [_key(x) for x in page.read_text(encoding="utf-8").splitlines() if x.strip()]
            index = [where[x][0] if len(where.get(x, [])) == 1 else None for x in lines]
            for i, a in enumerate(lines):
                for j in range(i + 1, min(len(lines), i + MAX_STRIDE + 1)):
                    if index[i] is None or index[j] is None:
                        continue
                    b = _bucket(joint_strength(a[-SIDE:], lines[j][:SIDE]))
                    (true if index[j] == index[i] + 1 else other)[b] += 1
    nt, nf = sum(true.values()), sum(other.values())
    print(f"{nt + nf} line pairs of the development split: {nt} successors, {nf} not")
    for b, (top, weight) in enumerate(EVIDENCE):
        pt, pf = true[b] / nt, other[b] / nf
        print(
            f"strength <= {top:2}: successors {pt:6.1%}, others {pf:6.1%}, "
            f"log ratio {math.log((pt + 1e-6) / (pf + 1e-6)):5.2f} (EVIDENCE: {weight:5.2f})"
        )


if __name__ == "__main__":
    main()
