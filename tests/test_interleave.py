"""separate_interleaved_columns: columns an extractor read row by row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleanup import clean_page
from cleanup.model import blocks_from_text
from cleanup.passes.base import default_context
from cleanup.passes.interleave import (
    MAX_STRIDE,
    _box_headlines,
    _reading_order,
    _strides,
    separate_interleaved_columns,
)

# One article's text, set in columns: it runs from the foot of each column
# to the top of the next.
TEXT = (
    "本报讯（记者 李明）近日，北河县组织开展春季植树活动，机关干部、志愿者和村民共八百余人参加。"
    "大家分工协作，挖坑、扶苗、培土、浇水，一株株树苗在山坡上整齐排列。"
    "据了解，今年全县计划新增造林面积一万二千亩，完成村庄绿化四十个，进一步改善人居环境。"
    "县林业局负责人表示，将加强后期管护，确保种一棵、活一棵、成林一片。"
    "活动现场，党员突击队率先上山，带动群众一起干，当天栽下侧柏、油松等苗木两万余株。"
    "北河县还将组织开展义务植树宣传活动，引导广大群众积极参与国土绿化，共同建设美丽家园。"
)
WIDTH = 12


def columns(text: str, count: int, width: int = WIDTH) -> list[list[str]]:
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    per = -(-len(lines) // count)
    return [lines[c * per : (c + 1) * per] for c in range(count)]


def row_by_row(cols: list[list[str]], per_piece: int = 1) -> str:
    """The columns read across, as pdfminer prints them at wide leading: each
    row's piece of every column (a line, or two), a blank line between."""
    pieces = []
    for r in range(0, max(len(c) for c in cols), per_piece):
        for c in cols:
            if r < len(c):
                pieces.append("\n".join(c[r : r + per_piece]))
    return "\n\n".join(pieces)


def run(text: str):
    return separate_interleaved_columns(blocks_from_text(text), default_context())


def flat(blocks) -> str:
    return "".join("".join(line.split()) for b in blocks for line in b.lines)


def test_three_columns_read_row_by_row_are_read_column_by_column():
    out, changes = run(row_by_row(columns(TEXT, 3)))
    assert flat(out) == "".join(TEXT.split())
    assert len(changes) == 1
    assert changes[0].pass_name == "separate_interleaved_columns"
    assert "columns read row by row" in changes[0].note


def test_pieces_of_two_lines_each_are_put_back_too():
    out, _ = run(row_by_row(columns(TEXT, 3, 10), per_piece=2))
    assert flat(out) == "".join(TEXT.split())


def test_most_layouts_of_a_short_article_are_put_back_exactly():
    # 2-4 columns of 8-14 characters, pieces of one or two lines: a short
    # article gives few joints to go by, and a few layouts stay partly
    # misread (30 of 42 are put back exactly when this was written)
    layouts = [(w, c, p) for w in range(8, 15) for c in (2, 3, 4) for p in (1, 2)]
    exact = sum(
        flat(run(row_by_row(columns(TEXT, c, w), per_piece=p))[0]) == "".join(TEXT.split())
        for w, c, p in layouts
    )
    assert exact >= 28


def test_a_headline_above_the_box_stays_above_it():
    page = "北河县春季植树活动启动\n\n" + row_by_row(columns(TEXT, 3))
    out, _ = run(page)
    assert out[0].lines == ("北河县春季植树活动启动",)
    assert flat(out[1:]) == "".join(TEXT.split())


def test_a_column_read_in_order_is_left_as_it_is():
    cols = columns(TEXT, 1)
    blocks = blocks_from_text("\n\n".join(cols[0]))
    out, changes = separate_interleaved_columns(blocks, default_context())
    assert out == blocks
    assert changes == []


def test_clean_paragraphs_one_a_line_are_never_reordered():
    paragraphs = [s + "。" for s in TEXT.split("。") if s]
    blocks = blocks_from_text("\n\n".join(paragraphs))
    out, changes = separate_interleaved_columns(blocks, default_context())
    assert out == blocks
    assert changes == []


def test_the_whole_pipeline_gives_the_article_back():
    page = clean_page(row_by_row(columns(TEXT, 3)))
    body = "".join(b.text for a in page.articles for b in a.blocks)
    assert "".join(body.split()) == "".join(TEXT.split())


@given(st.lists(st.integers(1, MAX_STRIDE), max_size=60), st.data())
def test_the_reading_order_is_a_permutation_of_the_pieces(path, data):
    joins = data.draw(st.lists(st.booleans(), min_size=len(path), max_size=len(path)))
    alone = data.draw(st.lists(st.booleans(), min_size=len(path), max_size=len(path)))
    order, succ = _reading_order(path, joins, alone)
    assert sorted(order) == list(range(len(path)))
    assert all(j < 0 or j > i for i, j in enumerate(succ))


