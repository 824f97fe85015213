"""Shared fixtures: the sample pages and their gold articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "samples" / "raw"
EXPECTED = ROOT / "samples" / "expected"
SAMPLES = sorted(p.stem for p in RAW.glob("*.txt"))


def load_expected(stem: str) -> list[dict]:
    lines = (EXPECTED / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_raw(stem: str) -> str:
    return (RAW / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.fixture(params=SAMPLES)
def sample(request: pytest.FixtureRequest) -> str:
    return request.param
