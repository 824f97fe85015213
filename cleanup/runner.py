"""Cleaning one input file for the command line: reading it a chunk at a
time, cleaning its pages (here or in worker processes, a few batches at a
time, put back in order), rendering and writing the output whole or not at
all, and comparing it with the input for --check and --diff.

The command line (``cli``) plans the jobs, runs them through ``run_all``
and reports; what happens to one file is here.
"""

from __future__ import annotations

import collections
import itertools
import os
import signal
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import fsguard
from . import io as files
from .config import Config
from .errors import CleanupError, OutputError
from .fsguard import PageTimeout, available_cores, stop_pool, timed_pages
from .io import Replacement, atomic_writer, copy_atomic, decode, read_chunks
from .model import Article, Change, Page, moved_change
from .pipeline import columns_in, lines_in, page_separator_pattern, run_split, split_pages
from .writers import render_chunks


@dataclass(frozen=True)
class Job:
    """One input: where it comes from and where its output goes."""

    source: str  # path as given, or "-" for stdin
    name: str  # file name reported in JSONL "source"
    output: Path | None  # None: standard output (or nothing, with --check)
    data: bytes | None = None  # stdin's bytes, read up front when small
    spooled: str | None = None  # a temporary file holding a big stdin


@dataclass
class Result:
    job: Job
    rendered: str = ""
    changed: bool = False  # the clean text differs from the input
    counts: dict[str, int] = field(default_factory=dict)
    explained: list[Change] = field(default_factory=list)  # with --explain or --report
    error: str | None = None
    internal: bool = False
    replaced: list[Replacement] = field(default_factory=list)  # bytes no codec could read
    longest_page: int = 0  # characters of the input's longest page (a hint when it is many pages long)
    # the input and its clean text, kept only for --diff
    text_in: str = ""
    clean_text: str = ""


def process(
    job: Job,
    config: Config,
    fmt: str,
    explain: bool,
    keep_text: bool = False,
    output: Literal["return", "write", "none"] = "return",
    backup: bool = False,
    pool: Executor | None = None,
    pool_size: int = 1,
    page_timeout: float = 0,
    encoding: str | None = None,
) -> Result:
    """Clean one input; never raises (errors are returned in the result).

    The input is read, cleaned and rendered page by page: a big file is read
    a chunk at a time, and a page's articles and changes are dropped once
    rendered and counted, so a file of many pages is never in memory whole.
    output "write" writes to a temporary file renamed over job.output at the
    end (the INPUT.orig backup first, with backup), so the output is either
    complete or untouched; "return" returns the rendered output in the
    result; "none" (--check) keeps nothing. Whether the input changed is
    decided by comparing the clean text with the input as both go by; both
    are kept only when keep_text (--diff) asks for them. With a pool, the
    pages are cleaned in its workers, a few batches at a time, and put back
    in order here. A page that takes longer than page_timeout seconds to
    clean (0: no limit) fails the file; bytes no codec could read are
    replaced by U+FFFD and listed in res.replaced.
    """
    res = Result(job)
    try:
        target = _write_target(job) if output == "write" else None
        if job.data is not None:
            chunks: Iterator[str] = iter([decode(job.data, "<stdin>", res.replaced, encoding)[0]])
        elif job.spooled is not None:
            chunks = read_chunks(Path(job.spooled), "<stdin>", res.replaced, encoding)
        else:
            chunks = read_chunks(Path(job.source), None, res.replaced, encoding)
        same = SameText()
        kept_in: list[str] = []
        kept_clean: list[str] = []

        def read() -> Iterator[tuple[str, str | None]]:
            # the pages as cleaned are compared, not the chunks as read: the
            # comparison then holds the text of the page being cleaned, not a copy
            for part, sep in split_pages(chunks, page_separator_pattern(config.page_separator)):
                res.longest_page = max(res.longest_page, len(part))
                for piece in (part, sep or ""):
                    same.feed_left(piece)
                    if keep_text:
                        kept_in.append(piece)
                yield part, sep

        def articles() -> Iterator[Article]:
            if pool is None:
                pages: Iterator[_CleanPage] = (
                    _summary(page, explain)
                    for page in timed_pages(run_split(read(), config, job.name), page_timeout)
                )
            else:
                pages = _clean_in_pool(pool, pool_size, read(), config, job.name, explain, page_timeout)
            before = 0  # articles of the pages before (output positions count the file's)
            for found, counts, explained in pages:
                for name, n in counts.items():
                    res.counts[name] = res.counts.get(name, 0) + n
                res.explained.extend(moved_change(c, 0, before) for c in explained)
                before += len(found)
                yield from found

        def rendered() -> Iterator[str]:
            # --check and --diff only compare the text: no other format is rendered
            shown = fmt if output != "none" else "text"
            for piece, clean_piece in _render_with_text(articles(), shown, job.name):
                same.feed_right(clean_piece)
                if keep_text:
                    kept_clean.append(clean_piece)
                yield piece

        if output == "write" and job.output is not None and target is not None:
            pieces = rendered()
            # the first page is cleaned before anything is created: a file
            # that cannot be read leaves no output folder and no backup behind
            first = next(pieces, "")
            orig = job.output.with_name(job.output.name + ".orig")
            made_backup = False
            try:
                if backup and job.output == Path(job.source) and not orig.exists():
                    # the input's own bytes, whatever its encoding, and its mode
                    copy_atomic(Path(job.source), orig)
                    made_backup = True
                with atomic_writer(target) as fh:
                    fh.write(first.encode("utf-8"))
                    for piece in pieces:
                        fh.write(piece.encode("utf-8"))
            except BaseException as exc:
                if made_backup:  # a later page failed: the input is as it was, with no backup to keep
                    files.remove_quietly(orig)
                if isinstance(exc, OSError):  # reading errors are InputErrors by now: this is writing's
                    raise OutputError(f"{job.output}: cannot write ({exc.strerror})") from None
                raise
        elif output == "return":
            res.rendered = "".join(rendered())
        else:  # only whether it would change, and the counts
            for _ in rendered():
                pass
        res.changed = not same.same
        if explain:
            res.explained[:0] = [_replacement_change(r) for r in res.replaced]
        if keep_text:
            res.text_in, res.clean_text = "".join(kept_in), "".join(kept_clean)
    except PageTimeout as exc:
        res.error = f"{job.source}: {exc}; nothing written for it"
    except CleanupError as exc:
        res.error = str(exc)
    except RecursionError:
        res.error = f"{job.source}: input too deeply nested to process"
    except Exception as exc:
        res.error = f"{job.source}: internal error: {type(exc).__name__}: {exc}"
        res.internal = True
        if os.environ.get("CLEANUP_DEBUG"):
            traceback.print_exc()
    return res


