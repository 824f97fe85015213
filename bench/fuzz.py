"""Fuzz the decoder, the pipeline, the writers and the CLI's per-file path.

usage: python bench/fuzz.py [--count N] [--seed S] [--out DIR] [--no-shrink]
       python bench/fuzz.py --replay FILE...

Each input is a byte string, either random Unicode (CJK, punctuation,
controls, odd spaces, Kangxi radicals, astral characters; never a lone
surrogate) or a sample page (or a run of its lines) damaged by a few
mutations: duplicated, deleted or swapped lines, random spaces and newlines,
ASCII punctuation, mojibake, truncation, inserted NULs, byte flips, and an
encoding among UTF-8 (with and without BOM), GB18030, Big5, UTF-16 (with and
without BOM) and UTF-32. Every input goes through

- ``cleanup.io.decode``: it may refuse the input, but only with a one-line
  ``InputError`` naming the input;
- ``cleanup.clean_page`` and the three writers: no exception; every output is
  valid UTF-8 without ``\\r``; JSON Lines lines parse, one object per article
  with the schema's keys; cleaning the text output again gives the same text
  (idempotence);
- ``cleanup.runner.process`` (what the command runs for one file, from bytes as
  for standard input, or from a file on disk): never an internal error, an
  error exactly when decode refused the input, and the same output as the
  library. Files on disk over 256 bytes are read 61 bytes at a time with
  page separators taken 16 characters after they end, so the chunked
  reading and page splitting of big files are checked against the library
  on every such input; each file is also cleaned a few pages at a time as
  the workers clean a big file's pages (batches of 64 characters, run in
  this process), which must give the same output and changes.

Failing inputs are shrunk (unless ``--no-shrink``) and saved to
``bench/fuzz-failures/`` as ``KIND-HASH.bin`` with a ``.txt`` describing the
failure and the command that replays it. Only the standard library and the
package are used. Exit status: 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cleanup.cli  # noqa: E402
import cleanup.io  # noqa: E402
import cleanup.pipeline  # noqa: E402
import cleanup.runner  # noqa: E402
from cleanup import Config, clean_page  # noqa: E402
from cleanup.accounting import unaccounted  # noqa: E402
from cleanup.errors import InputError  # noqa: E402
from cleanup.io import decode  # noqa: E402
from cleanup.runner import Job, process  # noqa: E402
from cleanup.writers import FORMATS, render  # noqa: E402

FAILURES_DIR = ROOT / "bench" / "fuzz-failures"
JSONL_KEYS = ["source", "index", "kind", "kicker", "title", "subtitle", "byline", "blocks", "jump"]
CONFIG = Config()
# The big-file path on small inputs (see the docstring).
cleanup.io.STREAM_BYTES, cleanup.io.CHUNK_BYTES, cleanup.pipeline.SEPARATOR_REACH = 256, 61, 16
cleanup.runner.BATCH_CHARS = 64


class _InlinePool(Executor):
    """Runs what is submitted at once, here: the batching of a big file's
    pages for the workers, without the processes."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


_INLINE_POOL = _InlinePool()

# --- generating inputs -------------------------------------------------------

