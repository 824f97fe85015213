"""The registry, configuration, change reports and the public API."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cleanup
from cleanup import Config, ConfigError, clean_page, clean_text, explain, pass_names, pipeline
from cleanup.config import from_pyproject, make_config
from cleanup.model import apply_edits, blocks_from_text
from cleanup.pipeline import PASSES, get_pass

from .conftest import RAW


def test_pass_names_are_unique_and_in_one_order():
    names = pass_names()
    assert len(names) == len(set(names))
    assert names[0] == "fix_mojibake" and names[-1] == "assemble_articles"


def test_every_pass_has_a_summary_and_a_known_stage():
    for p in PASSES:
        assert p.summary and p.stage in ("text", "block", "layout", "assemble")


def test_default_config_enables_all_but_opt_in_passes():
    enabled = Config().enabled()
    assert "convert_script" not in enabled
    assert set(enabled) == {p.name for p in PASSES if p.default}


def test_convert_option_switches_on_script_conversion():
    assert "convert_script" in make_config({"convert": "t2s"}).enabled()
    assert clean_text("漢字轉換測試。", convert="t2s").strip() == "汉字转换测试。"
    assert clean_text("漢字轉換測試。").strip() == "漢字轉換測試。"


def test_only_and_skip():
    assert make_config({"only": "pair_quotes"}).enabled() == ("pair_quotes",)
    assert "pair_quotes" not in make_config({"skip": ["pair_quotes"]}).enabled()
    text = '他说"好"'
    assert clean_text(text, skip=["pair_quotes"]).strip() == '他说"好"'
    assert clean_text(text).strip() == "他说“好”"


@pytest.mark.parametrize(
    "options", [{"only": "no_such_pass"}, {"skip": "nope"}, {"bogus": 1}, {"convert": "klingon"}]
)
def test_bad_options_are_errors(options):
    with pytest.raises(ConfigError):
        make_config(options)


@pytest.mark.parametrize("fn", [clean_text, clean_page, explain])
@pytest.mark.parametrize(("value", "says"), [(None, "not NoneType"), (123, "not int"), (["中"], "not list")])
def test_text_that_is_not_str_is_a_type_error_naming_it(fn, value, says):
    with pytest.raises(TypeError, match=f"text must be str, {says}"):
        fn(value)


@pytest.mark.parametrize("fn", [clean_text, clean_page, explain])
def test_bytes_are_refused_with_how_to_decode_them(fn):
    with pytest.raises(TypeError, match=r"not bytes: decode it first.*cleanup\.io\.decode"):
        fn("本报讯。".encode())


@pytest.mark.parametrize("field", ["only", "skip"])
def test_config_takes_any_iterable_of_pass_names_as_a_tuple(field):
    for names in (["pair_quotes"], ("pair_quotes",), iter(["pair_quotes"]), {"pair_quotes": 1}):
        cfg = Config(**{field: names})
        assert getattr(cfg, field) == ("pair_quotes",)
        hash(cfg)  # a list would make it unhashable
    assert Config(only=["pair_quotes"]).enabled() == ("pair_quotes",)
    assert "pair_quotes" not in Config(skip=["pair_quotes"]).enabled()
    assert Config(**{field: ["pair_quotes"]}) == Config(**{field: ("pair_quotes",)})


@pytest.mark.parametrize("field", ["only", "skip", "rules_dirs"])
def test_config_refuses_a_bare_string(field):
    with pytest.raises(TypeError, match=f"{field}= takes an iterable of .*not a single string"):
        Config(**{field: "pair_quotes"})
    with pytest.raises(TypeError, match=f"{field}= takes an iterable"):
        Config(**{field: 3})
    with pytest.raises(TypeError, match="is not a"):
        Config(**{field: [3]})


def test_config_rules_dirs_take_paths(tmp_path: Path):
    cfg = Config(rules_dirs=[tmp_path])
    assert cfg.rules_dirs == (str(tmp_path),)
    # a keyword folder name is never split at commas
    with pytest.raises(TypeError, match="rules_dirs= takes an iterable of folders"):
        make_config({"rules_dirs": "my,rules"})


def test_config_is_immutable():
    cfg = Config()
    with pytest.raises(AttributeError):
        cfg.skip = ("pair_quotes",)  # type: ignore[misc]


def test_pyproject_table(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleanup]\nskip = ["pair_quotes"]\nrules-dirs = ["myrules"]\nformat = "jsonl"\n',
        encoding="utf-8",
    )
    table = from_pyproject(tmp_path / "pyproject.toml")
    assert table["skip"] == ["pair_quotes"]
    assert table["rules_dirs"] == (str((tmp_path / "myrules").resolve()),)
    assert table["format"] == "jsonl"


def test_broken_pyproject_is_a_config_error(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.cleanup\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        from_pyproject(tmp_path / "pyproject.toml")


def test_changes_say_which_pass_where_before_after():
    changes = explain("第一行\n\n近日,伊通满族自治县开展活动。")
    widen = [c for c in changes if c.pass_name == "widen_punctuation"]
    assert len(widen) == 1
    c = widen[0]
    assert (c.line, c.column, c.before, c.after) == (3, 3, ",", "，")
    assert "widen_punctuation" in c.describe() and "3:3" in c.describe()


def test_every_changed_pass_is_reported():
    page = clean_page("本报讯(通讯员 伊宣)为营\n造良好的人居环境。")
    counts = page.changes_by_pass()
    assert counts["widen_punctuation"] == 2
    assert counts["join_wrapped_lines"] == 1


def test_deterministic():
    text = (Path(__file__).parent.parent / "samples/raw/000_1b3bde70a2ec5fa8.txt").read_text(encoding="utf-8")
    assert clean_page(text, source="a") == clean_page(text, source="a")


def test_each_pass_usable_alone():
    from cleanup.passes.spaces import remove_artifact_spaces

    assert remove_artifact_spaces("发 现 、早 报 告") == "发现、早报告"
    for p in PASSES:
        assert get_pass(p.name) is p


def test_text_pass_edits_replay_to_the_result():
    """Replaying a pass's reported edits on its input gives its output."""
    from cleanup.passes.base import default_context
    from cleanup.passes.punctuation import find_ascii_punctuation, widen_punctuation

    text = "近日,伊通(满族)自治县;开展活动!"
    edits = list(find_ascii_punctuation(text, default_context()))
    assert apply_edits(text, edits) == widen_punctuation(text)