def _write_target(job: Job) -> Path | None:
    """Where job's output is written: with --in-place, the file its input
    names (through a symlink, so the link stays a link); an input that is
    read-only is refused, not replaced."""
    if job.output is None or job.output != Path(job.source):
        return job.output
    target = Path(os.path.realpath(job.source))
    try:
        st = fsguard.check_regular(target, job.source)
    except OSError:
        return target  # reading it names the error
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise OutputError(
            f"{job.source}: is read-only; --in-place leaves it as it is (make it writable first)"
        )
    return target


def _replacement_change(r: Replacement) -> Change:
    """A replaced byte as a change of the pseudo-pass decode (before: the bytes, as Python writes them)."""
    # (exact: the bytes stood there, though before is how Python writes them, not text)
    note = f"invalid {r.codec} bytes replaced"
    return Change("decode", r.line, r.column, repr(r.raw), "\ufffd", note, True)


def explain_line(c: Change) -> str:
    if c.pass_name == "decode":  # (the bytes, not a text: shown as they are)
        return f"decode  {c.line}:{c.column}  {c.before} -> {c.after!r}  ({c.note})"
    return c.describe()


# What the command line keeps of a cleaned page: its articles, its changes
# per pass and, with --explain, their descriptions.
_CleanPage = tuple[tuple[Article, ...], dict[str, int], list[Change]]
# Pages are sent to workers in batches of about this many characters, and at
# most this many batches per worker are in flight (read ahead of the output).
BATCH_CHARS = 1 << 18
BATCHES_PER_WORKER = 2
# Files over this size have their pages cleaned in all workers.
BIG_FILE_BYTES = 1 << 22


def _summary(page: Page, explain: bool) -> _CleanPage:
    # (notes that change no text, assembly's decisions, are not changes to explain)
    changed = [c for c in page.changes if c.before != c.after] if explain else []
    return page.articles, page.changes_by_pass(), changed


def _clean_batch(
    parts: list[tuple[str, str | None]],
    line_offset: int,
    config: Config,
    source: str,
    explain: bool,
    first_page: int = 1,
    page_timeout: float = 0,
    column_offset: int = 0,
) -> list[_CleanPage]:
    """In a worker: clean a run of pages starting line_offset lines (and
    first_page pages, and column_offset characters into its line) into the input."""
    split = run_split(parts, config, source, line_offset, column_offset)
    pages = timed_pages(split, page_timeout, first_page)
    return [_summary(page, explain) for page in pages]


