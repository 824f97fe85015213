"""Lay clean articles out as newspaper pages (HTML/CSS) with their gold.

A page is a stack of rows; a row holds one box or several boxes side by
side; a box is one article set in 1..N columns of the page grid (CSS
multi-column, so the browser breaks the columns as a paper's layout program
would). Everything a real paper varies is drawn from the page's seed: number
of columns, characters a line, leading, column gaps and rules, paragraph
indents, headline across the box, kicker / title / subtitle / byline lines,
section headings, photos with caption and credit, jump lines, and an
article cut at the page end (continued on another page).

The gold of a page is its articles exactly as printed, in reading order
(box by box, row by row), in the output schema of conventions.md. No damage
is made here: all of it comes from the extraction tools that read the PDF.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FONTS = ("WenQuanYi Zen Hei", "AR PL UMing CN")
_NUMERALS = "二三四五六七八"


def _key(article: dict) -> str:
    text = (article.get("title") or "") + "".join(b["text"] for b in article["blocks"])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def article_pool() -> list[dict]:
    """The clean articles: the project's corpus and the samples' gold."""
    arts = [
        json.loads(line) for line in (ROOT / "bench" / "corpus" / "articles.jsonl").open(encoding="utf-8")
    ]
    for path in sorted((ROOT / "samples" / "expected").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            a = json.loads(line)
            a.pop("source", None)
            a.pop("index", None)
            if a["kind"] != "fragment" and a["blocks"]:
                arts.append(a)
    return arts


def split_of_article(article: dict) -> str:
    """Articles are split too, so that held-out pages hold text never tuned on."""
    return "test" if int(_key(article)[:8], 16) % 4 == 0 else "dev"


@dataclass(frozen=True)
class Geometry:
    columns: int
    chars: int  # characters a column line
    font_px: int
    leading: float
    gap_em: float
    rules: bool
    indent: bool
    font: str


def draw_geometry(rng: random.Random) -> Geometry:
    return Geometry(
        columns=rng.randint(3, 8),
        chars=rng.randint(8, 20),
        font_px=rng.choice([13, 14, 15, 16]),
        leading=round(rng.uniform(1.3, 1.7), 2),
        gap_em=round(rng.uniform(0.8, 2.0), 1),
        rules=rng.random() < 0.4,
        indent=rng.random() < 0.6,
        font=rng.choice(FONTS),
    )


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _cut(article: dict, rng: random.Random, page_no: int) -> dict:
    """The article continued on another page: its body stops mid-paragraph."""
    blocks = [b for b in article["blocks"]]
    texts = [k for k, b in enumerate(blocks) if b["type"] == "text" and len(b["text"]) > 30]
    if not texts:
        return article
    k = rng.choice(texts[: max(1, len(texts) - 1)] if len(texts) > 1 else texts)
    text = blocks[k]["text"]
    # cut after a Han character, never after a mark (a paper cuts a line, not a sentence)
    cuts = [i for i in range(len(text) // 3, len(text) - 5) if "\u4e00" <= text[i - 1] <= "\u9fff"]
    if not cuts:
        return article
    at = rng.choice(cuts)
    blocks = [*blocks[:k], {"type": "text", "text": text[:at]}]
    return {**article, "blocks": blocks, "jump": f"下转第{_NUMERALS[page_no % len(_NUMERALS)]}版"}


def _title_html(title: str, rng: random.Random) -> str:
    # a title of two parallel phrases is often printed as two lines
    if " " in title and rng.random() < 0.5:
        return "<br>".join(_esc(p) for p in title.split(" "))
    return _esc(title)


def _box_html(a: dict, span: int, geo: Geometry, rng: random.Random, first: bool) -> str:
    if a["kind"] == "photo":
        span = min(span, 2)  # a photo sits in one or two columns, not set in columns
    cols = 1 if a["kind"] == "photo" else max(1, span)
    # the first box of a row starts at the page's left edge: a new grid row
    place = f"grid-column: 1 / span {span}" if first else f"grid-column: span {span}"
    style = [place, f"column-count: {cols}", f"column-gap: {geo.gap_em}em"]
    if geo.rules:
        style.append("column-rule: 1px solid #444")
    out = [f'<div class="box" style="{"; ".join(style)}">']
    if a["kind"] == "photo":
        out.append(f'<div class="photo" style="height: {rng.randint(5, 12)}em"></div>')
        for b in a["blocks"]:
            out.append(f'<p class="caption">{_esc(b["text"])}</p>')
        if a.get("byline"):
            out.append(f'<p class="credit">{_esc(a["byline"])}</p>')
        out.append("</div>")
        return "\n".join(out)
    head = []
    if a.get("jump") and not a["jump"].startswith("下转"):
        head.append(f'<p class="jump">（{_esc(a["jump"])}）</p>')
    if a.get("kicker"):
        head.append(f'<p class="kicker">{_esc(a["kicker"])}</p>')
    if a.get("title"):
        size = rng.choice([1.5, 1.8, 2.2]) if span > 1 else 1.3
        head.append(f'<h1 style="font-size: {size}em">{_title_html(a["title"], rng)}</h1>')
    if a.get("subtitle"):
        head.append(f'<p class="subtitle">{_esc(a["subtitle"])}</p>')
    if a.get("byline"):
        head.append(f'<p class="byline">{_esc(a["byline"])}</p>')
    if head:
        out.append('<div class="head">' + "\n".join(head) + "</div>")
    for b in a["blocks"]:
        if b["type"] == "heading":
            out.append(f"<h3>{_esc(b['text'])}</h3>")
        else:
            out.append(f"<p>{_esc(b['text'])}</p>")
    if a.get("jump") and a["jump"].startswith("下转"):
        out.append(f'<p class="jump end">（{_esc(a["jump"])}）</p>')
    out.append("</div>")
    return "\n".join(out)


CSS = """
@page {{ size: {width}px {height}px; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "{font}"; font-size: {font_px}px; line-height: {leading};
        width: {inner}px; padding: 30px; }}
