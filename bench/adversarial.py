"""Time and memory of every pass on adversarial inputs (a benchmark, not a test).

usage: python bench/adversarial.py [--quick] [--sizes SMALL,LARGE] [--only NAME,...]
                                 [--max-ratio R] [--max-memory M] [--no-memory] [--repeat N]

Each input below is built at two sizes (default about 100 KB and 1 MB of
characters; ``--quick``: 10 KB and 100 KB) and cleaned as one page by the full
default pipeline, each pass timed alone (the per-pass timing of
``bench/speed.py --per-pass``; the best of ``--repeat`` runs, 2). A pass whose time grows with the square of
its input takes 100 times as long at ten times the size; a linear one ten
times. The table prints seconds per pass at both sizes and their ratio, and
the peak memory (tracemalloc) of cleaning the larger input, as a multiple of
its size in UTF-8 bytes.

Exits 1 when any pass's ratio exceeds ``--max-ratio`` (20 for a size ratio of
10: a quadratic pass gives about 100, while linear ones measured 8-18 here,
the small input fitting the caches better; passes that take under
``MIN_SECONDS`` or run faster than 2 MB/s at the larger size are not judged,
their ratio being mostly noise) or any peak memory exceeds ``--max-memory``
(20) times the page.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speed import per_pass, sample_pages  # noqa: E402

from cleanup import Config  # noqa: E402
from cleanup import pipeline as pl  # noqa: E402
from cleanup.lexicon import words  # noqa: E402


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: unit * max(1, n // len(unit))


def _between(head: str, unit: str, tail: str) -> Callable[[int], str]:
    return lambda n: head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


def _same_letters(n: int) -> str:
    """Blocks of the same letters, each punctuated differently: every block
    has the length and letters of the others, but no two are equal."""
    letters = "本报讯为积极应对可能出现因极端天气而造成的洪涝灾害全面做好防汛工作"
    marks = "，、；：。！"
    blocks = []
    for i in range(max(2, n // (len(letters) + 4))):
        at, which = divmod(i, len(marks) ** 2)
        k = at % (len(letters) - 2) + 1
        j = (at // (len(letters) - 2)) % (len(letters) - k - 1) + k + 1
        first, second = marks[which % len(marks)], marks[which // len(marks)]
        blocks.append(letters[:k] + first + letters[k:j] + second + letters[j:] + "。")
    return "\n\n".join(blocks)


def _one_line(n: int) -> str:
    text = "".join("".join(p.split()) for p in sample_pages())
    return (text * (n // len(text) + 1))[:n]


def _tiny_lines(n: int) -> str:
    text = "".join("".join(p.split()) for p in sample_pages())
    text = (text * (n // len(text) + 1))[: n // 2]
    return "\n".join(text)


def _layout_page(n: int) -> str:
    """Pages pdftotext -layout printed, columns side by side, one after another."""
    folder = Path(__file__).resolve().parent / "extract" / "text" / "pdftotext-layout"
    pages = sorted(folder.glob("*/*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    return (text * (n // len(text) + 1))[:n]


def _scattered_pieces(n: int) -> str:
    """Rows of two pieces at ever other places, a blank row between: every piece its own run."""
    rows = []
    size = 0
    i = 0
    while size < n:
        row = " " * (i * 7 % 41) + "中文字" + " " * (3 + i % 5) + "好" * (1 + i % 9)
        rows.append(row)
        size += len(row) + 2
        i += 1
    return "\n\n".join(rows)


# name -> builder of an input of about n characters
INPUTS: dict[str, Callable[[int], str]] = {
    "? run": _repeat("?"),
    "( run": _repeat("("),
    ") run": _repeat(")"),
    "， run": _repeat("，"),
    "space run": _between("a", " ", "b"),
    "space run, Han": _between("中", " ", "文"),
    "newline run": _between("中", "\n", "文"),
    "一 run": _repeat("一"),
    "“ run": _repeat("“"),
    "e + accent lines": _repeat("e\u0301\n"),
    "e + accent CRLF": _repeat("e\u0301\r\n"),
    "credit parens": _repeat("（记者 张三） 中 "),
    "open credit": _between("（", "记者", " 中 文 字 好"),
    "byline words": _between("本报记者", " 张三", ""),
    "same letters": _same_letters,
    "中-- dashes": _repeat("中--"),
    "e-mail-ish": _between("中", "a", "@"),
    "url-ish": _between("中http://", "a", ""),
    "中 spaced": _repeat("中 "),
    "中 lines": _repeat("中\n"),
    "one giant line": _one_line,
    "many tiny lines": _tiny_lines,
    "mojibake lines": _repeat("ä¸\xad\n"),
    "side-by-side page": _layout_page,
    "side-by-side rows": _repeat("中文字   中文字\n"),
    "scattered pieces": _scattered_pieces,
    "samples": lambda n: ("\n\n".join(sample_pages()) * (n // 20000 + 1))[:n],
}

# Passes faster than this at the larger size are not judged (timer noise),
# nor those faster than 2 MB/s there, nor those that took less than this
# scaled down at the smaller size (a pass that found no work in the small
# input but some in the large one has a meaningless ratio; a quadratic one is
# far slower than this at either size).
MIN_SECONDS = 0.05
SLOW_SECONDS_PER_MB = 0.5


def _best(text: str, repeat: int) -> dict[str, float]:
    runs = [per_pass([text]) for _ in range(max(1, repeat))]
    return {p: min(r.get(p, 0.0) for r in runs) for p in runs[0]}


def peak_memory(text: str) -> int:
    tracemalloc.start()
    try:
        pl.run(text, Config())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="10 KB and 100 KB, for a smoke check in CI")
    ap.add_argument(
        "--sizes", type=lambda s: [int(float(x)) for x in s.split(",")][:2], default=None, help="SMALL,LARGE"
    )
    ap.add_argument(
        "--only", type=lambda s: s.split(","), default=None, help="inputs to run (names as listed)"
    )
    ap.add_argument("--max-ratio", type=float, default=20.0)
    ap.add_argument("--max-memory", type=float, default=20.0)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="runs per size; each pass's best counts")
    args = ap.parse_args(argv)
    small, large = args.sizes or ([10_000, 100_000] if args.quick else [100_000, 1_000_000])
    words()
    pl.run("预热。", Config())
    names = [n for n in INPUTS if not args.only or n in args.only]
    failures: list[str] = []
    print(f"adversarial inputs, one page each, {small:,} vs {large:,} characters (x{large / small:g})")
    print(f"{'input':18} {'pass':28} {'s small':>8} {'s large':>8} {'ratio':>6}")
    for name in names:
        texts = [INPUTS[name](small), INPUTS[name](large)]
        t0 = time.perf_counter()
        # each pass's best of --repeat runs: other load on the machine only adds time
        spent = [_best(t, args.repeat) for t in texts]
        wall = time.perf_counter() - t0
        for p in sorted(spent[1], key=lambda k: -spent[1][k]):
            a, b = spent[0].get(p, 0.0), spent[1][p]
            ratio = b / a if a > 0 else float("inf")
            judged = (
                b >= MIN_SECONDS
                and b >= SLOW_SECONDS_PER_MB * len(texts[1].encode()) / 1e6
                and a >= MIN_SECONDS * small / large  # it had work at the small size too
            )
            bad = judged and ratio > args.max_ratio
            if bad:
                failures.append(f"{name}: {p} x{ratio:.1f}")
            if b >= 0.01 or bad:
                flag = "  <-- superlinear" if bad else ""
                print(f"{name:18} {p:28} {a:8.3f} {b:8.3f} {ratio:6.1f}{flag}")
        total = [sum(s.values()) for s in spent]
        print(
            f"{name:18} {'(all passes)':28} {total[0]:8.3f} {total[1]:8.3f}"
            f" {total[1] / max(total[0], 1e-9):6.1f}"
        )
        if not args.no_memory:
            size = len(texts[1].encode())
            peak = peak_memory(texts[1])
            bad = peak > args.max_memory * size
            if bad:
                failures.append(f"{name}: memory x{peak / size:.1f}")
            print(
                f"{name:18} {'peak memory':28} {peak / 1e6:7.1f}M x{peak / size:5.1f} of {size / 1e6:.2f} MB"
                + ("  <-- too much" if bad else "")
            )
        print(f"{'':18} ({wall:.1f}s)", flush=True)
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nall passes linear, memory within bounds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
