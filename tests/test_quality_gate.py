"""Regression gate: quality on the samples and on a fixed set of generated pages.

Thresholds are the values measured when the gate was set, plus a small
margin; a change that makes cleanup worse than that fails here. Measured on
2026-11-23 (python bench/quality.py gives the full table):

- samples: CER 0.0000 (every page equals its gold) -> gate 0.0005;
- 30 generated pages, seed 7: CER 0.00087, 543/580 blocks verbatim
  -> gate CER 0.0015, verbatim 0.90.
"""

from __future__ import annotations

from pathlib import Path

from cleanup import clean_page
from cleanup.evaluate import score_dir
from cleanup.io import decode
from cleanup.synth import default_pool, generate, write_pages
from cleanup.writers import to_jsonl

ROOT = Path(__file__).resolve().parent.parent

SAMPLES_CER = 0.0005
GENERATED_CER = 0.0015
GENERATED_VERBATIM = 0.90


def _clean_dir(raw: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for p in sorted(raw.glob("*.txt")):
        page = clean_page(decode(p.read_bytes(), p.name)[0], source=p.name)
        (out / f"{p.stem}.jsonl").write_text(to_jsonl(page), encoding="utf-8")


def test_samples_cer_gate(tmp_path: Path):
    _clean_dir(ROOT / "samples" / "raw", tmp_path)
    _, total = score_dir(ROOT / "samples" / "expected", tmp_path)
    assert total.cer <= SAMPLES_CER, f"samples CER {total.cer:.4f} > gate {SAMPLES_CER}"


def test_generated_pages_gate(tmp_path: Path):
    pages = generate(default_pool(ROOT), 30, seed=7)
    write_pages(pages, tmp_path / "raw", tmp_path / "gold")
    _clean_dir(tmp_path / "raw", tmp_path / "out")
    _, total = score_dir(tmp_path / "gold", tmp_path / "out")
    assert total.cer <= GENERATED_CER, f"generated CER {total.cer:.4f} > gate {GENERATED_CER}"
    assert total.exact / total.blocks >= GENERATED_VERBATIM


def test_generation_is_reproducible():
    a = generate(default_pool(ROOT), 3, seed=11)
    b = generate(default_pool(ROOT), 3, seed=11)
    assert [p.raw for p in a] == [p.raw for p in b]
    assert [p.gold for p in a] == [p.gold for p in b]


def test_generated_pages_cover_every_dialect():
    dialects = {p.dialect for p in generate(default_pool(ROOT), 40, seed=3)}
    assert dialects == {"hard_wrapped", "markdown", "space_joined", "long_paragraphs"}
