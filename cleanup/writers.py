"""Render a page as text (for people), JSON Lines (for machines) or Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .chars import leaves_open
from .lexicon import spans_word
from .model import Article, Page, TextBlock
from .rules import load_rules
from .structure.assemble import Draft, parse_header

FORMATS = ("text", "jsonl", "markdown")
EXTENSIONS = {"text": ".txt", "jsonl": ".jsonl", "markdown": ".md"}
ARTICLE_RULE = "=" * 40


# Jumps that send the reader on to another page are printed at the article's
# end; the others (上接第一版) above its headline.
_JUMP_AT_END = ("下转", "转下", "转第")


def _may_run_on(line: str, nxt: TextBlock) -> bool:
    """Could line joining take a headline line and the paragraph after it,
    one blank line apart, for one paragraph cut by a column break? It does
    when the line leaves a quote or bracket open, or when a word straddles
    the cut (``…普法及安`` / ``全教育…``): two blank lines then keep them apart."""
    return nxt.type == "text" and (leaves_open(line) or spans_word(line.strip()[-3:], nxt.text.strip()[:3]))


def _reads_back(a: Article) -> bool:
    """Do kicker, title and subtitle, one a line, read as the same fields?"""
    d = Draft()
    # the shipped rubrics: a page cleaned with extra rule folders may print a
    # kicker of theirs below the byline, which reads back the same
    left = parse_header([x for x in (a.kicker, a.title, a.subtitle) if x], d, load_rules().rubrics)
    return not left and (d.kicker, d.title, d.subtitle) == (a.kicker, a.title, a.subtitle)


def _text_article(a: Article) -> str:
    """The article as printed: a jump line keeps its parentheses, so that
    cleaning this text again gives the same articles (idempotence)."""
    jump = f"（{a.jump}）" if a.jump else None
    at_end = bool(a.jump) and str(a.jump).startswith(_JUMP_AT_END)
    top = jump if jump and not at_end else None
    end = jump if jump and at_end else None
    if a.kind == "photo":
        parts = [b.text for b in a.blocks] + ([a.byline] if a.byline else [])
        return "\n".join(parts)
    fields: tuple[str | None, ...] = (top, a.kicker, a.title, a.subtitle, a.byline)
    blocks = a.blocks
    below = None
    if a.kicker and a.byline and not _reads_back(a) and (not blocks or blocks[0].type == "text"):
        # a kicker printed above a title it would not read as the kicker of
        # (two lines above a byline are title and subtitle) is printed below
        # the byline, where it was found, a blank line apart: right under the
        # byline a short line would read as the rest of the byline's names
        fields = (top, a.title, a.subtitle, a.byline)
        below = a.kicker
    elif a.byline and a.subtitle and blocks and blocks[0].type == "heading":
        # a headline line under the byline reads as the kicker (or, with
        # another after it, as the next article's headline): headings that
        # open the body were the header's lines left over, printed above the
        # byline, and are printed there (the header reads the same again)
        n = next((k for k, b in enumerate(blocks) if b.type != "heading"), len(blocks))
        fields = (top, a.kicker, a.title, a.subtitle, *(b.text for b in blocks[:n]), a.byline)
        blocks = blocks[n:]
    head = [x for x in fields if x]
    parts = ["\n".join(head)] if head else []
    if below:
        parts.append(below)
    if head and blocks and _may_run_on(head[-1], blocks[0]):
        parts[0] += "\n"
    for b, nxt in zip(blocks, [*blocks[1:], None]):
        # a paragraph whose end was lost gets an extra blank line, so that
        # cleaning this text again does not join it with the next one
        if b.type == "text":
            lost_end = nxt is not None and nxt.type == "text" and b.cut
        else:
            lost_end = nxt is not None and _may_run_on(b.text, nxt)
        parts.append(b.text + ("\n" if lost_end else ""))
    if end:
        parts.append(end)
    return "\n\n".join(parts)


def _md_article(a: Article) -> str:
    """The article as the text format prints it, marked up: the title as a
    level-1 heading, section headings as level 3, header lines kept apart by
    hard line breaks. Cleaning it again reads the marks as hints and gives
    the same Markdown (the text format's idempotence, marks and all)."""
    text = _text_article(a)
    title = f"{a.title}" if a.title else None
    headings = {b.text for b in a.blocks if b.type == "heading"}
    paragraphs = text.split("\n\n")
    out = []
    for k, para in enumerate(paragraphs):
        lines = para.split("\n")
        if k == 0 and a.kind != "photo":
            lines = [f"# {x}" if x == title else x for x in lines]
            out.append("  \n".join(lines))
        elif len(lines) == 1 and lines[0] in headings:
            out.append(f"### {lines[0]}")
        else:
            out.append(para)
    return "\n\n".join(out)


# Between two articles, per format (JSON Lines: one record a line, nothing between).
_BETWEEN = {"text": "\n\n" + ARTICLE_RULE + "\n\n", "markdown": "\n\n---\n\n"}


def render_chunks(articles: Iterable[Article], fmt: str, source: str | None = None) -> Iterator[str]:
    """The rendering of a sequence of articles, one piece per article.

    Joined, the pieces are exactly ``render`` of a page holding those
    articles; a large file is rendered page by page this way without ever
    holding all its articles (JSON Lines ``index`` counts across pages).
    """
    if fmt == "jsonl":
        for i, a in enumerate(articles):
            yield json.dumps(a.as_dict(source, i), ensure_ascii=False) + "\n"
        return
    one = _md_article if fmt == "markdown" else _text_article
    between = _BETWEEN.get(fmt, _BETWEEN["text"])
    first = True
    for a in articles:
        yield one(a) if first else between + one(a)
        first = False
    if not first:
        yield "\n"


def render(page: Page, fmt: str) -> str:
    """The page as text (kicker, title, subtitle, byline, jump; a blank line;
    one block a line; articles between rules), JSON Lines or Markdown."""
    return "".join(render_chunks(page.articles, fmt, page.source))


def to_text(page: Page) -> str:
    return render(page, "text")


def to_jsonl(page: Page) -> str:
    return render(page, "jsonl")


def to_markdown(page: Page) -> str:
    return render(page, "markdown")
