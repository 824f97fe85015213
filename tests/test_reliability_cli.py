"""The command line under an adversarial user and a hostile machine (issue 13).

No input is overwritten, nothing is half written, nothing is left behind:
output collisions, FIFOs and devices, --in-place on read-only files and
symlinks, inputs that change while they are read, long file names, killed
runs, killed main processes, interrupts while a page is slow, pages that
never finish, [tool.cleanup] jobs, and bytes no codec can read.

A "slow page" is made by a test-only wrapper (``SLOW_WRAPPER``): it starts
the command with ``cleanup.pipeline.run_page`` replaced by one that sleeps
on a page holding ``SLOWPAGE``; nothing in the package knows of it.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

import cleanup
import cleanup.cli
import cleanup.fsguard
import cleanup.io
import cleanup.pipeline
import cleanup.runner

DAMAGED = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。\n"
CLEANED = "本报讯（通讯员 伊宣）为营造良好的人居环境。\n"
SECOND = "第二篇(报道)的内\n容继续。\n"
SLOW = "本报讯(通讯员 王明)SLOWPAGE\n"

SLOW_WRAPPER = """\
import os, sys, time
import cleanup.cli, cleanup.io, cleanup.pipeline, cleanup.runner

_real = cleanup.pipeline.run_page


def run_page(text, *args, **kwargs):
    if "SLOWPAGE" in text:
        time.sleep(float(os.environ.get("SLOW_SECONDS", "600")))
    return _real(text, *args, **kwargs)


cleanup.pipeline.run_page = run_page
if os.environ.get("BIG_FILE_BYTES"):  # pages of small files cleaned in the workers
    cleanup.runner.BIG_FILE_BYTES = cleanup.io.STREAM_BYTES = int(os.environ["BIG_FILE_BYTES"])
cleanup.cli.main(sys.argv[1:], prog_name="cleanup")
"""

CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


# the CLI tests' own helpers: an isolated working folder, run, write
from tests.test_hardening import _isolated, run, write  # noqa: E402, F401


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("cleanup: error:")]


def files_in(folder: Path) -> list[str]:
    """Every file below folder, hidden ones too, relative and sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


def dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


def wrapper(tmp_path: Path) -> list[str]:
    script = tmp_path / "slow_cleanup.py"
    script.write_text(SLOW_WRAPPER, encoding="utf-8")
    return [sys.executable, str(script)]