def _clean_in_pool(
    pool: Executor,
    workers: int,
    parts: Iterable[tuple[str, str | None]],
    config: Config,
    source: str,
    explain: bool,
    page_timeout: float = 0,
) -> Iterator[_CleanPage]:
    """The pages of one input cleaned in the pool's workers, in order.

    Only a few batches are read ahead, so a big file is still held a page
    batch at a time; what comes back is the same as ``run_split`` gives.
    """
    in_flight: collections.deque[Future[list[_CleanPage]]] = collections.deque()
    limit = BATCHES_PER_WORKER * max(1, workers)
    batch: list[tuple[str, str | None]] = []
    size = start = lines = 0
    column = start_column = 0  # where the next page, the batch's first page start on their lines
    first = count = 1  # the number of the batch's first page, of the next page
    try:
        for part, sep in parts:
            batch.append((part, sep))
            size += len(part)
            lines += lines_in(part, sep)
            column = columns_in(part, sep, column)
            count += 1
            if size >= BATCH_CHARS:
                in_flight.append(
                    pool.submit(
                        _clean_batch, batch, start, config, source, explain, first, page_timeout, start_column
                    )
                )
                batch, size, start, first, start_column = [], 0, lines, count, column
                while len(in_flight) >= limit:
                    yield from in_flight.popleft().result()
        if batch:
            in_flight.append(
                pool.submit(
                    _clean_batch, batch, start, config, source, explain, first, page_timeout, start_column
                )
            )
        while in_flight:
            yield from in_flight.popleft().result()
    finally:
        # stopped early (a read or write failed, a page failed, Ctrl-C): the
        # batches not yet started would only delay the files queued after
        for future in in_flight:
            future.cancel()


class SameText:
    """Whether two texts given piece by piece are equal, holding only the
    pieces of one that the other has not reached yet (never copying them)."""

    def __init__(self) -> None:
        self.ahead: collections.deque[str] = collections.deque()  # the side ahead, not yet compared
        self.pos = 0  # how much of ahead[0] is compared
        self.left_ahead = True
        self.equal = True

    def feed_left(self, text: str) -> None:
        self._feed(text, left=True)

    def feed_right(self, text: str) -> None:
        self._feed(text, left=False)

    def _feed(self, text: str, left: bool) -> None:
        if not self.equal or not text:
            return
        if left == self.left_ahead or not self.ahead:
            self.ahead.append(text)
            self.left_ahead = left
            return
        i = 0  # compared in text
        while i < len(text) and self.ahead:
            head = self.ahead[0]
            n = min(len(head) - self.pos, len(text) - i)
            if not head.startswith(text[i : i + n], self.pos):
                self.equal = False
                self.ahead.clear()
                return
            i += n
            self.pos += n
            if self.pos == len(head):
                self.ahead.popleft()
                self.pos = 0
        if i < len(text):  # this side is ahead now
            self.ahead.append(text[i:])
            self.left_ahead = left

    @property
    def same(self) -> bool:
        return self.equal and not self.ahead


def _render_with_text(articles: Iterator[Article], fmt: str, source: str) -> Iterator[tuple[str, str]]:
    """(piece in fmt, piece as text) of the rendering of articles, in step.

    Each article is rendered in both formats as it comes (itertools.tee
    holds at most one article between the two), so neither rendering needs
    all the articles at once.
    """
    if fmt == "text":
        for piece in render_chunks(articles, "text", source):
            yield piece, piece
        return
    mine, as_text = itertools.tee(articles)
    yield from itertools.zip_longest(
        render_chunks(mine, fmt, source), render_chunks(as_text, "text", source), fillvalue=""
    )


def _worker_init(main_pid: int) -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, and die with it.

    A worker interrupted inside the pool's result queue leaves its lock held;
    the pool then hangs at exit. The main process stops the run instead: it
    kills the workers (``fsguard.stop_pool``) and removes what they were writing.
    A main process killed outright (SIGKILL, the OOM killer) takes its
    workers with it (``fsguard.die_with_parent``).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    fsguard.die_with_parent(main_pid)


def run_all(
    runnable: list[Job], clean_one: Callable[..., Result], jobs: int | None
) -> Generator[Result, None, None]:
    """The results of the jobs, in order.

    With several workers, small files are cleaned one per worker; a big file
    is read here and its pages are cleaned in the workers, so that one big
    input uses all of them too.
    """
    big = [_is_big(job) for job in runnable]
    cores = available_cores()
    workers = min(jobs, cores) if jobs is not None else cores  # more workers than cores only add memory
    if not any(big):
        workers = min(workers, len(runnable))
    if workers <= 1:
        yield from map(clean_one, runnable)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        for is_big, group in itertools.groupby(zip(big, runnable), key=lambda x: x[0]):
            jobs_ = [job for _, job in group]
            if is_big:
                for job in jobs_:
                    yield clean_one(job, pool=pool, pool_size=workers)
            else:
                # map keeps input order, so output is the same as with one worker
                yield from pool.map(clean_one, jobs_, chunksize=4)
    except BaseException:  # Ctrl-C, SIGTERM, the consumer gone: stop now, not after the pages in flight
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _is_big(job: Job) -> bool:
    """A file whose pages are worth spreading over the workers."""
    if job.data is not None:
        return False
    try:
        return Path(job.spooled or job.source).stat().st_size > BIG_FILE_BYTES
    except OSError:
        return False
