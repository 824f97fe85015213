"""Rule files: well-formed, sorted, unique, every example holds, users can extend."""

from __future__ import annotations

from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

from cleanup import clean_page
from cleanup.errors import RuleError
from cleanup.linekinds import (
    furniture_and_leads,
    is_furniture,
    is_lead,
)
from cleanup.passes.base import Context
from cleanup.passes.punctuation import widen_punctuation
from cleanup.rule_examples import MAP_FILES, example_result, failed_examples
from cleanup.rules import load_rule_files, load_rules, parse_rule_file, shipped_files, unknown_rule_files

FILES = load_rule_files()


def test_every_shipped_file_names_its_pass_and_columns():
    assert set(shipped_files()) >= {
        "punctuation.tsv",
        "dashes.tsv",
        "dash_openers.tsv",
        "confusions.tsv",
        "bylines.tsv",
        "credits.tsv",
        "jumps.tsv",
        "leads.tsv",
    }
    for rf in FILES.values():
        assert rf.pass_name, rf.name
        assert rf.columns, rf.name
        assert rf.entries, rf.name


@pytest.mark.parametrize("name", MAP_FILES)
def test_map_files_are_sorted_and_unique(name):
    keys = [e[FILES[name].columns[0]] for e in FILES[name].entries]
    assert keys == sorted(keys), f"{name} is not sorted"
    assert len(keys) == len(set(keys)), f"{name} has duplicate keys"


def _examples():
    for rf in FILES.values():
        for given, expected, origin in rf.examples():
            yield pytest.param(rf.name, rf.pass_name, given, expected, id=origin)


@pytest.mark.parametrize(("name", "pass_name", "given", "expected"), list(_examples()))
def test_rule_examples_hold(name, pass_name, given, expected):
    assert example_result(name, pass_name, given, load_rules()) == expected


def test_every_rule_file_has_a_check_of_its_examples():
    for name, rf in FILES.items():
        example_result(name, rf.pass_name, "x", load_rules())  # KeyError when a file has no check


def test_a_user_example_that_does_not_hold_is_reported_with_its_place(tmp_path: Path):
    (tmp_path / "confusions.tsv").write_text(
        "#pass: repair_ocr_confusions\n#: wrong\tright\texample\n土\t士\t战土们 => 战土们\n", encoding="utf-8"
    )
    rules = load_rules((str(tmp_path),))
    (msg,) = failed_examples(rules, only=lambda origin: origin.startswith(str(tmp_path)))
    assert msg.startswith(f"{tmp_path / 'confusions.tsv'}:3: example '战土们' => '战土们' does not hold")
    assert "'战士们'" in msg
    assert list(failed_examples(load_rules())) == []  # the shipped examples all hold


