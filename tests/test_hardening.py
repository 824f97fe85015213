"""Bad input, big input, interrupts and resume: the command's contract (black-style).

Bad input gets a one-line error naming the file and the reason and exit 2,
never a traceback and never a partly written output; the other files of the
run are still processed. Ctrl-C and SIGTERM leave no partial or temporary
output and exit 130/143; ``--resume`` then finishes the job.

Every case runs a folder holding the bad input between two good pages
(``a.txt`` and ``z.txt``) through the command, so each test also shows that
the other files were cleaned.

The 50 MB and 5 MB-line cases run the installed ``cleanup`` in a subprocess
and print its wall time and peak RSS (``pytest -s`` shows them). A 50 MB page
with no repeated paragraph takes minutes; it is marked ``slow`` and runs only
with ``CLEANUP_SLOW=1``.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleanup
import cleanup.cli
import cleanup.runner
from cleanup.cli import main
from cleanup.io import decode

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "samples" / "raw"
PAGES = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]

DAMAGED = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。\n"
CLEANED = "本报讯（通讯员 伊宣）为营造良好的人居环境。\n"
SECOND = "第二篇(报道)的内\n容继续。\n"
TRADITIONAL = "本報訊(記者 王明)為營\n造良好的人居環境。\n"

with warnings.catch_warnings():  # registered here, not in a conftest or pyproject.toml
    warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
    _SLOW_MARK = pytest.mark.slow


def run_process(*args: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """``python -m cleanup ARGS`` in a real process, output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "cleanup", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def slow(test: Callable[..., None]) -> Callable[..., None]:
    """Marked ``slow``; skipped unless CLEANUP_SLOW=1."""
    skip = pytest.mark.skipif(os.environ.get("CLEANUP_SLOW") != "1", reason="slow: set CLEANUP_SLOW=1")
    return _SLOW_MARK(skip(test))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in tmp_path (no pyproject.toml above it) and undo the command's global effects."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLEANUP_DEBUG", "")
    handler = signal.getsignal(signal.SIGTERM)  # the command installs its own
    yield
    signal.signal(signal.SIGTERM, handler)


def run(*args: str, input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("cleanup: error:")]


def temp_files(folder: Path) -> list[str]:
    """Hidden or temporary files (not --resume's record of the options, which is meant to stay)."""
    return sorted(
        str(p)
        for p in folder.rglob("*")
        if (p.name.startswith(".") or p.name.endswith(".tmp")) and p.name != ".cleanup-run.json"
    )


def among_good_ones(tmp_path: Path, name: str, data: str | bytes, *extra: str) -> Result:
    """Run in/a.txt, in/NAME, in/z.txt into out/ and check that a and z were cleaned."""
    write(tmp_path / "in" / "a.txt", DAMAGED)
    write(tmp_path / "in" / name, data)
    write(tmp_path / "in" / "z.txt", SECOND)
    result = run("in", "-o", "out", "-j", "1", *extra)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == CLEANED
    assert (tmp_path / "out" / "z.txt").read_text(encoding="utf-8") == cleanup.clean_text(SECOND)
    assert temp_files(tmp_path / "out") == []
    return result


def assert_refused(tmp_path: Path, result: Result, name: str, reason: str) -> None:
    assert result.exit_code == 2, result.output
    assert error_lines(result) == [f"cleanup: error: {Path('in', name)}: {reason}"]
    assert not (tmp_path / "out" / name).exists()  # nothing written for it, not even partly
    assert "2 read, 2 changed, 0 unchanged, 1 failed" in result.stderr


# --- inputs that are not text ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not text (PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "not text (PDF document)"),
        (gzip.compress(DAMAGED.encode("utf-8")), "not text (gzip archive)"),
        (DAMAGED.encode()[:12] + b"\x00" + DAMAGED.encode()[12:], "not text (contains NUL bytes)"),
        (
            DAMAGED.encode()[:6] + b"\xff\xfe\xc3" + DAMAGED.encode()[6:] + b"\x80",
            "cannot decode as UTF-8, GB18030, Big5 or UTF-16",
        ),
    ],
    ids=["png", "pdf", "gzip", "nul-in-text", "invalid-utf8-dense"],
)
def test_binary_and_undecodable_inputs_are_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    result = among_good_ones(tmp_path, "b.txt", data)
    assert_refused(tmp_path, result, "b.txt", reason)


