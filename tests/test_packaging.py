"""The distribution: a name of its own on PyPI, the command and the package still `cleanup`."""

from __future__ import annotations

import importlib.metadata as metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_distribution_has_a_name_of_its_own_and_installs_the_cleanup_command():
    # "cleanup" on PyPI is an unrelated file organiser with a command of the same name
    dist = metadata.distribution("cleanup-zh")
    assert dist.metadata["Name"] == "cleanup-zh"
    scripts = {e.name: e.value for e in dist.entry_points if e.group == "console_scripts"}
    assert scripts["cleanup"].startswith("cleanup.cli")


def test_the_licence_it_claims_ships_with_it():
    dist = metadata.distribution("cleanup-zh")
    assert dist.metadata["License"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_synth_has_articles_to_render_without_a_checkout(tmp_path):
    # an installed package has no samples/ nor bench/: it renders the corpus it ships
    from cleanup.synth import default_pool

    pool = default_pool(tmp_path)
    assert len(pool) > 20
    assert all(a["blocks"] for a in pool)