_POOLS: list[tuple[float, Callable[[random.Random], str]]] = [
    (30, lambda r: chr(r.randint(0x4E00, 0x9FFF))),  # CJK unified ideographs
    (8, lambda r: r.choice("，。、；：？！“”‘’（）《》【】…—·「」『』〈〉")),
    (8, lambda r: r.choice(",.;:?!()[]\"'-—―─－一/\\#*=_~`@%&+<>|")),
    (10, lambda r: chr(r.randint(0x20, 0x7E))),  # printable ASCII
    (6, lambda r: r.choice(" \t\n\n\n\r\r\n\u3000\u00a0\u2028\u2029\x0b\x0c\x85\u200b\ufeff")),
    (2, lambda r: r.choice("\u2002\u2003\u2009\u200a\u202f\u205f\u1680\u180e")),  # PDF extractors' spaces
    (3, lambda r: chr(r.choice([r.randint(0x00, 0x1F), 0x7F, r.randint(0x80, 0x9F)]))),  # controls
    (3, lambda r: chr(r.randint(0x3000, 0x303F))),  # CJK symbols and punctuation
    (3, lambda r: chr(r.randint(0xFF00, 0xFFEF))),  # full-width and half-width forms
    (2, lambda r: chr(r.randint(0x2F00, 0x2FD5))),  # Kangxi radicals
    (2, lambda r: chr(r.randint(0xF900, 0xFAFF))),  # compatibility ideographs
    (2, lambda r: chr(r.randint(0x0300, 0x036F))),  # combining marks
    (2, lambda r: chr(r.randint(0x00A0, 0x024F))),  # Latin-1 and Latin Extended (mojibake material)
    (2, lambda r: chr(r.choice([r.randint(0x1F300, 0x1FAFF), r.randint(0x20000, 0x2A6DF)]))),  # astral
    (2, lambda r: _any_scalar(r)),
]
_POOL_WEIGHTS = [w for w, _ in _POOLS]
_POOL_FUNCS = [f for _, f in _POOLS]


def _any_scalar(rng: random.Random) -> str:
    """Any Unicode scalar value: a code point that is not a surrogate."""
    while True:
        cp = rng.randint(0, 0x10FFFF)
        if not 0xD800 <= cp <= 0xDFFF:
            return chr(cp)


def random_unicode(rng: random.Random, max_len: int = 400) -> str:
    n = int(rng.expovariate(1 / 60)) if rng.random() < 0.9 else rng.randint(0, max_len)
    n = min(n, max_len)
    funcs = rng.choices(_POOL_FUNCS, _POOL_WEIGHTS, k=n)
    return "".join(f(rng) for f in funcs)


_WIDE_TO_ASCII = str.maketrans("，。；：？！（）“”‘’", ",.;:?!()\"\"''")
_SPACES = [" ", " ", "  ", "\n", "\n", "\n\n", "\u3000", "\t", "\r\n", "\r", " \n", "\n ", "\u2002", "\u00a0"]


def _lines_op(rng: random.Random, text: str, op: str) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    j = min(len(lines), i + 1 + int(rng.expovariate(1 / 2)))
    if op == "dup":
        lines[j:j] = lines[i:j]
    elif op == "delete":
        del lines[i:j]
    else:  # swap with another run
        k = rng.randrange(len(lines))
        lines[i], lines[k] = lines[k], lines[i]
    return "\n".join(lines)


def _insert(rng: random.Random, text: str, pieces: list[str], k: int) -> str:
    chars = list(text)
    for _ in range(k):
        chars.insert(rng.randint(0, len(chars)), rng.choice(pieces))
    return "".join(chars)


def _mojibake(rng: random.Random, text: str) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    j = min(len(text), i + rng.randint(1, 80))
    wrong = rng.choice(["latin-1", "cp1252", "gbk"])
    bad = text[i:j].encode("utf-8" if wrong != "gbk" else "gb18030", "replace")
    if wrong == "gbk":  # GBK bytes read as Latin-1
        garbled = bad.decode("latin-1")
    else:
        garbled = bad.decode(wrong, "replace")
    return text[:i] + garbled + text[j:]


def _spaced_out(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i] = " ".join(lines[i])
    return "\n".join(lines)


def _rewrap(rng: random.Random, text: str) -> str:
    width = rng.randint(1, 30)
    flat = text.replace("\n", "")
    return "\n".join(flat[i : i + width] for i in range(0, len(flat), width))


