"""The file system and process guards of the command line.

What keeps a run from losing data or leaving litter behind, whatever
happens to it:

- inputs are stat'ed before they are opened, and only regular files are
  read (a FIFO would block the read forever, ``/dev/zero`` never ends);
- a file is read against a snapshot of its size and modification time, and
  refused when it changed while it was read (a half-written input is not
  cleaned as if it were whole);
- temporary files carry the id of the process that writes them
  (``.cleanup-PID-HEX.tmp`` beside an output, ``cleanup-stdin-PID-*.txt``
  in TMPDIR), so a later run can tell a killed run's leftovers from the
  files of a run still going, and removes only the former;
- workers die with the process that started them, and are killed at once
  when the run is interrupted;
- a page that takes too long fails its file instead of stalling the run;
- outputs are planned before anything is written: none may be an input or
  another input's output.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import InvalidStateError, ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple, TypeVar

from .errors import CleanupError, InputError

T = TypeVar("T")
_END = object()

# A temporary output: short, whatever the output's name (a name of 255
# bytes, the most a folder entry may have, still gets one), hidden, and
# carrying its writer's process id.
_TMP_RE = re.compile(r"\.cleanup-(\d+)-[0-9a-f]{8}\.tmp")
# A big standard input copied to TMPDIR (mkstemp adds 8 characters).
SPOOL_PREFIX = "cleanup-stdin-"
_SPOOL_RE = re.compile(re.escape(SPOOL_PREFIX) + r"(\d+)-[a-z0-9_]+\.txt")


def temp_path(folder: Path) -> Path:
    """A fresh temporary file name in folder (for an atomic rename there)."""
    return folder / f".cleanup-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def spool_prefix() -> str:
    """mkstemp's prefix for a copy of standard input."""
    return f"{SPOOL_PREFIX}{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Whether a process of that id exists (a process of another user counts)."""
    if pid <= 0:
        return True  # not a process id we wrote: never remove on its account
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but was not reaped (Linux; elsewhere: no)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def remove_stale(folder: Path, spools: bool = False) -> list[Path]:
    """Remove our temporary files in folder whose process is gone; the removed.

    A file of a process still running (another cleanup writing there) is
    never touched. The calling process's own id counts as gone: this runs
    before the run writes anything, so a file of that id was left by an
    earlier process that had the same id (a container's process 1).
    """
    pattern = _SPOOL_RE if spools else _TMP_RE
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    me = os.getpid()
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None:
            continue
        pid = int(m.group(1))
        if pid != me and pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def remove_stale_spools() -> list[Path]:
    """Copies of standard input left in TMPDIR by killed runs."""
    return remove_stale(Path(tempfile.gettempdir()), spools=True)


# --- planning ----------------------------------------------------------------


def output_conflicts(jobs: Sequence[tuple[str, Path | None]], in_place: bool) -> list[str]:
    """Every output that would overwrite an input or another input's output,
    of jobs given as (input as given, or "-"; output path or None).

    Outputs and inputs are compared as resolved paths and, for the files
    that exist, as (device, inode), so a symlink or a second name of a file
    is caught too. With --in-place each input is its own output, and only
    that is allowed.
    """
    inputs: dict[object, str] = {}
    for source, _ in jobs:
        if source != "-":
            for key in _file_keys(Path(source)):
                inputs.setdefault(key, source)
    claimed: dict[object, str] = {}
    conflicts: list[str] = []
    for source, output in jobs:
        if output is None:
            continue
        keys = _file_keys(output)
        own = set(_file_keys(Path(source))) if source != "-" else set()
        other = next((k for k in keys if k in claimed), None)
        hit = next((inputs[k] for k in keys if k in inputs and not (in_place and k in own)), None)
        if hit is not None:
            conflicts.append(
                f"{source}: output would overwrite the input (use --in-place)"
                if hit == source
                else f"{source}: output {output} would overwrite the input {hit}"
            )
        elif other is not None:
            conflicts.append(f"{source}: output {output} is also the output of {claimed[other]}")
        for k in keys:
            claimed.setdefault(k, source)
    return conflicts


def _file_keys(path: Path) -> list[object]:
    """What identifies a file: its resolved path, and (device, inode) when it exists."""
    keys: list[object] = [_resolved(path)]
    try:
        st = path.stat()
    except OSError:
        return keys
    keys.append((st.st_dev, st.st_ino))
    return keys


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop raises RuntimeError before Python 3.13
        return path.absolute()


# --- reading -----------------------------------------------------------------


