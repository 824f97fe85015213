"""Speed and memory of the cleanup pipeline (a benchmark, not a test).

usage: python bench/speed.py [--mb N] [--per-pass] [--scaling] [--jobs] [--big-file MB]
                           [--profile] [--quick]

Prints MB/s of the full default pipeline, on one core, over:

- ``repeated``: the sample pages repeated to N MB (as the issue specifies);
- ``perturbed``: the same volume, but every copy has a tenth of its Han
  characters replaced at random, so no line repeats and no memoised answer
  about a line can be reused (the honest figure for a real corpus);
- ``generated``: pages made by ``cleanup synth`` from the gold articles and
  the bench corpus, in all four layouts and with every kind of damage;

plus, for reference, the time of one compiled regex over the same text (the
ceiling a pure-Python pipeline cannot beat), peak memory (tracemalloc) and,
with ``--per-pass``, each pass alone; with ``--scaling``, time for 1x, 10x
and 100 MB (``--scaling-mb``) to show that time grows linearly; with
``--jobs``, the command line on a folder with 1 and 2 worker processes.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanup import Config, clean_page  # noqa: E402
from cleanup import pipeline as pl  # noqa: E402
from cleanup.io import decode  # noqa: E402
from cleanup.lexicon import words  # noqa: E402
from cleanup.synth import default_pool, generate  # noqa: E402


def sample_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "raw").glob("*.txt"))]


def repeated(mb: float) -> list[str]:
    base = sample_pages()
    out: list[str] = []
    size = 0
    while size < mb * 1e6:
        for t in base:
            out.append(t)
            size += len(t.encode())
    return out


def perturbed(mb: float, seed: int = 1) -> list[str]:
    """Copies of the samples, each with its own random swap of Han characters.

    Every copy maps a random tenth of the Han characters the samples use to
    other ideographs (str.translate, so making 100 MB takes seconds): no line
    repeats, yet the text keeps its punctuation and layout.
    """
    rng = random.Random(seed)
    base = sample_pages()
    used = sorted({c for t in base for c in t if "\u4e00" <= c <= "\u9fff"})
    out: list[str] = []
    size = 0
    while size < mb * 1e6:
        for t in base:
            swap = rng.sample(used, len(used) // 10)
            table = str.maketrans({c: chr(rng.randrange(0x4E00, 0x9FA5)) for c in swap})
            out.append(t.translate(table))
            size += len(out[-1].encode())
    return out


def generated(mb: float, seed: int = 2026) -> list[str]:
    """Pages made by ``cleanup synth`` (four layouts, every kind of damage),
    decoded from their bytes as the command line would, to N MB of text."""
    pool = default_pool(ROOT)
    out: list[str] = []
    size, batch = 0, 0
    while size < mb * 1e6:
        for page in generate(pool, 50, seed=seed + batch):
            out.append(decode(page.raw)[0])
            size += len(out[-1].encode())
        batch += 1
    return out


def mb_of(pages: list[str]) -> float:
    return sum(len(p.encode()) for p in pages) / 1e6


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


REPEAT = 3  # throughput rows: the best of this many runs (--repeat)


def best_of(fn: Callable[[], object]) -> float:
    """The shortest of REPEAT runs: other load on the machine only ever adds time."""
    return min(timed(fn) for _ in range(REPEAT))


def full_pipeline(pages: list[str]) -> float:
    """Seconds to clean every page, each result dropped once made (as the CLI
    writes a page and moves on; keeping 10 MB of results alive would time the
    garbage collector walking them, not the cleaning)."""

    def clean_all() -> None:
        for p in pages:
            clean_page(p)

    return best_of(clean_all)


def regex_ceiling(pages: list[str]) -> float:
    pattern = regex.compile(r"[ \t]+(?=\p{Han})|(?<=\p{Han})[,;:]")
    return best_of(lambda: [pattern.sub("", p) for p in pages])


def per_pass(pages: list[str]) -> dict[str, float]:
    """Seconds spent in each pass during full runs."""
    spent: dict[str, float] = {}
    original = pl.PASSES

    def wrap(p: pl.Pass) -> pl.Pass:
        def run(*args: object) -> object:
            t0 = time.perf_counter()
            out = p.run(*args)  # type: ignore[operator]
            if not isinstance(out, tuple):
                out = list(out)  # type: ignore[call-overload]
            spent[p.name] = spent.get(p.name, 0.0) + time.perf_counter() - t0
            return out

        return pl.Pass(p.name, p.stage, run, p.summary, p.default)  # type: ignore[arg-type]

    pl.PASSES = tuple(wrap(p) for p in original)
    assemble = pl.assemble.assemble_articles

    def assemble_timed(*args: object) -> object:
        t0 = time.perf_counter()
        out = assemble(*args)  # type: ignore[arg-type]
        spent["assemble_articles"] = spent.get("assemble_articles", 0.0) + time.perf_counter() - t0
        return out

    pl.assemble.assemble_articles = assemble_timed  # type: ignore[assignment]
    try:
        for p in pages:
            pl.run(p, Config())
    finally:
        pl.PASSES = original
        pl.assemble.assemble_articles = assemble  # type: ignore[assignment]
    return spent


def peak_memory_mb(page: str) -> float:
    tracemalloc.start()
    clean_page(page)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main(argv: list[str]) -> None:
    global REPEAT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=2.0, help="volume of text per measurement (MB)")
    ap.add_argument("--per-pass", action="store_true")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--quick", action="store_true", help="0.2 MB, for a smoke check in CI")
    ap.add_argument(
        "--scaling-mb",
        type=lambda s: [float(x) for x in s.split(",")],
        default=[1.0, 10.0, 100.0],
        help="sizes for --scaling (default 1,10,100)",
    )
    ap.add_argument("--jobs", action="store_true", help="measure the CLI with 1 and 2 worker processes")
    ap.add_argument("--repeat", type=int, default=REPEAT, help="runs per throughput row; the best counts")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="profile the pipeline with pyinstrument (the bench extra) and print the costliest functions",
    )
    ap.add_argument(
        "--big-file",
        type=float,
        default=0.0,
        metavar="MB",
        help="time and peak RSS of the CLI on one file of MB of form-feed pages",
    )
    args = ap.parse_args(argv)
    REPEAT = max(1, args.repeat)
    mb = 0.2 if args.quick else args.mb
    words()  # the lexicon loads once per process; not part of the throughput
    clean_page("预热。")
    print(f"cleanup speed, one core, {mb:g} MB per row")
    print(f"{'input':12} {'MB':>6} {'seconds':>8} {'MB/s':>7} {'regex MB/s':>11} {'x ceiling':>10}")
    for name, pages in (
        ("repeated", repeated(mb)),
        ("perturbed", perturbed(mb)),
        ("generated", generated(mb)),
    ):
        size = mb_of(pages)
        t = full_pipeline(pages)
        c = regex_ceiling(pages)
        print(f"{name:12} {size:6.2f} {t:8.2f} {size / t:7.2f} {size / c:11.1f} {t / c:10.1f}")
    one = "\n\n".join(sample_pages())
    print(
        f"peak memory cleaning the five samples as one page ({len(one.encode()) / 1e6:.2f} MB): "
        f"{peak_memory_mb(one):.1f} MB"
    )
    if args.per_pass:
        pages = perturbed(mb)
        spent = per_pass(pages)
        total = sum(spent.values())
        print(f"\nper pass (perturbed, {mb_of(pages):.2f} MB):")
        for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"  {name:28} {s:7.3f}s  {100 * s / total:5.1f}%  {mb_of(pages) / s:8.1f} MB/s alone")
    if args.scaling:
        print("\nscaling (perturbed samples, one core):")
        for size in args.scaling_mb:
            pages = perturbed(size)
            t = full_pipeline(pages)
            print(f"  {mb_of(pages):7.1f} MB  {t:7.2f}s  {mb_of(pages) / t:6.2f} MB/s")
    if args.jobs:
        jobs_speedup(mb)
    if args.big_file:
        big_file(0.2 if args.quick else args.big_file, smoke=args.quick)
    if args.profile:
        profile(perturbed(mb))


def profile(pages: list[str], top: int = 15) -> None:
    """The functions where the full pipeline spends its time, by own time
    (sampled by pyinstrument every millisecond), summed over call sites."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    for p in pages:
        clean_page(p)
    profiler.stop()
    own: dict[str, float] = {}
    root = profiler.last_session.root_frame() if profiler.last_session else None
    stack = [root] if root else []
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if frame.is_synthetic:  # pyinstrument's "[self]" and grouping frames
            continue
        where = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        own[where] = own.get(where, 0.0) + frame.total_self_time
    total = sum(own.values()) or 1.0
    print(f"\nprofile (pyinstrument, perturbed, {mb_of(pages):.2f} MB; own time, top {top}):")
    for where, t in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {100 * t / total:5.1f}%  {t:6.2f}s  {where}")