def test_a_few_invalid_utf8_bytes_in_a_page_are_kept_as_replacement_characters(tmp_path: Path) -> None:
    page = PAGES[0].encode("utf-8")
    cut = page.index("。".encode()) + 3  # between two characters
    data = page[:cut] + b"\xff" + page[cut:]
    result = among_good_ones(tmp_path, "b.txt", data)
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "b.txt").read_text(encoding="utf-8")
    assert out.count("\ufffd") == 1  # the damage is marked, not dropped
    text, codec = decode(data)
    assert codec == "utf-8 (with invalid bytes replaced)"
    assert out == cleanup.render(cleanup.clean_page(text, "b.txt"), "text")


# --- empty, blank and odd pages --------------------------------------------------


@pytest.mark.parametrize("data", [b"", b" \n\t\n\xe3\x80\x80\n\r\n  \n"], ids=["empty", "only-whitespace"])
def test_empty_and_blank_pages_give_an_empty_output(tmp_path: Path, data: bytes) -> None:
    result = among_good_ones(tmp_path, "b.txt", data)
    assert result.exit_code == 0, result.output
    assert error_lines(result) == []
    assert (tmp_path / "out" / "b.txt").read_bytes() == b""
    assert "3 read" in result.stderr
    jsonl = run(str(tmp_path / "in" / "b.txt"), "-f", "jsonl")
    assert (jsonl.exit_code, jsonl.stdout) == (0, "")


def test_a_page_of_only_punctuation(tmp_path: Path) -> None:
    page = "，。、；：？！“”（）《》……——\n,.;:?!()\n。。。\n"
    result = among_good_ones(tmp_path, "b.txt", page)
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "b.txt").read_text(encoding="utf-8")
    assert out == cleanup.clean_text(page)
    assert out.startswith("，。、；：？！“”（）《》……——")  # full-width marks kept as printed
    visible = Counter(c for c in out if not c.isspace())
    assert sum(visible.values()) >= sum(1 for c in page if not c.isspace())  # nothing dropped


def test_a_page_of_only_latin_text_is_left_alone(tmp_path: Path) -> None:
    page = "The quick brown fox jumps over the lazy dog.\nIt was a dark and stormy night; the rain fell.\n"
    result = among_good_ones(tmp_path, "b.txt", page)
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "b.txt").read_text(encoding="utf-8")
    # the wrapped line is joined with a space; ASCII punctuation stays ASCII
    assert (
        out == "The quick brown fox jumps over the lazy dog. It was a dark and stormy night; the rain fell.\n"
    )
    assert cleanup.clean_text(out) == out


# --- encodings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (DAMAGED, "gb18030"),
        (TRADITIONAL, "big5"),
        (DAMAGED, "utf-16"),  # with BOM
        (DAMAGED, "utf-16-le"),  # without BOM
        (DAMAGED, "utf-16-be"),
        ("本报讯为营造良好的人居环境，该镇开展了整治行动。", "utf-16-le"),  # no NUL byte at all
    ],
    ids=["gb18030", "big5", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom", "utf16le-han-only"],
)
def test_chinese_encodings_are_decoded(tmp_path: Path, text: str, codec: str) -> None:
    result = among_good_ones(tmp_path, "b.txt", text.encode(codec))
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "b.txt").read_bytes()
    assert out == cleanup.clean_text(text).encode("utf-8")  # UTF-8, no BOM, LF
    assert "3 read" in result.stderr