def test_a_misnamed_user_rule_file_is_named_as_unknown_and_not_read(tmp_path: Path):
    (tmp_path / "byline.tsv").write_text("not a rule file at all\t\t\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("my notes\n", encoding="utf-8")
    assert unknown_rule_files((str(tmp_path),)) == [tmp_path / "byline.tsv"]
    assert "byline.tsv" not in load_rule_files((str(tmp_path),))


def test_user_rules_add_an_entry(tmp_path: Path):
    (tmp_path / "confusions.tsv").write_text(
        "#pass: repair_ocr_confusions\n#: wrong\tright\texample\n戊\t戌\t戊戌变法 => 戊戌变法\n",
        encoding="utf-8",
    )
    rules = load_rules((str(tmp_path),))
    assert "戊" in rules.confusions
    assert "杳" in rules.confusions  # shipped entries stay


def test_user_rules_replace_an_entry(tmp_path: Path):
    (tmp_path / "punctuation.tsv").write_text(
        "#pass: widen_punctuation\n#: ascii\tfullwidth\texample\n;\t;\t\n", encoding="utf-8"
    )
    rules = load_rules((str(tmp_path),))
    assert rules.punctuation[";"] == ";"
    ctx = Context(rules)
    assert widen_punctuation("排查;对水库", context=ctx) == "排查;对水库"


def test_user_rules_reach_the_pipeline(tmp_path: Path):
    (tmp_path / "bylines.tsv").write_text(
        "#pass: assemble_articles\n#: pattern\texample\n^特约撰稿人\\s+\\p{Han}{2,4}$\t\n", encoding="utf-8"
    )
    page = clean_page("标题在此\n\n特约撰稿人 王新\n\n正文第一段。", rules_dirs=[str(tmp_path)])
    assert page.articles[0].byline == "特约撰稿人 王新"


def test_entry_before_header_is_an_error():
    with pytest.raises(RuleError, match="before the '#:' column header"):
        parse_rule_file("x.tsv", "a\tb\n")


def test_too_many_fields_is_an_error():
    with pytest.raises(RuleError, match="3 fields"):
        parse_rule_file("x.tsv", "#: a\tb\nx\ty\tz\n")


def test_bad_pattern_is_an_error(tmp_path: Path):
    (tmp_path / "jumps.tsv").write_text(
        "#pass: assemble_articles\n#: pattern\texample\n([\t\n", encoding="utf-8"
    )
    with pytest.raises(RuleError, match="bad pattern"):
        load_rules((str(tmp_path),))


def test_missing_rules_folder_is_an_error():
    with pytest.raises(RuleError, match="not found"):
        load_rules(("/nonexistent/rules",))


def test_example_without_arrow_is_an_error():
    rf = parse_rule_file("x.tsv", "#: a\tb\texample\nx\ty\tno arrow here\n")
    with pytest.raises(RuleError, match="input => expected"):
        list(rf.examples())


# --- rule patterns run over all the lines of a page at once ------------------

# Pieces that make lines bylines, credits, jump lines, leads, near misses,
# and patterns whose \s would run into the next line when lines are joined.
_PIECES = [
    "本报记者",
    "通讯员",
    " ",
    "  ",
    "王新",
    "李明",
    "摄",
    "供图",
    "（上接第一版）",
    "下转第3版",
    "本报讯",
    "新华社",
    "3月1日电",
    "===",
    "，",
    "。",
    "正文",
    "文/图：",
    "张",
    "\u3000",
]


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), min_size=1, max_size=12)
)
def test_furniture_and_leads_of_a_page_agree_with_asking_line_by_line(lines: list[str]) -> None:
    rules = load_rules()
    furniture, leads = furniture_and_leads(lines, rules)
    assert list(map(bool, furniture)) == [is_furniture(x, rules) for x in lines]
    assert list(map(bool, leads)) == [is_lead(x, rules) for x in lines]


def test_a_rule_that_looks_past_its_line_is_asked_line_by_line(tmp_path: Path):
    # a negative lookahead at the line's end would see the next line when the
    # lines are searched together; such a pattern is run on each line alone
    (tmp_path / "bylines.tsv").write_text(
        "#pass: assemble_articles\n#: pattern\texample\n^撰稿\\s*\\p{Han}{2}(?!\\n)$\t\n", encoding="utf-8"
    )
    rules = load_rules((str(tmp_path),))
    lines = ["撰稿 王新", "撰稿 李明", "正文。"]
    assert (
        list(map(bool, furniture_and_leads(lines, rules)[0]))
        == [is_furniture(x, rules) for x in lines]
        == [True, True, False]
    )


def test_a_page_searched_in_slices_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch):
    from cleanup import linekinds

    rules = load_rules()
    lines = ["本报记者 王新", "李明", "正文，正文。", "（下转第3版）", "本报讯 新闻", "张三 摄", "标题"] * 5
    whole = furniture_and_leads(lines, rules)
    monkeypatch.setattr(linekinds, "SCAN_LINES", 3)  # slices that cut through runs of furniture
    assert furniture_and_leads(lines, rules) == whole
    assert [list(map(bool, x)) for x in whole] == [
        [is_furniture(x, rules) for x in lines],
        [is_lead(x, rules) for x in lines],
    ]
    assert any(whole[0]) and any(whole[1])
