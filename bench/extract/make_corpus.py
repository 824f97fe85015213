"""Build the extraction corpus: pages laid out, printed to PDF, read back by real tools.

usage: python bench/extract/make_corpus.py [--dev N] [--test N] [--only TOOL,...] [--keep-pdf]

For each page seed: ``layout.make_page`` writes the HTML and the gold
articles; headless Chromium prints the HTML to PDF; every extractor reads the
PDF; their text is written next to the gold:

    bench/extract/pages/<split>/<page>.html          the page as laid out
    bench/extract/gold/<split>/<page>.jsonl          gold articles, as printed
    bench/extract/text/<tool>/<split>/<page>.txt     what the tool made of it

Tools: pdftotext, pdftotext -layout (poppler-utils), pdfminer.six,
PyMuPDF, and OCR of the page rendered by pdftoppm at 200 and 300 dpi with
Tesseract chi_sim. The split is by seed: dev seeds 1000.., test seeds
5000.. (their articles are split too, see ``layout.split_of_article``).

Needs Debian's chromium, fonts-wqy-zenhei, fonts-arphic-uming, poppler-utils,
tesseract-ocr, tesseract-ocr-chi-sim, and pdfminer.six and PyMuPDF from PyPI
(in the Python that runs this script). Tests and CI need none of them: they
read the committed text files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from layout import article_pool, make_page, split_of_article  # noqa: E402

DEV_SEEDS = 1000
TEST_SEEDS = 5000
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def print_pdf(html: Path, pdf: Path) -> int:
    """Print with Chromium; return the number of PDF pages."""
    with tempfile.TemporaryDirectory() as profile:
        _run(
            [
                "chromium",
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            timeout=120,
        )
    info = _run(["pdfinfo", str(pdf)], text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def content_height(pdf: Path) -> int:
    """The page's height in CSS pixels down to its last printed row (plus a margin)."""
    dpi = 24  # 1 CSS px = 1/96 in: one row of this image is 4 CSS px
    pgm = _run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf)]).stdout
    # a binary PGM: "P5\n<w> <h>\n<max>\n" then w*h bytes
    header, rest = pgm.split(b"\n", 3)[:3], pgm.split(b"\n", 3)[3]
    w, h = (int(x) for x in header[1].split())
    rows = [rest[y * w : (y + 1) * w] for y in range(h)]
    last = max((y for y, row in enumerate(rows) if min(row) < 200), default=h - 1)
    return (last + 1) * 96 // dpi + 40


def pdftotext(pdf: Path, layout: bool = False) -> str:
    return _run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], text=True).stdout


def pdfminer_text(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(pdf)))


def pymupdf_text(pdf: Path) -> str:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return "\f".join(page.get_text() for page in doc)


def tesseract(pdf: Path, dpi: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        _run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/p"])
        pages = []
        for png in sorted(Path(tmp).glob("p*.png")):
            pages.append(_run(["tesseract", str(png), "-", "-l", "chi_sim"], text=True, timeout=1200).stdout)
        return "\f".join(pages)


TOOLS: dict[str, Callable[[Path], str]] = {
    "pdftotext": pdftotext,
    "pdftotext-layout": lambda p: pdftotext(p, layout=True),
    "pdfminer": pdfminer_text,
    "pymupdf": pymupdf_text,
    "tesseract-200": lambda p: tesseract(p, 200),
    "tesseract-300": lambda p: tesseract(p, 300),
}


def build(seeds: dict[str, list[int]], tools: list[str], keep_pdf: bool) -> None:
    pool = article_pool()
    for split, numbers in seeds.items():
        arts = [a for a in pool if split_of_article(a) == split]
        for seed in numbers:
            name = f"page_{seed}"
            page_html, gold, geo = make_page(seed, arts)
            html_path = HERE / "pages" / split / f"{name}.html"
            html_path.parent.mkdir(parents=True, exist_ok=True)
            html_path.write_text(page_html, encoding="utf-8")
            with tempfile.TemporaryDirectory() as tmp:  # a first print finds the page's real height
                pdf = Path(tmp) / "first.pdf"
                print_pdf(html_path, pdf)
                height = content_height(pdf)
                for _ in range(4):  # one PDF page: taller until it fits
                    page_html, gold, geo = make_page(seed, arts, height=height)
                    html_path.write_text(page_html, encoding="utf-8")
                    if print_pdf(html_path, pdf) == 1:
                        break
                    height = int(height * 1.15)
            gold_path = HERE / "gold" / split / f"{name}.jsonl"
            gold_path.parent.mkdir(parents=True, exist_ok=True)
            with gold_path.open("w", encoding="utf-8") as f:
                for i, a in enumerate(gold):
                    f.write(json.dumps({"source": f"{name}.txt", "index": i, **a}, ensure_ascii=False) + "\n")
            with tempfile.TemporaryDirectory() as tmp:
                pdf = Path(tmp) / f"{name}.pdf"
                n = print_pdf(html_path, pdf)
                if n != 1:
                    print(f"{split}/{name}: printed on {n} PDF pages", file=sys.stderr)
                for tool in tools:
                    out = HERE / "text" / tool / split / f"{name}.txt"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_text(TOOLS[tool](pdf), encoding="utf-8")
                if keep_pdf:
                    shutil.copy(pdf, html_path.with_suffix(".pdf"))
            print(f"{split}/{name}: {geo}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=int, default=16, help="development pages (default 16)")
    ap.add_argument("--test", type=int, default=8, help="held-out pages (default 8)")
    ap.add_argument("--only", default=",".join(TOOLS), help="tools to run (default: all)")
    ap.add_argument("--keep-pdf", action="store_true", help="keep each page's PDF beside its HTML")
    ap.add_argument("--seed", type=int, action="append", help="build only this page seed (repeatable)")
    args = ap.parse_args(argv)
    tools = [t for t in args.only.split(",") if t]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        ap.error(f"unknown tool(s): {', '.join(sorted(unknown))}")
    seeds = {
        "dev": list(range(DEV_SEEDS, DEV_SEEDS + args.dev)),
        "test": list(range(TEST_SEEDS, TEST_SEEDS + args.test)),
    }
    if args.seed:
        seeds = {split: [n for n in numbers if n in args.seed] for split, numbers in seeds.items()}
    build(seeds, tools, args.keep_pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