# --- files that cannot be read, or go away -------------------------------------------


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # We run as root, where chmod 000 does not stop reading: make reading fail instead.
    locked = (tmp_path / "in" / "b.txt").resolve()
    real = os.open

    def opening(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        if Path(path).resolve() == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", opening)
    result = among_good_ones(tmp_path, "b.txt", DAMAGED)
    assert_refused(tmp_path, result, "b.txt", "permission denied")


def test_a_file_that_vanishes_after_planning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cleanup.cli.plan_jobs

    def plan_then_delete(*args: object, **kwargs: object) -> object:
        planned = real(*args, **kwargs)  # type: ignore[arg-type]
        (tmp_path / "in" / "b.txt").unlink()
        return planned

    monkeypatch.setattr(cleanup.cli, "plan_jobs", plan_then_delete)
    result = among_good_ones(tmp_path, "b.txt", DAMAGED)
    assert_refused(tmp_path, result, "b.txt", "no such file")


def test_an_unlistable_subfolder_is_an_error_not_a_silent_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "in" / "locked" / "c.txt", DAMAGED)
    real = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self.name == "locked":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = among_good_ones(tmp_path, "b.txt", DAMAGED)
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"cleanup: error: {Path('in', 'locked')}: cannot list the folder (Permission denied)"
    ]
    assert (tmp_path / "out" / "b.txt").read_text(encoding="utf-8") == CLEANED


def test_a_fifo_in_an_input_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)
    os.mkfifo(tmp_path / "in" / "pipe.txt")  # nobody ever writes to it
    proc = run_process("in", "-o", "out", "-j", "1", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert f"cleanup: error: {Path('in', 'pipe.txt')}: not a regular file" in proc.stderr.splitlines()
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == CLEANED


def test_a_symlink_loop_inside_an_input_folder(tmp_path: Path) -> None:
    write(tmp_path / "in" / "sub" / "b.txt", SECOND)
    (tmp_path / "in" / "sub" / "up").symlink_to("..")  # a folder loop
    (tmp_path / "in" / "again").symlink_to(".")  # another
    (tmp_path / "in" / "self.txt").symlink_to("self.txt")  # a file link to itself
    result = among_good_ones(tmp_path, "sub/b.txt", SECOND)
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"cleanup: error: {Path('in', 'self.txt')}: cannot read (Too many levels of symbolic links)"
    ]
    made = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert made == ["a.txt", "sub/b.txt", "z.txt"]  # each file once, however many ways lead to it


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    # A GBK name from a Windows archive, and a name whose bytes no codec reads.
    write(tmp_path / "in" / "a.txt", DAMAGED)
    folder = os.fsencode(tmp_path / "in")
    for raw in (b"\xb1\xa8\xd6\xbd.txt", b"\xffbad.txt"):
        with open(folder + b"/" + raw, "wb") as fh:
            fh.write(SECOND.encode("utf-8"))
    result = run("in", "-o", "out", "-f", "jsonl", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    sources = []
    for out in sorted((tmp_path / "out").iterdir()):
        sources += [json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(set(sources)) == sorted({"a.txt", "报纸.txt", "\ufffdbad.txt"})
    # the outputs keep the names' bytes
    assert sorted(os.listdir(os.fsencode(tmp_path / "out"))) == sorted(
        [b"a.jsonl", b"\xb1\xa8\xd6\xbd.jsonl", b"\xffbad.jsonl"]
    )


# --- outputs that cannot be written ------------------------------------------------------


def test_an_output_folder_below_a_regular_file(tmp_path: Path) -> None:
    write(tmp_path / "afile", "not a folder\n")
    write(tmp_path / "in" / "a.txt", DAMAGED)
    write(tmp_path / "in" / "z.txt", SECOND)
    result = run("in", "-o", "afile/out", "-j", "1")
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"cleanup: error: {Path('afile', 'out', name)}: cannot write (Not a directory)"
        for name in ("a.txt", "z.txt")
    ]
    # the summary counts neither file as read, nor their changes
    assert result.stderr.splitlines()[-1] == "cleanup: 0 read, 0 changed, 0 unchanged, 2 failed"
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder\n"
    assert "Traceback" not in result.output


def test_one_output_path_blocked_by_a_file_the_others_are_written(tmp_path: Path) -> None:
    write(tmp_path / "in" / "sub" / "b.txt", DAMAGED)
    write(tmp_path / "out" / "sub", "a file where the folder should be\n")
    result = among_good_ones(tmp_path, "sub/b.txt", DAMAGED)
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"cleanup: error: {Path('out', 'sub', 'b.txt')}: cannot write (File exists)"
    ]
    assert "2 read, 2 changed, 0 unchanged, 1 failed" in result.stderr


