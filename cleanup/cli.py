"""The ``cleanup`` command line.

It follows black's contract: ``--check`` exits 1 when something would
change, ``--diff`` prints a unified diff, ``-`` reads standard input, a
summary goes to standard error, exit codes are 0/1/2/123, and it never writes
over an input unless ``--in-place`` is given. Outputs are written atomically.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import difflib
import functools
import gc
import json
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import click

from . import __version__, fsguard
from . import io as files
from .config import CONVERSIONS, Config, find_pyproject, from_pyproject, inputs_base, make_config
from .errors import CleanupError, InputError
from .fsguard import available_cores, output_conflicts
from .io import atomic_writer
from .pipeline import PASSES
from .rules import Rules
from .runner import Job, Result, explain_line, process, run_all
from .writers import EXTENSIONS, FORMATS

ISSUES_URL = "the project's issue tracker"
EXIT_OK, EXIT_CHANGED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 123
# Keys of [tool.cleanup] that are command-line options rather than Config fields.
CLI_KEYS = {"format", "glob", "quiet", "jobs", "page_timeout"}
# --page-timeout when neither the flag nor [tool.cleanup] sets it (0: no limit).
DEFAULT_PAGE_TIMEOUT = 300.0
# Warning lines per file about replaced bytes (--explain lists every one).
WARNINGS_PER_FILE = 5


# A page longer than this (characters) is most likely several pages run
# together: a printed newspaper page holds some TYPICAL_PAGE.
TYPICAL_PAGE = 20_000
LONG_PAGE = 25 * TYPICAL_PAGE


@dataclass
class Report:
    """Counts for the summary line, and the exit code they imply."""

    check: bool = False
    dry: bool = False  # --check or --diff: nothing is written
    read: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    internal: int = 0
    replaced: int = 0  # invalid bytes replaced by U+FFFD, in files read
    per_pass: dict[str, int] = field(default_factory=dict)

    def add(self, r: Result) -> None:
        if r.error is not None:
            self.failed += 1
            self.internal += r.internal
            return
        self.read += 1
        self.replaced += len(r.replaced)
        if r.changed:
            self.changed += 1
        else:
            self.unchanged += 1
        for k, v in r.counts.items():
            self.per_pass[k] = self.per_pass.get(k, 0) + v

    @property
    def exit_code(self) -> int:
        if self.internal:
            return EXIT_INTERNAL
        if self.failed:
            return EXIT_USAGE
        if self.check and self.changed:
            return EXIT_CHANGED
        return EXIT_OK

    def summary(self) -> str:
        verb = "would change" if self.check or self.dry else "changed"
        parts = [f"{self.read} read", f"{self.changed} {verb}", f"{self.unchanged} unchanged"]
        if self.skipped:
            parts.append(f"{self.skipped} up to date")
        parts.append(f"{self.failed} failed")
        if self.replaced:
            parts.append(f"{self.replaced} invalid byte{'s' * (self.replaced > 1)} replaced by U+FFFD")
        lines = ["cleanup: " + ", ".join(parts)]
        if self.per_pass:
            order = [p.name for p in PASSES]
            shown = sorted(self.per_pass.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
            lines.append("  changes: " + ", ".join(f"{k} {v}" for k, v in shown))
        return "\n".join(lines)


def _walk(
    folder: Path, pattern: tuple[str, ...], seen: set[tuple[int, int]], errors: list[str] | None = None
) -> Iterator[Path]:
    """Files matching pattern below folder, sorted, following no link twice.

    Hidden files and folders (``.git``) are skipped, and so is every folder
    already seen: a symlink loop, or the output folder (marked seen up front)
    when it lies inside an input folder. A folder that cannot be listed and
    a matching name that is not a regular file (a FIFO would block the read
    forever) go to errors.
    """
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:  # a symlink loop
            return
        seen.add(key)
        entries = sorted(folder.iterdir())
    except OSError as exc:
        if errors is not None:
            errors.append(f"{folder}: cannot list the folder ({exc.strerror})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, pattern, seen, errors)
        elif _matches(entry, pattern):
            if _special(entry):
                if errors is not None:
                    errors.append(f"{entry}: not a regular file")
                continue
            yield entry


def _codec_name(encoding: str | None) -> str | None:
    """The codec --encoding names, by its canonical name (a usage error if none)."""
    if encoding is None:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise click.UsageError(f"--encoding: unknown codec {encoding!r}") from None


def _piped(paths: tuple[str, ...]) -> tuple[str, ...]:
    """The paths given, or standard input when none is and text is piped in
    (cat page.txt | cleanup)."""
    if paths:
        return paths
    if _stdin_is_terminal():
        raise click.UsageError("no input given (a file, a folder, or - for standard input)")
    return ("-",)


def _stdin_is_terminal() -> bool:
    stream = sys.stdin
    return stream is None or stream.isatty()


def _matches(entry: Path, patterns: tuple[str, ...]) -> bool:
    """A glob matches the file's path, whatever the case of its extension
    (``PAGE.TXT`` is a text file as ``page.txt`` is)."""
    lower = Path(str(entry).lower())
    return any(entry.match(p) or lower.match(p.lower()) for p in patterns)


def _globs(value: object, where: str = "[tool.cleanup]") -> tuple[str, ...]:
    """[tool.cleanup] glob: one pattern or a list of them."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise click.UsageError(f"{where} glob: expected a pattern or a list of patterns, got {value!r}")


