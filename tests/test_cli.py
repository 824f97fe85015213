"""The ``cleanup`` command: every option and exit code (black's contract)."""

from __future__ import annotations

import concurrent.futures
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cleanup
import cleanup.cli
import cleanup.io
import cleanup.pipeline
import cleanup.runner
from cleanup import PASSES, clean_page
from cleanup.cli import main
from cleanup.io import Replacement
from cleanup.runner import SameText
from cleanup.writers import render

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "samples" / "raw"

# A wrapped line and ASCII parentheses: join_wrapped_lines and widen_punctuation fire.
DAMAGED = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。\n"
CLEANED = "本报讯（通讯员 伊宣）为营造良好的人居环境。\n"
SECOND = "第二篇(报道)的内\n容继续。\n"
TRADITIONAL = "本報訊　這是一個關於經濟發展的報導。\n"
JSONL_KEYS = {"source", "index", "kind", "kicker", "title", "subtitle", "byline", "blocks", "jump"}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in tmp_path (no pyproject.toml above it) and undo the command's global effects."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLEANUP_DEBUG", "")  # --debug sets it; undone after the test
    handler = signal.getsignal(signal.SIGTERM)  # the command installs its own
    yield
    signal.signal(signal.SIGTERM, handler)


def run(*args: str, input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("cleanup: error:")]


# --- inputs and outputs ---------------------------------------------------


def test_a_file_to_stdout(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src))
    assert result.exit_code == 0
    assert result.stdout == CLEANED
    assert src.read_text(encoding="utf-8") == DAMAGED  # never writes over its input
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]
    assert "cleanup: 1 read, 1 changed, 0 unchanged, 0 failed" in result.stderr
    assert "join_wrapped_lines 1, widen_punctuation 2" in result.stderr


def test_several_files_to_stdout_one_after_another(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", DAMAGED)
    b = write(tmp_path / "b.txt", SECOND)
    result = run(str(a), str(b), "-j", "1")
    assert result.exit_code == 0
    assert result.stdout == CLEANED + cleanup.clean_text(SECOND)
    assert "2 inputs to standard output" in result.stderr


@pytest.mark.parametrize(("fmt", "ext"), [("text", ".txt"), ("jsonl", ".jsonl"), ("markdown", ".md")])
def test_a_folder_to_an_output_folder_keeps_relative_paths(tmp_path: Path, fmt: str, ext: str) -> None:
    write(tmp_path / "in" / "a" / "b.txt", DAMAGED)
    write(tmp_path / "in" / "top.txt", SECOND)
    write(tmp_path / "in" / "notes.md", "不是输入")
    write(tmp_path / "in" / ".hidden.txt", DAMAGED)
    result = run("in", "-o", "out", "--format", fmt, "-j", "1")
    assert result.exit_code == 0, result.output
    made = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert made == sorted([f"a/b{ext}", f"top{ext}"])
    assert result.stdout == ""
    expected = cleanup.render(cleanup.clean_page(DAMAGED, "a/b.txt"), fmt)
    assert (tmp_path / "out" / "a" / f"b{ext}").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize(("flag", "ext"), [("-f", ".md"), ("--format", ".jsonl")])
def test_a_file_to_an_output_folder(tmp_path: Path, flag: str, ext: str) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    fmt = {".md": "markdown", ".jsonl": "jsonl"}[ext]
    result = run(str(src), "--output", str(tmp_path / "out"), flag, fmt)
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"page{ext}"]


def test_a_file_to_an_output_folder_text(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "-o", "out")
    assert result.exit_code == 0
    assert (tmp_path / "out" / "page.txt").read_text(encoding="utf-8") == CLEANED
    assert result.stdout == ""


def test_stdin_to_stdout() -> None:
    result = run("-", input=DAMAGED.encode("gb18030"))
    assert result.exit_code == 0
    assert result.stdout == CLEANED


def test_stdin_to_an_output_folder(tmp_path: Path) -> None:
    result = run("-", "-o", "out", "-f", "jsonl", input=DAMAGED.encode())
    assert result.exit_code == 0
    record = json.loads((tmp_path / "out" / "stdin.jsonl").read_text(encoding="utf-8"))
    assert record["source"] == "stdin"


def test_stdin_twice_is_a_usage_error() -> None:
    assert run("-", "-", input=DAMAGED).exit_code == 2