def test_an_output_option_naming_a_regular_file_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "afile", "x\n")
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "-o", "afile")
    assert result.exit_code == 2
    assert "Directory 'afile' is a file" in result.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x\n"


def test_an_output_path_equal_to_its_input_refuses_the_whole_run(tmp_path: Path) -> None:
    # Nothing is written at all: the other files' outputs could be inputs too.
    src = write(tmp_path / "page.txt", DAMAGED)
    other = write(tmp_path / "other" / "second.txt", SECOND)
    result = run("page.txt", str(other), "-o", ".", "-j", "1")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "cleanup: error: page.txt: output would overwrite the input (use --in-place)",
        "cleanup: error: 1 output conflict; nothing was written "
        "(choose another -o folder, or --in-place to clean inputs in place)",
    ]
    assert src.read_text(encoding="utf-8") == DAMAGED
    assert not (tmp_path / "second.txt").exists()
    # The same through a symlink to the input folder.
    write(tmp_path / "in" / "a.txt", DAMAGED)
    (tmp_path / "alias").symlink_to("in")
    result = run("in", "-o", "alias")
    assert result.exit_code == 2
    assert error_lines(result)[0] == (
        f"cleanup: error: {Path('in', 'a.txt')}: output would overwrite the input (use --in-place)"
    )
    assert (tmp_path / "in" / "a.txt").read_text(encoding="utf-8") == DAMAGED