def _special(path: Path) -> bool:
    """A FIFO, socket or device (not a dangling link: reading that says so)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def plan_jobs(
    paths: tuple[str, ...], out_dir: Path | None, fmt: str, pattern: tuple[str, ...], in_place: bool
) -> tuple[list[Job], list[str]]:
    jobs: list[Job] = []
    errors: list[str] = []
    ext = EXTENSIONS[fmt]
    for p in paths:
        if p == "-":
            try:
                jobs.append(_stdin_job(out_dir / f"stdin{ext}" if out_dir else None))
            except CleanupError as exc:
                errors.append(str(exc))
            continue
        path = Path(p)
        if path.is_dir():
            seen: set[tuple[int, int]] = set()
            if out_dir is not None and out_dir.is_dir() and not _same_file(out_dir, path):
                st = out_dir.stat()
                seen.add((st.st_dev, st.st_ino))  # never read our own outputs
            found = list(_walk(path, pattern, seen, errors))
            if not found:
                wanted = " or ".join(repr(g) for g in pattern)
                click.echo(f"cleanup: warning: {p}: no file in the folder matches {wanted}", err=True)
            for f in found:
                rel = f.relative_to(path)
                out = (out_dir / rel).with_suffix(ext) if out_dir else (f if in_place else None)
                # named by its path below the folder given: two page.txt in
                # different subfolders are two sources
                jobs.append(Job(str(f), _source_name(rel.as_posix()), out))
        elif _special(path):  # a FIFO would block the read forever, /dev/zero never ends
            errors.append(f"{p}: not a regular file")
        elif path.exists() or path.is_symlink():
            out = (out_dir / path.name).with_suffix(ext) if out_dir else (path if in_place else None)
            jobs.append(Job(str(path), _source_name(path.name), out))
        else:
            errors.append(f"{p}: no such file or folder")
    return jobs, errors


def _stdin_job(output: Path | None) -> Job:
    """Standard input, kept in memory when small; a big one is copied to a
    temporary file (deleted after the run) and then read like any file, a
    chunk at a time and decoded exactly as the same bytes in a file would be."""
    stream = sys.stdin.buffer
    try:
        head = stream.read(files.STREAM_BYTES + 1)
    except OSError as exc:
        raise InputError(f"<stdin>: cannot read ({exc.strerror})") from None
    if len(head) <= files.STREAM_BYTES:
        return Job("-", "stdin", output, head)
    try:
        # named with this process's id: a later run removes it should this one be killed
        fd, tmp = tempfile.mkstemp(prefix=fsguard.spool_prefix(), suffix=".txt")
    except OSError as exc:
        raise InputError(
            f"<stdin>: cannot make a temporary copy ({exc.strerror}); TMPDIR sets its folder"
        ) from None
    # removed when the command ends, however it ends (workers never run it)
    ctx = click.get_current_context(silent=True)
    (ctx.call_on_close if ctx else atexit.register)(functools.partial(files.remove_quietly, tmp))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(head)
            shutil.copyfileobj(stream, fh, files.CHUNK_BYTES)
    except OSError as exc:
        files.remove_quietly(tmp)
        raise InputError(
            f"<stdin>: cannot copy it to {tmp} ({exc.strerror}); TMPDIR sets another folder"
        ) from None
    return Job("-", "stdin", output, spooled=tmp)


def _source_name(name: str) -> str:
    """A file name fit for the JSONL "source" field, which must be valid UTF-8.

    A name whose bytes are not UTF-8 (a GBK name from a Windows archive)
    reaches Python with surrogate escapes: read it as GB18030, else mark the
    undecodable bytes with U+FFFD.
    """
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop raises RuntimeError before Python 3.13
        return path.absolute()


def _same_file(a: Path, b: Path) -> bool:
    return _resolve(a) == _resolve(b)


def _diff(res: Result) -> str:
    name = res.job.source
    return "".join(
        difflib.unified_diff(
            res.text_in.splitlines(keepends=True),
            res.clean_text.splitlines(keepends=True),
            f"{name}\t(original)",
            f"{name}\t(cleaned)",
        )
    )


def _list_passes() -> str:
    width = max(len(p.name) for p in PASSES)
    lines = []
    for p in PASSES:
        flag = "" if p.default else "  [off by default]"
        lines.append(f"{p.name:<{width}}  {p.summary}{flag}")
    return "\n".join(lines)


def _config_from(
    only: str | None,
    skip: str | None,
    convert: str | None,
    rules: tuple[str, ...],
    settings: dict[str, object],
    where: str | None = None,
) -> Config:
    """The configuration of settings (a file's, named by where in errors), flags on top."""
    options = {k: v for k, v in settings.items() if k not in CLI_KEYS}
    try:
        base = make_config(options)
    except CleanupError as exc:
        if where is None:
            raise
        raise type(exc)(f"{where}: {exc}") from None
    flags: dict[str, object] = {}
    if only is not None:
        flags["only"] = only
    if skip is not None:
        flags["skip"] = skip
    if convert is not None:
        flags["convert"] = convert
    if rules:
        flags["rules_dirs"] = tuple(str(Path(r).resolve()) for r in rules)
    return make_config(flags, base) if flags else base


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so writers clean up on the way out."""


def _on_signal(signum: int, frame: object) -> None:
    # Raising unwinds into the atomic writer, which removes its temp file.
    raise Terminated


def _up_to_date(job: Job) -> bool:
    if job.output is None or job.source == "-" or not job.output.exists():
        return False
    if _same_file(job.output, Path(job.source)):  # --in-place: nothing tells done from not done
        return False
    try:
        return job.output.stat().st_mtime >= Path(job.source).stat().st_mtime
    except OSError:
        return False


class _Cleanup(click.Command):
    """The cleaning command, which hands ``cleanup NAME ...`` to a subcommand."""

    def main(self, args=None, prog_name=None, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        if argv and argv[0] in SUBCOMMANDS:
            name = f"{prog_name or 'cleanup'} {argv[0]}"
            return SUBCOMMANDS[argv[0]].main(argv[1:], prog_name=name, **extra)
        return super().main(argv, prog_name=prog_name, **extra)

    def invoke(self, ctx: click.Context) -> object:
        # click turns Ctrl-C into "Aborted!" and exit 1; _run_jobs handles an
        # interrupt during the run, this one before it (walking folders, stdin)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            click.echo("cleanup: interrupted", err=True)
            sys.exit(143 if isinstance(exc, Terminated) else 130)


# Options the main command and `cleanup review` share, declared once.
_ONLY = click.option("--only", default=None, metavar="PASS,...", help="Run only these passes.")
_SKIP = click.option("--skip", default=None, metavar="PASS,...", help="Do not run these passes.")
_CONVERT = click.option(
    "--convert", type=click.Choice(CONVERSIONS), default=None, help="Convert script with OpenCC (e.g. t2s)."
)
_RULES = click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra rule folder (repeatable).",
)
_ENCODING = click.option(
    "--encoding",
    metavar="CODEC",
    default=None,
    help="Read every input in this codec (big5, gbk, utf-8, …) instead of detecting it.",
)
_NO_CONFIG = click.option("--no-config", is_flag=True, help="Read no configuration file.")
_GLOB = click.option(
    "--glob",
    "pattern",
    multiple=True,
    help="Files to take from folders (repeatable: any of them) [default: *.txt].",
)


@click.command(
    name="cleanup",
    cls=_Cleanup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Other commands: 'cleanup eval GOLD OUT' scores output against gold articles; "
    "'cleanup synth OUT' generates damaged pages; 'cleanup ray' runs on a Ray cluster; "
    "'cleanup review PATH -o FILE.html' writes a page showing every change.",
)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Write outputs into this folder (- for standard output).",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format [default: text]."
)
@_GLOB
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any input would change.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print a unified diff of what would change; write nothing."
)
@click.option(
    "--explain", is_flag=True, help="Print every change (pass, line:column, before -> after) to stderr."
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, allow_dash=False),
    default=None,
    metavar="FILE.jsonl",
    help="Write every change as JSON Lines to FILE (file, pass, line, column, before, after, note).",
)
@click.option("--in-place", is_flag=True, help="Write each output over its input (keeps INPUT.orig).")
@click.option("--no-backup", is_flag=True, help="With --in-place, keep no .orig backup.")
@_ONLY
@_SKIP
@_CONVERT
@click.option(
    "--ocr", is_flag=True, help="Run the OCR passes on every page (default: only pages that look like OCR)."
)
@_RULES
@click.option(
    "--page-separator",
    default=None,
    metavar="REGEX",
    help="Split inputs into pages cleaned one at a time [default: form feed].",
)
@_ENCODING
@click.option(
    "--resume",
    is_flag=True,
    help="Skip inputs whose output is newer than the input and was written with the same options.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: all cores; at most the cores there are].",
)
@click.option(
    "--page-timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help=f"Fail a file whose page takes longer to clean [default: {DEFAULT_PAGE_TIMEOUT:g}; 0: no limit].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Read [tool.cleanup] from this file [default: the nearest pyproject.toml above the inputs].",
)
@_NO_CONFIG
@click.option(
    "--show-config", is_flag=True, help="Print the configuration in effect, and where it came from, and exit."
)
@click.option("--list-passes", is_flag=True, help="List the passes in order and exit.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, "--version")
def clean(
    paths: tuple[str, ...],
    out_dir: str | None,
    fmt: str | None,
    pattern: tuple[str, ...],
    check: bool,
    show_diff: bool,
    explain: bool,
    report_file: str | None,
    in_place: bool,
    no_backup: bool,
    only: str | None,
    skip: str | None,
    convert: str | None,
    ocr: bool,
    rules: tuple[str, ...],
    page_separator: str | None,
    encoding: str | None,
    resume: bool,
    jobs: int | None,
    page_timeout: float | None,
    config_file: str | None,
    no_config: bool,
    show_config: bool,
    list_passes: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Repair Chinese newspaper text damaged by OCR and PDF extraction.

    PATHS are files, folders (every *.txt inside, recursively) or - for
    standard input. Without -o, a single input is written to standard output.
    """
    if list_passes:
        click.echo(_list_passes())
        return
    if debug:
        os.environ["CLEANUP_DEBUG"] = "1"
    signal.signal(signal.SIGTERM, _on_signal)
    fsguard.remove_stale_spools()  # copies of standard input that killed runs left in TMPDIR
    if config_file and no_config:
        raise click.UsageError("--config and --no-config exclude each other")
    pyproject = (
        None if no_config else Path(config_file) if config_file else find_pyproject(inputs_base(paths))
    )
    where = f"{pyproject}: [tool.cleanup]" if pyproject else "[tool.cleanup]"
    try:
        settings = from_pyproject(pyproject) if pyproject else {}
        if page_separator is not None:
            settings = {**settings, "page_separator": page_separator}
        if ocr:
            settings = {**settings, "ocr": True}
        config = _config_from(only, skip, convert, rules, settings, where if pyproject else None)
        from .lexicon import words
        from .rules import load_rules

        _check_user_rules(load_rules(config.rules_dirs), config.rules_dirs)
        words()  # loaded before workers fork, so they share it
        # what is loaded now lives as long as the process: the garbage
        # collector's full collections need not walk it again
        gc.freeze()
    except CleanupError as exc:
        raise click.UsageError(str(exc)) from None
    fmt = fmt or str(settings.get("format", "text"))
    if fmt not in FORMATS:
        raise click.UsageError(f"{where} format: unknown format {fmt!r}")
    globs = pattern or _globs(settings.get("glob", "*.txt"), where)
    quiet = quiet or bool(_setting(settings, "quiet", (bool,), "true or false", False, where=where))
    if jobs is None and "jobs" in settings:
        jobs = int(
            _setting(
                settings, "jobs", (int,), "a whole number of worker processes, 1 or more", 1, 1, where=where
            )
        )
    if page_timeout is None:
        page_timeout = _setting(
            settings,
            "page_timeout",
            (int, float),
            "a number of seconds (0: no limit)",
            DEFAULT_PAGE_TIMEOUT,
            0,
            where=where,
        )
    if show_config:
        click.echo(_shown_config(pyproject, config, fmt, globs, quiet, jobs, page_timeout, encoding))
        return
    encoding = _codec_name(encoding)
    if out_dir == "-":  # the usual spelling of standard output
        out_dir = None
    paths = _piped(paths)
    if in_place and out_dir:
        raise click.UsageError("--in-place and --output exclude each other")
    if in_place and fmt != "text":
        raise click.UsageError("--in-place writes text; it does not go with --format " + fmt)
    if no_backup and not in_place:
        raise click.UsageError("--no-backup goes with --in-place")
    if paths.count("-") > 1 or ("-" in paths and in_place):
        raise click.UsageError("standard input can be given once, and not with --in-place")
    dry = check or show_diff
    job_list, missing = plan_jobs(paths, Path(out_dir) if out_dir else None, fmt, globs, in_place)
    report = Report(check=check, dry=dry)
    for msg in missing:
        click.echo(f"cleanup: error: {msg}", err=True)
        report.failed += 1
    to_stdout = out_dir is None and not in_place and not dry
    if to_stdout and len(job_list) > 1 and not quiet:
        click.echo(f"cleanup: {len(job_list)} inputs to standard output, one after another", err=True)
    if not dry:
        conflicts = output_conflicts([(job.source, job.output) for job in job_list], in_place)
        if conflicts:  # refused before anything is written: no input is overwritten, no output lost
            for msg in conflicts:
                click.echo(f"cleanup: error: {msg}", err=True)
            click.echo(
                f"cleanup: error: {len(conflicts)} output conflict{'s' * (len(conflicts) > 1)}; "
                "nothing was written (choose another -o folder, or --in-place to clean inputs in place)",
                err=True,
            )
            sys.exit(EXIT_USAGE)
    if report_file is not None:
        report_path = Path(report_file).resolve()
        taken = {Path(j.source).resolve() for j in job_list if j.source != "-"}
        taken |= {j.output.resolve() for j in job_list if j.output is not None}
        if report_path in taken:
            raise click.UsageError(f"--report {report_file}: is an input or an output of this run")
    # --resume records the options in the output folder; a folder that has
    # the record keeps it up to date whatever the run
    keeps_record = bool(out_dir) and not dry and (resume or (Path(str(out_dir)) / STAMP).is_file())
    stamp = _run_stamp(config, fmt, encoding) if keeps_record else None
    stamp_now = False  # whether this run's options may be recorded before it writes
    if stamp is not None and out_dir:
        before = _read_stamp(Path(out_dir))
        stamp_now = before is None or before == stamp
        # (a folder with no record, written by an older cleanup or by hand:
        # its outputs' times are all there is to go by)
        if resume and before is not None and before != stamp and any(_up_to_date(j) for j in job_list):
            click.echo(
                f"cleanup: --resume: {out_dir} was not written with these options "
                "(or this version of cleanup, or these rules): every input is cleaned again",
                err=True,
            )
            resume = False
    runnable: list[Job] = []
    for job in job_list:
        if resume and not dry and _up_to_date(job):
            report.skipped += 1
        else:
            runnable.append(job)
    if not dry:
        for folder in _output_folders(runnable):
            fsguard.remove_stale(folder)  # temporary files of killed runs
    stamped = False
    if stamp is not None and out_dir and stamp_now:
        # recorded before anything is written, so that the outputs of a run
        # interrupted now are taken as done by --resume with the same options;
        # a run with other options records them only once it has rewritten all
        stamped = _write_stamp(Path(out_dir), stamp)
    # changes shown or written are placed exactly in the input (the outputs
    # are the same either way: the option is not part of the --resume record)
    shown = explain or report_file is not None
    exit_code = _run_jobs(
        runnable,
        replace(config, exact_positions=True) if shown else config,
        fmt,
        report,
        explain,
        dry,
        show_diff,
        to_stdout,
        in_place and not no_backup,
        quiet,
        jobs,
        page_timeout,
        encoding,
        report_file,
    )
    if stamp is not None and out_dir and not stamped:
        _write_stamp(Path(out_dir), stamp)  # (the folder may have been made by this run)
    sys.exit(exit_code)


# What --resume compares in an output folder: the options, version and rules
# its outputs were written with.
STAMP = ".cleanup-run.json"


def _run_stamp(config: Config, fmt: str, encoding: str | None) -> dict[str, object]:
    """What decides the outputs besides the inputs: cleanup's version, the
    options, and the user rule files (names, sizes and times)."""
    rules = []
    for folder in config.rules_dirs:
        for f in sorted(Path(folder).glob("*")):
            with contextlib.suppress(OSError):
                st = f.stat()
                rules.append([str(f), st.st_size, st.st_mtime_ns])
    return {
        "version": __version__,
        "config": repr(config),
        "format": fmt,
        "encoding": encoding,
        "rules": rules,
    }


def _read_stamp(folder: Path) -> object:
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_stamp(folder: Path, stamp: dict[str, object]) -> bool:
    """The stamp, written whole, where the folder exists; whether it was written."""
    if not folder.is_dir():
        return False
    try:
        with atomic_writer(folder / STAMP) as fh:
            fh.write(json.dumps(stamp, ensure_ascii=False).encode("utf-8"))
    except OSError:
        return False  # (a record not kept only costs a --resume its shortcut)
    return True


def _check_user_rules(rules: Rules, folders: tuple[str, ...]) -> None:
    """Warn of files in user rule folders that no pass reads; fail (exit 2)
    when an example of a user's entry does not hold."""
    if not folders:
        return
    from .rule_examples import failed_examples
    from .rules import shipped_files, unknown_rule_files

    names = ", ".join(sorted(shipped_files()))
    for p in unknown_rule_files(folders):
        click.echo(f"cleanup: warning: {p}: not a rule file cleanup reads ({names}); ignored", err=True)
    prefixes = tuple(str(Path(d)) + os.sep for d in folders)
    failed = list(failed_examples(rules, only=lambda origin: origin.startswith(prefixes)))
    for msg in failed:
        click.echo(f"cleanup: error: {msg}", err=True)
    if failed:
        click.echo(
            f"cleanup: error: {len(failed)} example{'s' * (len(failed) > 1)} in the user rules "
            f"{'do' if len(failed) > 1 else 'does'} not hold; nothing was cleaned",
            err=True,
        )
        sys.exit(EXIT_USAGE)


def _setting(
    settings: dict[str, object],
    key: str,
    kinds: tuple[type, ...],
    expected: str,
    default: float,
    least: float | None = None,
    where: str = "[tool.cleanup]",
) -> float:
    """[tool.cleanup] key (a number or a bool), checked to be of kinds (and at least least);
    an error names where the settings came from."""
    if key not in settings:
        return default
    value = settings[key]
    ok = isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool))
    if ok and least is not None and isinstance(value, (int, float)) and value < least:
        ok = False
    if not ok or not isinstance(value, (int, float)):
        raise click.UsageError(f"{where} {key.replace('_', '-')}: expected {expected}, got {value!r}")
    return value