def children(pid: int) -> list[int]:
    """Living (not zombie) processes whose parent is pid."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat_file.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, f"the run ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "the run did not get there"
        time.sleep(0.05)


# --- 1. outputs that collide: refused before anything is written ---------------------------


def test_an_output_on_another_input_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    x = write(tmp_path / "x" / "a.txt", "本报讯（通讯员 伊宣）X版本的独有内容。\n")
    y = write(tmp_path / "y" / "a.txt", "本报讯（通讯员 王明）Y版本的内容。\n")
    result = run("y/a.txt", "x/a.txt", "-o", "x", "-j", "1")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "cleanup: error: y/a.txt: output x/a.txt would overwrite the input x/a.txt",
        "cleanup: error: x/a.txt: output would overwrite the input (use --in-place)",
        "cleanup: error: 2 output conflicts; nothing was written "
        "(choose another -o folder, or --in-place to clean inputs in place)",
    ]
    assert (
        x.read_text(encoding="utf-8") == "本报讯（通讯员 伊宣）X版本的独有内容。\n"
    )  # X's text is still there
    assert y.read_text(encoding="utf-8") == "本报讯（通讯员 王明）Y版本的内容。\n"
    assert files_in(tmp_path / "x") == ["a.txt"]


def test_two_inputs_of_one_folder_with_one_output_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    md = write(tmp_path / "d" / "a.md", DAMAGED)
    txt = write(tmp_path / "d" / "a.txt", SECOND)
    result = run("d", "--glob", "*", "-o", "d", "-j", "1")
    assert result.exit_code == 2
    assert error_lines(result)[:2] == [
        f"cleanup: error: {Path('d', 'a.md')}: output {Path('d', 'a.txt')} would overwrite the input "
        f"{Path('d', 'a.txt')}",
        f"cleanup: error: {Path('d', 'a.txt')}: output would overwrite the input (use --in-place)",
    ]
    assert "nothing was written" in error_lines(result)[-1]
    assert (md.read_text(encoding="utf-8"), txt.read_text(encoding="utf-8")) == (DAMAGED, SECOND)
    assert files_in(tmp_path / "d") == ["a.md", "a.txt"]


def test_an_output_that_is_an_input_through_a_symlink_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)
    write(tmp_path / "other" / "a.txt", SECOND)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").symlink_to(tmp_path / "in" / "a.txt")  # out/a.txt is in/a.txt
    result = run("other/a.txt", "in/a.txt", "-o", "out", "-j", "1")
    assert result.exit_code == 2
    assert "nothing was written" in error_lines(result)[-1]
    assert (tmp_path / "in" / "a.txt").read_text(encoding="utf-8") == DAMAGED
    assert (tmp_path / "out" / "a.txt").is_symlink()


def test_in_place_with_one_file_named_twice_is_refused(tmp_path: Path) -> None:
    src = write(tmp_path / "a.txt", DAMAGED)
    (tmp_path / "alias.txt").symlink_to("a.txt")
    result = run("--in-place", "a.txt", "alias.txt", "-j", "1")
    assert result.exit_code == 2
    assert error_lines(result)[0] == "cleanup: error: alias.txt: output alias.txt is also the output of a.txt"
    assert src.read_text(encoding="utf-8") == DAMAGED
    assert not (tmp_path / "a.txt.orig").exists()


# --- 2. FIFOs and devices named directly -----------------------------------------------------


def _limited_memory() -> None:  # the old reader of /dev/zero would fill the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_device_named_directly_is_refused_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f")  # nobody writes to it: opening it to read would block forever
    write(tmp_path / "a.txt", DAMAGED)
    args = ["f", "a.txt", "-o", "out"] + (["/dev/zero"] if Path("/dev/zero").exists() else [])
    proc = subprocess.run(
        [sys.executable, "-m", "cleanup", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited_memory if sys.platform.startswith("linux") else None,
    )
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("cleanup: error:")]
    assert errors == ["cleanup: error: f: not a regular file"] + (
        ["cleanup: error: /dev/zero: not a regular file"] if "/dev/zero" in args else []
    )
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == CLEANED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_the_reader_never_opens_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f")  # would block here if opened
    with pytest.raises(cleanup.io.InputError, match="f: not a regular file"):
        cleanup.io.read_text(tmp_path / "f", "f")
    with pytest.raises(cleanup.io.InputError, match="f: not a regular file"):
        next(cleanup.io.read_chunks(tmp_path / "f", "f"))


def test_standard_input_is_still_read() -> None:
    result = run("-", input=DAMAGED)
    assert (result.exit_code, result.stdout) == (0, CLEANED)


# --- 3. --in-place: read-only files, symlinks, the backup's mode --------------------------


def test_in_place_refuses_a_read_only_file(tmp_path: Path) -> None:
    src = write(tmp_path / "ro.txt", DAMAGED)
    other = write(tmp_path / "rw.txt", DAMAGED)
    src.chmod(0o444)
    result = run("--in-place", "ro.txt", "rw.txt", "-j", "1")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "cleanup: error: ro.txt: is read-only; --in-place leaves it as it is (make it writable first)"
    ]
    assert src.read_text(encoding="utf-8") == DAMAGED
    assert stat.S_IMODE(src.stat().st_mode) == 0o444
    assert not (tmp_path / "ro.txt.orig").exists()
    assert other.read_text(encoding="utf-8") == CLEANED  # the others are cleaned


def test_in_place_writes_through_a_symlink_and_keeps_modes(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "page.txt", DAMAGED)
    target.chmod(0o640)
    link = tmp_path / "page.txt"
    link.symlink_to(Path("real", "page.txt"))
    result = run("--in-place", "page.txt")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(Path("real", "page.txt"))  # still a link
    assert target.read_text(encoding="utf-8") == CLEANED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    backup = tmp_path / "page.txt.orig"
    assert backup.read_text(encoding="utf-8") == DAMAGED
    assert not backup.is_symlink()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o640  # the backup has the input's mode
    assert files_in(tmp_path / "real") == ["page.txt"]  # no temporary file left by the target


def test_the_backup_keeps_the_mode_of_a_private_input(tmp_path: Path) -> None:
    src = write(tmp_path / "private.txt", DAMAGED)
    src.chmod(0o600)
    assert run("--in-place", "private.txt").exit_code == 0
    assert stat.S_IMODE((tmp_path / "private.txt.orig").stat().st_mode) == 0o600
    assert stat.S_IMODE(src.stat().st_mode) == 0o600


# --- 4. an input that changes while it is read -------------------------------------------


def test_a_file_that_shrinks_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (DAMAGED * 40).encode("utf-8")
    src = write(tmp_path / "in" / "a.txt", page)
    write(tmp_path / "in" / "b.txt", SECOND)
    inode = src.stat().st_ino
    real_open = io.open

    class Shrinking:
        """The file as a reader sees it while a writer truncates it: half arrives."""

        def __init__(self, fh: io.BufferedReader) -> None:
            self.fh = fh

        def read(self, size: int = -1) -> bytes:
            data = self.fh.read(size)
            cut = len(page) // 2 - (len(page) // 2) % len(DAMAGED.encode())  # at a character boundary
            os.truncate(src, cut)
            return data[:cut]

        def __getattr__(self, name: str) -> object:
            return getattr(self.fh, name)

        def __enter__(self) -> Shrinking:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

    def opening(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        fh = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        if "r" in mode and "b" in mode and os.fstat(fh.fileno()).st_ino == inode:
            return Shrinking(fh)
        return fh

    monkeypatch.setattr(io, "open", opening)
    result = run("in", "-o", "out", "-j", "1")
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"cleanup: error: {Path('in', 'a.txt')}: changed while being read; nothing written for it "
        "(run again when it is complete)"
    ]
    assert files_in(tmp_path / "out") == ["b.txt"]


def test_a_big_file_that_shrinks_between_its_chunks_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cleanup.io, "STREAM_BYTES", 64)  # read a chunk at a time
    monkeypatch.setattr(cleanup.io, "CHUNK_BYTES", 64)
    monkeypatch.setattr(cleanup.pipeline, "SEPARATOR_REACH", 4)
    pages = [DAMAGED, SECOND, DAMAGED, SECOND]
    src = write(tmp_path / "in" / "a.txt", "\f".join(pages * 10))
    real_split = cleanup.runner.split_pages

    def split_then_truncate(*args: object, **kwargs: object) -> Iterator[tuple[str, str | None]]:
        for n, part in enumerate(real_split(*args, **kwargs)):  # type: ignore[arg-type]
            if n == 0:  # a writer cuts the file after the first page was read
                os.truncate(src, len("\f".join(pages).encode("utf-8")))
            yield part

    monkeypatch.setattr(cleanup.runner, "split_pages", split_then_truncate)
    for args in (["-o", "out"], []):  # to a file, to standard output
        result = run("in/a.txt", "-j", "1", *args)
        assert result.exit_code == 2, result.output
        assert "in/a.txt: changed while being read" in error_lines(result)[0]
        assert result.stdout == ""
        src.write_text("\f".join(pages * 10), encoding="utf-8")
    assert not (tmp_path / "out").exists() or files_in(tmp_path / "out") == []


# --- 5. long file names ------------------------------------------------------------------


@pytest.mark.parametrize("length", [234, 250, 255])
def test_a_file_name_of_up_to_255_bytes_is_written(tmp_path: Path, length: int) -> None:
    name = "长" * ((length - 4) // 3) + "x" * ((length - 4) % 3) + ".txt"
    assert len(name.encode("utf-8")) == length
    try:
        write(tmp_path / "in" / name, DAMAGED)
    except OSError:
        pytest.skip("this file system takes shorter names")
    result = run("in", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / name).read_text(encoding="utf-8") == CLEANED
    assert files_in(tmp_path / "out") == [name]


# --- 6. what killed runs leave behind is removed by the next run ----------------------------


def test_the_next_run_removes_temporary_files_of_dead_processes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    dead, living = dead_pid(), os.getppid()  # pytest's parent lives on
    out = tmp_path / "out"
    stale = [
        write(out / f".cleanup-{dead}-0123abcd.tmp", "half"),
        write(spool / f"cleanup-stdin-{dead}-k3_x9abc.txt", "x"),
    ]
    kept = [
        write(out / f".cleanup-{living}-0123abcd.tmp", "being written"),
        write(spool / f"cleanup-stdin-{living}-k3_x9abc.txt", "being read"),
        write(out / ".cleanup-notes.tmp", "not ours"),
    ]
    write(tmp_path / "a.txt", DAMAGED)
    result = run("a.txt", "-o", "out")
    assert result.exit_code == 0, result.output
    assert [p.exists() for p in stale] == [False, False]
    assert [p.exists() for p in kept] == [True, True, True]


@linux_only
def test_a_temporary_file_of_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED + "\f" + SLOW)  # page 2 is slow: the output is open
    out = tmp_path / "out"
    proc = subprocess.Popen([*wrapper(tmp_path), "in", "-o", "out", "-j", "1"], cwd=tmp_path, text=True)
    try:
        wait_for(lambda: out.is_dir() and any(out.iterdir()), proc)
        [leftover] = list(out.iterdir())
        assert leftover.name.startswith(f".cleanup-{proc.pid}-")  # short, and names its writer
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert leftover.exists()  # SIGKILL: nothing could remove it
    write(tmp_path / "in" / "a.txt", DAMAGED)
    result = run("in", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert files_in(out) == ["a.txt"]


# --- 7. workers die with the main process; Ctrl-C stops at once ----------------------------


def _two_slow_files(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", SLOW)
    write(tmp_path / "in" / "b.txt", SLOW.replace("王明", "李梅"))


@linux_only
@pytest.mark.skipif(CORES < 2, reason="needs two cores for two workers")
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    _two_slow_files(tmp_path)
    proc = subprocess.Popen([*wrapper(tmp_path), "in", "-o", "out", "-j", "2"], cwd=tmp_path, text=True)
    workers: list[int] = []
    try:
        wait_for(lambda: len(children(proc.pid)) >= 2, proc)
        workers = children(proc.pid)
        time.sleep(0.5)  # the workers are in their slow pages
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10  # a safety net: they go at once
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), "workers outlived the main process"
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


@linux_only
@pytest.mark.skipif(CORES < 2, reason="needs two cores for two workers")
@pytest.mark.parametrize("big", [False, True], ids=["files-in-workers", "pages-in-workers"])
def test_ctrl_c_while_a_slow_page_is_in_flight_stops_at_once_and_writes_nothing_after(
    tmp_path: Path, big: bool
) -> None:
    _two_slow_files(tmp_path)
    write(tmp_path / "in" / "c.txt", "\f".join([DAMAGED] * 20 + [SLOW] + [SECOND] * 20))
    env = {**os.environ, "SLOW_SECONDS": "60", **({"BIG_FILE_BYTES": "64"} if big else {})}
    command = [*wrapper(tmp_path), "in", "-o", "out", "-j", "2"]
    proc = subprocess.Popen(
        command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    workers: list[int] = []
    try:
        wait_for(lambda: len(children(proc.pid)) >= 2, proc)
        workers = children(proc.pid)
        time.sleep(1)  # the slow pages are being cleaned
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
        _, stderr = proc.communicate(timeout=20)  # a safety net: the page would take 60 s
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert (
        stderr.splitlines()[-1]
        == "cleanup: interrupted; outputs written so far are complete, rerun with --resume"
    )
    assert not any(alive(w) for w in workers)  # nobody is left to write after the message
    out = tmp_path / "out"
    assert not out.exists() or files_in(out) == []


# --- 8. a page that takes too long fails its file; the others are cleaned ------------------


def _slow_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    real = cleanup.pipeline.run_page

    def run_page(text: str, *args: object, **kwargs: object) -> object:
        if "SLOWPAGE" in text:
            time.sleep(60)  # interrupted by the time limit (a safety net, else)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cleanup.pipeline, "run_page", run_page)


def test_a_page_over_the_time_limit_fails_its_file_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_in_process(monkeypatch)
    write(tmp_path / "in" / "a.txt", DAMAGED)
    write(tmp_path / "in" / "b.txt", DAMAGED + "\f" + SLOW + "\f" + SECOND)
    write(tmp_path / "in" / "c.txt", SECOND)
    result = run("in", "-o", "out", "-j", "1", "--page-timeout", "0.5")
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [
        f"cleanup: error: {Path('in', 'b.txt')}: page 2 took longer than 0.5 s to clean (--page-timeout); "
        "nothing written for it"
    ]
    assert files_in(tmp_path / "out") == ["a.txt", "c.txt"]  # nothing of b, not even a temporary file
    assert "2 read, 2 changed, 0 unchanged, 1 failed" in result.stderr


def test_the_time_limit_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_in_process(monkeypatch)
    write(tmp_path / "a.txt", SLOW)
    (tmp_path / "pyproject.toml").write_text("[tool.cleanup]\npage-timeout = 0.5\n", encoding="utf-8")
    result = run("a.txt")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "cleanup: error: a.txt: page 1 took longer than 0.5 s to clean (--page-timeout); nothing written for it"
    ]
    assert result.stdout == ""


@pytest.mark.parametrize("value", ['"soon"', "-1", "true"])
def test_a_bad_time_limit_in_pyproject_is_a_usage_error(tmp_path: Path, value: str) -> None:
    write(tmp_path / "a.txt", DAMAGED)
    (tmp_path / "pyproject.toml").write_text(f"[tool.cleanup]\npage-timeout = {value}\n", encoding="utf-8")
    result = run("a.txt")
    assert result.exit_code == 2
    assert "[tool.cleanup] page-timeout: expected a number of seconds" in result.stderr


def test_a_negative_time_limit_flag_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", DAMAGED)
    assert run("a.txt", "--page-timeout", "-1").exit_code == 2


@linux_only
@pytest.mark.skipif(CORES < 2, reason="needs two cores for two workers")
@pytest.mark.parametrize("big", [False, True], ids=["files-in-workers", "pages-in-workers"])
def test_a_page_over_the_time_limit_in_a_worker(tmp_path: Path, big: bool) -> None:
    write(tmp_path / "in" / "a.txt", "\f".join([DAMAGED] * 3))
    write(tmp_path / "in" / "b.txt", "\f".join([DAMAGED, SECOND, SLOW, SECOND]))
    write(tmp_path / "in" / "c.txt", SECOND)
    env = {**os.environ, "SLOW_SECONDS": "60", **({"BIG_FILE_BYTES": "16"} if big else {})}
    proc = subprocess.run(
        [*wrapper(tmp_path), "in", "-o", "out", "-j", "2", "--page-timeout", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=50,  # a safety net: the page would take 60 s
    )
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("cleanup: error:")]
    assert errors == [
        f"cleanup: error: {Path('in', 'b.txt')}: page 3 took longer than 1 s to clean (--page-timeout); "
        "nothing written for it"
    ]
    assert files_in(tmp_path / "out") == ["a.txt", "c.txt"]


# --- 9. jobs --------------------------------------------------------------------------------


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The max_workers of every process pool the command makes."""
    made: list[int] = []
    real = cleanup.runner.ProcessPoolExecutor

    def recording(*args: object, **kwargs: object) -> object:
        made.append(int(kwargs["max_workers"]))  # type: ignore[call-overload]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cleanup.runner, "ProcessPoolExecutor", recording)
    return made


