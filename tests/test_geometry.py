"""Line geometry read from the text: a block's column is its prevailing width.

Extractors that read a page box by box (PyMuPDF, pdfminer) give one block
for many columns and boxes, with headline lines among the column lines and
no blank line between; the widest line (a headline across a box) is not the
column.
"""

from __future__ import annotations

from cleanup import clean_page
from cleanup.linekinds import column_width
from cleanup.writers import render, to_text

COLUMN = [
    "坚持规划先行，以全县医药健康、智能",
    "制造、现代服务业三大产业为主导产",
    "业，同时利用优势资源，发展农业产业",
    "和绿色建材产业。注重各类产业链的发",
    "挥产业集聚功能，重点抓好长伊片区农",
    "产品精深加工科技园和汽车零部件产业",
    "园建设工作，形成各具特色的新格局。",
]
# a headline across a wide box, twice the column's width
NEXT_BOX = [
    "优化发展环境 增强内生动力",
    "——吉林伊通经济开发区推动医药健康和智能制造等传统产业转型发展记事",
    "本报通讯员 张寒寒",
    "近年来，吉林伊通经济开发区积极融入",
    "经济发展新常态，紧紧围绕县委布局，",
    "不断优化发展环境，推动产业发展。",
]


def test_column_width_ignores_a_few_wider_lines():
    assert column_width([17, 17, 16, 17, 36, 17, 9, 17, 17, 28]) == 17
    assert column_width([12, 30]) == 30  # a short block: its widest line


def test_a_full_column_line_without_punctuation_is_running_text():
    page = clean_page("\n".join(["本报讯（记者 王明）这是一篇很长的导语文章，", *COLUMN, *NEXT_BOX]))
    texts = [b.text for a in page.articles for b in a.blocks]
    assert any("重点抓好长伊片区农产品精深加工科技园和汽车零部件产业园建设工作" in t for t in texts)


def test_headline_lines_among_column_lines_are_a_header():
    page = clean_page("\n".join([*COLUMN, *NEXT_BOX]))
    last = page.articles[-1]
    assert (last.title, last.subtitle, last.byline) == (
        "优化发展环境 增强内生动力",
        "——吉林伊通经济开发区推动医药健康和智能制造等传统产业转型发展记事",
        "本报通讯员 张寒寒",
    )
    assert last.blocks[0].text.startswith("近年来，吉林伊通经济开发区积极融入经济发展新常态")


def test_title_halves_on_lines_of_their_own_are_one_title():
    text = "\n".join(
        [
            *COLUMN,
            "九九重阳",
            "浓浓敬老情",
            "云塘县各地开展重阳节敬老慰问活动",
            "本报讯（通讯员 谭晓霞）金秋十月，情暖重阳。连日来，",
            "云塘县各乡镇、街道和相关部门以丰富多彩的形",
            "式开展重阳节敬老慰问活动，把党和政府的关怀",
            "送到老年人的心坎上。",
        ]
    )
    last = clean_page(text).articles[-1]
    assert (last.kicker, last.title, last.subtitle) == (
        None,
        "九九重阳 浓浓敬老情",
        "云塘县各地开展重阳节敬老慰问活动",
    )


def test_a_kicker_above_a_title_is_not_a_title_half():
    text = "做人民满意的公务员\n小身躯释放“大能量”\n——记社区党委书记林静\n\n本报记者 孙红丽\n\n正文第一段。\n"
    a = clean_page(text).articles[0]
    assert (a.kicker, a.title) == ("做人民满意的公务员", "小身躯释放“大能量”")


LEAD = [
    "本报讯（通讯员 单郑扬）连日来，西苇镇",
    "组织开展防汛安全大检查，紧盯重点环节。",
]


def _header(*lines: str):
    a = clean_page("\n".join([*COLUMN, *lines, *LEAD])).articles[-1]
    return a.kicker, a.title, a.subtitle


