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


def _relative_imports(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.parent.relative_to(path.parents[len(path.relative_to(ROOT).parts) - 1]).as_posix()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split("/")[: len(package.split("/")) - node.level + 1]
            out.add(".".join([*base, *(node.module.split(".") if node.module else [])]))
    return out


def test_the_configuration_does_not_import_the_runner():
    """config needs the pass names (the registry), not the pipeline that runs
    them: no import cycle between the two."""
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (ROOT / "cleanup").rglob("*.py")
    }
    seen, todo = set(), ["cleanup.config"]
    while todo:
        name = todo.pop()
        if name in seen or name not in modules:
            continue
        seen.add(name)
        todo.extend(_relative_imports(modules[name]))
    assert "cleanup.registry" in seen
    assert "cleanup.pipeline" not in seen


def test_the_readme_links_only_to_files_in_the_repository():
    import re

    for name in ("README.md", "docs/clean.md", "docs/architecture.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)\)", text):
            if "://" in target:
                continue
            path = ((ROOT / name).parent / target).resolve()
            assert path.is_relative_to(ROOT) and path.exists(), f"{name}: {target}"