def test_where_no_joint_says_where_one_box_ends_the_headline_over_the_next_does():
    # rows of two columns (a word across each joint two pieces on), pieces
    # whose joints say nothing, then rows of three columns; the move from
    # stride 2 to stride 3 costs the same anywhere in between, and is made
    # at the headline over the second box
    def word(k: int) -> tuple[str, str]:
        pair = ["中国", "人民", "经济", "发展", "社会", "建设", "文化", "工作", "教育", "时间"][k % 10]
        return pair[0], pair[1]

    n = 40
    heads, tails = ["乙"] * n, ["甲"] * n
    for i in range(0, 14):  # stride 2
        a, b = word(i)
        tails[i], heads[i + 2] = a, b
    for i in range(24, n - 3):  # stride 3
        a, b = word(i)
        tails[i], heads[i + 3] = a, b
    ended, short = [False] * n, [True] * n
    headline = [i == 20 for i in range(n)]
    path = _strides(heads, tails, ended, short, headline)
    assert list(path[:14]) == [2] * 14 and list(path[24:30]) == [3] * 6
    switch = next(i for i in range(14, 24) if path[i] == 3)
    assert switch == 20


def test_box_headlines_are_not_column_lines_as_wide_as_their_neighbours():
    blocks = blocks_from_text(
        "发。在城西街道幸福里社区，社区组织\n\n访慰问80岁以上高龄老人、失能半失\n\n"
        "开展了“九九重阳节 浓浓敬老情”联欢\n\n能老人和困难老人2300余人，发放慰\n\n"
        "问金和慰问品价值68万元。\n\n新能源公交上线 绿色出行更便捷\n\n桐岭县新增30辆纯电动公交车投入运营\n\n"
        "本报讯（通讯员 许文博）9月1\n"
    )
    marks = _box_headlines(blocks, default_context().rules)
    assert marks == [False, False, False, False, False, True, True, False]


def test_a_columns_full_lines_that_end_no_sentence_run_on_without_a_word_across():
    # every row its own block: the blank lines say nothing of paragraphs, so a
    # column line as wide as its column's lines, ending mid-sentence, goes on
    # into its next even where the cut falls between two words
    out, _ = run(row_by_row(columns(TEXT, 3)))
    assert len(out) == 3
    assert flat(out) == "".join(TEXT.split())


def test_a_line_ending_a_sentence_is_not_run_on_by_its_width():
    cols = columns(TEXT, 3)
    for c in cols:  # a sentence ends at the third line's end of each column
        c[2] = c[2][:-1] + "。"
    out, _ = run(row_by_row(cols))
    assert flat(out) == flat(blocks_from_text("\n\n".join("\n".join(c) for c in cols)))
    for c in cols:
        block = next(b for b in out if c[2] in b.lines)
        following = block.lines[block.lines.index(c[2]) + 1 :]
        assert not following or _joined_by_a_word(c[2], following[0])


def _joined_by_a_word(tail: str, head: str) -> bool:
    from cleanup.lexicon import joint_strength

    return joint_strength(tail[-4:], head[:4]) > 0


CAPTION = ["近日，南湖公园的樱花进入盛花期，吸引了大批市民游", "客前来赏花拍照。"]


def test_a_wider_box_read_between_two_rows_is_kept_out_of_the_columns():
    # a caption across the columns (its lines twice as wide as theirs, its
    # last line short) is read in its own order between two rows: counted as
    # column pieces its lines would throw every stride after them out
    pieces = row_by_row(columns(TEXT, 3)).split("\n\n")
    at = 3 * 4
    out, _ = run("\n\n".join(pieces[:at] + CAPTION[:1] + pieces[at : at + 2] + CAPTION[1:] + pieces[at + 2 :]))
    # the columns read through, then the caption: it starts after every column
    assert flat(out) == "".join(TEXT.split()) + "".join(CAPTION)


def test_a_photo_credit_between_two_rows_is_no_column_line():
    pieces = row_by_row(columns(TEXT, 3)).split("\n\n")
    at = 3 * 5
    out, _ = run("\n\n".join([*pieces[:at], "本报通讯员 王芳 摄", *pieces[at:]]))
    assert flat(out) == "".join(TEXT.split()) + "本报通讯员王芳摄"


def test_a_paragraphs_short_first_line_in_a_row_stays_in_its_column():
    # pdfminer drops a paragraph's indent: its first line is two characters
    # short of the column and reads like a headline (no mark in it); a common
    # word across its end (纷纷表 / 示) says it goes on down its column
    sentences = [s + "。" for s in TEXT.split("。") if s]
    middle = "大家纷纷表示要加强后期管护，确保种一棵、活一棵、成林一片，让荒山披上绿装，为子孙后代留下一片青山。"
    lines = []
    for p in ("".join(sentences[:3]), middle, "".join(sentences[3:])):
        lines.append(p[: WIDTH - 2])
        lines.extend(p[i : i + WIDTH] for i in range(WIDTH - 2, len(p), WIDTH))
    per = -(-len(lines) // 3)
    cols = [lines[c * per : (c + 1) * per] for c in range(3)]
    assert cols[1][2].startswith("大家纷纷")  # in a row of the box, not its first
    out, _ = run(row_by_row(cols))
    assert middle in ["".join(b.lines) for b in out]