def test_parallel_halves_with_a_quoted_term_are_one_title():
    # as many Han characters in each half, above a subtitle that reads as a sentence
    assert _header("筑牢“安全堤”", "打好主动仗", "伊通西苇镇开展防汛安全大检查") == (
        None,
        "筑牢“安全堤” 打好主动仗",
        "伊通西苇镇开展防汛安全大检查",
    )


def test_a_kicker_as_long_as_its_quoted_title_stays_a_kicker_above_a_dash_subtitle():
    assert _header("我身边的共产党员", "“片警老赵”的三本账", "——记白沙派出所社区民警赵建国") == (
        "我身边的共产党员",
        "“片警老赵”的三本账",
        "——记白沙派出所社区民警赵建国",
    )


def test_a_kicker_one_character_off_its_quoted_title_stays_a_kicker():
    assert _header("做人民满意的公务员", "小身躯释放“大能量”", "西苇镇社区党委书记林静的一天")[:2] == (
        "做人民满意的公务员",
        "小身躯释放“大能量”",
    )


def test_a_subtitle_wrapped_by_the_column_is_one_line():
    text = "\n".join(
        [
            *COLUMN,
            "做人民满意的公务员",
            "小身躯释放“大能量”",
            "——记长春市二道区东站街道十委社区",
            "党委书记林静",
            "本报记者 孙红丽",
            *COLUMN,
        ]
    )
    heads = [(a.kicker, a.title, a.subtitle, a.byline) for a in clean_page(text).articles]
    assert (
        "做人民满意的公务员",
        "小身躯释放“大能量”",
        "——记长春市二道区东站街道十委社区党委书记林静",
        "本报记者 孙红丽",
    ) in heads


def test_a_lead_with_spaces_in_its_date_opens_an_article():
    page = clean_page("本报4 月14 日讯（记者 陆海涛）今天7:30，半程马拉松开跑。\n")
    assert page.articles[0].blocks[0].text.startswith("本报4月14日讯（记者 陆海涛）")


# a paragraph cut mid-sentence at its column's end
CUT = COLUMN[:4]
CAPTION = [
    "近日，北河县实验小学组织学生走进消防救援站，近距离感受消防",
    "员的日常训练。本报通讯员 李明 摄",
]


def _body(page_text: str) -> list[str]:
    return [b.text for a in clean_page(page_text).articles for b in a.blocks]


def test_a_cut_paragraph_goes_on_in_a_block_set_at_its_own_width():
    rest = ["展，不断推动产业集群发展壮大。"]
    texts = _body("\n".join(CUT) + "\n\n" + "\n".join(rest))
    assert any(t.endswith("注重各类产业链的发展，不断推动产业集群发展壮大。") for t in texts)


def test_a_cut_paragraph_does_not_go_on_in_a_line_far_wider_than_its_column():
    # a photo caption set across the columns under the cut column: its first
    # line is twice the column's width, so it is no continuation of it
    texts = _body("\n".join(CUT) + "\n\n" + "\n".join(CAPTION))
    assert not any("产业链的发近日" in t for t in texts)
    assert any(t.startswith("近日，北河县实验小学") for t in texts)


def test_a_justified_lines_spaces_do_not_make_it_wider():
    # the continuation's first line justified, spaces between its characters
    rest = ["  ".join("展，不断推动产业集群发展壮大，形"), "成新格局。"]
    texts = _body("\n".join(CUT) + "\n\n" + "\n".join(rest))
    assert any("注重各类产业链的发展，不断推动产业集群发展壮大，形成新格局。" in t for t in texts)


# a feature's header in one block of 8-character column lines (PyMuPDF),
# after a paragraph's end
NARROW_FEATURE = [
    "“片警老赵”的三本账",
    "——记白沙派出所社区民警赵建国",
    "本报通讯员 罗子健",
    "在松屿县白沙镇，",
    "提起片警老赵，几",
    "乎无人不知。",
]


