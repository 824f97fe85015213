"""The review page (cleanup review): placing changes, escaping, the HTML's
highlights and filter, the command, and the page in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleanup
from cleanup.cli import main
from cleanup.model import Article, Change, Page, TextBlock
from cleanup.placement import ContextFinder, RawText, Span, Taken, place
from cleanup.review import ReviewPage, build_review, uncertain_why

from .conftest import RAW, ROOT

LEAD = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。"
# a comma past the end of line 1: block passes count columns in the joined paragraph
JOINED = "甲乙丙丁戊己庚辛壬癸\n子丑寅卯辰, 巳午未申酉戌。"


class Elements(HTMLParser):
    """Every start tag of a document, with its attributes and the text directly in it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self.texts.append("")
        if tag not in ("input", "meta", "br"):
            self._open.append(len(self.tags) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open[-1]] += data

    def find(self, tag: str, **wanted: str) -> list[tuple[dict[str, str], str]]:
        """Elements of tag whose attributes contain the wanted values (class: one of its words)."""
        out = []
        for (t, attrs), text in zip(self.tags, self.texts):
            if t != tag:
                continue
            ok = True
            for k, v in wanted.items():
                k = k.rstrip("_").replace("_", "-")
                have = attrs.get(k, "")
                ok &= all(w in have.split() for w in v.split()) if k == "class" else have == v
            if ok:
                out.append((attrs, text))
        return out


def parse(doc: str) -> Elements:
    p = Elements()
    p.feed(doc)
    return p


def review_of(text: str, source: str = "page.txt") -> str:
    return build_review([ReviewPage(source, text, cleanup.clean_page(text, source))])


# ---- placing changes ------------------------------------------------------


def test_context_places_a_change_the_alignment_cannot() -> None:
    # the columns were put in reading order: the raw page holds 甲乙丙丁戊己
    # far from 庚辛壬癸, but the letters on both sides of the removed line end
    # occur once in the output, and agree
    raw = "甲乙丙丁戊己\n子丑寅卯辰巳\n庚辛壬癸\n午未申酉戌亥"
    clean = "甲乙丙丁戊己庚辛壬癸\n子丑寅卯辰巳午未申酉戌亥"
    join = Change("join_wrapped_lines", 1, 7, "\n", "")
    assert ContextFinder(raw, clean).place(join, Span(6, 7)) is None  # right side: 子丑…, elsewhere
    # where only the side on the change's line is found, it places the change
    assert ContextFinder(raw, "甲乙丙丁戊己庚辛壬癸").place(join, Span(6, 7)) == (6, 6)


def test_context_skips_punctuation_other_passes_changed() -> None:
    # the space after a colon widened by another pass: found after the full-width colon
    raw = "他对记者说: “我只是做了一个老师。"
    clean = "他对记者说：“我只是做了一个老师。"
    space = raw.index(" ")
    found = ContextFinder(raw, clean).place(
        Change("remove_artifact_spaces", 1, space + 1, " ", ""), Span(space, space + 1)
    )
    assert found == (clean.index("“"), clean.index("“"))


def test_context_never_places_a_change_where_its_after_text_is_not() -> None:
    raw, clean = "甲乙丙丁戊己,庚辛壬癸子丑", "甲乙丙丁戊己；庚辛壬癸子丑"
    comma = Change("widen_punctuation", 1, 7, ",", "，")
    assert ContextFinder(raw, clean).place(comma, Span(6, 7)) is None


def test_a_rewrite_of_many_lines_leaves_the_repairs_inside_it_placed() -> None:
    raw = "甲乙丙丁戊,己庚辛壬癸\n子丑寅卯辰,巳午未申酉"
    first, second = raw.split("\n")
    changes = [
        Change("separate_interleaved_columns", 1, 1, raw, second + "\n" + first),
        Change("widen_punctuation", 1, 6, ",", "，"),
        Change("widen_punctuation", 2, 6, ",", "，"),
    ]
    clean = (second + "\n" + first).replace(",", "，")
    placed = place(changes, RawText(raw), clean, [len(second)])
    assert set(placed.raw) == {1, 2}
    # each comma where its own line went, never the other line's
    assert placed.clean == {1: (clean.index("戊") + 1, clean.index("戊") + 2), 2: (5, 6)}