def _three_files(tmp_path: Path) -> None:
    for name in "abc":
        write(tmp_path / "in" / f"{name}.txt", DAMAGED)


def test_jobs_in_pyproject_is_honoured_and_the_flag_wins(tmp_path: Path, pools: list[int]) -> None:
    _three_files(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.cleanup]\njobs = 1\n", encoding="utf-8")
    assert run("in", "-o", "out").exit_code == 0
    assert pools == []  # one job: cleaned here, no pool
    assert files_in(tmp_path / "out") == ["a.txt", "b.txt", "c.txt"]
    if CORES >= 2:
        assert run("in", "-o", "out2", "-j", "2").exit_code == 0
        assert pools == [2]


@pytest.mark.parametrize("value", ['"many"', "0", "-3", "2.5", "true"])
def test_a_bad_jobs_value_in_pyproject_is_a_usage_error(tmp_path: Path, value: str) -> None:
    write(tmp_path / "a.txt", DAMAGED)
    (tmp_path / "pyproject.toml").write_text(f"[tool.cleanup]\njobs = {value}\n", encoding="utf-8")
    result = run("a.txt")
    assert result.exit_code == 2
    assert "[tool.cleanup] jobs: expected a whole number of worker processes, 1 or more, got" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1"])
def test_jobs_below_one_is_a_usage_error(tmp_path: Path, value: str) -> None:
    write(tmp_path / "a.txt", DAMAGED)
    result = run("a.txt", "-j", value)
    assert result.exit_code == 2
    assert "Invalid value for '-j' / '--jobs'" in result.stderr


