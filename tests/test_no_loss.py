"""Regression cases of text that assembly used to drop, and the accounting itself.

Each case once lost text while ``--explain`` showed only a note that named it
(before == after); the net accounting of ``cleanup.accounting`` sees that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanup import clean_page
from cleanup.accounting import removed_by, unaccounted
from cleanup.model import Change

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "raw"

CASES = {
    # four headline lines above a —— subtitle: the first was dropped
    "kicker on two lines": (
        "为了人民美好生活\n砥砺奋进新时代\n伊通县推进乡村振兴\n——记伊通县委书记王明\n\n"
        "本报讯（通讯员 伊宣）近日，伊通县召开大会。\n"
    ),
    "minimal headline run": "境\n流\n展\n\n坚\n—公",
    # a jump line with no article after it
    "jump line at the page end": "（上接第一版）\n",
    "two jump lines in a row": "（上接第一版）\n\n（上接第二版）\n\n标题一行\n\n正文一段。\n",
    "second jump of one article": "（上接第一版）\n\n标题一行\n\n正文一段。\n\n（下转第三版）\n\n（下转第四版）\n",
    # two headline groups printed after their bodies, one with a byline
    "pending header not overwritten": (
        "本报讯（通讯员 伊宣）第一篇的正文在这里结束。\n\n第一篇的标题\n\n"
        "第二篇主标题\n——记某地某人\n\n本报通讯员 王明\n\n"
        "本报讯（通讯员 李华）第三篇的正文。\n\n第三篇的标题\n\n"
        "第四篇主标题\n——记另一个人\n\n本报通讯员 张强\n\n没有导语的正文。\n"
    ),
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_nothing_lost(text):
    page = clean_page(text)
    assert not unaccounted(text, page)


def test_kicker_on_two_lines_keeps_both():
    a = clean_page(CASES["kicker on two lines"]).articles[0]
    assert (a.kicker, a.title, a.subtitle) == ("为了人民美好生活 砥砺奋进新时代", "伊通县推进乡村振兴", "——记伊通县委书记王明")


def test_lone_jump_line_is_kept_in_its_field():
    (a,) = clean_page("（上接第一版）\n").articles
    assert (a.kind, a.jump, a.blocks) == ("fragment", "上接第一版", ())


def test_seed_page_with_a_straight_closing_quote_keeps_its_subtitle():
    raw = (SAMPLES / "000_1b3bde70a2ec5fa8.txt").read_text(encoding="utf-8").replace("”", '"')
    page = clean_page(raw)
    assert not unaccounted(raw, page)
    assert any("伊通西苇镇开展防汛安全大检查" in a.strings() for a in page.articles)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_samples_lose_nothing(path):
    raw = path.read_text(encoding="utf-8")
    assert not unaccounted(raw, clean_page(raw))


def test_a_note_accounts_for_nothing():
    note = Change("assemble_articles", 1, 1, "标题", "标题", "headline")
    removal = Change("drop_duplicate_blocks", 1, 1, "重复 段", "", "duplicate")
    replacement = Change("repair_dashes", 1, 1, "一", "——", "dash")
    assert removed_by([note]) == {}
    assert removed_by([removal]) == {"重": 1, "复": 1, "段": 1}
    assert removed_by([replacement]) == {"一": 1}