def test_a_change_reported_in_the_joined_paragraph_is_found_in_the_raw_lines() -> None:
    # (the position the pass reports, not the exact one: past the line's end)
    change = next(
        c for c in cleanup.explain(JOINED, exact_positions=False) if c.pass_name == "widen_punctuation"
    )
    assert change.column > len(JOINED.split("\n")[0])
    span = RawText(JOINED).place(change, Taken())
    assert span is not None
    assert JOINED[span.start : span.end] == "," and span.start == JOINED.index(",")


def test_an_exact_position_is_taken_as_it_is() -> None:
    raw = "，,，,"
    span = RawText(raw).place(Change("widen_punctuation", 1, 4, ",", "，"), Taken())
    assert span == (3, 4)


def test_a_change_whose_text_is_not_near_is_not_placed() -> None:
    raw = RawText("甲乙丙丁\n戊己庚辛")
    assert raw.place(Change("repair_ocr_confusions", 1, 2, "杳", "查"), Taken()) is None
    assert raw.place(Change("widen_punctuation", 9, 1, ",", "，"), Taken()) is None  # no line 9


def test_two_changes_never_claim_the_same_text() -> None:
    raw = RawText("甲,乙")
    taken = Taken()
    first = raw.place(Change("widen_punctuation", 1, 2, ",", "，"), taken)
    assert first is not None
    taken.take(*first)
    assert raw.place(Change("widen_punctuation", 1, 2, ",", "，"), taken) is None


@pytest.mark.parametrize("stem", ["000_1b3bde70a2ec5fa8", "002_2e17d6f03e604df4", "004_3229dc59704982d3"])
def test_line_joins_are_placed_where_the_lines_were_joined(stem: str) -> None:
    text = (RAW / f"{stem}.txt").read_text(encoding="utf-8")
    # (the positions the passes report: found from where they point)
    changes = [c for c in cleanup.explain(text, exact_positions=False) if c.before != c.after]
    raw = RawText(text)
    spans = place(changes, raw, "", []).raw
    wraps = [(c, spans.get(i)) for i, c in enumerate(changes) if c.note in ("line wrap", "column break")]
    assert wraps
    for c, span in wraps:
        assert span is not None, c
        if c.note == "line wrap":  # the end of the line it names
            assert text[span.start : span.end].strip() == "" and raw.starts[c.line] == span.end, c
        else:  # the blank line just above the line it names (not the paragraph break below)
            assert span.end == raw.starts[c.line - 1], c


# ---- the HTML ------------------------------------------------------------------


def test_a_known_change_is_highlighted_on_both_sides() -> None:
    doc = parse(review_of(LEAD))
    removed = doc.find("del", class_="hl own", data_pass="widen_punctuation")
    added = doc.find("ins", class_="hl own", data_pass="widen_punctuation")
    assert [t for _, t in removed] == ["(", ")"]  # in the raw page
    assert [t for _, t in added] == ["（", "）"]  # in the cleaned text
    # the same change carries the same id on both sides, and its pass and reason
    assert removed[0][0]["data-c"] == added[0][0]["data-c"]
    assert removed[0][0]["title"] == "widen_punctuation: full-width in Chinese text"
    # the joined line break is struck through where the line ended
    assert [t for _, t in doc.find("del", class_="hl own", data_pass="join_wrapped_lines")] == ["↵"]