def _toml(value: object) -> str:
    """A value as TOML writes it (strings JSON-quoted: TOML's basic strings escape the same way)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _shown_config(
    pyproject: Path | None,
    config: Config,
    fmt: str,
    globs: tuple[str, ...],
    quiet: bool,
    jobs: int | None,
    page_timeout: float,
    encoding: str | None,
) -> str:
    """The settings in effect as a [tool.cleanup] table, flags and file merged."""
    source = f"# from {pyproject}, command-line flags on top" if pyproject else "# no configuration file"
    rows = {
        "only": list(config.only),
        "skip": list(config.skip),
        "convert": config.convert or "none",
        "rules-dirs": list(config.rules_dirs),
        "page-separator": config.page_separator,
        "ocr": config.ocr,
        "format": fmt,
        "glob": list(globs),
        "quiet": quiet,
        "jobs": min(jobs, available_cores()) if jobs is not None else available_cores(),
        "page-timeout": page_timeout,
    }
    lines = [source, "[tool.cleanup]", *(f"{k} = {_toml(v)}" for k, v in rows.items())]
    lines.append(f"# passes that run: {', '.join(config.enabled())}")
    if encoding:
        lines.append(f"# --encoding {encoding} (a flag only)")
    return "\n".join(lines)


def _output_folders(runnable: list[Job]) -> list[Path]:
    """The folders outputs are written in (an --in-place output's link target's too)."""
    folders: dict[Path, None] = {}
    for job in runnable:
        if job.output is not None:
            folders[job.output.parent] = None
            if job.output == Path(job.source):
                folders[Path(os.path.realpath(job.source)).parent] = None
    return [f for f in folders if f.is_dir()]


def _run_jobs(
    runnable: list[Job],
    config: Config,
    fmt: str,
    report: Report,
    explain: bool,
    dry: bool,
    show_diff: bool,
    to_stdout: bool,
    backup: bool,
    quiet: bool,
    jobs: int | None,
    page_timeout: float = 0,
    encoding: str | None = None,
    report_file: str | None = None,
) -> int:
    bar = None
    # --report: written whole at the end (a temporary file renamed), or not at all
    stack = contextlib.ExitStack()
    report_out: BinaryIO | None = None
    if not quiet and len(runnable) > 1 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(runnable), unit="file", file=sys.stderr, leave=False)
    try:
        if report_file is not None:
            report_out = stack.enter_context(atomic_writer(Path(report_file)))
        # outputs are written where the input is cleaned (in the workers),
        # so a big file's output never travels back whole
        clean_one = functools.partial(
            process,
            config=config,
            fmt=fmt,
            explain=explain or report_file is not None,
            keep_text=show_diff,
            output="none" if dry else "return" if to_stdout else "write",
            backup=backup,
            page_timeout=page_timeout,
            encoding=encoding,
        )
        results = run_all(runnable, clean_one, jobs)
        for res in results:
            report.add(res)
            if bar is not None:
                bar.update(1)
            if res.error is not None:
                hint = (
                    f" (please report it at {ISSUES_URL}; --debug shows the traceback)"
                    if res.internal
                    else ""
                )
                click.echo(f"cleanup: error: {res.error}{hint}", err=True)
                continue
            shown_name = res.job.name if res.job.source == "-" else res.job.source
            for r in res.replaced[:WARNINGS_PER_FILE]:
                click.echo(f"cleanup: warning: {shown_name}:{r.describe()}", err=True)
            if len(res.replaced) > WARNINGS_PER_FILE:
                more = len(res.replaced) - WARNINGS_PER_FILE
                click.echo(
                    f"cleanup: warning: {shown_name}: {more} more bytes replaced (--explain lists them)",
                    err=True,
                )
            if res.longest_page > LONG_PAGE and not quiet:
                click.echo(
                    f"cleanup: hint: {shown_name}: a page of {res.longest_page:,} characters "
                    f"(a newspaper page has some {TYPICAL_PAGE:,}); if it holds several pages, separate "
                    "them with form feeds or give --page-separator REGEX: each page is cleaned on its own",
                    err=True,
                )
            if explain:
                for c in res.explained:
                    click.echo(f"{shown_name}: {explain_line(c)}", err=True)
            if report_out is not None:
                for c in res.explained:
                    line = json.dumps({"file": shown_name, **c.as_dict()}, ensure_ascii=False)
                    report_out.write((line + "\n").encode("utf-8"))
            if show_diff and res.changed:
                click.echo(_diff(res), nl=False)
            if to_stdout and not dry:
                click.echo(res.rendered, nl=False)
    except KeyboardInterrupt as exc:
        # the workers are stopped (the generator's exit kills them) and what
        # they were writing removed before the message: nothing is written after it
        with contextlib.suppress(BaseException):
            results.close()
        with contextlib.suppress(BaseException):
            stack.__exit__(type(exc), exc, exc.__traceback__)  # no report: the run did not finish
        if not dry:
            for folder in _output_folders(runnable):
                fsguard.remove_stale(folder)
        if bar is not None:
            bar.close()
        click.echo("cleanup: interrupted; outputs written so far are complete, rerun with --resume", err=True)
        return 143 if isinstance(exc, Terminated) else 130
    except BaseException as exc:
        stack.__exit__(type(exc), exc, exc.__traceback__)
        raise
    try:
        stack.close()  # the report becomes FILE
    except OSError as exc:
        click.echo(f"cleanup: error: {report_file}: cannot write ({exc.strerror})", err=True)
        report.failed += 1
    if bar is not None:
        bar.close()
    if not quiet:
        click.echo(report.summary(), err=True)
    return report.exit_code


# Subcommands (`cleanup eval ...`) by name; the plain command cleans files.
SUBCOMMANDS: dict[str, click.Command] = {}


# The console script and ``python -m cleanup``: a click command whose
# ``main`` hands ``cleanup NAME ...`` to a registered subcommand.
main = clean


@click.command(name="eval", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("gold", type=click.Path(exists=True, file_okay=False))
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(gold: str, out: str, as_json: bool) -> None:
    """Score OUT (STEM.jsonl or STEM.txt per page) against GOLD (STEM.jsonl).

    Metrics as in conventions.md: order-aware CER, blocks verbatim, titles and
    subtitles exact in the right field, pairwise article F1.
    """
    from .evaluate import as_json as to_json
    from .evaluate import score_dir, table

    rows, tot = score_dir(Path(gold), Path(out))
    if not rows:
        raise click.UsageError(f"no *.jsonl gold pages in {gold}")
    click.echo(to_json(rows, tot) if as_json else table(rows, tot))


@click.command(name="synth", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out", type=click.Path(file_okay=False))
@click.option("-n", "--pages", default=50, show_default=True, help="Pages to generate.")
@click.option("--seed", default=0, show_default=True, help="Random seed (same seed, same pages).")
@click.option("--dialect", type=click.Choice(["hard_wrapped", "markdown", "space_joined", "long_paragraphs"]))
@click.option(
    "--articles",
    "article_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="JSONL files of clean articles (default: the samples' gold and bench/corpus).",
)
def synth_command(
    out: str, pages: int, seed: int, dialect: str | None, article_files: tuple[str, ...]
) -> None:
    """Generate damaged pages into OUT/raw and their gold into OUT/gold."""
    from .synth import default_pool, generate, load_articles, write_pages

    root = Path(__file__).resolve().parent.parent
    pool = load_articles([Path(p) for p in article_files]) if article_files else default_pool(root)
    if not pool:
        raise click.UsageError("no clean articles to render (give --articles FILE.jsonl)")
    made = generate(pool, pages, seed, dialect)
    write_pages(made, Path(out) / "raw", Path(out) / "gold")
    click.echo(f"cleanup: {len(made)} pages written to {out}/raw, gold to {out}/gold", err=True)


SUBCOMMANDS.update({"eval": eval_command, "synth": synth_command})


@click.command(name="ray", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("patterns", nargs=-1, required=True)
@click.option(
    "-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder."
)
@click.option("--skip", default=None, metavar="PASS,...", help="Do not run these passes.")
@click.option("--address", default=None, help="Ray cluster address (default: start Ray locally).")
def ray_command(patterns: tuple[str, ...], out_dir: str, skip: str | None, address: str | None) -> None:
    """Clean text files matching PATTERNS (globs) on Ray; write OUT/<name>.jsonl.

    Needs the optional extra: pip install 'cleanup[ray]'.
    """
    import glob

    from .integrations import ray as ray_integration

    paths = sorted({p for pat in patterns for p in glob.glob(pat, recursive=True) if Path(p).is_file()})
    if not paths:
        raise click.UsageError(f"no files match {' '.join(patterns)}")
    try:
        if address:
            ray_integration._ray().init(address=address, ignore_reinit_error=True)
        counts = ray_integration.clean_files(paths, out_dir, **({"skip": skip} if skip else {}))
    except CleanupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"cleanup ray: {counts['cleaned']} cleaned, {counts['failed']} failed -> {out_dir}", err=True)
    sys.exit(EXIT_USAGE if counts["failed"] else EXIT_OK)


SUBCOMMANDS["ray"] = ray_command


@click.command(name="review", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "-o",
    "--output",
    "out_file",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    metavar="FILE.html",
    help="Write the review page here [default: standard output].",
)
@_GLOB
@_ONLY
@_SKIP
@_CONVERT
@_RULES
@_ENCODING
@_NO_CONFIG
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
def review_command(
    paths: tuple[str, ...],
    out_file: str | None,
    pattern: tuple[str, ...],
    only: str | None,
    skip: str | None,
    convert: str | None,
    rules: tuple[str, ...],
    encoding: str | None,
    no_config: bool,
    quiet: bool,
) -> None:
    """Write one self-contained HTML page showing, for each input page, the
    raw text and the cleaned articles side by side with every change marked.

    PATHS are files, folders (every *.txt inside) or - for standard input,
    as for cleanup itself. Nothing else is written.
    """
    from .review import build_review, html_bytes, read_review_pages

    paths = _piped(paths)
    if paths.count("-") > 1:
        raise click.UsageError("standard input can be given once")
    encoding = _codec_name(encoding)
    pyproject = None if no_config else find_pyproject(inputs_base(paths))
    try:
        settings = from_pyproject(pyproject) if pyproject else {}
        where = f"{pyproject}: [tool.cleanup]" if pyproject else None
        # (every change is shown where it happened: exactly placed in the input)
        config = replace(_config_from(only, skip, convert, rules, settings, where), exact_positions=True)
    except CleanupError as exc:
        raise click.UsageError(str(exc)) from None
    globs = pattern or _globs(settings.get("glob", "*.txt"))
    job_list, errors = plan_jobs(paths, None, "text", globs, False)
    out = None if out_file in (None, "-") else Path(str(out_file))
    if out is not None and output_conflicts([(j.source, None) for j in job_list] + [("-", out)], False):
        click.echo(f"cleanup: error: {out}: is an input of this run; review never writes over one", err=True)
        sys.exit(EXIT_USAGE)
    pages = []
    internal = False
    for job in job_list:
        try:
            pages.extend(read_review_pages(job, config, encoding))
        except CleanupError as exc:
            errors.append(str(exc))
        except Exception as exc:  # (as the main command reports one: the file, and where to report it)
            errors.append(f"{job.source}: internal error: {type(exc).__name__}: {exc}")
            errors.append(f"please report it at {ISSUES_URL}")
            internal = True
    for msg in errors:
        click.echo(f"cleanup: error: {msg}", err=True)
    if not pages:
        click.echo("cleanup: error: no page to review; nothing was written", err=True)
        sys.exit(EXIT_INTERNAL if internal else EXIT_USAGE)
    document = build_review(pages, errors)
    if out is None:
        click.echo(document, nl=False)
    else:
        try:
            with atomic_writer(out) as fh:
                fh.write(html_bytes(document))
        except OSError as exc:
            click.echo(f"cleanup: error: {out}: cannot write ({exc.strerror})", err=True)
            sys.exit(EXIT_USAGE)
    if not quiet:
        shown_out = out if out is not None else "standard output"
        click.echo(f"cleanup review: {len(pages)} page{'s' * (len(pages) != 1)} -> {shown_out}", err=True)
    sys.exit(EXIT_INTERNAL if internal else EXIT_USAGE if errors else EXIT_OK)


SUBCOMMANDS["review"] = review_command
