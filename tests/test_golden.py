"""Golden tests: every sample page cleans to exactly its hand-made gold."""

from __future__ import annotations

from cleanup import clean_page, clean_text

from .conftest import load_expected, load_raw


def test_sample_matches_gold(sample):
    page = clean_page(load_raw(sample), source=f"{sample}.txt")
    got = page.records()
    want = load_expected(sample)
    for g, w in zip(got, want):
        assert g == w
    assert len(got) == len(want)


def test_sample_text_output_is_stable(sample):
    once = clean_text(load_raw(sample))
    assert clean_text(once) == once
