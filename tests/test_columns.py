"""read_side_by_side_columns: pages whose columns an extractor printed side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanup import clean_page
from cleanup.accounting import visible
from cleanup.model import blocks_from_text
from cleanup.passes.base import default_context
from cleanup.passes.columns import looks_side_by_side, read_side_by_side_columns

CORPUS = Path(__file__).resolve().parent.parent / "bench" / "extract" / "text" / "pdftotext-layout"

PARAGRAPH = (
    "本报讯（记者 李明）近日，北河县组织开展春季植树活动，机关干部、志愿者和村民共八百余人参加。"
    "大家分工协作，挖坑、扶苗、培土、浇水，一株株树苗在山坡上整齐排列。"
    "据了解，今年全县计划新增造林面积一万二千亩，完成村庄绿化四十个，进一步改善人居环境。"
    "县林业局负责人表示，将加强后期管护，确保种一棵、活一棵、成林一片。"
    "活动现场，党员突击队率先上山，带动群众一起干，当天栽下侧柏、油松等苗木两万余株。"
)


def wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def lay_out(columns: list[list[str]], starts: list[int]) -> list[str]:
    """The rows of columns printed side by side, each column at its start."""
    rows = []
    for k in range(max(len(c) for c in columns)):
        row = ""
        for col, x in zip(columns, starts):
            if k < len(col):
                row = row.ljust(x) + col[k]
        rows.append(row.rstrip())
    return rows


def columns_of(text: str, width: int, count: int) -> list[list[str]]:
    lines = wrap(text, width)
    per = -(-len(lines) // count)
    return [lines[i : i + per] for i in range(0, len(lines), per)]


def read(text: str) -> list[list[str]]:
    blocks, _ = read_side_by_side_columns(blocks_from_text(text), default_context())
    return [list(b.lines) for b in blocks]


def body_text(text: str) -> str:
    return "".join(b.text for a in clean_page(text).articles for b in a.blocks)


def test_columns_with_wide_gutters_are_read_one_after_the_other():
    cols = columns_of(PARAGRAPH, 14, 3)
    page = "\n".join(lay_out(cols, [0, 20, 40])) + "\n"
    assert [line for block in read(page) for line in block] == [line for c in cols for line in c]
    assert body_text(page) == PARAGRAPH


def test_a_full_column_line_glued_to_the_next_column_by_one_space_is_cut_there():
    cols = columns_of(PARAGRAPH, 10, 3)
    # a gutter of one space: every full line runs into the next column's line
    page = "\n".join(lay_out(cols, [0, 11, 22])) + "\n"
    assert looks_side_by_side(page.split("\n")) is False  # one space is no wide gap...
    wide = "\n".join(lay_out(cols, [0, 11, 30])) + "\n"  # ...but a page with some is read
    assert [line for block in read(wide) for line in block] == [line for c in cols for line in c]


def test_a_headline_centred_over_the_columns_is_read_before_them():
    cols = columns_of(PARAGRAPH, 14, 3)
    head = " " * 22 + "北河县春季植树忙"
    page = head + "\n\n" + "\n".join(lay_out(cols, [0, 20, 40])) + "\n"
    article = clean_page(page).articles[0]
    assert article.title == "北河县春季植树忙"
    assert "".join(b.text for b in article.blocks) == PARAGRAPH


def test_a_subtitle_across_the_box_that_starts_where_a_column_starts_is_no_line_of_it():
    # the subtitle, centred over the box, happens to start where the second
    # column starts: a line far wider than the columns' is not the first of
    # the second column (read so, wraps would glue it to that column's text)
    cols = columns_of(PARAGRAPH, 8, 3)
    sub = "北河县组织开展春季植树活动"
    page = "\n".join(["       植树添新绿", "           " + sub, *lay_out(cols, [0, 11, 22])]) + "\n"
    blocks = read(page)
    assert [sub] in blocks
    assert cols[1] in blocks


def test_boxes_side_by_side_are_read_each_with_its_own_headline():
    other = (
        "本报讯（通讯员 王芳）为丰富群众文化生活，南山镇近日举办广场文艺演出，"
        "舞蹈、快板、戏曲等节目轮番上演，吸引周边群众一千余人观看。"
        "演出期间，工作人员还向群众发放了防诈骗宣传资料。"
    )
    left = columns_of(PARAGRAPH, 12, 2)
    right = columns_of(other, 12, 2)
    rows = lay_out([*left, *right], [0, 16, 36, 52])
    heads = lay_out([["北河县春季植树忙"], ["南山镇文艺演出进村"]], [6, 42])
    page = "\n".join([*heads, "", *rows]) + "\n"
    articles = clean_page(page).articles
    assert [a.title for a in articles] == ["北河县春季植树忙", "南山镇文艺演出进村"]
    assert ["".join(b.text for b in a.blocks) for a in articles] == [PARAGRAPH, other]


OTHER = (
    "本报讯（通讯员 王芳）为丰富群众文化生活，南山镇近日举办广场文艺演出，"
    "舞蹈、快板、戏曲等节目轮番上演，吸引周边群众一千余人观看。"
    "演出期间，工作人员还向群众发放了防诈骗宣传资料。"
)


def test_two_columns_glued_by_one_space_on_every_row_are_found_on_a_page_set_by_position():
    # the extractor wrote one box column by column, and glued the two columns
    # of the next box row by row with one space: no wide gap anywhere, but the
    # page is laid out by position (headline lines pushed right by spaces)
    heads = [" " * 12 + "南山镇文艺演出进村", "", " " * 12 + "北河县春季植树忙", " " * 14 + "本报记者 李明"]
    first = [" " * 12 + "文艺演出进村", "", *wrap(OTHER, 10), ""]
    page = "\n".join([*first, *heads[2:], "", *lay_out(columns_of(PARAGRAPH, 10, 2), [0, 11])]) + "\n"
    assert looks_side_by_side(page.split("\n"))
    article = clean_page(page).articles[-1]
    assert "".join(b.text for b in article.blocks) == PARAGRAPH


def test_a_column_does_not_run_on_across_another_blocks_lines():
    # the headline group's first and last lines start at the same place, a
    # wrapped subtitle stands between: four lines of one group, not a column
    head = [
        " " * 8 + "北河县春季植树忙",
        "——机关干部、志愿者和村民八百余人",
        " " * 12 + "齐上阵",
        " " * 9 + "本报记者 李明",
    ]
    page = "\n".join([*head, "", *lay_out(columns_of(PARAGRAPH, 10, 3), [0, 14, 28])]) + "\n"
    assert read(page)[0] == [line.strip() for line in head]


def test_text_without_columns_side_by_side_is_left_as_it_is():
    blocks = blocks_from_text("\n".join(wrap(PARAGRAPH, 14)) + "\n\n另一段 文字。\n")
    out, changes = read_side_by_side_columns(blocks, default_context())
    assert out is blocks
    assert changes == []


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*/*.txt")), ids=lambda p: p.stem)
def test_reading_the_columns_loses_no_character_of_a_real_page(path):
    text = path.read_text(encoding="utf-8")
    blocks = blocks_from_text(text)
    out, _ = read_side_by_side_columns(blocks, default_context())
    assert visible("\n".join(b.text for b in out)) == visible(text)
