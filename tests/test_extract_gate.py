"""Regression gate on the held-out pages real extractors made (bench/extract).

The held-out split (seeds 5000-5005) is never looked at while tuning. For
every extractor, cleanup's CER may not rise above the value measured when
the gate was set plus a margin, its share of titles in the right field may
not fall below it minus a margin, and no page may be cleaned worse than a
naive line join. ``python bench/extract/score.py --split test`` prints the
full tables; the values below are what it printed when they were set.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT / "bench" / "extract" / "score.py"

# extractor: (cleanup CER, titles in the right field), held-out split
MEASURED = {
    "pdfminer": (0.3891, 0.833),
    "pdftotext": (0.4091, 0.769),
    "pdftotext-layout": (0.0736, 0.859),
    "pymupdf": (0.0046, 0.923),
    "tesseract-200": (0.2348, 0.474),
    "tesseract-300": (0.1658, 0.359),
}
CER_MARGIN = 0.005  # half a point
TITLE_MARGIN = 0.03


def _score_module():
    spec = importlib.util.spec_from_file_location("extract_score", SCORE)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extract_score", mod)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    mod = _score_module()
    work = tmp_path_factory.mktemp("extract")
    return {r["tool"]: r for r in (mod.score_extractor(t, "test", work) for t in mod.tools())}


def test_every_extractor_is_gated(results):
    assert set(results) == set(MEASURED)


@pytest.mark.parametrize("tool", sorted(MEASURED))
def test_held_out_quality(results, tool):
    cer, titles = MEASURED[tool]
    ours = next(r for r in results[tool]["rows"] if r["system"] == "cleanup")
    assert ours["cer"] <= cer + CER_MARGIN, f"{tool}: CER {ours['cer']:.4f} > gate {cer + CER_MARGIN:.4f}"
    assert ours["titles"] >= titles - TITLE_MARGIN, f"{tool}: titles {ours['titles']:.3f} < gate"


@pytest.mark.parametrize("tool", sorted(MEASURED))
def test_never_worse_than_a_naive_join(results, tool):
    assert results[tool]["worse"] == [], f"{tool}: pages worse than the naive join: {results[tool]['worse']}"