def test_clean_page_records_source_and_index():
    page = clean_page("标题一\n\n正文一段。\n\n标题二\n\n本报讯 正文二段。", source="p.txt")
    records = page.records()
    assert [r["index"] for r in records] == list(range(len(records)))
    assert all(r["source"] == "p.txt" for r in records)
    assert list(records[0]) == [
        "source",
        "index",
        "kind",
        "kicker",
        "title",
        "subtitle",
        "byline",
        "blocks",
        "jump",
    ]


def test_empty_input_gives_no_articles():
    assert clean_page("").articles == ()
    assert clean_text("   \n\n  ") == ""


def test_version():
    assert cleanup.__version__


def test_pages_are_cleaned_one_at_a_time():
    text = "标题一\n\n本报讯 第一页正文,完。\f标题二\n\n本报讯 第二页正文。"
    page = clean_page(text, source="x.txt")
    assert [a.title for a in page.articles] == ["标题一", "标题二"]
    assert [r["index"] for r in page.records()] == [0, 1]
    breaks = [c for c in page.changes if c.pass_name == "split_pages"]
    assert [(c.line, c.before) for c in breaks] == [(3, "\f")]
    widen = [c for c in page.changes if c.pass_name == "widen_punctuation"]
    assert widen[0].line == 3  # lines count from the start of the input


def test_no_block_moves_across_a_page_break():
    # the stranded continuation is on the next page: it stays there
    text = "标题一\n\n本报讯共检查场所2.8万余个，排查整改各类安全隐患\f3891处。严查重点路段通道。"
    page = clean_page(text)
    assert page.articles[0].blocks[0].text.endswith("安全隐患")
    assert page.articles[-1].blocks[0].text.startswith("3891处")


def test_custom_page_separator():
    page = clean_page("标题一\n\n正文一。\n----\n标题二\n\n正文二。", page_separator=r"\n-{4}\n")
    assert [a.title for a in page.articles] == ["标题一", "标题二"]
    with pytest.raises(ConfigError):
        clean_page("x", page_separator="(")


# --- the change log: edits located only when read --------------------------

_DAMAGED = "本报讯(通讯员 伊宣)为此,我们\n在9:00开会;价格5.61万元。\f第二页,正文。"


def test_change_counts_agree_with_the_located_changes():
    page = clean_page(_DAMAGED)
    counted = page.changes_by_pass()
    located: dict[str, int] = {}
    notes = 0
    for c in page.changes:  # locating every edit
        if c.before == c.after:  # a note (assembly's decision): not a change, not counted
            notes += 1
            continue
        located[c.pass_name] = located.get(c.pass_name, 0) + 1
    assert counted == located and counted["widen_punctuation"] >= 4
    assert notes and len(page.changes) == sum(counted.values()) + notes


def test_change_log_reads_the_same_every_time_and_after_pickling():
    import pickle

    page = clean_page(_DAMAGED)
    first = tuple(page.changes)
    assert tuple(page.changes) == first and page.changes[0] == first[0] and page.changes[-1:] == first[-1:]
    again = pickle.loads(pickle.dumps(page))
    assert again == page and tuple(again.changes) == first


def test_change_log_lines_refer_to_the_whole_input_across_pages():
    page = clean_page(_DAMAGED)
    widened = [(c.line, c.before) for c in page.changes if c.pass_name == "widen_punctuation"]
    assert widened == [
        (1, "("),
        (1, ")"),
        (1, ","),
        (1, ";"),
        (2, ","),
    ]  # 第二页 follows the form feed on line 2
    alone = clean_page("第二页,正文。")
    assert [(c.line, c.column) for c in alone.changes if c.pass_name == "widen_punctuation"] == [(1, 4)]


