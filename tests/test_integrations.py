"""Record-level cleaning (datasets, pandas) and Ray Data, in local mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleanup import clean_page, clean_text
from cleanup.integrations.records import clean_record, clean_records
from cleanup.writers import to_jsonl

ROOT = Path(__file__).resolve().parent.parent
RAW = sorted((ROOT / "samples" / "raw").glob("*.txt"))
DAMAGED = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。"


def test_clean_record_adds_results_and_keeps_fields():
    out = clean_record({"id": 1, "text": DAMAGED, "lang": "zh"})
    assert out["id"] == 1 and out["lang"] == "zh" and out["text"] == DAMAGED
    assert out["clean_text"] == clean_text(DAMAGED)
    assert out["articles"][0]["blocks"][0]["text"] == "本报讯（通讯员 伊宣）为营造良好的人居环境。"
    assert out["changes"]["join_wrapped_lines"] == 1


def test_clean_record_options_and_bytes():
    out = clean_record(
        {"body": DAMAGED.encode("gb18030"), "name": "p.txt"},
        text_key="body",
        source_key="name",
        skip=["widen_punctuation"],
    )
    assert "(" in out["clean_text"]
    assert out["articles"][0]["source"] == "p.txt"


def test_clean_record_without_its_text_key_is_a_key_error():
    with pytest.raises(KeyError, match="no text field 'body'"):
        clean_record({"text": DAMAGED}, text_key="body")
    with pytest.raises(KeyError, match="no text field 'text'"):
        clean_records([{"text": DAMAGED}, {"txt": DAMAGED}])
    assert clean_record({"text": None})["clean_text"] == ""  # a null text is an empty page


def test_clean_records_many():
    outs = clean_records([{"text": DAMAGED}, {"text": ""}])
    assert outs[0]["clean_text"] == clean_text(DAMAGED)
    assert outs[1]["articles"] == []


def test_pandas_apply():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": [DAMAGED, RAW[0].read_text(encoding="utf-8")]})
    cleaned = df["text"].map(lambda t: clean_record({"text": t})["clean_text"])
    assert list(cleaned) == [clean_text(DAMAGED), clean_text(RAW[0].read_text(encoding="utf-8"))]


def test_clean_batch_on_pandas_and_dicts():
    pd = pytest.importorskip("pandas")
    from cleanup.integrations.ray import CleanBatch

    fn = CleanBatch(text_column="text")
    out = fn(pd.DataFrame({"text": [DAMAGED], "id": [3]}))
    assert list(out["id"]) == [3]
    assert out["clean_text"][0] == clean_text(DAMAGED)
    assert json.loads(out["articles"][0])[0]["kind"] == "article"
    out = fn({"text": [DAMAGED]})
    assert out["clean_text"] == [clean_text(DAMAGED)]


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_ray_map_batches(ray_local):
    from cleanup.integrations.ray import CleanBatch

    texts = [p.read_text(encoding="utf-8") for p in RAW]
    ds = ray_local.data.from_items([{"text": t, "n": i} for i, t in enumerate(texts)])
    rows = sorted(ds.map_batches(CleanBatch(), batch_format="pandas").take_all(), key=lambda r: r["n"])
    assert [r["clean_text"] for r in rows] == [clean_text(t) for t in texts]


def test_ray_clean_files_match_the_cli(ray_local, tmp_path: Path):
    from cleanup.integrations.ray import clean_files

    counts = clean_files([str(p) for p in RAW], str(tmp_path))
    assert counts == {"cleaned": len(RAW), "failed": 0}
    for p in RAW:
        want = to_jsonl(clean_page(p.read_text(encoding="utf-8"), source=p.name))
        assert (tmp_path / f"{p.stem}.jsonl").read_text(encoding="utf-8") == want


def test_ray_command(ray_local, tmp_path: Path):
    from click.testing import CliRunner

    from cleanup.cli import main

    (tmp_path / "in").mkdir()
    for p in RAW[:2]:
        (tmp_path / "in" / p.name).write_bytes(p.read_bytes())
    (tmp_path / "in" / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = CliRunner().invoke(main, ["ray", str(tmp_path / "in" / "*.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2  # one input was not text
    assert "2 cleaned, 1 failed" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{p.stem}.jsonl" for p in RAW[:2])
