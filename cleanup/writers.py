"""Render a page as text (for people), JSON Lines (for machines) or Markdown."""

from __future__ import annotations

import json

from .model import Article, Page

FORMATS = ("text", "jsonl", "markdown")
EXTENSIONS = {"text": ".txt", "jsonl": ".jsonl", "markdown": ".md"}
ARTICLE_RULE = "=" * 40


def _text_article(a: Article) -> str:
    head = [x for x in (a.kicker, a.title, a.subtitle, a.byline, a.jump) if x]
    body = [b.text for b in a.blocks]
    parts = []
    if head:
        parts.append("\n".join(head))
    parts.extend(body)
    return "\n\n".join(parts)


def to_text(page: Page) -> str:
    """Kicker, title, subtitle, byline, jump; a blank line; one block a line."""
    if not page.articles:
        return ""
    return ("\n\n" + ARTICLE_RULE + "\n\n").join(_text_article(a) for a in page.articles) + "\n"


def to_jsonl(page: Page) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in page.records())


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


def to_markdown(page: Page) -> str:
    if not page.articles:
        return ""
    return "\n\n---\n\n".join(_md_article(a) for a in page.articles) + "\n"


def render(page: Page, fmt: str) -> str:
    if fmt == "jsonl":
        return to_jsonl(page)
    if fmt == "markdown":
        return to_markdown(page)
    return to_text(page)
