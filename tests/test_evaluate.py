"""The scorer (cleanup eval) against hand-checked cases."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cleanup.cli import main
from cleanup.evaluate import score_page

GOLD = [
    {
        "kind": "article",
        "title": "标题一",
        "subtitle": None,
        "kicker": None,
        "byline": None,
        "jump": None,
        "blocks": [{"type": "text", "text": "第一段。"}, {"type": "text", "text": "第二段。"}],
    },
    {
        "kind": "article",
        "title": "标题二",
        "subtitle": "副题",
        "kicker": None,
        "byline": None,
        "jump": None,
        "blocks": [{"type": "text", "text": "第三段。"}],
    },
]


def test_perfect_output_scores_zero():
    s = score_page("p", GOLD, "jsonl", GOLD)
    assert (s.distance, s.exact, s.blocks, s.title_hits, s.titles, s.art_f1) == (0, 3, 3, 3, 3, 1.0)


def test_article_order_is_free():
    s = score_page("p", GOLD, "jsonl", list(reversed(GOLD)))
    assert s.distance == 0


def test_errors_count_as_edits():
    out = json.loads(json.dumps(GOLD))
    out[0]["blocks"][0]["text"] = "第一段,"
    s = score_page("p", GOLD, "jsonl", out)
    assert s.distance == 1 and s.exact == 2


def test_title_in_the_wrong_field_is_not_a_hit():
    out = json.loads(json.dumps(GOLD))
    out[1]["title"], out[1]["subtitle"] = out[1]["subtitle"], out[1]["title"]
    assert score_page("p", GOLD, "jsonl", out).title_hits == 1


def test_blocks_in_the_wrong_article_lower_f1():
    out = json.loads(json.dumps(GOLD))
    out[1]["blocks"].insert(0, out[0]["blocks"].pop())
    assert score_page("p", GOLD, "jsonl", out).art_f1 < 1.0


def test_text_output_is_scored_by_lines():
    text = "标题一\n\n第一段。\n\n第二段。\n\n标题二\n副题\n\n第三段。\n"
    s = score_page("p", GOLD, "text", text)
    assert s.exact == 3 and s.title_hits == 3 and s.art_f1 is None


def test_eval_command(tmp_path: Path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "out").mkdir()
    lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in GOLD)
    (tmp_path / "gold" / "p.jsonl").write_text(lines, encoding="utf-8")
    (tmp_path / "out" / "p.jsonl").write_text(lines, encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", str(tmp_path / "gold"), str(tmp_path / "out"), "--json"])
    assert r.exit_code == 0
    assert json.loads(r.stdout)["total"]["cer"] == 0.0


def test_synth_command(tmp_path: Path):
    r = CliRunner().invoke(main, ["synth", str(tmp_path), "-n", "3", "--seed", "5"])
    assert r.exit_code == 0
    assert len(list((tmp_path / "raw").glob("*.txt"))) == 3
    assert len(list((tmp_path / "gold").glob("*.jsonl"))) == 3
