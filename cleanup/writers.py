"""Render a page as text (for people), JSON Lines (for machines) or Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .chars import ends_sentence
from .model import Article, Page

FORMATS = ("text", "jsonl", "markdown")
EXTENSIONS = {"text": ".txt", "jsonl": ".jsonl", "markdown": ".md"}
ARTICLE_RULE = "=" * 40


# Jumps that send the reader on to another page are printed at the article's
# end; the others (上接第一版) above its headline.
_JUMP_AT_END = ("下转", "转下", "转第")


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
    head = [x for x in (top, a.kicker, a.title, a.subtitle, a.byline) if x]
    parts = ["\n".join(head)] if head else []
    for b, nxt in zip(a.blocks, [*a.blocks[1:], None]):
        # a paragraph whose end was lost gets an extra blank line, so that
        # cleaning this text again does not join it with the next one
        lost_end = b.type == "text" and nxt is not None and nxt.type == "text" and not ends_sentence(b.text)
        parts.append(b.text + ("\n" if lost_end else ""))
    if end:
        parts.append(end)
    return "\n\n".join(parts)


def _md_article(a: Article) -> str:
    out = []
    if a.kicker:
        out.append(f"*{a.kicker}*")
    if a.title:
        out.append(f"# {a.title}")
    if a.subtitle:
        out.append(f"## {a.subtitle}")
    if a.byline:
        out.append(f"**{a.byline}**")
    if a.jump:
        out.append(f"> {a.jump}")
    for b in a.blocks:
        out.append(f"### {b.text}" if b.type == "heading" else b.text)
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
