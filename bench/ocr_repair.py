"""Precision and recall of the OCR passes on the OCR pages of the extraction corpus.

usage: python bench/ocr_repair.py [--split dev|test|all] [--top 10] [--json]

For every Tesseract setting (``bench/extract/text/tesseract-*``) and split,
each page is cleaned twice: without the OCR passes (``--skip`` of every pass
the registry marks ``ocr``) and with them (``ocr=True``). The output text of
both (article strings in output order, whitespace removed) is aligned with
each other; every gold string is located at its best local match in the
first and aligned with it character by character, which tells, for each
character of the output, the gold character it stands for (or that it
stands for none: an inserted character).

- a *change* is a character the OCR passes replaced or removed;
- it is *right* when it became its gold character (or, removed, stood for
  none, or is a mark the gold page never has: ``|``); a change where the
  alignment gives no gold character with certainty (inside a run of several
  differences, or in text no gold string matches) is *unsure*: left out of
  ``precision``, counted wrong in ``strict``;
- *errors* are the differences between the gold strings and the output
  without the OCR passes (whitespace ignored): what the OCR left after every
  layout repair. ``subst`` is the share of them that are a single character
  read for another with the text around it right (what a character repair
  can reach; the rest is lost or garbled text);
- precision = right / (right + wrong); recall = right / errors.

The commonest repairs (read -> gold) and misses (gold read as, among the
isolated substitutions left) are listed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from cleanup import clean_page  # noqa: E402
from cleanup.evaluate import article_strings  # noqa: E402
from cleanup.registry import PASSES  # noqa: E402

EXTRACT = HERE / "extract"
EDGE = 2
SHORT_RUN = 2  # a replaced run this long between two runs read right is trusted, character by character
OCR_PASSES = tuple(p.name for p in PASSES if p.ocr)


def _text(page: object) -> str:
    arts = [a.as_dict() for a in page.articles]  # type: ignore[attr-defined]
    return "".join("".join(s.split()) for a in arts for s in article_strings(a))


def gold_map(golds: list[str], out: str) -> tuple[list[str | None], int, list[tuple[str, str]]]:
    """For each character of out, the gold character it stands for ('' for
    an inserted one, None where no gold string matched); the number of
    errors; and the isolated substitutions left (gold, read)."""
    where: list[str | None] = [None] * len(out)
    errors = 0
    left: list[tuple[str, str]] = []
    for s in golds:
        al = partial_ratio_alignment(s, out)
        if al is None or not s:
            errors += len(s)
            continue
        # the best local match leaves out a misread character at either end
        # (民宿。 read 民福o ends the match at 民): EDGE characters more on
        # each side are aligned too, an extra character there counting as
        # an insertion only inside the match
        # (only as many as the match is short of the gold string: a match as
        # long as it is aligned with more text after it lets the alignment
        # pair an end misread with the next paragraph's first characters)
        edge = min(EDGE, max(0, len(s) - (al.dest_end - al.dest_start)))
        a, b = max(0, al.dest_start - edge), min(len(out), al.dest_end + edge)
        span = out[a:b]
        errors += Levenshtein.distance(s, out[al.dest_start : al.dest_end])
        ops = Levenshtein.opcodes(s, span)
        inside = range(al.dest_start - a, al.dest_end - a)
        for k, op in enumerate(ops):
            if op.tag == "equal" or (
                op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start
            ):
                # a replaced run is trusted only where it is short (SHORT_RUN)
                # between two runs read right: inside a longer run, or next to a
                # gap, the alignment may pair characters that do not stand for
                # each other
                short = op.tag == "equal" or (
                    op.src_end - op.src_start <= SHORT_RUN
                    and all(ops[x].tag == "equal" for x in (k - 1, k + 1) if 0 <= x < len(ops))
                )
                for d in range(op.dest_end - op.dest_start):
                    if where[a + op.dest_start + d] is None and short:
                        where[a + op.dest_start + d] = s[op.src_start + d]
                if op.tag == "replace" and op.src_end - op.src_start == 1:
                    ok = all(ops[x].tag == "equal" for x in (k - 1, k + 1) if 0 <= x < len(ops))
                    if ok:
                        left.append((s[op.src_start], span[op.dest_start]))
            elif op.tag == "insert":
                # one character inserted next to one deleted is one read for
                # another (the alignment may split a replacement in two)
                pair = [
                    ops[x]
                    for x in (k - 1, k + 1)
                    if 0 <= x < len(ops) and ops[x].tag == "delete" and ops[x].src_end - ops[x].src_start == 1
                ]
                for d in range(op.dest_start, op.dest_end):
                    single = pair and op.dest_end - op.dest_start == 1
                    if where[a + d] is None and (single or d in inside):
                        where[a + d] = s[pair[0].src_start] if single else ""
    return where, errors, left


def score_page(text: str, gold_lines: list[str]) -> dict:
    before = _text(clean_page(text, skip=OCR_PASSES))
    after = _text(clean_page(text, ocr=True))
    golds = ["".join(s.split()) for line in gold_lines for s in article_strings(json.loads(line))]
    where, errors, left = gold_map(golds, before)
    gold_chars = set("".join(golds))
    right: Counter = Counter()
    wrong: Counter = Counter()
    unsure: Counter = Counter()
    for op in Levenshtein.opcodes(before, after):
        if op.tag == "equal":
            continue
        a, b = before[op.src_start : op.src_end], after[op.dest_start : op.dest_end]
        if op.tag == "replace" and len(a) == len(b):
            pairs = [(op.src_start + d, b[d]) for d in range(len(a))]
        elif op.tag == "delete":
            pairs = [(op.src_start + d, "") for d in range(len(a))]
        else:  # an insertion or an uneven replacement: counted wrong, whole
            wrong[(a, b)] += max(len(a), len(b), 1)
            continue
        for i, new in pairs:
            if where[i] is None and not new and before[i] not in gold_chars:
                right[(before[i], new, "")] += 1  # removed a mark the gold page never has (|)
            elif where[i] is None:  # no gold character is known for it with certainty
                unsure[(before[i], new)] += 1
            else:
                (right if where[i] == new else wrong)[(before[i], new, where[i])] += 1
    # the misses: the isolated substitutions still there after the OCR passes
    misses = Counter((g, r) for g, r in gold_map(golds, after)[2])
    return {
        "errors": errors,
        "subst": len(left),
        "right": right,
        "wrong": wrong,
        "unsure": unsure,
        "misses": misses,
        "gold_chars": sum(map(len, golds)),
    }


def run(split: str) -> list[dict]:
    results = []
    for tool in sorted(p.name for p in (EXTRACT / "text").iterdir() if p.name.startswith("tesseract")):
        tot = {
            "errors": 0,
            "subst": 0,
            "gold_chars": 0,
            "right": Counter(),
            "wrong": Counter(),
            "unsure": Counter(),
            "misses": Counter(),
        }
        pages = sorted((EXTRACT / "text" / tool / split).glob("page_*.txt"))
        for txt in pages:
            gold = (EXTRACT / "gold" / split / f"{txt.stem}.jsonl").read_text(encoding="utf-8").splitlines()
            r = score_page(txt.read_text(encoding="utf-8"), gold)
            for k in tot:
                tot[k] += r[k]  # type: ignore[operator]
        right, wrong = sum(tot["right"].values()), sum(tot["wrong"].values())
        unsure = sum(tot["unsure"].values())
        results.append(
            {
                "tool": tool,
                "split": split,
                "pages": len(pages),
                "gold_chars": tot["gold_chars"],
                "errors": tot["errors"],
                "subst": tot["subst"],
                "changes": right + wrong + unsure,
                "right": right,
                "unsure": unsure,
                "precision": right / (right + wrong) if right + wrong else 1.0,
                "strict_precision": right / (right + wrong + unsure) if right + wrong + unsure else 1.0,
                "recall": right / tot["errors"] if tot["errors"] else 0.0,
                "recall_subst": right / tot["subst"] if tot["subst"] else 0.0,
                "repairs": [(f"{r}->{n or '∅'}", c) for (r, n, _), c in tot["right"].most_common()],
                "wrong_changes": [
                    (
                        f"{k[0]}->{k[1] or '∅'} (gold {k[2] or '∅'})"
                        if len(k) == 3
                        else f"{k[0]!r}->{k[1]!r}",
                        c,
                    )
                    for k, c in tot["wrong"].most_common()
                ],
                "misses": [(f"{g} read {r}", c) for (g, r), c in tot["misses"].most_common()],
            }
        )
    return results


def render(results: list[dict], top: int) -> str:
    out = [
        "| OCR | split | pages | errors left | isolated substitutions | changes | right | unsure "
        "| precision | strict | recall | recall of substitutions |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        out.append(
            f"| {r['tool']} | {r['split']} | {r['pages']} "
            f"| {r['errors']} ({100 * r['errors'] / r['gold_chars']:.1f}%) "
            f"| {r['subst']} | {r['changes']} | {r['right']} | {r['unsure']} | {100 * r['precision']:.1f}% "
            f"| {100 * r['strict_precision']:.1f}% "
            f"| {100 * r['recall']:.1f}% | {100 * r['recall_subst']:.1f}% |"
        )
    for r in results:
        out.append(f"\n{r['tool']} {r['split']}:")
        out.append("  repairs: " + ", ".join(f"{k} {c}" for k, c in r["repairs"][:top]))
        out.append("  wrong:   " + (", ".join(f"{k} {c}" for k, c in r["wrong_changes"][:top]) or "none"))
        out.append("  misses:  " + ", ".join(f"{k} {c}" for k, c in r["misses"][:top]))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="test")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    results = [r for s in splits for r in run(s)]
    print(json.dumps(results, ensure_ascii=False, indent=1) if args.json else render(results, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