TEXT_MUTATIONS: dict[str, Callable[[random.Random, str], str]] = {
    "dup_lines": lambda r, t: _lines_op(r, t, "dup"),
    "delete_lines": lambda r, t: _lines_op(r, t, "delete"),
    "swap_lines": lambda r, t: _lines_op(r, t, "swap"),
    "spaces": lambda r, t: _insert(r, t, _SPACES, r.randint(1, 20)),
    "ascii_punct": lambda r, t: t.translate(_WIDE_TO_ASCII),
    "unicode": lambda r, t: _insert(r, t, [random_unicode(r, 20) for _ in range(5)], r.randint(1, 5)),
    "mojibake": _mojibake,
    "spaced_out": _spaced_out,
    "rewrap": _rewrap,
    "truncate": lambda r, t: t[: r.randint(0, len(t))],
}

ENCODINGS = [
    ("utf-8", 60),
    ("utf-8-sig", 4),
    ("gb18030", 10),
    ("big5", 6),
    ("utf-16", 6),  # with BOM
    ("utf-16-le", 5),
    ("utf-16-be", 5),
    ("utf-32", 2),
    ("latin-1", 2),  # (with "replace": a page of question marks)
]


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def _insert_bytes(rng: random.Random, data: bytes, pool: list[bytes], k: int) -> bytes:
    b = bytearray(data)
    for _ in range(k):
        pos = rng.randint(0, len(b))
        b[pos:pos] = rng.choice(pool)
    return bytes(b)


BYTE_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "byte_flip": _flip,
    "byte_truncate": lambda r, d: d[: r.randint(0, len(d))],
    "nul": lambda r, d: _insert_bytes(r, d, [b"\x00", b"\x00\x00", b"\x00" * 7], r.randint(1, 4)),
    "bad_bytes": lambda r, d: _insert_bytes(
        r, d, [bytes([x]) for x in (0x80, 0xBF, 0xC0, 0xC3, 0xE4, 0xF0, 0xFE, 0xFF)], r.randint(1, 6)
    ),
    "magic": lambda r, d: r.choice([b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"\x1f\x8b\x08", b"PK\x03\x04"]) + d,
    "bom_mismatch": lambda r, d: (
        r.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x84\x31\x95\x33"]) + d
    ),
}


def sample_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "raw").glob("*.txt"))]


@dataclass
class Generated:
    data: bytes
    recipe: list[str]


def generate(rng: random.Random, pages: list[str]) -> Generated:
    """One fuzz input and the recipe that made it (for the failure report)."""
    roll = rng.random()
    if roll < 0.3:
        text, recipe = random_unicode(rng), ["random_unicode"]
    else:
        page = rng.choice(pages)
        lines = page.split("\n")
        kind = rng.random()
        if kind < 0.04:
            text, recipe = page, ["page"]
        elif kind < 0.05:
            text, recipe = page + "\n\n" + rng.choice(pages), ["two_pages"]
        else:
            i = rng.randrange(len(lines))
            n = 1 + int(rng.expovariate(1 / 12))
            text, recipe = "\n".join(lines[i : i + n]), [f"lines[{i}:{i + n}]"]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            name = rng.choice(list(TEXT_MUTATIONS))
            text = TEXT_MUTATIONS[name](rng, text)
            recipe.append(name)
    codec = rng.choices([c for c, _ in ENCODINGS], [w for _, w in ENCODINGS])[0]
    data = text.encode(codec, "replace")
    if codec != "utf-8":
        recipe.append(codec)
    if rng.random() < 0.15:
        name = rng.choice(list(BYTE_MUTATIONS))
        data = BYTE_MUTATIONS[name](rng, data)
        recipe.append(name)
    return Generated(data, recipe)


# --- checking one input -------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    kind: str  # exception, decode, utf8, cr, jsonl, lost, idempotence, cli
    detail: str
    key: str = ""  # groups failures of one cause (the passes that act again, the exception)

    @property
    def group(self) -> str:
        return f"{self.kind}: {self.key or self.detail.splitlines()[0][:60]}"