def test_each_pass_has_a_filter_and_its_highlights_name_it() -> None:
    doc = parse(review_of(LEAD))
    boxes = {a["data-pass"] for a, _ in doc.find("input", type="checkbox")}
    assert boxes == {"widen_punctuation", "join_wrapped_lines"}  # (the lead is no judgement call)
    highlighted = {a["data-pass"] for tag in ("del", "ins") for a, _ in doc.find(tag, class_="hl")}
    assert highlighted <= boxes
    listed = {a["data-pass"] for a, _ in doc.find("li", class_="chg")}
    assert listed == boxes


def test_page_text_never_becomes_markup() -> None:
    hostile = (
        '<script>alert(1)</script>\n"><img src=x onerror=alert(2)>\n'
        "本报讯(记者 <b onclick=x>张三</b>)为' onmouseover='alert(3)\n&lt;已转义&gt;。"
    )
    source = "<svg onload=alert(4)>.txt"
    doc = review_of(hostile, source)
    tags = parse(doc).tags
    assert [t for t, _ in tags if t in ("img", "svg", "b")] == []
    assert sum(t == "script" for t, _ in tags) == 1  # the page's own, inline
    assert not [k for _, attrs in tags for k in attrs if k.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&amp;lt" in doc  # entities in the text are shown as written (its ; is widened)


def test_hostile_text_inside_a_change_and_its_note_is_escaped() -> None:
    change = Change("repair_ocr_confusions", 1, 1, "<i>", '"><script>x</script>', "note <u>")
    page = Page((Article(title="t", blocks=(TextBlock("text", '"><script>x</script>'),)),), [change])
    doc = build_review([ReviewPage("a.txt", "<i>", page)])
    tags = parse(doc).tags
    assert sum(t == "script" for t, _ in tags) == 1
    assert [t for t, _ in tags if t in ("i", "u")] == []
    assert "note &lt;u&gt;" in doc


def test_uncertain_decisions_are_marked() -> None:
    # a reading chosen from the lexicon is a judgement call; a widened comma is not
    assert uncertain_why(Change("repair_ocr_confusions", 1, 1, "杳", "查", "OCR confusion 杳->查"))
    assert uncertain_why(Change("widen_punctuation", 1, 1, ",", "，", "full-width in Chinese text")) is None
    page = Page(
        (Article(kind="fragment", blocks=(TextBlock("text", "借助无人机累计巡航412"),)),),
        [
            Change(
                "assemble_articles",
                1,
                1,
                "借助无人机累计巡航412",
                "借助无人机累计巡航412",
                "text before any headline",
            )
        ],
    )
    doc = parse(build_review([ReviewPage("a.txt", "借助无人机累计巡航412", page)]))
    assert doc.find("p", class_="piece cut")  # a paragraph whose end was lost
    assert doc.find("article", class_="art fragment")  # text the assembly placed in no article
    assert doc.find("span", class_="flag", data_pass="assemble_articles")  # the raw line, flagged
    assert doc.find("li", class_="decision unsure")


def test_a_change_that_cannot_be_placed_is_listed_not_guessed() -> None:
    change = Change("repair_ocr_confusions", 1, 1, "杳", "查", "OCR confusion 杳->查")
    page = Page((Article(title="检查"),), [change])
    doc = build_review([ReviewPage("a.txt", "检查", page)])
    parsed = parse(doc)
    assert not parsed.find("del", class_="hl") and not parsed.find("ins", class_="hl")
    unplaced = doc[doc.index('class="list unplaced"') :]
    assert "not found in the raw page" in unplaced and "OCR confusion 杳-&gt;查" in unplaced


def test_pages_link_to_each_other() -> None:
    pages = [ReviewPage(n, LEAD, cleanup.clean_page(LEAD, n)) for n in ("a.txt", "b.txt", "c.txt")]
    doc = parse(build_review(pages))
    assert [a["href"] for a, _ in doc.find("a") if a["href"].startswith("#p")][:3] == ["#p1", "#p2", "#p3"]
    assert [a["href"] for a, _ in doc.find("a", class_="next")] == ["#p2", "#p3"]
    assert [a["href"] for a, _ in doc.find("a", class_="prev")] == ["#p1", "#p2"]


def assert_self_contained(doc: str) -> None:
    assert (
        "http://" not in doc
        and "https://" not in doc
        and "//" not in re.sub(r"<script>.*?</script>", "", doc, flags=re.S)
    )
    tags = parse(doc).tags
    assert not [a for _, a in tags if "src" in a]
    assert not [t for t, _ in tags if t in ("link", "iframe", "img", "object", "embed")]
    assert all(a["href"].startswith("#") for t, a in tags if t == "a")


def test_the_page_is_self_contained() -> None:
    assert_self_contained(review_of((RAW / "002_2e17d6f03e604df4.txt").read_text(encoding="utf-8")))


# ---- the command ---------------------------------------------------------------


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["review", *args], input=input)


