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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

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
            if p.name not in files:
                continue  # not a file cleanup reads (unknown_rule_files names them)
            try:
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RuleError(f"{p}: cannot read rule file ({exc})") from None
            user = parse_rule_file(str(p), text)
            if user.columns and user.columns != files[p.name].columns[: len(user.columns)]:
                raise RuleError(f"{p}: columns {user.columns} differ from the shipped file")
            files[p.name] = _merge(files[p.name], user)
    return files


def unknown_rule_files(extra_dirs: tuple[str, ...]) -> list[Path]:
    """Files in user rule folders that look like rule files (.tsv, .txt) but
    have no shipped file's name, so no pass reads them (``byline.tsv`` for
    ``bylines.tsv``)."""
    known = shipped_files()
    return [
        p
        for d in extra_dirs
        if Path(d).is_dir()
        for p in sorted(Path(d).iterdir())
        if p.suffix in (".tsv", ".txt") and p.name not in known
    ]


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
    rubrics: frozenset[str]  # standing column names: kickers, never bylines
    surnames: frozenset[str]  # a name alone on a line between headline and body is a byline
    confusions: dict[str, tuple[str, ...]]  # wrong char -> candidate right chars
    byline: regex.Pattern[str]
    credit: regex.Pattern[str]
    jump: regex.Pattern[str]
    lead: regex.Pattern[str]
    byline_or_jump: regex.Pattern[str]  # both in one search (every short line is asked)

    @functools.cached_property
    def lookalikes(self) -> dict[str, str]:
        """Character as read -> the characters it may stand for (OCR): the
        pairs counted on the OCR corpus (``ocr_pairs.tsv``, commonest first),
        the classic pairs (``ocr_classic.tsv``), then those from shape data
        (``ocr_lookalikes.tsv``). Built on first use: only OCR pages ask."""
        table: dict[str, str] = {}
        for name, key, alts in self._OCR_FILES:
            rf = self.files.get(name)
            for e in rf.entries if rf else ():
                have = table.get(e[key], "")
                table[e[key]] = have + "".join(dict.fromkeys(c for c in e[alts] if c not in have))
        return table

    @functools.cached_property
    def ocr_seen(self) -> frozenset[tuple[str, str]]:
        """(read, right) pairs known as OCR misreadings: those the OCR corpus
        showed (``ocr_pairs.tsv``) and the classic ones (``ocr_classic.tsv``)."""
        return frozenset(
            (e[key], c)
            for name, key, alts in self._OCR_FILES[:2]
            for e in (self.files[name].entries if name in self.files else ())
            for c in e[alts]
        )

    # the OCR look-alike files, known misreadings first: (file, key, candidates)
    _OCR_FILES = (
        ("ocr_pairs.tsv", "read", "gold"),
        ("ocr_classic.tsv", "char", "lookalikes"),
        ("ocr_lookalikes.tsv", "char", "lookalikes"),
    )


def _alternation(entries: Iterable[Entry], flags: int = 0) -> regex.Pattern[str]:
    """One pattern matching where any of the entries' patterns does."""
    parts = []
    for e in entries:
        try:
            regex.compile(e["pattern"])
        except regex.error as exc:
            raise RuleError(f"{e.origin}: bad pattern ({exc})") from None
        risky = repeated_repetition(e["pattern"])
        if risky:
            raise RuleError(
                f"{e.origin}: pattern repeats {risky!r}, which can match the same text in several ways "
                "(matching could take exponential time); make the group atomic (?>...) or its "
                "quantifier possessive (++, *+) if that is meant"
            )
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
        rubrics=frozenset(e["rubric"] for e in get("rubrics.tsv").entries),
        surnames=frozenset(e["surname"] for e in get("surnames.tsv").entries),
        confusions={k: tuple(v) for k, v in confusions.items()},
        byline=_alternation(get("bylines.tsv").entries),
        credit=_alternation(get("credits.tsv").entries, regex.REVERSE),
        jump=_alternation(get("jumps.tsv").entries),
        lead=_alternation(get("leads.tsv").entries),
        byline_or_jump=_alternation(get("bylines.tsv").entries + get("jumps.tsv").entries),
    )


# --- patterns that can take exponential time -----------------------------------

# Characters as code point intervals, or None where the scan cannot tell
# (``\d``, ``\w``, ``.``, a negated class): None may overlap anything.
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}


class _Atom(NamedTuple):
    firsts: frozenset[tuple[int, int]] | None  # what it can start with
    chars: frozenset[tuple[int, int]] | None  # every character it can match
    ambiguous: bool  # it can match one text in several ways
    empty: bool  # it can match the empty string
    fixed: bool  # it matches a fixed number of characters, one at least