def test_more_jobs_than_cores_are_capped(tmp_path: Path, pools: list[int]) -> None:
    _three_files(tmp_path)
    assert run("in", "-o", "out", "-j", "64").exit_code == 0
    cores = CORES
    assert pools == ([min(cores, 3)] if cores >= 2 else [])


# --- 10. bytes no codec can read: replaced, and reported, whatever the codec ---------------


PAGE = "本报讯(通讯员 伊宣)为营\n造良好的人居环境，进一步提升\n群众的幸福感。\n" * 3


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_an_invalid_byte_is_replaced_and_reported_in_every_codec(tmp_path: Path, codec: str) -> None:
    data = PAGE.encode(codec)
    cut = data.index("造".encode(codec), 40)  # line 5, before its first character
    write(tmp_path / "in" / "a.txt", data[:cut] + b"\xff" + data[cut:])
    result = run("in", "-o", "out", "-j", "1", "--explain")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")
    assert out.count("\ufffd") == 1  # the damage is marked, not dropped
    warning = f"cleanup: warning: {Path('in', 'a.txt')}:5:1: invalid {codec} byte b'\\xff' replaced by U+FFFD"
    assert warning in result.stderr.splitlines()
    assert f"{Path('in', 'a.txt')}: decode  5:1  b'\\xff' -> '\ufffd'  (invalid {codec} bytes replaced)" in (
        result.stderr.splitlines()
    )
    assert "1 read, 1 changed, 0 unchanged, 0 failed, 1 invalid byte replaced by U+FFFD" in result.stderr