class Snapshot(NamedTuple):
    """What tells that a file changed: its size and modification time."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> Snapshot:
        return cls(st.st_size, st.st_mtime_ns)


def not_regular(name: str) -> InputError:
    return InputError(f"{name}: not a regular file")


def changed(name: str) -> InputError:
    return InputError(
        f"{name}: changed while being read; nothing written for it (run again when it is complete)"
    )


def check_regular(path: Path, name: str) -> os.stat_result:
    """The stat of path (following links); InputError unless it is a regular file.

    OSErrors (no such file, permission) are left to the caller, which names them.
    """
    st = path.stat()
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise not_regular(name)
    return st


def open_regular(path: Path, name: str) -> tuple[int, Snapshot]:
    """A file descriptor of path for reading and its snapshot.

    stat first, so a FIFO or device is never opened; then open without
    blocking (should path have been replaced by a FIFO in between) and check
    again on the descriptor.
    """
    check_regular(path, name)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, Snapshot.of(st)


def check_unchanged(fd: int, before: Snapshot, read: int | None, name: str) -> None:
    """InputError when the file of fd is not as it was before it was read
    (read: the bytes read, when it was read to the end)."""
    after = Snapshot.of(os.fstat(fd))
    if after != before or (read is not None and read != before.size):
        raise changed(name)


# --- workers -----------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent(main: int) -> None:
    """In a worker: end when the main process (pid main) ends.

    On Linux the kernel sends SIGKILL when the worker's parent dies
    (prctl PR_SET_PDEATHSIG); everywhere a daemon thread also checks once
    a second that the worker still has the same parent and that main still
    runs (under forkserver or spawn the parent is not main). A main process
    that died before this ran is caught at once.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    parent = os.getppid()
    if not _still_there(main, parent):
        os._exit(1)
    threading.Thread(target=_watch, args=(main, parent), name="cleanup-parent-watch", daemon=True).start()


def _still_there(main: int, parent: int) -> bool:
    return os.getppid() == parent and (main == parent or pid_alive(main))


def _watch(main: int, parent: int, every: float = 1.0) -> None:
    while True:
        time.sleep(every)
        if not _still_there(main, parent):
            os._exit(1)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers and wait for them to be gone.

    Workers of the command ignore SIGTERM (see ``cli._worker_init``), so they get SIGKILL; the
    temporary files they were writing are then removed by the caller
    (``remove_stale``: their processes are gone).
    """
    # The pool's manager thread then marks the futures still queued as
    # broken, and on Python 3.11 fails on those the caller just cancelled
    # (InvalidStateError): harmless, and not worth a traceback on the way out.
    threading.excepthook = functools.partial(_quiet_pool_manager, threading.excepthook)
    processes = list((getattr(pool, "_processes", None) or {}).values())  # a private attribute
    if not processes and hasattr(pool, "kill_workers"):  # its public form, from Python 3.14
        pool.kill_workers()
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.kill()
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(10)
    # A worker killed while sending its result leaves half a message in the
    # result pipe: the manager thread would wait for the rest forever, and
    # shutdown (and the interpreter's exit) with it. This process holds the
    # pipe's last write end; closing it ends the wait with EOF, which the
    # manager treats as a broken pool and cleans up after.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)  # private, as above
    if processes and writer is not None:
        with contextlib.suppress(Exception):
            writer.close()
    pool.shutdown(wait=True, cancel_futures=True)


def _quiet_pool_manager(
    previous: Callable[[threading.ExceptHookArgs], object], args: threading.ExceptHookArgs
) -> None:
    if (
        isinstance(args.exc_value, InvalidStateError)
        and type(args.thread).__name__ == "_ExecutorManagerThread"
    ):
        return
    previous(args)


# --- time ----------------------------------------------------------------------


class PageTimeout(CleanupError):
    """A page that took longer than --page-timeout to clean."""

    def __init__(self, page: int, seconds: float) -> None:
        super().__init__(page, seconds)
        self.page, self.seconds = page, seconds

    def __str__(self) -> str:
        return f"page {self.page} took longer than {self.seconds:g} s to clean (--page-timeout)"


class _Alarm(BaseException):
    """SIGALRM inside a page; a BaseException, so no pass's except Exception swallows it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _Alarm


def timed_pages(pages: Iterator[T], seconds: float, first: int = 1) -> Iterator[T]:
    """pages, each given within seconds of being asked for, else PageTimeout
    naming it (counted from first). 0 seconds: no limit.

    The limit is an ITIMER_REAL alarm whose handler raises between two
    bytecodes of the page's passes; it works in the main thread of a
    process (the command's, a worker's), and elsewhere there is no limit.
    A single call into C (one regex search) is not interrupted.
    """
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield from pages
        return
    number = first
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, seconds)
                page = next(pages, _END)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if page is _END:
                return
            yield page  # type: ignore[misc]  # not _END
            number += 1
    except _Alarm:
        raise PageTimeout(number, seconds) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
