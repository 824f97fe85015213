"""Exact input positions (``exact_positions=True``, cleanup/positions.py).

The property, for every change the pipeline marks exact: its ``before``
stands, as it is, at its line and column of the input given (an insertion:
its line and column lie in the input). A change is marked exact by how its
offsets were mapped back through the passes before it, not by looking at the
input, so these tests check the mapping. Changes not marked exact (a
``before`` that holds text an earlier pass wrote, such as a paragraph joined
before it was moved, or a line end a column reader made between two pieces
of one printed line) are counted, and their share is held down.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleanup import clean_page
from cleanup.model import Edit, EditList, apply_edits
from cleanup.positions import EditMap, Runs, back_through

from .conftest import RAW, ROOT
from .test_properties import ANY_TEXT, FAST, pages

CORPUS = sorted((ROOT / "bench" / "extract" / "text").glob("*/*/*.txt"))


def misplaced(text: str, changes) -> list:
    """Changes marked exact whose before does not stand at their position of text."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    bad = []
    for c in changes:
        if not c.exact or c.before == c.after:
            continue
        ok = 1 <= c.line <= len(lines) and 1 <= c.column <= len(lines[c.line - 1]) + 1
        if ok and c.before:
            ok = text.startswith(c.before, starts[c.line - 1] + c.column - 1)
        if not ok:
            bad.append(c)
    return bad


def misplaced_output(page) -> list:
    """Changes whose after text does not stand at their output position."""
    bad = []
    for c in page.changes:
        o = c.output
        if o is None:
            continue
        ok = 0 <= o.article < len(page.articles)
        if ok:
            a = page.articles[o.article]
            if o.field == "blocks":
                ok = o.block is not None and 0 <= o.block < len(a.blocks)
                text = a.blocks[o.block].text if ok else ""
            else:
                text = getattr(a, o.field) or ""
            ok = ok and o.offset + len(c.after) <= len(text) and text.startswith(c.after, o.offset)
        if not ok or c.before == c.after:
            bad.append(c)
    return bad