def test_headline_lines_as_wide_as_a_narrow_column_above_a_dash_subtitle_are_a_header():
    # the kicker and the title fill the column as its lines do, but stand
    # after a paragraph's end and above a ——subtitle
    text = "\n".join(["获得小学组最佳射", "手称号的四年级学", "生邹一凡说。", "我身边的共产党员", *NARROW_FEATURE])
    assert _heads(text)[-1] == ("我身边的共产党员", "“片警老赵”的三本账", "——记白沙派出所社区民警赵建国")


def test_a_column_line_without_punctuation_inside_a_paragraph_is_no_header_above_a_subtitle():
    text = "\n".join(["获得小学组最佳射", "手称号的四年级学", "生邹一凡坚持以人", "民为中心发展理念", *NARROW_FEATURE])
    texts = [b.text for a in clean_page(text).articles for b in a.blocks]
    assert any("四年级学生邹一凡坚持以人民为中心发展理念" in t for t in texts)


def test_a_photo_read_between_title_halves_and_their_subtitle_stays_apart():
    text = (
        "新能源公交上线\n绿色出行更便捷\n\n"
        "近日，定湖市鹿鸣湖畔的樱花进入盛花期，不少市民前来踏青赏花。\n本报记者 陆海涛 摄\n\n"
        "桐岭县新增30辆纯电动公交车投入运营\n\n"
        "本报讯（通讯员 许文博）9月1日，桐岭县新购置的30辆纯电动公交车正式投入运营。\n"
    )
    page = clean_page(text)
    heads = [(a.title, a.subtitle) for a in page.articles if a.kind == "article"]
    assert heads == [("新能源公交上线 绿色出行更便捷", "桐岭县新增30辆纯电动公交车投入运营")]
    assert [a.byline for a in page.articles if a.kind == "photo"] == ["本报记者 陆海涛 摄"]
    again = clean_page(to_text(page))
    assert [(a.title, a.subtitle) for a in again.articles if a.kind == "article"] == heads


def _heads(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(a.kicker, a.title, a.subtitle) for a in clean_page(text).articles if a.title]


def test_the_headlines_of_two_boxes_read_row_by_row_are_two_articles():
    # title, title, subtitle, subtitle: two boxes side by side read across
    text = "\n".join(
        [
            "优化发展环境 增强内生动力",
            "从小作坊到“链主”企业",
            "——吉林伊通经济开发区推动传统产业发展记事",
            "——槐川县恒达机械有限公司转型发展记事",
            "",
            *LEAD,
        ]
    )
    assert sorted(_heads(text), key=str) == sorted(
        [
            (None, "优化发展环境 增强内生动力", "——吉林伊通经济开发区推动传统产业发展记事"),
            (None, "从小作坊到“链主”企业", "——槐川县恒达机械有限公司转型发展记事"),
        ],
        key=str,
    )


def test_two_titles_of_two_phrases_each_are_two_boxes_titles_not_kicker_and_title():
    text = "\n".join(
        [
            "九九重阳 浓浓敬老情",
            "新能源公交上线 绿色出行更便捷",
            "桐岭县新增30辆纯电动公交车投入运营",
            "",
            *LEAD,
        ]
    )
    heads = _heads(text)
    assert (None, "九九重阳 浓浓敬老情", None) in heads
    assert (None, "新能源公交上线 绿色出行更便捷", "桐岭县新增30辆纯电动公交车投入运营") in heads


def test_a_kicker_of_two_lines_above_a_title_and_a_dash_subtitle_stays_one_kicker():
    text = "\n".join(
        [
            "新时代好老师",
            "大山里的“点灯人”",
            "让数据多跑路 让群众少跑腿",
            "——记云塘县龙潭镇中心小学教师陈立群",
            "",
            *LEAD,
        ]
    )
    page = clean_page(text)
    heads = [(a.kicker, a.title, a.subtitle) for a in page.articles if a.title]
    assert heads == [
        ("新时代好老师 大山里的“点灯人”", "让数据多跑路 让群众少跑腿", "——记云塘县龙潭镇中心小学教师陈立群")
    ]
    for fmt in ("text", "markdown"):
        again = clean_page(render(page, fmt))
        assert [(a.kicker, a.title, a.subtitle) for a in again.articles if a.title] == heads