# --- blocks: runs of lines between blank lines ------------------------------


def _blocks_by_hand(text: str) -> list[tuple[tuple[str, ...], int, int]]:
    """(lines, first line, blank lines before) of each block, line by line."""
    out, run, start, blank, gap = [], [], 1, 0, 0
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not run:
                start, gap = i, blank
            run.append(line)
            blank = 0
        else:
            if run:
                out.append((tuple(run), start, gap))
                run = []
            blank += 1
    if run:
        out.append((tuple(run), start, gap))
    return out


@given(st.text(alphabet=" \t\n\r\u3000\x1c\x85a中。", max_size=60))
def test_blocks_from_text_splits_at_blank_lines_as_strip_sees_them(text: str) -> None:
    got = [(b.lines, b.line, b.gap) for b in blocks_from_text(text)]
    assert got == _blocks_by_hand(text)


def test_blocks_from_text_counts_lines_and_gaps():
    blocks = blocks_from_text("\n标题\n\n\n正文一\n正文二\n \n")
    assert [(b.lines, b.line, b.gap) for b in blocks] == [(("标题",), 2, 1), (("正文一", "正文二"), 5, 2)]


def test_a_huge_page_keeps_no_copies_of_its_text_for_the_log(monkeypatch: pytest.MonkeyPatch):
    from cleanup import model

    lazy = tuple(clean_page(_DAMAGED).changes)
    monkeypatch.setattr(model, "LAZY_TEXT_LIMIT", 0)  # every page counts as huge
    eager = clean_page(_DAMAGED).changes
    assert isinstance(eager, model.ChangeLog)
    assert not any(isinstance(part, model._Edits) for part in eager._parts)  # located at once
    assert tuple(eager) == lazy


# --- pages of an input read in pieces --------------------------------------


def _split_whole(text: str, separator: re.Pattern[str]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in separator.finditer(text):
        out.append((text[pos : m.start()], m.group()))
        pos = m.end()
    return [*out, (text[pos:], None)]


def _cut(text: str, cuts: list[int]) -> list[str]:
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


@pytest.mark.parametrize(
    "pattern",
    [
        "\f",
        r"\n-{4}\n",
        r"-{2,3}",  # greedy: a longer match can start where a shorter one did
        r"(?<=a)\f|\f(?=b)",  # lookarounds within the reach
        r"\f|(?<=\f)=",  # a lookbehind into the separator before
        r"(?=b)",  # empty matches
        r"\f|(?=b)",  # empty and non-empty matches
        r"(?m)^=$",
    ],
)
@given(
    text=st.lists(
        st.sampled_from(["a", "b", "页页页", "\n", "-", "---", "\n----\n", "\f", "a\f", "\fb", "\n=\n", "="]),
        max_size=40,
    ).map("".join),
    cuts=st.lists(st.integers(0, 200), max_size=30),
)
@example(text="a" * 16 + "---" + "a" * 30, cuts=[18])  # a match cut before its end
@example(text="a" * 16 + "\f" + "a" * 30, cuts=[16])  # a lookbehind across the cut
@settings(max_examples=400, deadline=None)  # no deadline: a loaded machine made it flaky
def test_split_pages_of_pieces_is_the_split_of_the_whole(pattern: str, text: str, cuts: list[int]) -> None:
    separator = re.compile(pattern)
    reach = pipeline.SEPARATOR_REACH
    pipeline.SEPARATOR_REACH = 7  # just over the longest match: pieces are searched long before the end
    try:
        assert list(pipeline.split_pages(_cut(text, cuts), separator)) == _split_whole(text, separator)
    finally:
        pipeline.SEPARATOR_REACH = reach


def test_split_pages_holds_one_page_and_a_chunk() -> None:
    """Pages are given as soon as the text after them is read, not at the end."""
    read: list[int] = []

    def chunks() -> Iterator[str]:
        for i in range(100):
            read.append(i)
            yield f"第{i}页" * 20_000 + "\f"

    pages = pipeline.split_pages(chunks(), re.compile("\f"))
    for i, (page, sep) in enumerate(itertools.islice(pages, 50)):
        assert page == f"第{i}页" * 20_000 and sep == "\f"
        assert len(read) <= i + 3  # the page, and twice the reach past it


def test_run_stream_is_run_pages_of_the_joined_text() -> None:
    text = "\f".join(
        (RAW / name).read_text(encoding="utf-8") for name in sorted(p.name for p in RAW.glob("*.txt"))
    )
    config = Config()
    whole = list(pipeline.run_pages(text, config, "x"))
    pieces = [text[i : i + 997] for i in range(0, len(text), 997)]
    streamed = list(pipeline.run_stream(pieces, config, "x"))
    assert [p.records() for p in streamed] == [p.records() for p in whole]
    assert [list(p.changes) for p in streamed] == [list(p.changes) for p in whole]