def _check_output(fmt: str, out: str, page_len: int | None) -> list[Failure]:
    found: list[Failure] = []
    try:
        out.encode("utf-8")
    except UnicodeEncodeError as exc:
        found.append(Failure("utf8", f"{fmt} output is not valid UTF-8: {exc}"))
    if "\r" in out:
        found.append(Failure("cr", f"{fmt} output contains \\r at {out.index(chr(13))}"))
    if fmt == "jsonl":
        lines = out.splitlines()
        if page_len is not None and len(lines) != page_len:
            found.append(Failure("jsonl", f"{len(lines)} JSON lines for {page_len} articles"))
        for n, line in enumerate(lines):
            try:
                record = json.loads(line)
            except ValueError as exc:
                found.append(Failure("jsonl", f"line {n + 1} does not parse: {exc}"))
                break
            if not isinstance(record, dict) or list(record) != JSONL_KEYS:
                found.append(Failure("jsonl", f"line {n + 1} has keys {list(record)}"))
                break
    return found


def _exception(where: str) -> Failure:
    lines = traceback.format_exc().strip().splitlines()
    frames = [line.strip() for line in lines if line.strip().startswith("File ")]
    key = f"{where}: {lines[-1].split(':')[0]} at {frames[-1] if frames else '?'}"
    return Failure("exception", f"{where}: {lines[-1]}\n" + "\n".join(lines[-12:]), key)


def check_library(data: bytes, name: str = "fuzz.txt") -> tuple[list[Failure], str | None, str | None]:
    """Failures of decode + clean_page + writers; also (decode error, text output)."""
    try:
        text, _ = decode(data, name)
    except InputError as exc:
        msg = str(exc)
        if "\n" in msg or not msg.startswith(f"{name}: "):
            return [Failure("decode", f"InputError is not one line naming the input: {msg!r}")], msg, None
        return [], msg, None
    except Exception:
        return [_exception("decode")], None, None
    found: list[Failure] = []
    try:
        page = clean_page(text, source=name, config=CONFIG)
        outputs = {fmt: render(page, fmt) for fmt in FORMATS}
    except RecursionError:
        return [Failure("exception", "clean_page: RecursionError")], None, None
    except Exception:
        return [_exception("clean_page/render")], None, None
    for fmt, out in outputs.items():
        found += _check_output(fmt, out, len(page.articles))
    missing = unaccounted(text, page)
    if missing:
        lost = "".join(sorted(missing.elements()))
        found.append(Failure("lost", f"characters lost without a change that removed them: {lost[:80]!r}"))
    cleaned = outputs["text"]
    try:
        second = clean_page(cleaned, config=CONFIG)
        again = render(second, "text")
    except Exception:
        found.append(_exception("clean_page of the text output"))
    else:
        if again != cleaned:
            acting = sorted({c.pass_name for c in second.changes if c.before != c.after})
            passes = ", ".join(acting) or "none"
            detail = f"{_first_difference(cleaned, again)}\npasses that change it again: {passes}"
            # assembly acts again whenever a pass before it does: group by the others
            key = ", ".join(a for a in acting if a != "assemble_articles") or passes
            found.append(Failure("idempotence", detail, key))
    return found, None, cleaned


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    before, after = a[max(0, i - 20) : i + 20], b[max(0, i - 20) : i + 20]
    return f"cleaning the text output again changes it at {i}: {before!r} -> {after!r}"


