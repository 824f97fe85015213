"""Inputs that used to take time quadratic in their size: the passes must
still give the right answer on them (timing lives in bench/adversarial.py;
the test suite runs its quick version, tests/test_benchmarks.py).

Each case is an input of a few thousand characters of what made a pass
quadratic, with what the pass must make of it.
"""

from __future__ import annotations

import pytest

from cleanup import clean_page
from cleanup.linekinds import credit_parens, display_width, printed_lines, within
from cleanup.model import Block
from cleanup.passes.base import default_context
from cleanup.passes.characters import normalize_characters
from cleanup.passes.dashes import repair_dashes
from cleanup.passes.duplicates import drop_duplicate_blocks
from cleanup.passes.order import _split_widths
from cleanup.passes.punctuation import widen_punctuation
from cleanup.passes.spaces import remove_artifact_spaces

N = 3000


@pytest.mark.parametrize(
    "given, expected",
    [
        ("?" * N, "?" * N),  # no Chinese text: nothing to widen
        ("(" * N, "(" * N),
        ("中" + "?" * N, "中" + "？" * N),  # a run is one unit
        ("?" * N + "中", "？" * N + "中"),
        ("中" + " " * N + "?", "中" + " " * N + "？"),  # Chinese past a long run of spaces
        ("中" + "a" * N + "@", "中" + "a" * N + "@"),  # a long word before an @
        ("中，a@b.c-x@y.z,中", "中，a@b.c-x@y.z，中"),  # addresses back to back stay protected
    ],
)
def test_widen_punctuation_on_long_runs(given: str, expected: str) -> None:
    assert widen_punctuation(given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        ("a" + " " * N + "b", "a b"),
        ("中" + " " * N + "文", "中文"),
        ("（记者 张三） 中 " * (N // 10), "（记者 张三）中" * (N // 10)),  # every credit keeps its space
        ("（" + "记者" * N + " 中 文 字 好", "（" + "记者" * N + "中文字好"),  # never closed: no credit
    ],
)
def test_remove_artifact_spaces_on_long_lines(given: str, expected: str) -> None:
    assert remove_artifact_spaces(given) == expected


def test_credit_parens_are_innermost_pairs_naming_a_role() -> None:
    line = "（（记者 张三）（图）（通讯员 李四 摄）（记者"
    assert [line[a:b] for a, b in credit_parens(line)] == ["（记者 张三）", "（通讯员 李四 摄）"]


def test_within_is_any_open_span() -> None:
    spans = [(0, 5), (2, 3), (8, 12), (9, 10)]
    inside = within(spans)
    assert [i for i in range(14) if inside(i)] == [i for i in range(14) if any(a < i < b for a, b in spans)]


def test_printed_lines_keep_credit_spaces_among_many_credits() -> None:
    line = "（记者 张三） 中 " * 200
    assert printed_lines(line) == ["（记者 张三）", "中"] * 200


def test_split_widths_are_display_widths() -> None:
    seg = " 中文 ab\u3000c d中 "
    head, tail = _split_widths(seg)
    for i in range(1, len(seg)):
        assert head(i) == display_width(seg[:i]) and tail(i) == display_width(seg[i:])


def test_repair_dashes_on_many_glyphs() -> None:
    assert repair_dashes("中--" * N) == "中——" * N
    assert repair_dashes("中" + " " * N + "--" + " " * N + "a") == "中" + " " * N + "——" + " " * N + "a"


def test_normalize_characters_on_many_combining_lines() -> None:
    assert normalize_characters("e\u0301\n" * N) == "\u00e9\n" * N
    assert normalize_characters("e\u0301\r\n" * N) == "\u00e9\n" * N


@pytest.mark.parametrize(
    "given, expected",
    [
        ("cafe\u0301\r\n中文\r\n", "caf\u00e9\n中文\n"),  # the CR of a CRLF is no extra line
        ("e\u0301\r", "\u00e9\n"),  # a lone CR at the end is a line end
        ("e\u0301\r中", "\u00e9\n中"),  # and inside a line
        ("\u2f26e\u0301\r\n", "\u5b50\u00e9\n"),  # a Kangxi radical on the same line
    ],
)
def test_crlf_lines_with_combining_marks(given: str, expected: str) -> None:
    assert normalize_characters(given) == expected


def test_surrogates_are_replaced_and_reported() -> None:
    assert normalize_characters("中\ud800文") == "中\ufffd文"
    assert normalize_characters("\udc00") == "\ufffd"
    assert normalize_characters("中\ud83d\ude00") == "中\U0001f600"  # a pair: its character
    assert normalize_characters("e\u0301\ud800") == "\u00e9\ufffd"
    page = clean_page("本报讯为\ud800营造良好的人居环境。")
    page.records()  # nothing left that cannot be written
    text = "\n".join(b.text for a in page.articles for b in a.blocks)
    text.encode("utf-8")
    assert [(c.pass_name, c.before, c.after, c.note) for c in page.changes if c.before == "\ud800"] == [
        ("normalize_characters", "\ud800", "\ufffd", "lone surrogate")
    ]


def test_blocks_of_the_same_letters_are_not_duplicates_but_a_copy_is() -> None:
    letters = "本报讯为积极应对可能出现因极端天气而造成的洪涝灾害全面做好防汛工作"
    texts = [letters[:k] + "，" + letters[k:] + "。" for k in range(1, len(letters))]
    blocks = tuple(Block((t,), 2 * i + 1) for i, t in enumerate([*texts, texts[3], texts[3], texts[5]]))
    kept, changes = drop_duplicate_blocks(blocks, default_context())
    assert [b.text for b in kept] == texts
    n = len(texts)
    assert [(c.line, c.note) for c in changes] == [
        (2 * n + 1, "repeats line 7"),
        (2 * n + 3, "repeats line 7"),
        (2 * n + 5, "repeats line 11"),
    ]


def test_many_one_character_lines_are_cleaned() -> None:
    page = clean_page("中\n" * N)
    assert page.articles  # and within the suite's time: it took minutes at 50,000 lines