.page {{ display: grid; grid-template-columns: repeat({columns}, 1fr); column-gap: {gap_em}em;
         row-gap: 1.2em; align-items: start; }}
.box {{ border-top: 2px solid #000; padding-top: 0.4em; }}
.head {{ column-span: all; text-align: center; margin-bottom: 0.5em; }}
h1 {{ margin: 0.2em 0; line-height: 1.25; font-weight: bold; }}
h3 {{ font-size: 1em; font-weight: bold; margin: 0.4em 0; break-after: avoid; }}
p {{ margin: 0; text-align: justify; text-indent: {indent}; }}
.head p {{ text-indent: 0; text-align: center; margin: 0.15em 0; }}
.kicker {{ font-size: 1.1em; }}
.subtitle {{ font-size: 1.1em; }}
.photo {{ border: 1px solid #000; background: #ddd; margin-bottom: 0.3em; }}
.caption {{ text-indent: 0; }}
.credit {{ text-indent: 0; text-align: right; }}
.jump.end {{ text-align: right; text-indent: 0; }}
"""


def make_page(seed: int, pool: list[dict], height: int | None = None) -> tuple[str, list[dict], Geometry]:
    """HTML of one page and its gold articles, both from the seed."""
    rng = random.Random(seed)
    geo = draw_geometry(rng)
    column_px = geo.chars * geo.font_px
    inner = geo.columns * column_px + (geo.columns - 1) * int(geo.gap_em * geo.font_px)
    budget = rng.randint(2400, 4200)  # characters of body text on the page
    rows: list[list[tuple[dict, int]]] = []
    used = 0
    order = pool[:]
    rng.shuffle(order)
    it = iter(order)
    while used < budget:
        side_by_side = geo.columns >= 4 and rng.random() < 0.45
        if side_by_side:
            left = rng.randint(1, geo.columns - 1)
            spans = [left, geo.columns - left]
        else:
            spans = [rng.randint(max(1, geo.columns // 2), geo.columns)]
        row = []
        for span in spans:
            a = next(it, None)
            if a is None:
                break
            row.append((a, span))
            used += sum(len(b["text"]) for b in a["blocks"])
        if not row:
            break
        rows.append(row)
    # the last article of the page, or one of the others, goes on to another page
    flat = [(r, k) for r, row in enumerate(rows) for k in range(len(row))]
    if rng.random() < 0.7:
        r, k = flat[-1] if rng.random() < 0.6 else rng.choice(flat)
        a, span = rows[r][k]
        if a["kind"] == "article":
            rows[r][k] = (_cut(a, rng, seed), span)
    body = []
    gold: list[dict] = []
    for row in rows:
        for k, (a, span) in enumerate(row):
            body.append(_box_html(a, span, geo, rng, k == 0))
            gold.append(
                {k: a.get(k) for k in ("kind", "kicker", "title", "subtitle", "byline", "blocks", "jump")}
            )
    height_guess = 60 + int(used * geo.font_px * geo.font_px * geo.leading * 1.9 / inner) + 400 * len(rows)
    css = CSS.format(
        width=inner + 60,
        height=height or max(800, 2 * height_guess),
        inner=inner,
        font=geo.font,
        font_px=geo.font_px,
        leading=geo.leading,
        columns=geo.columns,
        gap_em=geo.gap_em,
        indent="2em" if geo.indent else "0",
    )
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<style>{css}</style></head><body><div class="page">\n'
        + "\n".join(body)
        + "\n</div></body></html>\n"
    )
    return page, gold, geo
