"""Properties that hold for any input: idempotence and nothing silently lost.

Pages are generated from realistic pieces (headlines, bylines, leads,
paragraphs wrapped at a random column width, ASCII punctuation, artifact
spaces) as well as from arbitrary text.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleanup import clean_page, clean_text
from cleanup.accounting import unaccounted
from cleanup.writers import render

# 一 (U+4E00) is left out: Hypothesis shrinks every character toward it, and
# a page made of nothing but 一 is a page of dashes; the dash rules have their
# own tables in test_passes.py.
HAN = st.characters(min_codepoint=0x4E01, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list('，。、；：？！“”（）,;:()?!"—'))
WORD = st.text(HAN, min_size=1, max_size=6)
SENTENCE = st.builds(
    lambda parts, end: "，".join(parts) + end,
    st.lists(WORD, min_size=1, max_size=6),
    st.sampled_from(["。", "！", "？", ""]),
)
PARAGRAPH = st.builds("".join, st.lists(SENTENCE, min_size=1, max_size=5))
HEADLINE = st.builds(
    lambda a, b: f"{a} {b}" if b else a,
    st.text(HAN, min_size=2, max_size=8),
    st.one_of(st.just(""), st.text(HAN, min_size=2, max_size=8)),
)
BYLINE = st.builds(lambda n: f"本报通讯员 {n}", st.text(HAN, min_size=2, max_size=3))


def wrap(text: str, width: int) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


@st.composite
def pages(draw) -> str:
    width = draw(st.integers(min_value=8, max_value=30))
    parts: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        parts.append(draw(HEADLINE))
        if draw(st.booleans()):
            parts.append(draw(BYLINE))
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            para = draw(PARAGRAPH)
            if draw(st.booleans()):
                para = "本报讯（通讯员 伊宣）" + para
            if draw(st.booleans()):
                para = para.replace("，", ",").replace("。", ".")
            if draw(st.booleans()):
                para = " ".join(para[i : i + width] for i in range(0, len(para), width))
                parts.append(para)
            else:
                parts.append(wrap(para, width))
    return "\n\n".join(parts)


ANY_TEXT = st.text(
    st.one_of(HAN, PUNCT, st.sampled_from(list(" \n\n\t#=-—一0123456789abcXYZ 　")), st.characters()),
    max_size=300,
)

# 150 examples each in the suite; CLEANUP_HYPOTHESIS=thorough runs 3,000.
settings.register_profile("suite", max_examples=150)
settings.register_profile("thorough", max_examples=3000)
settings.load_profile(os.environ.get("CLEANUP_HYPOTHESIS", "suite"))
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_nothing_lost(text: str) -> None:
    """Every visible input character is in the output or removed by a reported change.

    Net: a change whose ``before`` equals its ``after`` (a note) accounts for nothing.
    """
    missing = unaccounted(text, clean_page(text))
    assert not missing, f"lost without a report: {dict(missing)}"


@FAST
@given(pages())
def test_generated_pages_lose_nothing(text):
    assert_nothing_lost(text)


@FAST
@given(ANY_TEXT)
def test_any_text_loses_nothing(text):
    assert_nothing_lost(text)


@FAST
@given(pages())
# a byline cut from the names after it by two column breaks: both names join it the first time
@example("丁丁\n\n本报通讯员 丁丁\n\n丁丁\n\n丁丁")
# a kicker found below the byline, printed there: right under it, it read as names
@example("丁丁\n\n本报通讯员 丁丁\n\n丁丁丁丂丁丂")
def test_generated_pages_are_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


@FAST
@given(st.lists(PARAGRAPH, min_size=1, max_size=5))
def test_clean_paragraphs_are_idempotent(paras):
    once = clean_text("\n\n".join(paras))
    assert clean_text(once) == once


# Inputs that once changed on a second cleaning (issue 13), with what the
# first cleaning must give where the conventions say (None: only stability).
IDEMPOTENCE_CASES = [
    ("展.)", "展。）\n"),  # a mark after a widened one is in Chinese text too
    ("记者\n\n公务", "记者 公务\n"),  # a byline cut by a column break
    ("#\u3000#", "#\n"),  # an ideographic space after a markdown mark
    ("转变服务思路 一 夯实治理根基", "转变服务思路——夯实治理根基\n"),  # a lone 一 between phrases, spaced
    ("本报通讯员张晓\n丹 摄", "本报通讯员张晓丹 摄\n"),  # a credit whose name the wrap cut
    ("(维\n焦，全", "（维焦，全\n"),  # a line that leaves a bracket open goes on
    ("“村\n\n\n,", "“村\n\n\n,\n"),  # a headline that leaves a quote open: kept apart from the body
    ("绿\n—村\n事\n本报讯", None),  # 本报讯 is never part of a headline group
    # a decimal point on a line that NFC rewrites as a whole
    ("价格为５．６１万元，Cafe\u0301。", "价格为5.61万元，Café。\n"),
    # a kicker with no subtitle stays below the byline, a blank line apart (right
    # under it, a short line reads as more of the byline's names)
    ("静\n本报记者红丽\n民", "静\n本报记者红丽\n\n民\n"),
    ("法课是未成年普法及安\n全普法及安全教育全覆盖，将学生暑期安全传", None),  # a word across title and body
    ("作\n—局\n理\n本报通讯员伊宣", None),  # a header's leftover line stays above the byline
    ("绿\n—伊生态\n合\n事\n本报通讯员傅笛", None),  # a byline inside a headline group
    ("本报通讯员孙宇\n\n伊通", None),  # a second name after a column break
    ("# 近日，伊通召开大会", None),  # a mark does not make a heading of running text
    ("。\n通讯员张晓\n丹 摄", "。\n通讯员张晓丹 摄\n"),  # a credit closing a block, its name cut
    ("静\n本报记者红丽\n务\n员", None),  # lines after a byline: no space between single characters
    ("量\n记\n区党委书\n静\n本报记者红丽\n\n人", None),  # five headline lines and a byline: one header
    ("本报通讯员孙宇\n\n伊通总工会", None),  # a byline is finished by a name, not by a headline
    ("—党\n委\n本报记者红丽\n做", None),  # a kicker that would not read back above the title
    ("本报通讯员伊宣\n\n摄", "本报通讯员伊宣 摄\n"),  # a credit cut by a column break
    # a lone 一 is a dash between two phrases, not across a phrase space
    ("牢安全一堤\n动仗\n\n通", "牢安全一堤 动仗\n通\n"),
    ("务\u3000思路一夯根基", "务思路——夯根基\n"),  # an artifact space cuts no phrase
    ("务思路一夯\u3000根基", "务思路——夯根基\n"),
    # headline lines a header has no field for open the body, before the lead
    ("本报讯\n\n次\n行\n宣\n单", "次\n行\n宣\n\n单\n\n本报讯\n"),
    ("建\n领\n绿\n—伊", "建领\n绿\n——伊\n"),  # a kicker of lone characters has no phrase space
    # spaces the space pass removes do not hide a byline or a lead
    ("本报通讯 员\n李梦", "本报通讯员李梦\n"),
    ("本报通讯\u3000员\n李梦", "本报通讯员李梦\n"),
    ("本报通讯员\n梦 颖", "本报通讯员梦颖\n"),
    ("本 报讯\n颖", "本报讯颖\n"),
    # two parallel title halves above a subtitle that wrapped once
    (
        "春风送暖\n万家团圆\n某某县开展走访慰问困难群众\n活动\n\n本报讯（通讯员 王明）近日，某某县开展活动。",
        "春风送暖 万家团圆\n某某县开展走访慰问困难群众活动\n\n本报讯（通讯员 王明）近日，某某县开展活动。\n",
    ),
    # a single quote before a comma and a space pairs as it will once they are gone
    ("叫我一声'大姐', 我说。", "叫我一声‘大姐’，我说。\n"),
    # parallel halves above a subtitle, more header lines after them
    (
        "上一段。\n\n节约用水\n护水源\n某某县开展节水宣传周活动\n某某县水利局推进节水型社会建设\n\n本报讯近日，某某县开展活动。",
        None,
    ),
    # two boxes' headlines, each a title of two phrases and a subtitle, in one run
    (
        "燃气安全无小事 排查整治不停歇\n槐川县城关街道开展燃气安全专项检查\n\n"
        "让数据多跑路 让群众少跑腿\n松屿县政务服务“一网通办”实现全覆盖\n\n本报讯（通讯员 罗子健）今年以来，开展改革。",
        None,
    ),
    # text before a headline read late, that the body under it goes on with
    (
        "有一年，陈立群每天放学后都留下来陪他写作业，周末还把他接到自己家里吃饭。一\n\n"
        "大山里的“点灯人”\n\n本报记者 范一鸣\n\n个学期后，小杰重新露出了笑容。",
        None,
    ),
    # a line after the byline that would read back as a title's half: a heading
    (
        "党建引领促发展\n——某某县推进社区转型升级\n本报通讯员 王明\n为满足群众需\n\n求的多样性，破解难题。",
        None,
    ),
]


@pytest.mark.parametrize(("raw", "want"), IDEMPOTENCE_CASES)
def test_cleaning_cleaned_text_changes_nothing(raw, want):
    page = clean_page(raw)
    once = render(page, "text")
    if want is not None:
        assert once == want
    again = clean_page(once)
    assert render(again, "text") == once
    assert again.records() == page.records()