def test_outputs_get_ordinary_permissions(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    src.chmod(0o444)  # like samples/raw
    assert run(str(src), "-o", "out").exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out" / "page.txt").stat().st_mode & 0o777 == 0o666 & ~umask


# --- big inputs ---------------------------------------------------------------------------


def _cleanup_command() -> list[str]:
    script = Path(sys.executable).with_name("cleanup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleanup"]


def measured_run(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """(exit code, stderr, wall seconds, peak RSS in MB) of the cleanup command."""
    # A fresh parent process whose only child is cleanup, so that its
    # RUSAGE_CHILDREN peak is cleanup's own.
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stderr=subprocess.PIPE, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stdout.write(f'{p.returncode} {wall} {rss}\\n' + p.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *_cleanup_command(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=1200,
        check=True,
    )
    first, _, stderr = proc.stdout.partition("\n")
    code, wall, rss = first.split()
    return int(code), stderr, float(wall), float(rss)


def _check_big_run(tmp_path: Path, label: str, size: int, jsonl: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)
    code, stderr, wall, rss = measured_run(["in", "-o", "out", "-f", "jsonl", "-j", "1"], tmp_path)
    print(f"\n{label}: {size / 1e6:.1f} MB in {wall:.1f} s, peak RSS {rss:.0f} MB")
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert "2 read, 2 changed, 0 unchanged, 0 failed" in stderr
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert records and all(r["source"] == jsonl.with_suffix(".txt").name for r in records)
    assert json.loads((tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8"))["blocks"]
    assert temp_files(tmp_path / "out") == []


def test_a_50_mb_page(tmp_path: Path) -> None:
    blob = "\n\n".join(PAGES).encode("utf-8") + b"\n\n"
    copies = 50 * 2**20 // len(blob) + 1
    write(tmp_path / "in" / "big.txt", blob * copies)
    _check_big_run(
        tmp_path, "50 MB page (samples repeated)", len(blob) * copies, tmp_path / "out" / "big.jsonl"
    )


@slow
def test_a_50_mb_page_without_repeats(tmp_path: Path) -> None:
    # Every copy has a tenth of its Han characters replaced, so no paragraph
    # is a duplicate (the repeated page above is mostly duplicates dropped).
    rng = random.Random(1)
    han = [chr(c) for c in range(0x4E01, 0x9FA5)]
    parts, size = [], 0
    while size < 50 * 2**20:
        for page in PAGES:
            page = "".join(
                rng.choice(han) if "一" <= c <= "\u9fff" and rng.random() < 0.1 else c for c in page
            )
            parts.append(page)
            size += len(page.encode("utf-8"))
    write(tmp_path / "in" / "big.txt", "\n\n".join(parts))
    _check_big_run(tmp_path, "50 MB page (no repeats)", size, tmp_path / "out" / "big.jsonl")


def test_a_5_mb_line_without_a_newline(tmp_path: Path) -> None:
    line = "".join(p.replace("\n", "") for p in PAGES).encode("utf-8")
    data = (line * (5 * 2**20 // len(line) + 1))[: 5 * 2**20].decode("utf-8", "ignore").encode("utf-8")
    assert b"\n" not in data
    write(tmp_path / "in" / "line.txt", data)
    _check_big_run(tmp_path, "5 MB single line", len(data), tmp_path / "out" / "line.jsonl")


def test_a_folder_of_3000_files(tmp_path: Path) -> None:
    for i in range(3000):
        write(tmp_path / "in" / f"d{i // 500}" / f"{i:04d}.txt", f"第{i}篇\n\n" + DAMAGED)
    write(tmp_path / "in" / "d9" / "bad.txt", b"\x89PNG\r\n\x1a\n")
    started = time.perf_counter()
    result = run("in", "-o", "out", "--jobs", "1")
    print(f"\n3000 files: {time.perf_counter() - started:.1f} s")
    assert result.exit_code == 2
    assert error_lines(result) == [f"cleanup: error: {Path('in', 'd9', 'bad.txt')}: not text (PNG image)"]
    assert "3000 read, 3000 changed, 0 unchanged, 1 failed" in result.stderr
    made = sorted(p for p in (tmp_path / "out").rglob("*.txt"))
    assert len(made) == 3000
    for i in (0, 1234, 2999):
        out = tmp_path / "out" / f"d{i // 500}" / f"{i:04d}.txt"
        assert out.read_text(encoding="utf-8") == cleanup.clean_text(f"第{i}篇\n\n" + DAMAGED)


def test_the_bad_input_matrix_gives_the_same_result_with_two_workers(tmp_path: Path) -> None:
    inputs = {
        "a.txt": DAMAGED.encode(),
        "empty.txt": b"",
        "png.txt": b"\x89PNG\r\n\x1a\n",
        "nul.txt": b"ab\x00cd",
        "gb.txt": DAMAGED.encode("gb18030"),
        "big5.txt": TRADITIONAL.encode("big5"),
        "u16.txt": DAMAGED.encode("utf-16-le"),
        "latin.txt": b"Only Latin text here.\n",
        "z.txt": SECOND.encode(),
    }
    for name, data in inputs.items():
        write(tmp_path / "in" / name, data)
    one = run("in", "-o", "one", "-j", "1")
    two = run("in", "-o", "two", "-j", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stderr == two.stderr
    assert len(error_lines(one)) == 2
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(set(inputs) - {"png.txt", "nul.txt"})
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


# --- interrupts -------------------------------------------------------------------------------

N_FILES = 1500


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """N_FILES distinct pages (no line repeats, so no cached answer) and a clean run's outputs."""
    root = tmp_path_factory.mktemp("corpus")
    for i in range(N_FILES):
        lines = PAGES[i % len(PAGES)].split("\n")
        for j, line in enumerate(lines):
            if len(line) > 4:
                k = (i * 7 + j * 3) % (len(line) - 1) + 1
                lines[j] = line[:k] + chr(0x4E00 + (i * 131 + j * 17) % 20000) + line[k:]
        write(root / "in" / f"{i:04d}.txt", "\n".join(lines))
    proc = run_process("in", "-o", "reference", "-q", cwd=root, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return root / "in", root / "reference"


def _signalled(
    command: list[str], cwd: Path, started: Callable[[], bool], settle: float, sig: int, to_group: bool
) -> tuple[int, str]:
    """Run command and send it sig settle seconds after started() holds: (exit code, stderr)."""
    proc = subprocess.Popen(command, cwd=cwd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not started():
            assert proc.poll() is None and time.monotonic() < deadline, "the run did not start"
            time.sleep(0.01)
        time.sleep(settle)
        assert proc.poll() is None, "the run finished before the signal: give it more to do"
        os.killpg(proc.pid, sig) if to_group else proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, stderr


@pytest.mark.parametrize(
    ("signame", "jobs", "to_group", "code"),
    [
        ("SIGTERM", 1, False, 143),  # kill PID
        ("SIGINT", 1, True, 130),  # Ctrl-C: the whole process group
        ("SIGTERM", 2, False, 143),
        ("SIGTERM", 2, True, 143),  # docker stop, systemd: every process
        ("SIGINT", 2, True, 130),
    ],
    ids=["term-1", "int-1", "term-2", "term-2-group", "int-2-group"],
)
def test_an_interrupted_run_leaves_only_complete_outputs_and_resume_finishes_it(
    tmp_path: Path, corpus: tuple[Path, Path], signame: str, jobs: int, to_group: bool, code: int
) -> None:
    inputs, reference = corpus
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleanup", str(inputs), "-o", str(out), "--jobs", str(jobs)]
    returncode, stderr = _signalled(
        command,
        tmp_path,
        started=lambda: out.is_dir() and any(out.iterdir()),  # the run has started writing
        settle=1,
        sig=getattr(signal, signame),
        to_group=to_group,
    )
    assert returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == (
        "cleanup: interrupted; outputs written so far are complete, rerun with --resume"
    )
    assert temp_files(out) == []
    done = sorted(p.name for p in out.iterdir())
    assert 0 < len(done) < N_FILES
    for name in done:  # every output present is complete
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    # --resume does the rest and reports what was already done as up to date.
    resumed = subprocess.run(
        [*command, "--resume"], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    summary = resumed.stderr.splitlines()[-2]
    assert summary.startswith(f"cleanup: {N_FILES - len(done)} read, "), summary
    assert f", {len(done)} up to date, 0 failed" in summary
    # --resume keeps the options it ran with beside the outputs (.cleanup-run.json)
    written = sorted(p.name for p in out.iterdir() if p.name != ".cleanup-run.json")
    assert written == sorted(p.name for p in reference.iterdir())
    assert (out / ".cleanup-run.json").is_file()
    for p in reference.iterdir():
        assert (out / p.name).read_bytes() == p.read_bytes(), p.name
    assert temp_files(out) == []


@pytest.mark.parametrize(("signame", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupt_while_workers_clean_the_pages_of_one_big_file(
    tmp_path: Path, signame: str, code: int
) -> None:
    # over BIG_FILE_BYTES: read here, its pages cleaned in the two workers
    rng = random.Random(3)
    pages = ["".join(c if rng.random() > 0.1 else "丁" for c in p) for p in PAGES * 100]
    src = write(tmp_path / "big.txt", "\f".join(pages))
    assert src.stat().st_size > cleanup.runner.BIG_FILE_BYTES
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleanup", str(src), "-o", str(out), "--jobs", "2"]
    returncode, stderr = _signalled(
        command,
        tmp_path,
        started=lambda: out.is_dir() and bool(temp_files(out)),  # the first page is being written
        settle=0.3,
        sig=getattr(signal, signame),
        to_group=True,
    )
    assert returncode == code, stderr
    assert "Traceback" not in stderr
    assert list(out.iterdir()) == []  # no output, no temporary file


_HALF_SENT_RESULT = """
import multiprocessing, struct, time
from concurrent.futures import ProcessPoolExecutor
from cleanup.fsguard import stop_pool

def half_send():  # in the forked worker: a 1000-byte result's header and one byte of it
    POOL._result_queue._writer._send(struct.pack("!i", 1000) + b"x")
    time.sleep(120)

if __name__ == "__main__":
    POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    future = POOL.submit(half_send)
    while not future.running():
        time.sleep(0.01)
    time.sleep(0.5)  # the manager thread has read the header and waits for the rest
    stop_pool(POOL)
    print("stopped")
"""


def test_stopping_the_pool_returns_when_a_worker_died_halfway_through_its_result(tmp_path: Path) -> None:
    # the hang CI met once in a few dozen interrupts: the pool's manager thread
    # waited forever for the rest of a result, and shutdown and exit with it
    script = write(tmp_path / "half.py", _HALF_SENT_RESULT)
    try:
        proc = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("stop_pool hung on a half-sent result")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "stopped\n"


@pytest.mark.parametrize(("exc", "code"), [(KeyboardInterrupt, 130), (cleanup.cli.Terminated, 143)])
def test_an_interrupt_while_planning_exits_130_or_143(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type[BaseException], code: int
) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)

    def interrupted(*args: object, **kwargs: object) -> None:  # e.g. walking a huge folder
        raise exc

    monkeypatch.setattr(cleanup.cli, "plan_jobs", interrupted)
    result = run("in", "-o", "out")
    assert result.exit_code == code
    assert result.stderr == "cleanup: interrupted\n"  # not click's "Aborted!"
    assert not (tmp_path / "out").exists()


# --- fuzzing -------------------------------------------------------------------------------------


def _load_fuzz():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("cleanup_bench_fuzz", ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuzz_report():  # type: ignore[no-untyped-def]
    return _load_fuzz().fuzz(2000, seed=20251123)


def _examples(report, kind: str) -> str:  # type: ignore[no-untyped-def]
    data, failure, recipe, index = report.examples[kind]
    return f"#{index} ({' + '.join(recipe)}): {data[:300]!r}\n{failure.detail}"


def _crashing_inputs(report) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    return {g: ids for g, ids in report.inputs.items() if not g.startswith("idempotence")}


def test_fuzz_2000_inputs_no_crash_and_valid_output(fuzz_report) -> None:  # type: ignore[no-untyped-def]
    """No exception, valid UTF-8 without \\r, JSON Lines that parse, the CLI agreeing with the library."""
    assert fuzz_report.count == 2000
    crashes = _crashing_inputs(fuzz_report)
    assert crashes == {}, "\n\n".join(_examples(fuzz_report, g.split(":")[0]) for g in crashes)


@pytest.mark.xfail(
    strict=True,
    reason="cleaning the text output again changes it for ~3% of fuzz inputs (3,386 of 100,000, seed 0; "
    "was 9%): random code points and garbage structure that the pages' own rules read differently once "
    "cleaned (join_wrapped_lines, widen_punctuation, fix_mojibake, assembly)",
)
def test_fuzz_2000_inputs_idempotent(fuzz_report) -> None:  # type: ignore[no-untyped-def]
    assert fuzz_report.by_kind["idempotence"] == 0, _examples(fuzz_report, "idempotence")


@pytest.mark.parametrize("space", ["\u2002", "\u2003", "\u2009", "\u200a"])
def test_a_line_ending_in_a_pdf_space(tmp_path: Path, space: str) -> None:
    result = among_good_ones(tmp_path, "b.txt", f"本报讯{space}\n为营造良好的人居环境。{space}\n")
    assert error_lines(result) == []
    assert result.exit_code == 0
    assert (tmp_path / "out" / "b.txt").read_text(encoding="utf-8") == "本报讯为营造良好的人居环境。\n"


# Minimal inputs, each shrunk from a fuzz failure where cleaning the text
# output again changed it; all fixed but the one marked.
IDEMPOTENCE_CASES = [
    pytest.param("好的,,", id="two-ascii-marks"),
    pytest.param("他说'好!'", id="single-quotes-around-ascii-mark"),
    pytest.param(" —", id="lone-dash-after-space"),
    pytest.param("甲\n乙\n\n丙", id="one-character-title-halves"),
    pytest.param(
        "æ”¿å\nºœ",
        id="mojibake-split-by-a-wrap",
        marks=pytest.mark.xfail(
            strict=True,
            reason="fix_mojibake works line by line before lines are joined: a mojibake character cut "
            "by a line break is only repaired on a second run (real mojibake never spans a newline: "
            "a newline byte cannot sit inside a UTF-8 sequence; the fuzzer inserts one)",
        ),
    ),
    pytest.param("1处.\n本报讯(记者刘照公安部统一部署,9月9日", id="stranded-count-with-ascii-stop"),
    pytest.param("\u035f\n\u033f", id="combining-marks-across-a-joint"),
]


@pytest.mark.parametrize("text", IDEMPOTENCE_CASES)
def test_cleaning_the_output_again_changes_nothing(tmp_path: Path, text: str) -> None:
    once = cleanup.clean_text(text)
    assert cleanup.clean_text(once) == once
    # and through the command, as `cleanup --check` on its own output
    src = write(tmp_path / "page.txt", text)
    assert run(str(src), "-o", "out").exit_code == 0
    assert run(str(tmp_path / "out" / "page.txt"), "--check").exit_code == 0