def test_an_invalid_byte_on_standard_input_is_reported_too() -> None:
    data = PAGE.encode("utf-8")
    result = run("-", input=data[:30] + b"\xfe" + data[30:])
    assert result.exit_code == 0
    assert any(
        line.startswith("cleanup: warning: stdin:1:") and "b'\\xfe' replaced by U+FFFD" in line
        for line in result.stderr.splitlines()
    ), result.stderr


def test_many_invalid_bytes_are_refused_in_every_codec(tmp_path: Path) -> None:
    for codec in ("utf-8", "gb18030"):
        data = b"\xff".join(PAGE.encode(codec)[i : i + 20] for i in range(0, 400, 20))
        write(tmp_path / "a.txt", data)
        result = run("a.txt")
        assert result.exit_code == 2
        assert error_lines(result) == [
            "cleanup: error: a.txt: cannot decode as UTF-8, GB18030, Big5 or UTF-16"
        ]


ORPHAN = """\
import os, sys, time
from cleanup import fsguard

parent = os.getpid()
child = os.fork()
if child == 0:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the test reads the parent's output to its end
    sys.platform = "other"  # no prctl: only the watchdog thread is left
    fsguard.die_with_parent(parent)
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
time.sleep(1)  # the child is watching by now
os._exit(0)
"""


@linux_only
def test_without_prctl_the_watchdog_ends_a_worker_whose_parent_died() -> None:
    proc = subprocess.run([sys.executable, "-c", ORPHAN], capture_output=True, text=True, timeout=30)
    child = int(proc.stdout)
    deadline = time.monotonic() + 10  # a safety net: the watchdog looks once a second
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert not alive(child), "the orphaned worker lives on"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)


@linux_only
def test_a_zombie_counts_as_gone(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    while alive(proc.pid):  # until it has ended (not reaped: a zombie)
        time.sleep(0.05)
    stale = write(tmp_path / f".cleanup-{proc.pid}-0123abcd.tmp", "half")
    assert cleanup.fsguard.remove_stale(tmp_path) == [stale]
    proc.wait()