def check_cli(
    data: bytes, expect_error: str | None, expect_text: str | None, workdir: Path | None, fmt: str
) -> list[Failure]:
    """The CLI's per-file path: from bytes (standard input) or from a file on disk."""
    if workdir is None:
        job, name = Job("-", "stdin", None, data), "<stdin>"
    else:
        path = workdir / "input.txt"
        path.write_bytes(data)
        job, name = Job(str(path), path.name, None), str(path)
    try:
        res = process(job, CONFIG, fmt, explain=True, keep_text=True)
    except BaseException:
        return [_exception("cli.process (it must never raise)")]
    if res.internal:
        cause = (res.error or "").split(": internal error: ", 1)[-1]
        return [Failure("cli", f"internal error: {res.error}", f"internal error: {cause[:80]}")]
    if res.error is not None:
        if "\n" in res.error or not res.error.startswith(f"{name}: "):
            return [Failure("cli", f"error is not one line naming the input: {res.error!r}")]
        if expect_error is None:
            return [Failure("cli", f"cli refused what decode accepted: {res.error}")]
        return []
    if expect_error is not None:
        return [Failure("cli", f"cli accepted what decode refused ({expect_error})")]
    if workdir is not None:
        batched = process(job, CONFIG, fmt, explain=True, keep_text=True, pool=_INLINE_POOL, pool_size=2)
        if (batched.rendered, batched.explained) != (res.rendered, res.explained):
            return [Failure("cli", "pages cleaned in batches (as by the workers) differ from one run")]
    if expect_text is not None and res.clean_text != expect_text:
        diff = _first_difference(expect_text, res.clean_text)
        return [Failure("cli", f"cli text differs from the library's: {diff}")]
    return [Failure("cli", f"cli output: {f.detail}") for f in _check_output(fmt, res.rendered, None)]


def check_input(data: bytes, workdir: Path | None = None, fmt: str = "jsonl") -> tuple[list[Failure], bool]:
    """Every failure of one input (none when it passes), and whether decode refused it."""
    found, error, text = check_library(data)
    found += check_cli(data, error, text, workdir, fmt)
    return found, error is not None


def check(data: bytes, workdir: Path | None = None, fmt: str = "jsonl") -> list[Failure]:
    """Every failure of one input (an empty list when it passes)."""
    return check_input(data, workdir, fmt)[0]


# --- shrinking and saving failures -------------------------------------------


def shrink(data: bytes, group: str, workdir: Path | None, fmt: str, budget: int = 400) -> bytes:
    """A smaller input that still fails in the same group (greedy chunk removal)."""

    def fails(candidate: bytes) -> bool:
        return group in {f.group for f in check(candidate, workdir, fmt)}

    tries = 0
    try:  # a decoded input is easier to read as UTF-8
        utf8 = decode(data, "fuzz.txt")[0].encode("utf-8")
    except Exception:  # refused, or the failure being shrunk is decode's own
        utf8 = data
    if utf8 != data and fails(utf8):
        data = utf8
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and tries < budget:
        i = 0
        progressed = False
        while i < len(data) and tries < budget:
            candidate = data[:i] + data[i + chunk :]
            tries += 1
            if candidate != data and fails(candidate):
                data = candidate
                progressed = True
            else:
                i += chunk
        if not progressed:
            chunk //= 2
    # Whole UTF-8 characters left: try dropping them one at a time.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    i = 0
    while i < len(text) and tries < budget:
        candidate = text[:i] + text[i + 1 :]
        tries += 1
        if fails(candidate.encode("utf-8")):
            text = candidate
        else:
            i += 1
    return text.encode("utf-8")


