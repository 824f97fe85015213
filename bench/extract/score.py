"""Score cleanup on what real extraction tools made of newspaper pages.

usage: python bench/extract/score.py [--split dev|test|all] [--json] [--pages]

For every extractor in ``bench/extract/text/`` (pdftotext, pdftotext
-layout, pdfminer, PyMuPDF, Tesseract at 200 and 300 dpi) and each split,
one table: the raw text, a naive line join, opencc-pyo3's
``reflow_cjk_paragraphs`` (the packaged text-only CJK reflow; the ``bench``
extra) and cleanup, scored against the gold articles with the metrics of
conventions.md (``cleanup.evaluate``): CER, verbatim blocks, titles in the
right field, article F1. ``floor`` is the extractor's own character error
rate (whitespace ignored, each gold string at its best local match in the
raw text): what no text-only cleaner can go below, chiefly the OCR's
misread characters. ``worse`` counts pages where cleanup's CER is above the
naive join's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import naive_join  # noqa: E402

from cleanup import clean_page  # noqa: E402
from cleanup.evaluate import article_strings, score_dir  # noqa: E402
from cleanup.writers import to_jsonl  # noqa: E402

TEXT = HERE / "text"
GOLD = HERE / "gold"


def _reflow() -> Callable[[str], str] | None:
    try:
        from opencc_pyo3.opencc_pyo3 import reflow_cjk_paragraphs
    except ImportError:
        return None
    return lambda t: reflow_cjk_paragraphs(t, False, False)


def extractor_floor(gold_dir: Path, raw_dir: Path) -> float:
    """The extractor's own character error rate, whitespace ignored."""
    dist = chars = 0
    for g in sorted(gold_dir.glob("*.jsonl")):
        raw = "".join((raw_dir / f"{g.stem}.txt").read_text(encoding="utf-8").split())
        for line in g.read_text(encoding="utf-8").splitlines():
            for s in article_strings(json.loads(line)):
                s = "".join(s.split())
                al = partial_ratio_alignment(s, raw)
                dist += Levenshtein.distance(s, raw[al.dest_start : al.dest_end]) if al else len(s)
                chars += len(s)
    return dist / chars if chars else 0.0


def _row(label: str, rows: list, tot: object) -> dict:
    t = tot
    return {
        "system": label,
        "cer": t.cer,  # type: ignore[attr-defined]
        "exact": t.exact / t.blocks if t.blocks else 0.0,  # type: ignore[attr-defined]
        "titles": t.title_hits / t.titles if t.titles else 0.0,  # type: ignore[attr-defined]
        "art_f1": t.art_f1,  # type: ignore[attr-defined]
        "pages": {r.page: r.cer for r in rows},
    }


def score_extractor(tool: str, split: str, work: Path) -> dict:
    raw_dir = TEXT / tool / split
    pages = {p.stem: p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))}
    gold_dir = work / tool / split / "gold"  # the gold of the pages this tool has read
    gold_dir.mkdir(parents=True)
    for stem in pages:
        shutil.copy(GOLD / split / f"{stem}.jsonl", gold_dir)
    systems: dict[str, Callable[[str], str] | None] = {
        "raw": lambda t: t,
        "naive join": naive_join,
        "opencc-pyo3 reflow": _reflow(),
    }
    rows = []
    for label, fn in systems.items():
        if fn is None:
            rows.append({"system": label, "missing": True})
            continue
        d = work / tool / split / label.replace(" ", "_")
        d.mkdir(parents=True)
        for stem, text in pages.items():
            (d / f"{stem}.txt").write_text(fn(text), encoding="utf-8")
        rows.append(_row(label, *score_dir(gold_dir, d)))
    d = work / tool / split / "cleanup"
    d.mkdir(parents=True)
    for stem, text in pages.items():
        (d / f"{stem}.jsonl").write_text(to_jsonl(clean_page(text, source=f"{stem}.txt")), encoding="utf-8")
    rows.append(_row("cleanup", *score_dir(gold_dir, d)))
    naive = next(r for r in rows if r["system"] == "naive join")
    ours = rows[-1]
    worse = sorted(p for p, cer in ours["pages"].items() if cer > naive["pages"][p] + 1e-9)
    return {
        "tool": tool,
        "split": split,
        "pages": len(pages),
        "floor": extractor_floor(gold_dir, raw_dir),
        "rows": rows,
        "worse": worse,
    }


def render(result: dict, per_page: bool = False) -> str:
    out = [
        f"{result['tool']} ({result['split']}, {result['pages']} pages; extractor's own CER "
        f"{100 * result['floor']:.2f}%; cleanup worse than the naive join on {len(result['worse'])} pages)",
        f"| {'system':20} | {'CER':>7} | {'verbatim':>8} | {'titles':>7} | {'art F1':>6} |",
        f"|{'-' * 22}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 8}|",
    ]
    for r in result["rows"]:
        if r.get("missing"):
            out.append(f"| {r['system']:20} | {'not installed (pip install -e .[bench])':>40} |")
            continue
        f1 = f"{r['art_f1']:.2f}" if r["art_f1"] is not None else "-"
        out.append(
            f"| {r['system']:20} | {100 * r['cer']:6.2f}% | {100 * r['exact']:7.1f}% | "
            f"{100 * r['titles']:6.1f}% | {f1:>6} |"
        )
        if per_page and r["system"] == "cleanup":
            out.extend(f"|   {p:18} | {100 * c:6.2f}% |" for p, c in r["pages"].items())
    return "\n".join(out)


def tools() -> list[str]:
    return sorted(p.name for p in TEXT.iterdir() if p.is_dir()) if TEXT.is_dir() else []


def run(splits: list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        return [score_extractor(t, s, Path(tmp)) for t in tools() for s in splits if (TEXT / t / s).is_dir()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="all")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--pages", action="store_true", help="cleanup's CER page by page")
    args = ap.parse_args(argv)
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    results = run(splits)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(render(r, args.pages) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
