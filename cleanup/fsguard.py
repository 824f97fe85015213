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
- workers die with the process that started them.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

from .errors import InputError

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
            import signal

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
