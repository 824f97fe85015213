"""Load the rule files of ``rules/`` (shipped) and of user rule folders.

A rule file is UTF-8 text. Lines starting with ``#`` are comments; the
header names the columns (``#: from<TAB>to<TAB>example``) and the pass that
uses the file (``#pass: repair_dashes``). Every other non-blank line is one
entry, fields separated by tabs. An ``example`` field reads
``input => expected`` and is run by the test suite through the file's pass.

User folders given with ``--rules DIR`` (or ``rules_dirs=``) may hold files
of the same names: their entries are added after the shipped ones, and an
entry whose key (first field) is already present replaces it. Rules are
loaded once per set of folders and cached.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import regex

from .errors import RuleError


@dataclass(frozen=True)
class Entry:
    """One row of a rule file."""

    fields: dict[str, str]
    origin: str  # "file:line", for error messages and provenance

    def __getitem__(self, key: str) -> str:
        return self.fields.get(key, "")


@dataclass(frozen=True)
class RuleFile:
    name: str
    columns: tuple[str, ...]
    pass_name: str
    entries: tuple[Entry, ...]

    def examples(self) -> Iterator[tuple[str, str, str]]:
        """(input, expected, origin) for every entry that carries an example."""
        for e in self.entries:
            ex = e["example"]
            if ex:
                if "=>" not in ex:
                    raise RuleError(f"{e.origin}: example must read 'input => expected'")
                given, expected = (s.strip() for s in ex.split("=>", 1))
                yield given, expected, e.origin


def parse_rule_file(name: str, text: str) -> RuleFile:
    columns: tuple[str, ...] = ()
    pass_name = ""
    entries: list[Entry] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if line.startswith("#:"):
            columns = tuple(c.strip() for c in line[2:].split("\t"))
            continue
        if line.startswith("#pass:"):
            pass_name = line[6:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        if not columns:
            raise RuleError(f"{name}:{lineno}: entry before the '#:' column header")
        values = line.split("\t")
        if len(values) > len(columns):
            raise RuleError(f"{name}:{lineno}: {len(values)} fields, header names {len(columns)}")
        fields = dict(zip(columns, (v.strip() for v in values)))
        entries.append(Entry(fields, f"{name}:{lineno}"))
    return RuleFile(name, columns, pass_name, tuple(entries))


def _merge(base: RuleFile, extra: RuleFile) -> RuleFile:
    key = base.columns[0] if base.columns else ""
    by_key = {e[key]: e for e in base.entries}
    order = list(by_key)
    for e in extra.entries:
        if e[key] not in by_key:
            order.append(e[key])
        by_key[e[key]] = e
    return RuleFile(base.name, base.columns, base.pass_name, tuple(by_key[k] for k in order))


def shipped_files() -> dict[str, str]:
    """Name -> text of every rule file shipped with the package."""
    root = resources.files("cleanup.ruledata")
    return {
        p.name: p.read_text(encoding="utf-8") for p in root.iterdir() if p.name.endswith((".tsv", ".txt"))
    }


@functools.lru_cache(maxsize=16)
def load_rule_files(extra_dirs: tuple[str, ...] = ()) -> dict[str, RuleFile]:
    files = {name: parse_rule_file(name, text) for name, text in shipped_files().items()}
    for d in extra_dirs:
        folder = Path(d)
        if not folder.is_dir():
            raise RuleError(f"{d}: rules folder not found")
        for p in sorted(folder.iterdir()):
            if not p.name.endswith((".tsv", ".txt")):
                continue
            try:
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RuleError(f"{p}: cannot read rule file ({exc})") from None
            user = parse_rule_file(str(p), text)
            if p.name in files:
                if user.columns and user.columns != files[p.name].columns[: len(user.columns)]:
                    raise RuleError(f"{p}: columns {user.columns} differ from the shipped file")
                files[p.name] = _merge(files[p.name], user)
            else:
                files[p.name] = user
    return files


@dataclass(frozen=True, eq=False)
class Rules:
    """Every rule table the passes use, prepared once.

    Hashed by identity (rules are loaded once per set of folders and cached),
    so the line classifiers can memoise on ``(line, rules)``.
    """

    files: dict[str, RuleFile]
    punctuation: dict[str, str]
    dash_glyphs: tuple[str, ...]
    dash_openers: tuple[str, ...]  # words after a subtitle's dash (——记…)
    confusions: dict[str, tuple[str, ...]]  # wrong char -> candidate right chars
    byline: regex.Pattern[str]
    credit: regex.Pattern[str]
    jump: regex.Pattern[str]
    lead: regex.Pattern[str]
    byline_or_jump: regex.Pattern[str]  # both in one search (every short line is asked)


def _alternation(entries: Iterable[Entry], flags: int = 0) -> regex.Pattern[str]:
    """One pattern matching where any of the entries' patterns does."""
    parts = []
    for e in entries:
        try:
            regex.compile(e["pattern"])
        except regex.error as exc:
            raise RuleError(f"{e.origin}: bad pattern ({exc})") from None
        parts.append(f"(?:{e['pattern']})")
    return regex.compile("|".join(parts) if parts else r"(?!)", flags)


@functools.lru_cache(maxsize=16)
def load_rules(extra_dirs: tuple[str, ...] = ()) -> Rules:
    files = load_rule_files(extra_dirs)

    def get(name: str) -> RuleFile:
        if name not in files:
            raise RuleError(f"rule file {name} is missing from the package")
        return files[name]

    confusions: dict[str, list[str]] = {}
    for e in get("confusions.tsv").entries:
        confusions.setdefault(e["wrong"], []).append(e["right"])
    return Rules(
        files=files,
        punctuation={e["ascii"]: e["fullwidth"] for e in get("punctuation.tsv").entries},
        dash_glyphs=tuple(sorted((e["glyphs"] for e in get("dashes.tsv").entries), key=len, reverse=True)),
        dash_openers=tuple(e["opener"] for e in get("dash_openers.tsv").entries),
        confusions={k: tuple(v) for k, v in confusions.items()},
        byline=_alternation(get("bylines.tsv").entries),
        credit=_alternation(get("credits.tsv").entries, regex.REVERSE),
        jump=_alternation(get("jumps.tsv").entries),
        lead=_alternation(get("leads.tsv").entries),
        byline_or_jump=_alternation(get("bylines.tsv").entries + get("jumps.tsv").entries),
    )