def test_jsonl_lines_parse_with_the_article_keys(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", (RAW / "000_1b3bde70a2ec5fa8.txt").read_text(encoding="utf-8"))
    result = run(str(src), "--format", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 1
    records = [json.loads(line) for line in lines]
    for i, record in enumerate(records):
        assert set(record) == JSONL_KEYS
        assert record["source"] == "page.txt"
        assert record["index"] == i
        assert all(set(b) == {"type", "text"} for b in record["blocks"])
    assert any(r["title"] for r in records)


def test_glob_picks_the_files_of_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "in" / "page.txt", DAMAGED)
    write(tmp_path / "in" / "sub" / "page2.text", SECOND)
    result = run("in", "-o", "out", "--glob", "*.text", "-j", "1")
    assert result.exit_code == 0
    made = [str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert made == ["sub/page2.txt"]  # the extension follows --format


def test_two_inputs_with_one_output_path_are_refused(tmp_path: Path) -> None:
    a = write(tmp_path / "a" / "page.txt", DAMAGED)
    b = write(tmp_path / "b" / "page.txt", SECOND)
    result = run(str(a), str(b), "-o", "out", "-j", "1")
    assert result.exit_code == 2
    message, verdict = error_lines(result)
    assert str(b) in message and "also the output of" in message
    assert "1 output conflict; nothing was written" in verdict
    assert not (tmp_path / "out").exists()  # the whole run is refused, before anything is written


# --- --check and --diff ---------------------------------------------------


def test_check_exits_1_when_a_file_would_change_and_writes_nothing(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--check", "-o", "out")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
    assert src.read_text(encoding="utf-8") == DAMAGED
    assert "1 would change" in result.stderr


@pytest.mark.parametrize("sample", sorted(p.name for p in RAW.glob("*.txt")))
def test_check_exits_0_on_cleaned_output(tmp_path: Path, sample: str) -> None:
    assert run(str(RAW / sample), "--check").exit_code == 1
    assert run(str(RAW / sample), "-o", "out").exit_code == 0
    result = run(str(tmp_path / "out" / sample), "--check")
    assert result.exit_code == 0, result.stderr
    assert "0 would change, 1 unchanged" in result.stderr


def test_check_on_a_folder_exits_1_if_any_file_would_change(tmp_path: Path) -> None:
    write(tmp_path / "in" / "clean.txt", CLEANED)
    assert run("in", "--check").exit_code == 0
    write(tmp_path / "in" / "dirty.txt", DAMAGED)
    assert run("in", "--check", "-j", "1").exit_code == 1


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--diff", "-o", "out")
    assert result.exit_code == 0  # --diff alone does not fail, as in black
    lines = result.stdout.splitlines()
    assert lines[0] == f"--- {src}\t(original)"
    assert lines[1] == f"+++ {src}\t(cleaned)"
    assert lines[2].startswith("@@ ")
    assert "-本报讯(通讯员 伊宣)为营" in lines
    assert "+本报讯（通讯员 伊宣）为营造良好的人居环境。" in lines
    assert not (tmp_path / "out").exists()
    assert src.read_text(encoding="utf-8") == DAMAGED
    assert "1 would change" in result.stderr  # nothing was written


def test_diff_with_check_exits_1_and_prints_nothing_for_clean_files(tmp_path: Path) -> None:
    dirty = write(tmp_path / "dirty.txt", DAMAGED)
    clean = write(tmp_path / "clean.txt", CLEANED)
    assert run(str(dirty), "--diff", "--check").exit_code == 1
    result = run(str(clean), "--diff", "--check")
    assert (result.exit_code, result.stdout) == (0, "")


# --- --explain, --quiet, --list-passes -------------------------------------


def test_explain_prints_every_change_on_stderr(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--explain")
    assert result.exit_code == 0
    assert result.stdout == CLEANED  # the explanation does not go to stdout
    explained = [line for line in result.stderr.splitlines() if line.startswith(f"{src}: ")]
    # three repairs; assembly's note that the lead opens an article changes
    # no text and is not a change (the library keeps it in page.changes)
    assert len(explained) == 3
    assert not any("assemble_articles" in line for line in explained)
    # input line:column, then where it went: article.field[block]:offset
    assert any(re.search(r"join_wrapped_lines\s+1:14 => 0\.blocks\[0\]:13\s", line) for line in explained)
    assert any(
        re.search(r"widen_punctuation\s+1:4 => 0\.blocks\[0\]:3\s+'\(' -> '（'", line) for line in explained
    )
    assert any(
        re.search(r"widen_punctuation\s+1:11 => 0\.blocks\[0\]:10\s+'\)' -> '）'", line) for line in explained
    )


def test_without_explain_no_change_is_listed(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    assert "widen_punctuation  1:4" not in run(str(src)).stderr


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_prints_no_summary(tmp_path: Path, flag: str) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), flag)
    assert result.exit_code == 0
    assert result.stdout == CLEANED
    assert result.stderr == ""


def test_list_passes_lists_every_pass_in_order() -> None:
    result = run("--list-passes")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == [p.name for p in PASSES]
    off = [line.split()[0] for line in result.stdout.splitlines() if "[off by default]" in line]
    assert off == [p.name for p in PASSES if not p.default]


def test_version_and_help() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert cleanup.__version__ in result.stdout
    help_text = run("--help").stdout
    for option in ("--check", "--diff", "--in-place", "--rules", "--resume", "--jobs", "--convert"):
        assert option in help_text


# --- --in-place and writing over inputs ------------------------------------


def test_in_place_writes_over_the_input_and_keeps_orig(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--in-place")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert src.read_text(encoding="utf-8") == CLEANED
    assert (tmp_path / "page.txt.orig").read_text(encoding="utf-8") == DAMAGED
    # A second run keeps the first backup: the original, not the cleaned text.
    assert run(str(src), "--in-place").exit_code == 0
    assert (tmp_path / "page.txt.orig").read_text(encoding="utf-8") == DAMAGED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt", "page.txt.orig"]


def test_in_place_backup_is_the_input_byte_for_byte(tmp_path: Path) -> None:
    raw = "\ufeff本报讯(通讯员 伊宣)为营\r\n造良好的人居环境。\r\n".encode("gb18030")
    src = tmp_path / "page.txt"
    src.write_bytes(raw)
    assert run(str(src), "--in-place").exit_code == 0
    assert (tmp_path / "page.txt.orig").read_bytes() == raw  # not re-encoded, not normalised
    assert src.read_text(encoding="utf-8") == CLEANED


def test_a_file_of_many_pages_is_written_as_the_library_renders_it(tmp_path: Path) -> None:
    pages = ["标题一\n\n本报讯 第一页正文,完。", "标题二\n\n本报讯 第二页正文。", "本报讯 第三页(无标题)。"]
    src = write(tmp_path / "pages.txt", "\f".join(pages))
    page = clean_page(src.read_text(encoding="utf-8"), source="pages.txt")
    for fmt, ext in (("jsonl", "jsonl"), ("text", "txt"), ("markdown", "md")):
        assert run(str(src), "-o", "out", "-f", fmt).exit_code == 0
        assert (tmp_path / "out" / f"pages.{ext}").read_text(encoding="utf-8") == render(page, fmt)
    records = [
        json.loads(x) for x in (tmp_path / "out" / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["index"] for r in records] == [0, 1, 2]  # counted across pages


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over 64 bytes are read 7 bytes at a time; separators are taken
    4 characters after they end (so every page is cut across reads)."""
    monkeypatch.setattr(cleanup.io, "STREAM_BYTES", 64)
    monkeypatch.setattr(cleanup.io, "CHUNK_BYTES", 7)
    monkeypatch.setattr(cleanup.pipeline, "SEPARATOR_REACH", 4)


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_a_big_file_read_a_chunk_at_a_time_is_cleaned_as_if_whole(
    tmp_path: Path, streamed: None, fmt: str
) -> None:
    names = sorted(RAW.glob("*.txt"))
    src = write(tmp_path / "pages.txt", "\f".join(p.read_text(encoding="utf-8") for p in names))
    # (--explain shows exact positions)
    page = clean_page(src.read_text(encoding="utf-8"), source="pages.txt", exact_positions=True)
    result = run(str(src), "-o", "out", "-f", fmt, "-j", "1", "--explain")
    assert result.exit_code == 0
    out = tmp_path / "out" / f"pages{'.txt' if fmt == 'text' else '.jsonl'}"
    assert out.read_text(encoding="utf-8") == render(page, fmt)
    explained = [line.split(": ", 1)[1] for line in result.stderr.splitlines() if line.startswith(str(src))]
    assert explained == [c.describe() for c in page.changes if c.before != c.after]  # (notes are not shown)


def test_check_of_a_big_clean_file_read_in_chunks(tmp_path: Path, streamed: None) -> None:
    clean = cleanup.clean_text("\f".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))))
    src = write(tmp_path / "clean.txt", clean)
    assert run(str(src), "--check", "-j", "1").exit_code == 0
    write(tmp_path / "clean.txt", clean[:-40] + "(" + clean[-40:])  # one ASCII bracket near the end
    assert run(str(src), "--check", "-j", "1").exit_code == 1


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files go to a folder of the test's own, to see them removed."""
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return spool


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_a_big_stdin_is_spooled_and_cleaned_as_the_same_file_would_be(
    tmp_path: Path, streamed: None, spool_dir: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spooled: list[Path] = []

    def spy(
        path: Path,
        name: str | None = None,
        replaced: list[Replacement] | None = None,
        encoding: str | None = None,
    ) -> Iterator[str]:
        if name == "<stdin>":
            spooled.append(path)
        return cleanup.io.read_chunks(path, name, replaced, encoding)

    monkeypatch.setattr(cleanup.runner, "read_chunks", spy)
    text = "\f".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt")))
    src = write(tmp_path / "stdin", text)  # named as stdin is named in JSONL
    assert run(str(src), "-o", "from-file", "-f", fmt, "-j", "1").exit_code == 0
    result = run("-", "-o", "from-stdin", "-f", fmt, "-j", "1", input=text.encode())
    assert result.exit_code == 0
    ext = ".txt" if fmt == "text" else ".jsonl"
    expected = (tmp_path / "from-file" / f"stdin{ext}").read_text(encoding="utf-8")
    assert (tmp_path / "from-stdin" / f"stdin{ext}").read_text(encoding="utf-8") == expected
    assert [p.parent for p in spooled] == [spool_dir]  # read from a copy, a chunk at a time
    assert list(spool_dir.iterdir()) == []  # the copy is gone


def test_a_big_stdin_that_cannot_be_copied_is_a_one_line_error(
    streamed: None, spool_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    result = run("-", "-j", "1", input=DAMAGED.encode() * 4)
    assert result.exit_code == 2
    assert result.stderr.startswith("cleanup: error: <stdin>: cannot copy it to ")
    assert "(No space left on device); TMPDIR sets another folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list(spool_dir.iterdir()) == []


def test_a_big_stdin_that_is_not_text_is_refused_by_name(streamed: None, spool_dir: Path) -> None:
    result = run("-", "-j", "1", input=b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)))
    assert result.exit_code != 0
    assert "cleanup: error: <stdin>: not text (PNG image)" in result.stderr
    assert result.stdout == ""
    assert list(spool_dir.iterdir()) == []


def test_a_failure_on_a_later_page_writes_nothing(
    tmp_path: Path, streamed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write(tmp_path / "pages.txt", "\f".join([DAMAGED * 3, SECOND * 3, DAMAGED]))
    real = cleanup.pipeline.run_page
    calls: list[int] = []

    def fails_second(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cleanup.pipeline, "run_page", fails_second)
    result = run(str(src), "-o", "out", "-j", "1")
    assert result.exit_code == 123
    assert "internal error: RuntimeError: boom" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []  # neither the output nor its temporary file
    # in place: the input is left as it was, and so no backup of it either
    calls.clear()
    before = sorted(tmp_path.iterdir())
    raw = src.read_bytes()
    assert run(str(src), "--in-place", "-j", "1").exit_code == 123
    assert len(calls) == 2  # the first page was cleaned (and the backup made) before the failure
    assert src.read_bytes() == raw
    assert sorted(tmp_path.iterdir()) == before


@pytest.fixture
def pages_in_workers(monkeypatch: pytest.MonkeyPatch, streamed: None) -> None:
    """Every file over 64 bytes is big: its pages go to the workers, about
    one per batch (the workers are forked, so they see these values too)."""
    monkeypatch.setattr(cleanup.runner, "BIG_FILE_BYTES", 64)
    monkeypatch.setattr(cleanup.runner, "BATCH_CHARS", 100)


def test_the_pages_of_a_big_file_cleaned_by_two_workers_are_those_of_one(
    tmp_path: Path, pages_in_workers: None
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    write(tmp_path / "in" / "a_small.txt", DAMAGED)  # under 64 bytes: cleaned by a worker alone
    write(tmp_path / "in" / "b_big.txt", "\f".join(texts))
    write(tmp_path / "in" / "c_big.txt", "\f".join(reversed(texts)))
    write(tmp_path / "in" / "d_small.txt", SECOND)
    for fmt in ("jsonl", "text"):
        one = run("in", "-o", f"one-{fmt}", "-f", fmt, "-j", "1", "--explain")
        two = run("in", "-o", f"two-{fmt}", "-f", fmt, "-j", "2", "--explain")
        assert one.exit_code == two.exit_code == 0
        assert one.stderr == two.stderr  # the same changes explained, in the same order
        for f in (tmp_path / f"one-{fmt}").iterdir():
            assert (tmp_path / f"two-{fmt}" / f.name).read_bytes() == f.read_bytes()
    assert run("in", "-j", "2").stdout == run("in", "-j", "1").stdout


def test_batches_not_started_are_cancelled_when_a_file_stops_early(pages_in_workers: None) -> None:
    class HeldPool(concurrent.futures.Executor):
        """Runs the first batch at once and holds every later one."""

        def __init__(self) -> None:
            self.futures: list[concurrent.futures.Future[object]] = []

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            future: concurrent.futures.Future[object] = concurrent.futures.Future()
            if not self.futures:
                future.set_result(fn(*args, **kwargs))
            self.futures.append(future)
            return future

    pool = HeldPool()
    parts = [(DAMAGED, "\f")] * 10 + [(DAMAGED, None)]
    pages = cleanup.runner._clean_in_pool(pool, 1, parts, cleanup.Config(), "a.txt", False)
    assert next(pages)[0]  # the first batch's first page
    pages.close()  # the file stops here (its output could not be written, say)
    assert len(pool.futures) == 2  # two batches in flight for one worker
    assert pool.futures[1].cancelled()


def test_a_page_failing_in_a_worker_fails_its_file_only(
    tmp_path: Path, pages_in_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "in" / "a.txt", "\f".join([DAMAGED * 3, "本报讯 坏页", SECOND * 3]))
    write(tmp_path / "in" / "b.txt", SECOND * 3)
    real = cleanup.pipeline.run_page

    def fails_on_a_marked_page(text: str, *args: object, **kwargs: object) -> object:
        if "坏页" in text:
            raise RuntimeError("boom")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cleanup.pipeline, "run_page", fails_on_a_marked_page)
    result = run("in", "-o", "out", "-j", "2")
    assert result.exit_code == 123
    assert "in/a.txt: internal error: RuntimeError: boom" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.txt"]


def test_in_place_on_a_big_file_read_in_chunks(tmp_path: Path, streamed: None) -> None:
    raw = ("\ufeff" + DAMAGED * 5).encode("utf-8")
    src = tmp_path / "page.txt"
    src.write_bytes(raw)
    assert run(str(src), "--in-place", "-j", "1").exit_code == 0
    assert (tmp_path / "page.txt.orig").read_bytes() == raw
    assert src.read_text(encoding="utf-8") == cleanup.clean_text(DAMAGED * 5)


@given(
    left=st.lists(st.text("ab", max_size=4), max_size=6),
    right=st.lists(st.text("ab", max_size=4), max_size=6),
    order=st.lists(st.booleans(), max_size=12),
)
@example(left=["a", "b"], right=["bb"], order=[True, False])  # the behind side overtakes
@example(left=["a", "b"], right=["ab"], order=[True, False, True])  # and is then caught up
@settings(max_examples=500)
def test_same_text_compares_texts_given_in_pieces(
    left: list[str], right: list[str], order: list[bool]
) -> None:
    same = SameText()
    lefts, rights = iter(left), iter(right)
    for take_left in order:  # the two sides arrive interleaved in any order
        piece = next(lefts if take_left else rights, None)
        if piece is not None:
            (same.feed_left if take_left else same.feed_right)(piece)
    for piece in lefts:
        same.feed_left(piece)
    for piece in rights:
        same.feed_right(piece)
    assert same.same == ("".join(left) == "".join(right))


def test_in_place_on_a_folder(tmp_path: Path) -> None:
    a = write(tmp_path / "in" / "a.txt", DAMAGED)
    b = write(tmp_path / "in" / "sub" / "b.txt", SECOND)
    assert run("in", "--in-place", "--no-backup", "-j", "1").exit_code == 0
    assert a.read_text(encoding="utf-8") == CLEANED
    assert b.read_text(encoding="utf-8") == cleanup.clean_text(SECOND)
    assert sorted(p.name for p in (tmp_path / "in").rglob("*")) == ["a.txt", "b.txt", "sub"]


def test_no_backup_keeps_no_orig(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--in-place", "--no-backup")
    assert result.exit_code == 0
    assert src.read_text(encoding="utf-8") == CLEANED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]


def test_no_backup_without_in_place_is_a_usage_error(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--no-backup")
    assert result.exit_code == 2
    assert "--no-backup goes with --in-place" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("extra", [["-o", "out"], ["-"]])
def test_in_place_excludes_output_and_stdin(tmp_path: Path, extra: list[str]) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    assert run(str(src), "--in-place", *extra, input="").exit_code == 2
    assert src.read_text(encoding="utf-8") == DAMAGED
    assert not (tmp_path / "out").exists()


def test_output_that_would_be_the_input_is_refused(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run("page.txt", "-o", ".")
    assert result.exit_code == 2
    message, verdict = error_lines(result)
    assert "page.txt" in message and "overwrite the input" in message
    assert "nothing was written" in verdict
    assert src.read_text(encoding="utf-8") == DAMAGED


def test_output_folder_that_is_the_input_folder_is_refused(tmp_path: Path) -> None:
    src = write(tmp_path / "in" / "sub" / "page.txt", DAMAGED)
    result = run("in", "-o", str(tmp_path / "in"))
    assert result.exit_code == 2
    assert "overwrite the input" in result.stderr
    assert src.read_text(encoding="utf-8") == DAMAGED
    # Another format has another extension: no conflict.
    assert run("in", "-o", "in", "-f", "jsonl").exit_code == 0
    assert (tmp_path / "in" / "sub" / "page.jsonl").is_file()


# --- pass selection, rules, conversion -------------------------------------


def test_only_runs_just_the_named_passes(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    out = run(str(src), "--only", "widen_punctuation", "--explain")
    assert out.exit_code == 0
    assert "（通讯员 伊宣）" in out.stdout
    assert "为营造" not in out.stdout  # join_wrapped_lines did not run
    assert "join_wrapped_lines" not in out.stderr


def test_skip_leaves_out_the_named_passes(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    out = run(str(src), "--skip", "widen_punctuation,repair_dashes")
    assert out.exit_code == 0
    assert out.stdout == "本报讯(通讯员 伊宣)为营造良好的人居环境。\n"


@pytest.mark.parametrize("option", ["--only", "--skip"])
def test_an_unknown_pass_name_is_a_usage_error(tmp_path: Path, option: str) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), option, "widen_punctuation,join_wraped_lines")
    assert result.exit_code == 2
    assert result.stdout == ""
    mentions = [line for line in result.stderr.splitlines() if "join_wraped_lines" in line]
    assert mentions == ["Error: unknown pass 'join_wraped_lines' (see --list-passes)"]
    assert "Traceback" not in result.output


def test_rules_folder_adds_a_user_rule(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", "全体战土们进入会场。\n")
    write(
        tmp_path / "myrules" / "confusions.tsv",
        "# my own confusion pairs\n"
        "#pass: repair_ocr_confusions\n"
        "#: wrong\tright\texample\n"
        "土\t士\t全体战土 => 全体战士\n",
    )
    assert run(str(src)).stdout == "全体战土们进入会场。\n"  # not a shipped rule
    result = run(str(src), "--rules", "myrules", "--explain")
    assert result.exit_code == 0
    assert result.stdout == "全体战士们进入会场。\n"
    assert "repair_ocr_confusions" in result.stderr


def test_a_bad_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "bad" / "confusions.tsv", "#pass: repair_ocr_confusions\n土\t士\n")
    result = run(str(src), "--rules", "bad")
    assert result.exit_code == 2
    assert "confusions.tsv" in result.stderr
    assert run(str(src), "--rules", "missing").exit_code == 2


def test_convert_t2s_converts_traditional_text(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", TRADITIONAL)
    assert "這是一個" in run(str(src)).stdout  # off by default: script is meaning
    result = run(str(src), "--convert", "t2s")
    assert result.exit_code == 0
    assert "这是一个关于经济发展的报导" in result.stdout
    assert "convert_script" in result.stderr
    assert run(str(src), "--convert", "x2y").exit_code == 2


# --- --resume ---------------------------------------------------------------


def test_resume_skips_an_up_to_date_output(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    assert run(str(src), "-o", "out").exit_code == 0
    out = tmp_path / "out" / "page.txt"
    out.write_text("sentinel\n", encoding="utf-8")
    os.utime(src, (1_000_000, 1_000_000))
    os.utime(out, (2_000_000, 2_000_000))
    result = run(str(src), "-o", "out", "--resume")
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == "sentinel\n"
    assert "1 up to date" in result.stderr
    # Without --resume, or once the input is newer, the output is made again.
    assert run(str(src), "-o", "out").exit_code == 0
    assert out.read_text(encoding="utf-8") == CLEANED
    out.write_text("sentinel\n", encoding="utf-8")
    os.utime(out, (1_000_000, 1_000_000))
    os.utime(src, (2_000_000, 2_000_000))
    assert run(str(src), "-o", "out", "--resume").exit_code == 0
    assert out.read_text(encoding="utf-8") == CLEANED


def test_resume_cleans_again_when_the_options_changed(tmp_path: Path) -> None:
    """An output newer than its input but written with other options (or
    another version of cleanup, or other rules) is not up to date."""
    write(tmp_path / "in" / "a.txt", DAMAGED)
    assert run("in", "-o", "out", "--resume", "--skip", "widen_punctuation", "-j", "1").exit_code == 0
    out = tmp_path / "out" / "a.txt"
    assert out.read_text(encoding="utf-8") == "本报讯(通讯员 伊宣)为营造良好的人居环境。\n"
    same = run("in", "-o", "out", "--resume", "--skip", "widen_punctuation", "-j", "1")
    assert "1 up to date" in same.stderr and "cleaned again" not in same.stderr
    other = run("in", "-o", "out", "--resume", "-j", "1")
    assert other.exit_code == 0
    assert "was not written with these options" in other.stderr
    assert out.read_text(encoding="utf-8") == CLEANED
    # the record follows the outputs: a plain run into the folder updates it
    assert run("in", "-o", "out", "--skip", "widen_punctuation", "-j", "1").exit_code == 0
    back = run("in", "-o", "out", "--resume", "-j", "1")
    assert "was not written with these options" in back.stderr
    assert out.read_text(encoding="utf-8") == CLEANED
    # a folder without a record (written before --resume was used) goes by the files' times
    (tmp_path / "out" / ".cleanup-run.json").unlink()
    assert "1 up to date" in run("in", "-o", "out", "--resume", "--skip", "widen_punctuation").stderr


def test_resume_with_in_place_still_cleans(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--in-place", "--resume")
    assert result.exit_code == 0
    assert src.read_text(encoding="utf-8") == CLEANED
    assert "up to date" not in result.stderr


# --- errors and exit codes ------------------------------------------------


def test_a_binary_input_among_good_ones(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)
    (tmp_path / "in" / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(tmp_path / "in" / "c.txt", SECOND)
    result = run("in", "-o", "out", "-j", "1")
    assert result.exit_code == 2
    [message] = error_lines(result)
    assert message == f"cleanup: error: {Path('in', 'b.txt')}: not text (PNG image)"
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == CLEANED
    assert (tmp_path / "out" / "c.txt").read_text(encoding="utf-8") == cleanup.clean_text(SECOND)
    assert not (tmp_path / "out" / "b.txt").exists()
    assert "2 read, 2 changed, 0 unchanged, 1 failed" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_path_exits_2_and_the_others_are_done(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run("nope.txt", str(src), "-o", "out")
    assert result.exit_code == 2
    assert error_lines(result) == ["cleanup: error: nope.txt: no such file or folder"]
    assert (tmp_path / "out" / "page.txt").read_text(encoding="utf-8") == CLEANED


def test_no_arguments_at_a_terminal_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleanup.cli._stdin_is_terminal", lambda: True)
    result = run()
    assert result.exit_code == 2
    assert "no input given" in result.stderr


def test_text_piped_in_with_no_arguments_is_read_from_standard_input() -> None:
    # cat page.txt | cleanup
    result = run(input=DAMAGED)
    assert result.exit_code == 0
    assert result.stdout == CLEANED


def test_dash_as_the_output_is_standard_output(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == CLEANED
    assert not (tmp_path / "-").exists() and not Path("-").exists()


def test_a_folder_takes_text_files_whatever_the_case_of_their_extension(tmp_path: Path) -> None:
    write(tmp_path / "in" / "PAGE.TXT", DAMAGED)
    result = run(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert (tmp_path / "out" / "PAGE.txt").read_text(encoding="utf-8") == CLEANED


def test_encoding_reads_every_input_in_the_codec_named(tmp_path: Path) -> None:
    # a short Big5 file: too little text for detection to be sure of its codec
    src = tmp_path / "page.txt"
    src.write_bytes("本報訊。".encode("big5"))
    result = run(str(src), "--encoding", "big5")
    assert result.exit_code == 0
    assert result.stdout == "本報訊。\n"


def test_encoding_that_does_not_fit_the_file_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes("本报讯。".encode("gb18030"))
    result = run(str(src), "--encoding", "utf-8")
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"cleanup: error: {src}: cannot decode as utf-8 (invalid start byte at byte 0)"
    ]


def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--encoding", "klingon")
    assert result.exit_code == 2
    assert "--encoding: unknown codec 'klingon'" in result.stderr


def test_jsonl_source_is_the_path_below_the_folder_given(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a" / "page.txt", DAMAGED)
    write(tmp_path / "in" / "b" / "page.txt", DAMAGED)
    result = run(str(tmp_path / "in"), "-f", "jsonl")
    assert result.exit_code == 0
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == ["a/page.txt", "b/page.txt"]


def test_glob_is_repeatable(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)
    write(tmp_path / "in" / "b.md", DAMAGED)
    write(tmp_path / "in" / "c.csv", DAMAGED)
    result = run(str(tmp_path / "in"), "--glob", "*.txt", "--glob", "*.md", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("command", ["eval", "synth", "ray", "review"])
def test_every_command_takes_dash_h_for_help(command: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cleanup", command, "-h"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage:" in proc.stdout


def test_a_folder_with_no_matching_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "in" / "notes.md", DAMAGED)
    result = run(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert f"{tmp_path / 'in'}: no file in the folder matches '*.txt'" in result.stderr


def test_an_unknown_option_is_a_usage_error() -> None:
    assert run("--colour").exit_code == 2


def test_an_internal_error_exits_123_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cleanup.runner, "run_split", broken)
    result = run(str(src), "-o", "out")
    assert result.exit_code == 123
    assert isinstance(result.exception, SystemExit)  # handled, not escaped
    [message] = error_lines(result)
    assert str(src) in message and "internal error: RuntimeError: boom" in message
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    # --debug shows the traceback.
    debug = run(str(src), "--debug")
    assert debug.exit_code == 123
    assert "Traceback" in debug.stderr and "RuntimeError: boom" in debug.stderr


def test_internal_error_wins_over_input_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write(tmp_path / "page.txt", DAMAGED)
    monkeypatch.setattr(cleanup.runner, "run_split", lambda *a, **k: 1 / 0)
    assert run(str(good), "nope.txt").exit_code == 123


# --- workers ------------------------------------------------------------------


def test_two_jobs_give_the_same_output_as_one(tmp_path: Path) -> None:
    one = run(str(RAW), "-o", "one", "-j", "1", "-f", "jsonl")
    two = run(str(RAW), "-o", "two", "--jobs", "2", "-f", "jsonl")
    assert one.exit_code == two.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.stem + ".jsonl" for p in RAW.glob("*.txt"))
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert one.stderr == two.stderr  # the same summary
    # Standard output keeps the input order too.
    assert run(str(RAW), "-j", "1", "-q").stdout_bytes == run(str(RAW), "-j", "2", "-q").stdout_bytes


# --- [tool.cleanup] in pyproject.toml ----------------------------------------


def test_pyproject_skip_and_format(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "pyproject.toml", '[tool.cleanup]\nskip = ["widen_punctuation"]\nformat = "jsonl"\n')
    result = run(str(src))
    assert result.exit_code == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["blocks"][0]["text"] == "本报讯(通讯员 伊宣)为营造良好的人居环境。"


def test_pyproject_is_found_in_a_parent_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", '[tool.cleanup]\nskip = "widen_punctuation"\nquiet = true\n')
    src = write(tmp_path / "deep" / "page.txt", DAMAGED)
    monkeypatch.chdir(tmp_path / "deep")
    result = run(str(src))
    assert result.stdout == "本报讯(通讯员 伊宣)为营造良好的人居环境。\n"
    assert result.stderr == ""  # quiet = true


def test_pyproject_glob_and_dashed_keys(tmp_path: Path) -> None:
    write(tmp_path / "in" / "page.text", DAMAGED)
    write(tmp_path / "myrules" / "confusions.tsv", "#pass: repair_ocr_confusions\n#: wrong\tright\n土\t士\n")
    write(tmp_path / "in" / "war.text", "全体战土们进入会场。\n")
    write(tmp_path / "pyproject.toml", '[tool.cleanup]\nglob = "*.text"\nrules-dirs = ["myrules"]\n')
    assert run("in", "-o", "out", "-j", "1").exit_code == 0
    assert (tmp_path / "out" / "page.txt").read_text(encoding="utf-8") == CLEANED
    assert (tmp_path / "out" / "war.txt").read_text(encoding="utf-8") == "全体战士们进入会场。\n"


def test_flags_win_over_pyproject(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "pyproject.toml", '[tool.cleanup]\nskip = ["widen_punctuation"]\nformat = "jsonl"\n')
    result = run(str(src), "--format", "text", "--skip", "repair_dashes")
    assert result.exit_code == 0
    assert result.stdout == CLEANED


@pytest.mark.parametrize(
    ("table", "word"),
    [
        ('colour = "red"', "colour"),
        ('skip = ["no_such_pass"]', "no_such_pass"),
        ('format = "html"', "html"),
        ("skip = [", "pyproject.toml"),  # not TOML
    ],
)
def test_pyproject_errors_are_usage_errors(tmp_path: Path, table: str, word: str) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "pyproject.toml", f"[tool.cleanup]\n{table}\n")
    result = run(str(src))
    assert result.exit_code == 2
    assert word in result.stderr
    assert result.stdout == ""


def test_pyproject_without_a_cleanup_table_is_ignored(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 88\n")
    assert run(str(src)).stdout == CLEANED


def test_configuration_is_found_from_the_inputs_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As black and ruff do: a data folder's pyproject.toml applies to its
    pages wherever the command is run from, and the working directory's
    does not apply to inputs elsewhere."""
    write(tmp_path / "data" / "pyproject.toml", '[tool.cleanup]\nskip = "widen_punctuation"\n')
    src = write(tmp_path / "data" / "pages" / "page.txt", DAMAGED)
    write(tmp_path / "elsewhere" / "pyproject.toml", '[tool.cleanup]\nformat = "jsonl"\n')
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert run(str(src)).stdout == "本报讯(通讯员 伊宣)为营造良好的人居环境。\n"


def test_a_pyproject_without_a_cleanup_table_does_not_hide_one_above(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.cleanup]\nskip = "widen_punctuation"\n')
    write(tmp_path / "repo" / "pyproject.toml", "[tool.black]\nline-length = 88\n")
    src = write(tmp_path / "repo" / "page.txt", DAMAGED)
    assert run(str(src)).stdout == "本报讯(通讯员 伊宣)为营造良好的人居环境。\n"


def test_config_and_no_config_flags(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "pyproject.toml", '[tool.cleanup]\nskip = "widen_punctuation"\n')
    other = write(tmp_path / "settings" / "cleanup.toml", '[tool.cleanup]\nformat = "jsonl"\n')
    assert run(str(src), "--no-config").stdout == CLEANED
    [record] = [json.loads(x) for x in run(str(src), "--config", str(other)).stdout.splitlines()]
    assert record["blocks"][0]["text"] == "本报讯（通讯员 伊宣）为营造良好的人居环境。"
    both = run(str(src), "--config", str(other), "--no-config")
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_show_config_prints_the_settings_in_effect_and_their_file(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    config = write(tmp_path / "pyproject.toml", '[tool.cleanup]\nskip = "widen_punctuation"\njobs = 1\n')
    result = run(str(src), "--show-config", "--format", "jsonl")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# from {config}, command-line flags on top"
    assert 'skip = ["widen_punctuation"]' in lines
    assert 'format = "jsonl"' in lines and "jobs = 1" in lines
    assert "widen_punctuation" not in lines[-1]  # the passes that run
    # what it prints is a [tool.cleanup] table that reads back the same
    table = tomllib.loads("\n".join(x for x in lines if not x.startswith("#")))["tool"]["cleanup"]
    assert table["skip"] == ["widen_punctuation"] and table["page-separator"] == "\f"
    assert not (tmp_path / "page.txt.orig").exists() and src.read_text(encoding="utf-8") == DAMAGED
    assert run(str(src), "--show-config", "--no-config").stdout.startswith("# no configuration file\n")


@pytest.mark.parametrize("table", ['skip = ["no_such_pass"]', "jobs = 0", "glob = 3", 'format = "html"'])
def test_configuration_errors_name_the_file(tmp_path: Path, table: str) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    config = write(tmp_path / "settings.toml", f"[tool.cleanup]\n{table}\n")
    result = run(str(src), "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}: [tool.cleanup]" in result.stderr
    assert result.stdout == ""


def test_a_misnamed_user_rule_file_is_warned_of(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    write(tmp_path / "myrules" / "byline.tsv", "#pass: assemble_articles\n#: pattern\n本报记者\n")
    result = run(str(src), "--rules", "myrules")
    assert result.exit_code == 0
    assert result.stdout == CLEANED
    assert "byline.tsv: not a rule file cleanup reads (bylines.tsv, " in result.stderr
    assert "ignored" in result.stderr


def test_a_user_rule_example_that_does_not_hold_stops_the_run(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", "全体战土们进入会场。\n")
    write(
        tmp_path / "myrules" / "confusions.tsv",
        "#pass: repair_ocr_confusions\n#: wrong\tright\texample\n土\t士\t战土们 => 战土们\n",
    )
    result = run(str(src), "--rules", "myrules", "-o", "out")
    assert result.exit_code == 2
    assert (
        "confusions.tsv:3: example '战土们' => '战土们' does not hold (the rules give '战士们')"
        in result.stderr
    )
    assert "1 example in the user rules does not hold; nothing was cleaned" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_long_file_with_no_page_separator_gets_a_hint(tmp_path: Path) -> None:
    page = "本报讯（通讯员 伊宣）近日，伊通县召开安全生产工作会议，部署下一阶段工作。\n\n" * 600
    assert 20_000 < len(page) < 500_000
    many = write(tmp_path / "many.txt", page * 25)
    split = write(tmp_path / "split.txt", "\f".join([page] * 25))
    result = run(str(many), "-o", "out")
    assert result.exit_code == 0
    assert "cleanup: hint: " in result.stderr and "--page-separator REGEX" in result.stderr
    assert "cleanup: hint: " not in run(str(split), "-o", "out2").stderr
    assert "cleanup: hint: " not in run(str(many), "-o", "out3", "-q").stderr


def test_report_writes_every_change_as_json_lines(tmp_path: Path) -> None:
    src = write(tmp_path / "in" / "page.txt", DAMAGED)
    write(tmp_path / "in" / "b.txt", "本报讯(通讯员 王明)全体战士们进入会场。\n")
    explained = run("in", "-o", "out", "--explain", "-j", "1")
    result = run("in", "-o", "out2", "--report", "changes.jsonl", "-j", "1")
    assert result.exit_code == 0
    records = [json.loads(x) for x in (tmp_path / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records and all(
        list(r) == ["file", "pass", "line", "column", "before", "after", "note", "exact", "output"]
        for r in records
    )
    # (every position is exact: these pages have nothing a layout pass rebuilt)
    assert all(r["exact"] for r in records)
    assert {r["file"] for r in records} == {str(Path("in") / "page.txt"), str(Path("in") / "b.txt")}
    lines = [x for x in explained.stderr.splitlines() if x.startswith("in")]
    assert len(lines) == len(records)
    widened = [r for r in records if r["pass"] == "widen_punctuation"]
    assert widened and widened[0]["before"] in "(),。" and widened[0]["after"] in "（），"
    # the cleaned outputs are the same with or without a report
    assert (tmp_path / "out" / "page.txt").read_bytes() == (tmp_path / "out2" / "page.txt").read_bytes()
    assert src.read_text(encoding="utf-8") == DAMAGED


def test_report_output_positions_point_into_the_written_articles(tmp_path: Path) -> None:
    # two pages in one file: the second page's positions count the first page's articles
    write(tmp_path / "page.txt", DAMAGED + "\f" + SECOND)
    result = run("page.txt", "-o", "out", "--format", "jsonl", "--report", "changes.jsonl")
    assert result.exit_code == 0
    articles = [
        json.loads(x) for x in (tmp_path / "out" / "page.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    records = [json.loads(x) for x in (tmp_path / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
    placed = [r for r in records if r["output"] is not None]
    assert {r["output"]["article"] for r in placed} == {0, 1}
    for r in placed:
        out = r["output"]
        a = articles[out["article"]]
        assert a["index"] == out["article"]
        text = a["blocks"][out["block"]]["text"] if out["field"] == "blocks" else a[out["field"]]
        assert text[out["offset"] : out["offset"] + len(r["after"])] == r["after"]


def test_report_may_not_be_an_input_or_an_output(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "-o", "out", "--report", str(src))
    assert result.exit_code == 2 and "is an input or an output" in result.stderr
    assert src.read_text(encoding="utf-8") == DAMAGED


# --- a real process ---------------------------------------------------------


def test_python_m_cleanup_version_in_a_real_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cleanup", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"cleanup, version {cleanup.__version__}"


# --- folder walking and naming -------------------------------------------


def test_hidden_folders_are_not_read(tmp_path: Path) -> None:
    write(tmp_path / "in" / ".git" / "x.txt", DAMAGED)
    write(tmp_path / "in" / "a.txt", DAMAGED)
    result = run("in", "-o", "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["a.txt"]


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DAMAGED)
    assert run("in", "-o", "in/out").exit_code == 0
    result = run("in", "-o", "in/out")  # second run must not clean its own output
    assert result.exit_code == 0
    assert not (tmp_path / "in" / "out" / "out").exists()
    assert "1 read" in result.stderr


def test_in_place_only_writes_text(tmp_path: Path) -> None:
    src = write(tmp_path / "page.txt", DAMAGED)
    result = run(str(src), "--in-place", "-f", "jsonl")
    assert result.exit_code == 2
    assert src.read_text(encoding="utf-8") == DAMAGED


def test_explain_names_stdin(tmp_path: Path) -> None:
    result = run("-", "--explain", input=DAMAGED.encode())
    assert "stdin: widen_punctuation" in result.stderr


def test_usage_errors_name_the_command_once() -> None:
    result = run("--only", "nope", "x.txt")
    assert result.exit_code == 2
    assert "cleanup clean" not in result.stderr


def test_in_place_on_a_file_that_cannot_be_read_leaves_no_backup(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(b"%PDF-1.7 not text")
    result = run(str(src), "--in-place")
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]