def shares(paths: list[Path]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(changes, exact changes, changes with an output position) per pass on the pages of paths."""
    total: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    output: Counter[str] = Counter()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        page = clean_page(text, exact_positions=True)
        assert misplaced(text, page.changes) == [], path
        assert misplaced_output(page) == [], path
        for c in page.changes:
            if c.before != c.after:
                total[c.pass_name] += 1
                exact[c.pass_name] += bool(c.exact)
                output[c.pass_name] += c.output is not None
    return total, exact, output


def test_samples_exact_positions():
    total, exact, output = shares(sorted(RAW.glob("*.txt")))
    # 1,356 of the samples' 1,360 changes: a paragraph moved after it was
    # joined, a jump line whose brackets were widened before assembly, and
    # two column breaks whose sides are not next to each other in the input
    # (a displaced line put back between them; a repeat cut from one side)
    assert sum(exact.values()) >= 0.995 * sum(total.values())
    assert exact["join_wrapped_lines"] >= total["join_wrapped_lines"] - 2
    for name in ("widen_punctuation", "remove_artifact_spaces", "pair_quotes"):
        assert exact[name] == total[name], name
    # and where each went in the articles: 1,340 of 1,360 (not found there:
    # text moved, then widened by a later pass; a duplicate dropped)
    assert sum(output.values()) >= 0.98 * sum(total.values())
    for name in ("join_wrapped_lines", "remove_artifact_spaces", "pair_quotes"):
        assert output[name] >= total[name] - 2, name


@pytest.mark.skipif(not CORPUS, reason="no extraction corpus")
def test_corpus_exact_positions():
    total, exact, output = shares(CORPUS)
    # 44,633 of 48,571: what is not exact is mostly the line ends between
    # the pieces of lines pdftotext -layout printed side by side (2,538: the
    # place is right, but that line end is not in the input), column breaks
    # joining paragraphs that other columns' text stands between in the
    # input (1,235, most on pages read row by row), assembly's headline joins
    # (137) and paragraphs moved once joined (24)
    assert sum(exact.values()) >= 0.91 * sum(total.values())
    for name in ("widen_punctuation", "pair_quotes", "repair_dashes", "repair_ocr_confusions"):
        assert exact[name] == total[name], name
    # found in the articles: 43,063 of 48,691; most of the rest are the line
    # ends between side-by-side pieces (not in the input either) and joints
    # of columns read row by row, whose two sides the page holds apart
    assert sum(output.values()) >= 0.87 * sum(total.values())
    for name in ("pair_quotes", "repair_ocr_characters", "repair_ocr_confusions"):
        assert output[name] >= 0.97 * total[name], name


def test_positions_do_not_change_the_output():
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        plain, exact = clean_page(text), clean_page(text, exact_positions=True)
        assert exact.articles == plain.articles
        assert exact.changes_by_pass() == plain.changes_by_pass()
        assert [c.exact for c in plain.changes] == [None] * len(plain.changes)


@FAST
@given(pages())
def test_generated_pages_exact_positions(text):
    page = clean_page(text, exact_positions=True)
    assert misplaced(text, page.changes) == []
    assert misplaced_output(page) == []


@FAST
@given(ANY_TEXT)
def test_any_text_exact_positions(text):
    page = clean_page(text, exact_positions=True)
    assert misplaced(text, page.changes) == []
    assert misplaced_output(page) == []


@FAST
@given(st.lists(pages(), min_size=2, max_size=3))
def test_positions_of_later_pages(parts):
    text = "\n\f".join(parts)
    page = clean_page(text, exact_positions=True)
    assert misplaced(text, page.changes) == []
    # (the output positions of later pages count the articles of the pages before)
    assert misplaced_output(page) == []


def test_text_pass_positions_are_in_the_input():
    # normalize_characters widens nothing but turns ｆ into f; the comma
    # after it is placed in the input, past the CRLF the text pass made LF
    text = "本报讯\r\n全国ＡＢ公司,今天发布。\r\n"
    changes = clean_page(text, exact_positions=True).changes
    assert misplaced(text, changes) == []
    widened = [c for c in changes if c.pass_name == "widen_punctuation"]
    assert [(c.line, c.column, c.exact) for c in widened] == [(2, 7, True)]


@st.composite
def edited(draw) -> tuple[str, list[Edit]]:
    text = draw(st.text("abc\n", max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits, pos = [], 0
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a >= pos:
            edits.append(Edit(a, b, draw(st.text("xyz", max_size=3))))
            pos = b
    return text, edits


@given(edited(), st.data())
def test_edit_map_maps_unedited_text_back(case, data):
    text, edits = case
    after = apply_edits(text, edits)
    m = EditMap(EditList(edits))
    o = data.draw(st.integers(0, len(after)))
    n = data.draw(st.integers(0, len(after) - o))
    back, intact = m.back(o, n)
    assert 0 <= back <= len(text)
    if intact:
        assert text[back : back + n] == after[o : o + n]
    if not edits:
        assert (back, intact) == (o, True)


@given(st.lists(edited(), min_size=1, max_size=3), st.data())
def test_edit_maps_compose(cases, data):
    # each case's edits are taken as edits of the text the one before made
    text = cases[0][0]
    maps, current = [], text
    for _, edits in cases:
        edits = [e for e in edits if e.end <= len(current)]
        maps.append(EditMap(EditList(edits)))
        current = apply_edits(current, edits)
    o = data.draw(st.integers(0, len(current)))
    n = data.draw(st.integers(0, len(current) - o))
    back, intact = back_through(maps, o, n)
    if intact:
        assert text[back : back + n] == current[o : o + n]


def test_runs_locate_pieces_and_joints():
    # "ab" from offset 10 of the source, a joint's space, "cd" from offset 20
    runs = Runs("ab cd")
    runs.add(0, 10, 2)
    runs.add(3, 20, 2)
    assert runs.locate(1, 1) == (11, True)
    assert runs.locate(0, 2) == (10, True)
    assert runs.locate(1, 2) == (11, False)  # runs into the joint
    assert runs.locate(2, 1) == (12, False)  # the inserted space: where it went
    assert runs.locate(2, 0) == (12, True)  # an insertion at the end of "ab"
    assert runs.locate(4, 1) == (21, True)