def save_failure(
    out_dir: Path, data: bytes, failure: Failure, recipe: list[str], seed: int, index: int
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    path = out_dir / f"{failure.kind}-{digest}.bin"
    path.write_bytes(data)
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    preview = data.decode("utf-8", "backslashreplace")
    path.with_suffix(".txt").write_text(
        f"kind: {failure.kind}\n"
        f"group: {failure.group}\n"
        f"input #{index} of --seed {seed}; recipe: {' + '.join(recipe)}\n"
        f"input ({len(data)} bytes): {preview[:2000]!r}\n\n"
        f"{failure.detail}\n\n"
        f"reproduce: python bench/fuzz.py --replay {rel}\n",
        encoding="utf-8",
    )
    return path


# --- the run -------------------------------------------------------------------


@dataclass
class FuzzReport:
    count: int = 0
    failures: int = 0  # inputs with at least one failure
    by_kind: Counter[str] = field(default_factory=Counter)
    by_group: Counter[str] = field(default_factory=Counter)  # failures by cause
    inputs: dict[str, list[int]] = field(default_factory=dict)  # group -> indices of its inputs
    refused: int = 0  # inputs decode refused (not a failure)
    examples: dict[str, tuple[bytes, Failure, list[str], int]] = field(default_factory=dict)
    saved: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        return f"{self.count} inputs, {self.failures} failures" + (f" ({kinds})" if kinds else "")


def fuzz(
    count: int,
    seed: int = 0,
    *,
    progress: Callable[[FuzzReport], None] | None = None,
    every: int = 10_000,
    save_dir: Path | None = None,
    shrink_failures: bool = True,
    max_saved_per_kind: int = 20,
) -> FuzzReport:
    """Run count generated inputs through every check; the core of the harness.

    Failing inputs are kept in ``report.examples`` (the first of each kind) and,
    with ``save_dir``, shrunk and saved there (at most ``max_saved_per_kind``
    distinct failures of each kind).
    """
    rng = random.Random(seed)
    pages = sample_pages()
    report = FuzzReport()
    seen_details: set[str] = set()
    saved_per_kind: Counter[str] = Counter()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cleanup-fuzz-") as tmp:
        workdir = Path(tmp)
        for index in range(count):
            gen = generate(rng, pages)
            fmt = FORMATS[index % len(FORMATS)]
            on_disk = workdir if index % 2 else None
            found, refused = check_input(gen.data, on_disk, fmt)
            report.count += 1
            report.refused += refused
            if found:
                report.failures += 1
                for f in found:
                    report.by_kind[f.kind] += 1
                    report.by_group[f.group] += 1
                    report.inputs.setdefault(f.group, []).append(index)
                    report.examples.setdefault(f.kind, (gen.data, f, gen.recipe, index))
                    key = f.group
                    room = saved_per_kind[f.kind] < max_saved_per_kind
                    if save_dir is not None and key not in seen_details and room:
                        seen_details.add(key)
                        saved_per_kind[f.kind] += 1
                        data = shrink(gen.data, f.group, on_disk, fmt) if shrink_failures else gen.data
                        small = next((g for g in check(data, on_disk, fmt) if g.group == f.group), f)
                        report.saved.append(save_failure(save_dir, data, small, gen.recipe, seed, index))
            if progress is not None and report.count % every == 0:
                report.seconds = time.perf_counter() - t0
                progress(report)
    report.seconds = time.perf_counter() - t0
    return report


def replay(paths: list[str]) -> int:
    bad = 0
    with tempfile.TemporaryDirectory(prefix="cleanup-fuzz-") as tmp:
        for p in paths:
            data = Path(p).read_bytes()
            found = []
            for fmt in FORMATS:
                found += check(data, None, fmt) + check(data, Path(tmp), fmt)
            unique = list(dict.fromkeys(found))
            print(f"{p}: {'ok' if not unique else f'{len(unique)} failures'}")
            for f in unique:
                print(f"  [{f.kind}] {f.detail}")
            bad += bool(unique)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=FAILURES_DIR, help="where failing inputs are saved")
    ap.add_argument("--no-shrink", action="store_true", help="save failing inputs as generated")
    ap.add_argument("--replay", nargs="+", metavar="FILE", help="check saved inputs again")
    args = ap.parse_args(argv)
    if args.replay:
        return replay(args.replay)

    def progress(r: FuzzReport) -> None:
        print(f"{r.line()}  [{r.seconds:.0f} s]", flush=True)

    shrink_them = not args.no_shrink
    report = fuzz(args.count, args.seed, progress=progress, save_dir=args.out, shrink_failures=shrink_them)
    rate = report.count / max(report.seconds, 1e-9)
    print(f"time: {report.seconds:.1f} s ({rate:.0f} inputs/s), seed {args.seed}")
    print(f"refused by decode (one-line InputError, not a failure): {report.refused}")
    for group, n in report.by_group.most_common():
        print(f"  {n:6d}  {group}")
    if report.saved:
        print(f"failing inputs saved to {args.out}/ (replay: python bench/fuzz.py --replay FILE)")
    print(report.line())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
