"""Mutate real pages and measure how often cleaning them is idempotent.

usage: python bench/mutate.py [--count N] [--seed S] [--jobs J] [--out DIR] [--only NAME]

Each input is one of the sample pages (``samples/raw/*.txt``) damaged by one
to three mutations, the kinds of damage extractors do (:data:`MUTATIONS`):
dropped, duplicated or swapped lines, paragraphs rewrapped at 5-40 columns,
ASCII punctuation, inserted or removed spaces, joined lines, inserted odd
characters. An input is *idempotent* when cleaning cleanup's own text output
again gives the same text and the same articles (JSON Lines records).

The run prints the idempotent share, overall and per mutation, and writes
the failing inputs, minimised (chunks, lines, then characters removed while
the failure stays), to ``bench/mutate-failures/`` as ``KIND-HASH.txt`` (the
input, what cleaning it once and twice gives, the mutations that made it).
Input ``i`` of seed ``S`` is made by ``random.Random(f"{S}:{i}")`` alone, so
any input can be made again whatever ``--jobs`` is.

:func:`mutate` is the reusable part: ``mutate(page, rng) -> str``; checks
other than idempotence can be run over the same inputs with :func:`inputs`.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cleanup import clean_page  # noqa: E402
from cleanup.writers import render  # noqa: E402

FAILURES_DIR = ROOT / "bench" / "mutate-failures"

# --- mutations -------------------------------------------------------------------

_WIDE_TO_ASCII = str.maketrans("，。；：？！（）“”‘’", ",.;:?!()\"\"''")
# What extractors and OCR insert: odd spaces, zero-width and control
# characters, column rules, stray marks, dash look-alikes, full-width forms,
# Kangxi radicals, decomposed accents, line-end variants, straight quotes.
ODD = [
    " ", "  ", "\u3000", "\u00a0", "\t", "\u200b", "\ufeff", "\r\n", "\r", "\n", "\n\n",
    "|", "#", "*", "·", "…", "—", "一", "-", "--", "―", "～", "、",
    "Ａ", "５", "．", "⾦", "e\u0301", "\"", "'", "(", ")", ".", ",", "?", ":", "“", "”", "（", "）",
]  # fmt: skip


def _lines(page: str) -> list[str]:
    return page.split("\n")


def _span(rng: random.Random, n: int) -> tuple[int, int]:
    i = rng.randrange(n)
    return i, min(n, i + rng.randint(1, 3))


def drop_lines(page: str, rng: random.Random) -> str:
    lines = _lines(page)
    i, j = _span(rng, len(lines))
    del lines[i:j]
    return "\n".join(lines)


def duplicate_lines(page: str, rng: random.Random) -> str:
    lines = _lines(page)
    i, j = _span(rng, len(lines))
    lines[j:j] = lines[i:j]
    return "\n".join(lines)


def swap_lines(page: str, rng: random.Random) -> str:
    lines = _lines(page)
    i, k = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[k] = lines[k], lines[i]
    return "\n".join(lines)


def rewrap(page: str, rng: random.Random) -> str:
    """Some blocks (runs of lines between blank lines), or all of them,
    joined and wrapped again at one width of 5-40 characters."""
    width = rng.randint(5, 40)
    blocks = page.split("\n\n")
    i, j = (0, len(blocks)) if rng.random() < 0.5 else _span(rng, len(blocks))
    for k in range(i, j):
        flat = blocks[k].replace("\n", "")
        blocks[k] = "\n".join(flat[p : p + width] for p in range(0, len(flat), width))
    return "\n\n".join(blocks)


def ascii_punctuation(page: str, rng: random.Random) -> str:
    """Full-width punctuation as ASCII: on the whole page or on a run of lines."""
    if rng.random() < 0.5:
        return page.translate(_WIDE_TO_ASCII)
    lines = _lines(page)
    i, j = _span(rng, len(lines))
    lines[i:j] = [x.translate(_WIDE_TO_ASCII) for x in lines[i:j]]
    return "\n".join(lines)


def insert_spaces(page: str, rng: random.Random) -> str:
    chars = list(page)
    for _ in range(rng.randint(1, 20)):
        chars.insert(rng.randint(0, len(chars)), rng.choice([" ", " ", "  ", "\u3000"]))
    return "".join(chars)


def remove_spaces(page: str, rng: random.Random) -> str:
    where = [k for k, c in enumerate(page) if c in " \u3000"]
    drop = set(rng.sample(where, min(len(where), rng.randint(1, 20))))
    return "".join(c for k, c in enumerate(page) if k not in drop)


def join_lines(page: str, rng: random.Random) -> str:
    """A few line ends removed, or replaced by one space (as space-joining extractors do)."""
    lines = _lines(page)
    for _ in range(rng.randint(1, 5)):
        if len(lines) < 2:
            break
        k = rng.randrange(len(lines) - 1)
        lines[k : k + 2] = [lines[k] + rng.choice(["", " "]) + lines[k + 1]]
    return "\n".join(lines)


def odd_characters(page: str, rng: random.Random) -> str:
    chars = list(page)
    for _ in range(rng.randint(1, 8)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(ODD))
    return "".join(chars)


MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "drop_lines": drop_lines,
    "duplicate_lines": duplicate_lines,
    "swap_lines": swap_lines,
    "rewrap": rewrap,
    "ascii_punctuation": ascii_punctuation,
    "insert_spaces": insert_spaces,
    "remove_spaces": remove_spaces,
    "join_lines": join_lines,
    "odd_characters": odd_characters,
}


def mutate_with_recipe(page: str, rng: random.Random, only: str | None = None) -> tuple[str, list[str]]:
    """page damaged by one to three mutations (or by ``only``), and their names."""
    names = [only] if only else rng.choices(list(MUTATIONS), k=rng.randint(1, 3))
    for name in names:
        page = MUTATIONS[name](page, rng)
    return page, names


def mutate(page: str, rng: random.Random) -> str:
    """page damaged by one to three random mutations of :data:`MUTATIONS`."""
    return mutate_with_recipe(page, rng)[0]


def sample_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "raw").glob("*.txt"))]


def inputs(
    count: int, seed: int, start: int = 0, only: str | None = None
) -> Iterator[tuple[int, str, list[str]]]:
    """(index, mutated page, recipe) of inputs start..count-1 of a seed."""
    pages = sample_pages()
    for i in range(start, count):
        rng = random.Random(f"{seed}:{i}")
        page = rng.choice(pages)
        text, recipe = mutate_with_recipe(page, rng, only)
        yield i, text, recipe


# --- the idempotence check --------------------------------------------------------


def idempotence_failure(text: str) -> str | None:
    """``"text"`` when cleaning the text output again changes it, ``"records"``
    when only the articles (JSON Lines records) differ, None when both hold."""
    return idempotence_check(text)[0]


def idempotence_check(text: str) -> tuple[str | None, str]:
    """idempotence_failure and, for a failure, what acts on the second
    cleaning: the passes that change the text again (``"assembly"`` when
    only the articles differ), to group failures by cause."""
    page = clean_page(text)
    once = render(page, "text")
    again_page = clean_page(once)
    if render(again_page, "text") != once:
        acting = sorted({c.pass_name for c in again_page.changes if c.before != c.after})
        return "text", ", ".join(a for a in acting if a != "assemble_articles") or "assembly"
    if again_page.records() != page.records():
        return "records", "assembly"
    return None, ""


def minimise(text: str, kind: str, budget: int = 2000) -> str:
    """A smaller input that fails the same way: chunks of lines, then chunks
    of characters, then single characters removed while it still fails."""
    tries = 0

    def fails(candidate: str) -> bool:
        nonlocal tries
        tries += 1
        return idempotence_failure(candidate) == kind

    def remove_chunks(items: list[str], sep: str) -> list[str]:
        chunk = max(1, len(items) // 2)
        while chunk >= 1 and tries < budget:
            i, progressed = 0, False
            while i < len(items) and tries < budget:
                candidate = items[:i] + items[i + chunk :]
                if candidate and fails(sep.join(candidate)):
                    items, progressed = candidate, True
                else:
                    i += chunk
            if not progressed:
                chunk //= 2
        return items

    text = "\n".join(remove_chunks(text.split("\n"), "\n"))
    return "".join(remove_chunks(list(text), ""))


@dataclass
class Result:
    index: int
    recipe: list[str]
    kind: str | None
    text: str  # the input, when it failed ("" otherwise)
    cause: str = ""  # what acts on the second cleaning (idempotence_check)


def _check_range(args: tuple[int, int, int, str | None]) -> list[Result]:
    start, stop, seed, only = args
    out = []
    for i, text, recipe in inputs(stop, seed, start, only):
        kind, cause = idempotence_check(text)
        out.append(Result(i, recipe, kind, text if kind else "", cause))
    return out


def run(count: int, seed: int, jobs: int = 1, only: str | None = None) -> list[Result]:
    """The result of every input of a seed, in order."""
    step = 200
    ranges = [(a, min(count, a + step), seed, only) for a in range(0, count, step)]
    if jobs <= 1:
        return [r for rg in ranges for r in _check_range(rg)]
    with ProcessPoolExecutor(jobs) as pool:
        return [r for part in pool.map(_check_range, ranges) for r in part]


def save(out_dir: Path, text: str, kind: str, recipe: list[str], seed: int, index: int) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    once = render(clean_page(text), "text")
    twice = render(clean_page(once), "text")
    path = out_dir / f"{kind}-{hashlib.sha1(text.encode()).hexdigest()[:12]}.txt"
    path.write_text(
        f"kind: {kind}\ninput #{index} of --seed {seed}; mutations: {' + '.join(recipe)}\n"
        f"input: {text!r}\nonce:  {once!r}\ntwice: {twice!r}\n",
        encoding="utf-8",
    )
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", choices=list(MUTATIONS), help="apply just this mutation, once")
    ap.add_argument("--out", type=Path, default=FAILURES_DIR, help="where minimised failures go")
    ap.add_argument("--save", type=int, default=50, help="minimise and save at most this many failures")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    results = run(args.count, args.seed, args.jobs, args.only)
    seconds = time.perf_counter() - t0
    failed = [r for r in results if r.kind]
    kinds = Counter(r.kind for r in failed)
    per: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    for r in results:
        for name in set(r.recipe):
            per[name] += 1
            bad[name] += bool(r.kind)
    ok = len(results) - len(failed)
    share = 100 * ok / max(1, len(results))
    print(f"{len(results)} mutated pages, seed {args.seed}: {ok} idempotent ({share:.2f}%)")
    print(f"  failing: text {kinds['text']}, records only {kinds['records']}  [{seconds:.0f} s]")
    for name in MUTATIONS:
        if per[name]:
            print(f"  {name:<18} {100 * (1 - bad[name] / per[name]):6.2f}% of {per[name]}")
    for cause, n in Counter(f"{r.kind}: {r.cause}" for r in failed).most_common():
        print(f"  {n:6d}  {cause}")
    seen: set[str] = set()
    for r in failed[: args.save]:
        assert r.kind is not None
        small = minimise(r.text, r.kind)
        if small in seen:
            continue
        seen.add(small)
        path = save(args.out, small, r.kind, r.recipe, args.seed, r.index)
        print(f"  {r.kind:<7} {small!r}  ({path.relative_to(ROOT) if path.is_relative_to(ROOT) else path})")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