def test_review_writes_one_page_for_the_run(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    r = run(str(RAW), "-o", str(out))
    assert r.exit_code == 0, r.output
    doc = out.read_text(encoding="utf-8")
    assert_self_contained(doc)
    for f in sorted(RAW.glob("*.txt")):
        assert f"<h2>{f.name}</h2>" in doc
    assert [p.name for p in tmp_path.iterdir()] == ["review.html"]  # (no temporary file left)


def test_review_reads_standard_input() -> None:
    r = run(input=LEAD.encode("utf-8"))
    assert r.exit_code == 0
    assert "<h2>stdin</h2>" in r.stdout and "（" in r.stdout


def test_review_never_writes_over_an_input(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(LEAD, encoding="utf-8")
    r = run(str(page), "-o", str(page))
    assert r.exit_code == 2
    assert page.read_text(encoding="utf-8") == LEAD
    assert (
        r.stderr.strip() == f"cleanup: error: {page}: is an input of this run; review never writes over one"
    )


def test_review_of_bad_input_fails_with_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    out = tmp_path / "r.html"
    r = run(str(binary), str(tmp_path / "missing.txt"), "-o", str(out))
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"cleanup: error: {tmp_path / 'missing.txt'}: no such file or folder",
        f"cleanup: error: {binary}: not text (PNG image)",
        "cleanup: error: no page to review; nothing was written",
    ]
    assert not out.exists()
    # with one good input, the page is written and the run still fails
    good = tmp_path / "good.txt"
    good.write_text(LEAD, encoding="utf-8")
    r = run(str(binary), str(good), "-o", str(out))
    assert r.exit_code == 2 and out.exists()
    assert "not text (PNG image)" in out.read_text(encoding="utf-8")


# ---- in a browser --------------------------------------------------------------

# The screenshot of the review page committed with the code; the browser
# test refreshes it when CLEANUP_REFRESH_SCREENSHOT=1 (otherwise it writes to
# a temporary folder and leaves the committed one alone).
SCREENSHOT = ROOT / "docs" / "review.png"
# Flags without which Chromium waits on the network of a closed machine.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def _browser_or_skip() -> tuple[str, str]:
    """Chromium and ChromeDriver; missing, the test skips, or fails where
    CLEANUP_BROWSER_TESTS is set (CI, which installs them)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        chromium = None
    if chromium and driver:
        return chromium, driver
    why = "needs chromium, chromium-driver (apt-get) and selenium (the test extra)"
    if os.environ.get("CLEANUP_BROWSER_TESTS"):
        pytest.fail(f"CLEANUP_BROWSER_TESTS is set but the browser test {why}")
    pytest.skip(why)


def test_review_page_in_headless_chromium(tmp_path: Path) -> None:
    chromium, driver_path = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    out = tmp_path / "review.html"
    # the space-joined page first (quotes, punctuation, spaces), then a hard-wrapped one
    r = run(str(RAW / "002_2e17d6f03e604df4.txt"), str(RAW / "000_1b3bde70a2ec5fa8.txt"), "-o", str(out))
    assert r.exit_code == 0, r.output
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}")
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        browser.set_page_load_timeout(60)
        browser.get(out.as_uri())
        js = browser.execute_script
        page = browser.find_element(By.ID, "p1")

        def visible(selector: str) -> int:
            """Highlights matching selector in page 1 that show as highlights."""
            return js(
                """return [...arguments[0].querySelectorAll(arguments[1])].filter(e => {
                       const s = getComputedStyle(e);
                       return s.display !== 'none' && (s.backgroundColor !== 'rgba(0, 0, 0, 0)');
                   }).length""",
                page,
                selector,
            )

        # every highlight the HTML holds is rendered: removed text struck through in red
        raw_del = ".pane.raw del.hl.own[data-pass=widen_punctuation]"
        clean_ins = ".pane.clean ins.hl.own[data-pass=widen_punctuation]"
        n_del, n_ins = visible(raw_del), visible(clean_ins)
        assert n_del > 100 and n_ins > 100
        assert n_del == len(page.find_elements(By.CSS_SELECTOR, raw_del))
        first = page.find_element(By.CSS_SELECTOR, raw_del)
        assert first.value_of_css_property("text-decoration-line") == "line-through"
        assert first.value_of_css_property("color") == "rgba(176, 0, 32, 1)"  # --del
        assert (
            page.find_element(By.CSS_SELECTOR, clean_ins).value_of_css_property("background-color")
            == "rgba(223, 245, 227, 1)"
        )  # --ins-bg
        spaces_before = visible(".hl[data-pass=remove_artifact_spaces]")
        assert spaces_before > 0

        # clicking a change shows its pass and reason, and outlines it on the other side
        first.click()
        info = browser.find_element(By.ID, "info")
        assert info.is_displayed() and "widen_punctuation" in info.text and "full-width" in info.text
        change_id = first.get_attribute("data-c")
        selected = page.find_elements(By.CSS_SELECTOR, f'.pane.clean .sel[data-c="{change_id}"]')
        assert selected, "the change is not outlined in the cleaned text"

        # unchecking a pass hides its highlights and list entries, and only those
        box = page.find_element(By.CSS_SELECTOR, ".filter input[data-pass=widen_punctuation]")
        box.click()
        assert visible(raw_del) == 0 and visible(clean_ins) == 0
        assert visible(".hl.extra[data-pass=widen_punctuation]") == 0
        assert first.value_of_css_property("text-decoration-line") == "none"
        entries = page.find_elements(By.CSS_SELECTOR, "li.chg[data-pass=widen_punctuation]")
        assert entries and not any(e.is_displayed() for e in entries)
        assert visible(".hl[data-pass=remove_artifact_spaces]") == spaces_before
        box.click()
        assert visible(raw_del) == n_del

        # nothing was fetched: the page is self-contained
        assert js("return performance.getEntriesByType('resource').length") == 0

        # from file to file
        page.find_element(By.CSS_SELECTOR, "a.next").click()
        assert js("return location.hash") == "#p2"

        js("document.getElementById('p1').scrollIntoView()")
        page.find_element(By.CSS_SELECTOR, ".pane.raw del.hl.own[data-pass=pair_quotes]").click()
        shot = SCREENSHOT if os.environ.get("CLEANUP_REFRESH_SCREENSHOT") else tmp_path / "review.png"
        assert browser.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    finally:
        browser.quit()


def test_context_is_not_searched_on_a_page_too_long_for_it() -> None:
    from cleanup.placement import CONTEXT_LIMIT

    raw = "甲乙丙丁戊己\n庚辛壬癸子丑"
    clean = "甲乙丙丁戊己庚辛壬癸子丑"
    join = Change("join_wrapped_lines", 1, 7, "\n", "")
    assert ContextFinder(raw, clean).place(join, Span(6, 7)) == (6, 6)
    padded = clean + "\n" + "寅" * CONTEXT_LIMIT
    assert ContextFinder(raw, padded).place(join, Span(6, 7)) is None