# The CLI, reporting its own peak RSS at exit: VmHWM of its own memory map
# (getrusage's ru_maxrss would include the benchmark's memory, copied at
# fork and kept by Linux across the exec).
_REPORT_PEAK_RSS = """
import atexit, resource, sys

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(x.split()[1]) for x in status if x.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

atexit.register(lambda: sys.stderr.write(f"peak-rss-kb {peak_kb()}\\n"))
from cleanup.cli import main
main(sys.argv[1:])
"""


# A smoke run's file is small: the sizes above which a file is read in
# chunks and its pages spread over the workers are lowered to match.
_SMALL_THRESHOLDS = """
import cleanup.cli, cleanup.io, cleanup.runner
cleanup.io.STREAM_BYTES = cleanup.runner.BIG_FILE_BYTES = 1 << 16
cleanup.io.CHUNK_BYTES = cleanup.runner.BATCH_CHARS = 1 << 14
"""


def big_file(mb: float, smoke: bool = False) -> None:
    """The command line on one big file of pages: read, cleaned and written a
    page at a time, its peak RSS should be that of a tiny file plus a page;
    with two workers, its pages are cleaned in both."""
    lowered = " (smoke run: chunks and batches of 16 KB from 64 KB up)" if smoke else ""
    print(f"\none big file (cleanup CLI, {mb:g} MB of perturbed pages split by form feeds){lowered}:")
    script = (_SMALL_THRESHOLDS if smoke else "") + _REPORT_PEAK_RSS
    with tempfile.TemporaryDirectory() as tmp:
        tiny, big = Path(tmp) / "tiny.txt", Path(tmp) / "big.txt"
        tiny.write_text("预热。", encoding="utf-8")
        big.write_text("\f".join(perturbed(mb)), encoding="utf-8")
        base = 0.0
        for name, path, jobs in (("tiny file", tiny, 1), ("big file", big, 1), ("big file", big, 2)):
            t0 = time.perf_counter()
            out = str(Path(tmp) / f"out{jobs}")
            proc = subprocess.run(
                [sys.executable, "-c", script, str(path), "-o", out, "-q", "-j", str(jobs)],
                check=True,
                capture_output=True,
                text=True,
            )
            t = time.perf_counter() - t0
            rss = int(proc.stderr.split("peak-rss-kb ")[1].split()[0]) / 1024
            size = path.stat().st_size / 1e6
            base = t if path == big and jobs == 1 else base
            speed = f"  speed-up {base / t:.2f}x" if path == big and jobs == 2 else ""
            print(
                f"  {name:9} --jobs {jobs}  {size:7.2f} MB  {t:6.2f}s  "
                f"peak RSS {rss:6.0f} MB (main process){speed}"
            )
        same = (Path(tmp) / "out1" / "big.txt").read_bytes() == (Path(tmp) / "out2" / "big.txt").read_bytes()
        print(f"  outputs identical with 1 and 2 workers: {same}")