def _union(
    a: frozenset[tuple[int, int]] | None, b: frozenset[tuple[int, int]] | None
) -> frozenset[tuple[int, int]] | None:
    return None if a is None or b is None else a | b


def _overlap(a: frozenset[tuple[int, int]] | None, b: frozenset[tuple[int, int]] | None) -> bool:
    return a is None or b is None or any(x <= v and u <= y for x, y in a for u, v in b)


def _one(c: str) -> frozenset[tuple[int, int]]:
    return frozenset({(ord(c), ord(c))})


_NOTHING: frozenset[tuple[int, int]] = frozenset()
# what \s matches (str.isspace)
_WHITE = frozenset(
    (ord(a), ord(b))
    for a, b in ("\t\r", "\x1c ", "\x85\x85", "\xa0\xa0", "\u1680\u1680", "\u2000\u200a", "\u2028\u2029")
)
_WHITE |= {(0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)}


class _Scan:
    """A reader of a regular expression that sees enough of its atoms, groups
    and quantifiers to find a repeated repetition (not a full parser: what it
    cannot read it takes as possibly overlapping anything)."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.found: str | None = None

    def quantifier(self) -> tuple[int, int | None, bool] | None:
        """(least, most or None for no bound, possessive) of the quantifier at i."""
        p, i = self.p, self.i
        c = p[i : i + 1]
        if c in ("*", "+", "?"):
            least, most, j = (0 if c != "+" else 1), (None if c != "?" else 1), i + 1
        elif c == "{" and (m := _BRACES.match(p, i)):
            least = int(m.group(1) or 0)
            most = (int(m.group(3)) if m.group(3) else None) if m.group(2) else least
            j = m.end()
        else:
            return None
        possessive = p[j : j + 1] == "+"
        if p[j : j + 1] in ("?", "+"):
            j += 1
        self.i = j
        return least, most, possessive

    def atom(self) -> _Atom:
        p = self.p
        c = p[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            chars = self.char_class()
            return _Atom(chars, chars, False, False, True)
        self.i += 1
        if c == "\\":
            e = p[self.i : self.i + 1]
            self.i += 1
            if e in ("p", "P", "N", "x", "u", "U", "g", "k") and p[self.i : self.i + 1] in ("{", "<"):
                close = p.find("}" if p[self.i] == "{" else ">", self.i)
                self.i = close + 1 if close >= 0 else len(p)
                return _Atom(None, None, False, False, True)
            if e in ("b", "B", "A", "Z", "z", "G", "m", "M"):
                return _Atom(_NOTHING, _NOTHING, False, True, False)  # an anchor matches no character
            if e in _ESCAPED:
                return _Atom(_one(_ESCAPED[e]), _one(_ESCAPED[e]), False, False, True)
            if e == "s":
                return _Atom(_WHITE, _WHITE, False, False, True)
            if e.isalnum() or not e:
                return _Atom(None, None, False, False, True)  # a class (\d, \s, \w...) or a code
            return _Atom(_one(e), _one(e), False, False, True)
        if c in "^$":
            return _Atom(_NOTHING, _NOTHING, False, True, False)
        if c == ".":
            return _Atom(None, None, False, False, True)
        return _Atom(_one(c), _one(c), False, False, True)

    def char_class(self) -> frozenset[tuple[int, int]] | None:
        p, i = self.p, self.i + 1
        negated = p[i : i + 1] == "^"
        i += negated
        chars: set[tuple[int, int]] | None = set()
        if p[i : i + 1] == "]":
            chars = {(ord("]"), ord("]"))}
            i += 1
        depth = 1
        while i < len(p):
            c = p[i]
            if c == "\\":
                e = p[i + 1 : i + 2]
                if chars is not None and e and not e.isalnum():
                    chars.add((ord(e), ord(e)))
                elif chars is not None and e in _ESCAPED:
                    chars.add((ord(_ESCAPED[e]),) * 2)
                else:
                    chars = None  # \d, \p{...} and the like: not read
                i += 2
                continue
            if c == "[":
                depth += 1
                chars = None  # a nested set
            elif c == "]":
                depth -= 1
                if not depth:
                    break
            elif chars is not None:
                if p[i + 1 : i + 2] == "-" and p[i + 2 : i + 3] not in ("]", "", "\\", "["):
                    chars.add((ord(c), ord(p[i + 2])))
                    i += 2
                else:
                    chars.add((ord(c), ord(c)))
            i += 1
        self.i = i + 1
        return None if negated or chars is None else frozenset(chars)

    def group(self) -> _Atom:
        p = self.p
        self.i += 1
        head = ""
        if p[self.i : self.i + 1] == "?":
            m = _GROUP_HEAD.match(p, self.i)
            head = m.group() if m else "?"
            self.i += len(head)
            if head.endswith(")"):  # inline flags or a comment: no content
                return _Atom(_NOTHING, _NOTHING, False, True, False)
        inner = self.alternation()
        if p[self.i : self.i + 1] == ")":
            self.i += 1
        if head in ("?=", "?!", "?<=", "?<!"):
            return _Atom(_NOTHING, _NOTHING, False, True, False)  # a lookaround consumes nothing
        if head == "?>":
            return inner._replace(ambiguous=False)  # atomic: never backtracked into
        return inner

    def alternation(self) -> _Atom:
        """Branches up to the closing parenthesis or the end."""
        branches = [self.sequence()]
        while self.p[self.i : self.i + 1] == "|":
            self.i += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        ambiguous = any(b.ambiguous or b.empty for b in branches)
        firsts: frozenset[tuple[int, int]] | None = _NOTHING
        chars: frozenset[tuple[int, int]] | None = _NOTHING
        for b in branches:
            if _overlap(firsts, b.firsts):
                ambiguous = True  # two branches may match the same text
            firsts, chars = _union(firsts, b.firsts), _union(chars, b.chars)
        return _Atom(firsts, chars, ambiguous, any(b.empty for b in branches), False)

    def sequence(self) -> _Atom:
        """Atoms up to ``|`` or ``)``; a repeated group is checked here."""
        p = self.p
        firsts: frozenset[tuple[int, int]] | None = _NOTHING
        chars: frozenset[tuple[int, int]] | None = _NOTHING
        ambiguous, empty = False, True  # empty: every atom so far can match nothing
        fixed_parts: list[frozenset[tuple[int, int]] | None] = []  # atoms matched exactly once
        variable_parts: list[frozenset[tuple[int, int]] | None] = []
        while self.i < len(p) and p[self.i] not in "|)":
            start = self.i
            a = self.atom()
            q = self.quantifier()
            if q is not None:
                least, most, possessive = q
                if most is None and not possessive and (a.ambiguous or a.empty) and self.found is None:
                    self.found = p[start : self.i]
                variable = most != least
                a = a._replace(
                    ambiguous=a.ambiguous or variable,
                    empty=a.empty or least == 0,
                    fixed=a.fixed and not variable and least > 0,
                )
            if a.fixed and not a.ambiguous:
                fixed_parts.append(a.chars)
            elif a.ambiguous or not a.fixed:
                variable_parts.append(a.chars)
            if empty:
                firsts = _union(firsts, a.firsts)
            chars = _union(chars, a.chars)
            ambiguous = ambiguous or a.ambiguous
            empty = empty and a.empty
        # a sequence with a delimiter (a character class matched exactly once
        # that no variable part can match: -[a-z]+, \r?\n) splits one way
        # into repeats of itself: repeated, it is not ambiguous
        if (
            ambiguous
            and not empty
            and any(d is not None and not any(_overlap(d, v) for v in variable_parts) for d in fixed_parts)
        ):
            ambiguous = False
        return _Atom(firsts, chars, ambiguous, empty, False)


_BRACES = re.compile(r"\{(\d*)(,?)(\d*)\}")
_GROUP_HEAD = re.compile(r"\?(?:[:>|=!]|<=|<!|P?<[A-Za-z_]\w*>|P=[A-Za-z_]\w*\)|#[^)]*\)|[a-zA-Z-]+[:)])")


def repeated_repetition(pattern: str) -> str | None:
    """The part of pattern that repeats without bound something that can
    match one text in several ways or match nothing (``(a+)+``, ``(a*)*``,
    ``(a|a)*``, ``(a|ab)+``, ``(x?)+``), or None.

    On a text it almost matches, such a pattern makes the backtracking
    engine try a number of ways exponential in the text's length. The test
    is conservative: a repeated group counts when it holds a variable
    quantifier or two branches that may start with the same character,
    unless it holds a delimiter that its variable parts cannot match
    (``(?:-[a-z]+)*``). Written atomic ``(?>…)`` or with a possessive
    quantifier (``++``, ``*+``) a group is never backtracked into and passes.
    """
    scan = _Scan(pattern)
    while scan.i < len(pattern):
        scan.alternation()
        scan.i += 1  # past a stray ')'
    return scan.found