def test_three_titles_of_two_phrases_in_a_row_are_all_kept():
    # each sets the one before it apart: none may be dropped on the way
    titles = ["科学制定规划 明确产业发展方向", "搭建产业平台 做好新区基础设施建设", "强化招商引资 确保产业发展蓄电充足"]
    page = clean_page("\n".join([*titles, "", *LEAD]))
    assert [a.title for a in page.articles if a.title] == titles


def test_a_feature_header_after_a_body_waiting_for_its_headline_keeps_its_title():
    # a lead's body, its headline not yet seen; then a title, a —— subtitle and
    # a byline: the header of the feature that follows, not the late headline
    text = "\n".join(
        [
            "本报讯（通讯员 彭思远）清明前后，正是采摘春茶的好时节。",
            "",
            "一把刻刀守匠心",
            "——记澜溪县木雕技艺传承人梁守义",
            "本报记者 孙红丽",
            "",
            "提起梁守义，柳荫镇的居民都会竖起大拇指。",
        ]
    )
    heads = [(a.title, a.subtitle, a.byline) for a in clean_page(text).articles if a.title]
    assert heads == [("一把刻刀守匠心", "——记澜溪县木雕技艺传承人梁守义", "本报记者 孙红丽")]


def test_headline_lines_above_a_lead_in_a_short_block_are_its_headline():
    # four lines: a title, a subtitle as wide as the block's widest, the lead
    text = "说。\n\n全民健身 活力定湖\n2024定湖半程马拉松鸣枪开跑\n本报4月14日讯\n（记者 陆海涛）今\n"
    a = clean_page(text).articles[-1]
    assert (a.title, a.subtitle) == ("全民健身 活力定湖", "2024定湖半程马拉松鸣枪开跑")
    assert a.blocks[0].text == "本报4月14日讯（记者 陆海涛）今"


def test_two_lines_above_a_dash_subtitle_are_kicker_and_title_unless_parallel():
    lines = ["新时代好老师\n大山里的“点灯人”", "——记云塘县龙潭镇中心小学教师陈立群", "本报记者 范一鸣", "", *LEAD]
    assert _heads("\n\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])) == [
        ("新时代好老师", "大山里的“点灯人”", "——记云塘县龙潭镇中心小学教师陈立群")
    ]
    lines[0] = "志愿红\n暖全城"
    assert _heads("\n\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])) == [
        (None, "志愿红 暖全城", "——记云塘县龙潭镇中心小学教师陈立群")
    ]


def test_the_rest_of_a_dash_subtitle_cut_inside_a_word_is_joined_to_it():
    text = "做人民满意的公务员\n小身躯释放“大能量”\n\n——记长春市二道区东站街道十委社区党\n\n委书记林静\n\n本报记者 孙红丽\n\n提起林静，社区的居民都会竖起大拇指。\n"
    assert _heads(text) == [("做人民满意的公务员", "小身躯释放“大能量”", "——记长春市二道区东站街道十委社区党委书记林静")]
    # a line under it that no word joins is left apart (a body's line, read row by row)
    other = text.replace("委书记林静", "为满足群众需")
    assert _heads(other)[0][2] == "——记长春市二道区东站街道十委社区党"


def test_a_subtitle_wrapped_over_three_lines_under_title_halves_is_one_line():
    text = "说。\n全力护航\n助力圆梦\n澜溪县多部门联动\n做好高考服务保障\n工作\n本报6月7日讯（记者 方静怡）今天，全国高考拉开帷幕。\n"
    assert _heads(text) == [(None, "全力护航 助力圆梦", "澜溪县多部门联动做好高考服务保障工作")]
