"""Immutable run configuration, from keywords or ``[tool.cleanup]``.

The config names passes exactly as the registry does: ``only`` and ``skip``
take pass names, and every unknown name is an error rather than a silent
no-op. Flags given on the command line win over ``pyproject.toml``.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError, ConfigTypeError
from .registry import PASSES, pass_names
from .rules import repeated_repetition

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONVERSIONS = ("s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "t2hk")


@dataclass(frozen=True)
class Config:
    """Which passes run and with which options. Never mutated: use ``replace``."""

    only: tuple[str, ...] = ()  # run just these passes (empty: the defaults)
    skip: tuple[str, ...] = ()  # passes not to run
    convert: str | None = None  # OpenCC conversion for convert_script, off by default
    rules_dirs: tuple[str, ...] = ()  # user rule folders, on top of the shipped rules
    page_separator: str = "\f"  # regex between pages of one input; each page is cleaned alone
    ocr: bool = False  # run the OCR passes on every page, not only where the page looks like OCR output
    # every change's input line and column worked out exactly (cleanup/positions.py);
    # off by default: it costs memory and time that counting changes does not need
    exact_positions: bool = False

    def __post_init__(self) -> None:
        # any iterable of names is accepted and kept as a tuple (hashable, and
        # never a string iterated character by character)
        for name in ("only", "skip", "rules_dirs"):
            object.__setattr__(self, name, _name_tuple(getattr(self, name), name))

    def enabled(self) -> tuple[str, ...]:
        """Names of the passes that run, in registry order."""
        return _enabled(self.only, self.skip, bool(self.convert))

    def validate(self) -> Config:
        self.enabled()
        _check_page_separator(self.page_separator)
        if self.convert is not None and self.convert not in CONVERSIONS:
            raise ConfigError(f"unknown conversion {self.convert!r}; one of {', '.join(CONVERSIONS)}")
        return self


# Texts a separator is tried on for an empty match (one would cut the page
# between every two characters).
_EMPTY_PROBES = ("", "a", "中", " ", "\n", "\n\n", "\f", "\r\n", "a\n\nb", "中\f文")


def _check_page_separator(pattern: object) -> None:
    if not isinstance(pattern, str):
        raise ConfigTypeError(f"the page separator must be a string (a regex), not {type(pattern).__name__}")
    if not pattern:
        raise ConfigError("the page separator cannot be empty")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"page separator {pattern!r} is not a regex ({exc})") from None
    if any(m.start() == m.end() for probe in _EMPTY_PROBES for m in compiled.finditer(probe)):
        raise ConfigError(f"page separator {pattern!r} matches the empty string: it must match some text")
    risky = repeated_repetition(pattern)
    if risky:
        raise ConfigError(
            f"page separator {pattern!r} repeats {risky!r}, which can match the same text in several "
            "ways (matching could take exponential time)"
        )


@functools.lru_cache(maxsize=64)
def _enabled(only: tuple[str, ...], skip: tuple[str, ...], convert: bool) -> tuple[str, ...]:
    # memoised: every page asks (the registry is fixed at import)
    known = set(pass_names())
    for name in (*only, *skip):
        if name not in known:
            raise ConfigError(f"unknown pass {name!r} (see --list-passes)")
    chosen = []
    for p in PASSES:
        on = p.name in only if only else p.default
        if p.name == "convert_script" and convert and not only:
            on = True
        if on and p.name not in skip:
            chosen.append(p.name)
    return tuple(chosen)


def _name_tuple(value: object, key: str) -> tuple[str, ...]:
    """The names of an only/skip/rules_dirs field as a tuple; a bare string
    or anything but an iterable of names is a TypeError naming the field."""
    what = "folder" if key == "rules_dirs" else "pass name"
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{key}= takes an iterable of {what}s, not a single string: write {key}=({value!r},)")
    if not isinstance(value, Iterable):
        raise TypeError(f"{key}= takes an iterable of {what}s, not {type(value).__name__}")
    names = tuple(value)
    for v in names:
        ok = isinstance(v, str) or (key == "rules_dirs" and isinstance(v, os.PathLike))
        if not ok:
            raise TypeError(f"{key}=: {v!r} is not a {what} (a str)")
    return tuple(os.fspath(v) for v in names) if key == "rules_dirs" else names


def _as_names(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    raise ConfigError(f"{key}: expected a list of pass names")


def make_config(options: Mapping[str, object] | None = None, base: Config | None = None) -> Config:
    """Config from keyword options (``only``, ``skip``, ``convert``, ``rules_dirs``,
    ``page_separator``, ``ocr``, ``exact_positions``)."""
    cfg = base or Config()
    if not options:
        return cfg.validate()
    known = {f.name for f in fields(Config)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigError(f"unknown option(s): {', '.join(unknown)}")
    changes: dict[str, object] = {}
    for key, value in options.items():
        if key in ("only", "skip"):  # also "a,b" as on the command line
            changes[key] = _as_names(value, key)
        elif key == "rules_dirs":  # folder names may hold commas: never split
            changes[key] = () if value is None else value
        elif key == "convert":
            changes[key] = None if value in (None, "", "none") else str(value)
        elif key == "page_separator":
            changes[key] = value  # checked by validate: a string, a regex that matches some text
        elif key == "ocr":
            if not isinstance(value, bool):
                raise ConfigTypeError(f"ocr: expected true or false, got {value!r}")
            changes[key] = value
        elif key == "exact_positions":
            if not isinstance(value, bool):
                raise ConfigTypeError(f"exact_positions must be true or false, not {value!r}")
            changes[key] = value
    return replace(cfg, **changes).validate()  # type: ignore[arg-type]  # keys checked above


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above start that configures cleanup.

    A pyproject.toml without a ``[tool.cleanup]`` table is passed over (a
    repository's own one does not hide a data folder's), as ruff does; one
    that cannot be read is returned, so that reading it names the problem.
    """
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _configures_cleanup(candidate):
            return candidate
    return None


def _configures_cleanup(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "cleanup" in tool


def inputs_base(paths: Iterable[str]) -> Path:
    """Where the configuration of these inputs is looked up from: the
    folder that holds them all (as black and ruff look it up), or the
    working directory for standard input alone."""
    folders = []
    for p in paths:
        if p == "-":
            continue
        path = Path(p).resolve()
        folders.append(str(path if path.is_dir() else path.parent))
    if not folders:
        return Path.cwd()
    return Path(os.path.commonpath(folders))


def from_pyproject(path: Path) -> dict[str, object]:
    """The ``[tool.cleanup]`` table of a pyproject.toml, keys with dashes allowed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    table = data.get("tool", {}).get("cleanup", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cleanup] must be a table")
    out = {k.replace("-", "_"): v for k, v in table.items()}
    if "rules_dirs" in out:  # relative folders are relative to the pyproject
        out["rules_dirs"] = tuple(
            str((path.parent / d).resolve()) for d in _as_names(out["rules_dirs"], "rules_dirs")
        )
    # CLI-only keys (format, glob, ...) may live here too; the CLI picks them.
    return out
