"""Patterns from users (rule files, the page separator) that could take
exponential time, or match nothing, are refused with a one-line message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleanup import Config, clean_page
from cleanup.config import make_config
from cleanup.errors import ConfigError, RuleError
from cleanup.rules import load_rule_files, load_rules, repeated_repetition


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+",
        "(a*)*",
        "(a|a)*",
        "c(a+)+",
        "(a|ab)+",
        "(x?)+",
        "^(a+)*b",
        "(?:a|\\d)+",
        "(.*a){2,}",
        "((ab)*)+",
        "(a|)+",
        "(\\w+\\s?)+$",
        "(?:\\n\\s*){2,}",  # \s matches \n too
    ],
)
def test_a_repeated_repetition_is_found(pattern: str) -> None:
    assert repeated_repetition(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "a+",
        "(ab)+",
        "(a|b)+",
        "(?>a+)+",  # atomic
        "(a+)++",  # possessive
        "(?:\\s*[\\p{Han}·]{2,4}){1,6}",  # a bounded repeat
        "(?:[记記]者|通[讯訊][员員])+",
        "[a-z]+(?:-[a-z]+)*",  # a delimiter its variable part cannot match
        "(?:\\r?\\n){2,}",
        "(\\s*x)+",
        "(?P<jump>x)+",
        "\\f",
    ],
)
def test_a_safe_pattern_passes(pattern: str) -> None:
    assert repeated_repetition(pattern) is None


def test_every_shipped_pattern_passes() -> None:
    for f in load_rule_files().values():
        for e in f.entries:
            assert repeated_repetition(e["pattern"]) is None, e.origin


def test_a_user_rule_with_a_repeated_repetition_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "credits.tsv").write_text(
        "#pass: assemble_articles\n#: pattern\texample\n# a comment\nc(a+)+\n", encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"credits\.tsv:4: pattern repeats '\(a\+\)\+'"):
        load_rules((str(tmp_path),))


def test_the_command_line_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "credits.tsv").write_text(
        "#pass: assemble_articles\n#: pattern\texample\nc(a+)+\n", encoding="utf-8"
    )
    (tmp_path / "in.txt").write_text("中文", encoding="utf-8")
    for extra in (["--rules", str(tmp_path / "rules")], ["--page-separator", "(a+)+$"]):
        proc = subprocess.run(
            [sys.executable, "-m", "cleanup", *extra, str(tmp_path / "in.txt")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2, proc.stderr
        errors = [x for x in proc.stderr.splitlines() if "repeats" in x]
        assert len(errors) == 1 and "(a+)+" in errors[0]


@pytest.mark.parametrize("value", [None, 3, b"\f"])
def test_a_page_separator_that_is_not_a_string_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="must be a string"):
        make_config({"page_separator": value})
    with pytest.raises(TypeError):
        Config(page_separator=value).validate()  # type: ignore[arg-type]


@pytest.mark.parametrize("pattern", ["x*", "\\f|", "(?=\\f)", "\\b", "$"])
def test_a_page_separator_matching_nothing_is_refused(pattern: str) -> None:
    with pytest.raises(ConfigError, match="matches the empty string"):
        clean_page("中文", page_separator=pattern)


def test_a_page_separator_with_a_repeated_repetition_is_refused() -> None:
    with pytest.raises(ConfigError, match="repeats"):
        clean_page("中文", page_separator="(a+)+$")


def test_good_page_separators_still_split() -> None:
    page = clean_page("标题一\n\n正文一。\n----\n标题二\n\n正文二。", page_separator=r"\n-{4}\n")
    assert [a.title for a in page.articles] == ["标题一", "标题二"]