def jobs_speedup(mb: float) -> None:
    """The command line over a folder of pages with 1 and 2 worker processes."""
    print("\nworker processes (cleanup CLI on a folder of perturbed pages):")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        pages = perturbed(mb)
        for i, page in enumerate(pages):
            (folder / f"p{i:05d}.txt").write_text(page, encoding="utf-8")
        size = mb_of(pages)
        # start-up (imports, rules, lexicon) is paid once per run whatever
        # the number of workers: timed on one tiny file, and taken out for
        # the speed-up of the cleaning itself
        tiny = Path(tmp) / "tiny"
        tiny.mkdir()
        (tiny / "a.txt").write_text("预热。", encoding="utf-8")
        start = timed(lambda: subprocess.run(_cli(tiny, Path(tmp) / "tiny-out", 1), check=True))
        print(f"  start-up (one tiny file): {start:.2f}s")
        base = base_work = 0.0
        for jobs in (1, 2):
            t = timed(
                lambda jobs=jobs: subprocess.run(_cli(folder, Path(tmp) / f"out{jobs}", jobs), check=True)
            )
            work = max(t - start, 1e-9)
            base, base_work = base or t, base_work or work
            print(
                f"  --jobs {jobs}: {size:.1f} MB in {t:5.2f}s  {size / t:5.2f} MB/s  "
                f"speed-up {base / t:.2f}x ({base_work / work:.2f}x after start-up)"
            )
        one, two = Path(tmp) / "out1", Path(tmp) / "out2"
        same = all((one / p.name).read_bytes() == p.read_bytes() for p in two.iterdir())
        print(f"  outputs identical with 1 and 2 workers: {same}")


def _cli(folder: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "cleanup", str(folder), "-o", str(out), "-q", "--jobs", str(jobs)]


if __name__ == "__main__":
    main(sys.argv[1:])
