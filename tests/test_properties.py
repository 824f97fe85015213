"""Properties that hold for any input: idempotence and nothing silently lost.

Pages are generated from realistic pieces (headlines, bylines, leads,
paragraphs wrapped at a random column width, ASCII punctuation, artifact
spaces) as well as from arbitrary text.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanup import clean_page, clean_text
from cleanup.accounting import unaccounted

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
def test_generated_pages_are_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


@FAST
@given(st.lists(PARAGRAPH, min_size=1, max_size=5))
def test_clean_paragraphs_are_idempotent(paras):
    once = clean_text("\n\n".join(paras))
    assert clean_text(once) == once
