"""Render clean articles into damaged raw pages, with their gold.

The generator imitates the extractor dialects of conventions.md, seeded and
reproducible, so that quality can be measured on pages nobody tuned for:

- ``hard_wrapped``: printed column lines of a random width; news items print
  their headline after the body; column breaks (blank lines) fall inside
  paragraphs; now and then a justified line is spaced out;
- ``markdown``: ``#``/``##`` marks, whole paragraphs per line, paragraphs cut
  in two by a blank line at column ends;
- ``space_joined``: printed lines joined with ASCII spaces, a paragraph's
  first line indented, straight quotes, ASCII punctuation, ``一`` for dashes;
- ``long_paragraphs``: paragraphs per line, cut at column ends, a paragraph
  printed twice, characters repeated at a break;

plus page-wide damage: ASCII punctuation, straight quotes, Kangxi radicals,
full-width digits, CRLF, and the bytes of GB18030, Big5 (after converting the
page to traditional characters, gold included) or UTF-8 mojibake.

Every page's gold is the clean articles it was rendered from (JSONL, the
conventions' schema), so the score is against the truth.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DIALECTS = ("hard_wrapped", "markdown", "space_joined", "long_paragraphs")
_ASCII = {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "？": "?", "！": "!"}
# Unified ideograph -> Kangxi radical that looks the same (NFKC inverted).
_KANGXI = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0x2F00, 0x2FD6)}


@dataclass(frozen=True)
class SynthPage:
    name: str
    raw: bytes
    gold: list[dict]
    dialect: str
    damage: tuple[str, ...]


def load_articles(paths: Sequence[Path]) -> list[dict]:
    """Clean articles from JSONL files (source and index are dropped)."""
    return [a for p in paths for a in load_articles_text(p.read_text(encoding="utf-8"))]


def load_articles_text(text: str) -> list[dict]:
    """Clean articles from JSONL text (source and index are dropped)."""
    out = []
    for line in text.splitlines():
        if line.strip():
            a = json.loads(line)
            out.append(
                {k: a.get(k) for k in ("kind", "kicker", "title", "subtitle", "byline", "blocks", "jump")}
            )
    return out


def _wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Cut text into printed lines of a display width (first line indented)."""
    lines, cur, w = [], "", float(indent)
    for ch in text:
        cw = 0.5 if ord(ch) < 128 else 1.0
        # closing punctuation never starts a line (避头点): it overhangs; a
        # number or a Latin word is never broken across lines
        unbreakable = ch in "，。、；：？！”’）》" or (
            ch.isascii() and ch.isalnum() and cur[-1:].isascii() and cur[-1:].isalnum()
        )
        if w + cw > width and cur and not unbreakable:
            lines.append(cur)
            cur, w = "", 0.0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


def _spaced_out(line: str) -> str:
    """A justified line: a space between characters, numbers and words kept whole."""
    return re.sub(r"(?<=[^\x00-\x7f])(?=.)|(?<=[\x00-\x7f])(?=[^\x00-\x7f])", " ", line)


def _cut(rng: random.Random, para: str) -> list[str]:
    """A paragraph cut at a column end into two pieces (or left whole)."""
    if len(para) < 30 or rng.random() < 0.6:
        return [para]
    at = rng.randrange(10, len(para) - 10)
    # a cut never leaves punctuation at the start of the next column
    while at < len(para) - 1 and para[at] in "，。、；：？！”’）》":
        at += 1
    return [para[:at], para[at:]]


def _head_lines(a: dict) -> list[str]:
    return [x for x in (a.get("kicker"), a.get("title"), a.get("subtitle")) if x]


def _header(a: dict, dash: str = "——") -> list[str]:
    """Kicker, title, subtitle and byline as blocks; ``dash`` prints the subtitle's ——."""
    out: list[str] = []
    for h in _head_lines(a):
        out += [dash + h[2:] if h.startswith("——") else h, ""]
    if a.get("byline"):
        out += [a["byline"], ""]
    return out


def render_hard_wrapped(rng: random.Random, arts: list[dict]) -> str:
    width = rng.randint(11, 22)
    after = rng.random() < 0.5  # news headlines printed after their body
    out: list[str] = []
    for a in arts:
        body: list[str] = []
        for b in a["blocks"]:
            if b["type"] == "heading":
                body += ["", b["text"], ""]
                continue
            lines = _wrap(b["text"], width)
            if rng.random() < 0.15 and len(lines) > 2:  # a justified, spaced-out line
                k = rng.randrange(len(lines) - 1)
                lines[k] = _spaced_out(lines[k])
            if rng.random() < 0.3 and len(lines) > 3:  # a column break inside the paragraph
                k = rng.randrange(1, len(lines) - 1)
                lines.insert(k, "")
            body += [*lines, ""]
        if a["kind"] == "photo":
            credit = a.get("byline") or ""
            if rng.random() < 0.5 and " " in credit:
                first, rest = credit.split(" ", 1)
                credit = f"{first}\n{rest}"
            out += [*_wrap(a["blocks"][0]["text"], width), "", credit, ""]
            continue
        head = _head_lines(a)
        title = a.get("title") or ""
        if title and " " in title and len(title) <= 21 and rng.random() < 0.5 and not a.get("kicker"):
            # a two-part title printed on two lines
            head = [*title.split(" ", 1), *head[1:]]
            head = [head[0] + "\n" + head[1], *head[2:]]
        header = "\n\n".join(head)
        jump = f"（{a['jump']}）\n\n" if a.get("jump") else ""
        byline = f"\n\n{a['byline']}" if a.get("byline") else ""
        is_news = not a.get("byline") and a["blocks"] and a["blocks"][0]["text"].startswith("本报")
        if after and is_news and not jump:
            out += [*body, header, ""]
        else:
            out += [jump + header + byline, "", *body]
    return "\n".join(out)


def render_markdown(rng: random.Random, arts: list[dict]) -> str:
    out: list[str] = []
    for a in arts:
        if a["kind"] == "photo":
            out += [a["blocks"][0]["text"], "", a.get("byline") or "", ""]
            continue
        if a.get("jump"):
            out += [f"（{a['jump']}）", ""]
        if a.get("kicker"):
            out += [a["kicker"], ""]
        if a.get("title"):
            out += [("# " if rng.random() < 0.5 else "## ") + a["title"], ""]
        if a.get("subtitle"):
            out += [a["subtitle"], ""]
        if a.get("byline"):
            out += [a["byline"], ""]
        for b in a["blocks"]:
            if b["type"] == "heading":
                out += ["## " + b["text"], ""]
            else:
                for piece in _cut(rng, b["text"]):
                    out += [piece, ""]
    return "\n".join(out)


def render_space_joined(rng: random.Random, arts: list[dict]) -> str:
    width = rng.randint(13, 21)
    out: list[str] = []
    for a in arts:
        if a["kind"] == "photo":
            out += [a["blocks"][0]["text"] + " " + (a.get("byline") or ""), ""]
            continue
        out += _header(a, dash="一")
        for b in a["blocks"]:
            if b["type"] == "heading":
                out += [b["text"], ""]
                continue
            lines = _wrap(b["text"], width, indent=2)
            if rng.random() < 0.3 and len(lines) > 3:  # a column break
                k = rng.randrange(2, len(lines) - 1)
                out += [" ".join(lines[:k]), "", " ".join(lines[k:]), ""]
            else:
                out += [" ".join(lines), ""]
    return "\n".join(out)


def render_long_paragraphs(rng: random.Random, arts: list[dict]) -> str:
    out: list[str] = []
    for a in arts:
        if a["kind"] == "photo":
            out += ["", a["blocks"][0]["text"], a.get("byline") or "", ""]
            continue
        out += _header(a)
        for b in a["blocks"]:
            if b["type"] == "heading":
                out += [b["text"], ""]
                continue
            pieces = _cut(rng, b["text"])
            if len(pieces) == 2 and rng.random() < 0.3:  # text repeated at the break
                pieces[1] = pieces[0][-1] + pieces[1]
            for p in pieces:
                out += [p, ""]
            if len(b["text"]) > 40 and rng.random() < 0.08:  # a paragraph printed twice
                out += [pieces[-1], ""]
    return "\n".join(out)


RENDERERS = {
    "hard_wrapped": render_hard_wrapped,
    "markdown": render_markdown,
    "space_joined": render_space_joined,
    "long_paragraphs": render_long_paragraphs,
}


def _ascii_punctuation(text: str) -> str:
    return "".join(_ASCII.get(c, c) for c in text)


def _straight_quotes(text: str) -> str:
    return text.replace("“", '"').replace("”", '"')


def _kangxi(rng: random.Random, text: str) -> str:
    return "".join(_KANGXI[c] if c in _KANGXI and rng.random() < 0.3 else c for c in text)


def _fullwidth_digits(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in text)


def _mojibake_lines(rng: random.Random, text: str) -> str:
    """UTF-8 read as GBK, on a few lines (where the bytes happen to decode)."""
    out = []
    for line in text.split("\n"):
        if line and rng.random() < 0.1:
            try:
                line = line.encode("utf-8").decode("gb18030")
            except UnicodeDecodeError:
                pass
        out.append(line)
    return "\n".join(out)


def _to_traditional(arts: list[dict]) -> list[dict]:
    import opencc

    conv = opencc.OpenCC("s2t.json")

    def c(v: object) -> object:
        return conv.convert(v) if isinstance(v, str) else v

    out = []
    for a in arts:
        b = {k: c(v) for k, v in a.items() if k != "blocks"}
        b["blocks"] = [{"type": x["type"], "text": conv.convert(x["text"])} for x in a["blocks"]]
        out.append(b)
    return out


def make_page(rng: random.Random, pool: list[dict], name: str, dialect: str | None = None) -> SynthPage:
    n = rng.randint(3, 7)
    arts = [dict(a) for a in rng.sample(pool, min(n, len(pool)))]
    dialect = dialect or rng.choice(DIALECTS)
    damage: list[str] = []
    encoding = rng.choices(["utf-8", "gb18030", "big5", "mojibake"], [0.7, 0.12, 0.08, 0.1])[0]
    if encoding == "big5":
        arts = _to_traditional(arts)
    text = RENDERERS[dialect](rng, arts)
    if dialect == "space_joined" or rng.random() < 0.3:
        text = _ascii_punctuation(text)
        damage.append("ascii_punctuation")
    if dialect == "space_joined" or rng.random() < 0.2:
        text = _straight_quotes(text)
        damage.append("straight_quotes")
    if rng.random() < 0.15:
        text = _kangxi(rng, text)
        damage.append("kangxi")
    if rng.random() < 0.15:
        text = _fullwidth_digits(text)
        damage.append("fullwidth_digits")
    if encoding == "mojibake":
        text = _mojibake_lines(rng, text)
        damage.append("mojibake")
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
        damage.append("crlf")
    codec = {"gb18030": "gb18030", "big5": "big5"}.get(encoding, "utf-8")
    try:
        raw = text.encode(codec)
    except UnicodeEncodeError:  # a character Big5 lacks: GB18030 has them all
        codec = "gb18030"
        raw = text.encode(codec)
    if codec != "utf-8":
        damage.append(codec)
    gold = [{"source": f"{name}.txt", "index": i, **a} for i, a in enumerate(arts)]
    return SynthPage(name, raw, gold, dialect, tuple(damage))


def generate(
    pool: list[dict], count: int, seed: int = 0, dialect: str | None = None, prefix: str = "synth"
) -> list[SynthPage]:
    rng = random.Random(seed)
    return [make_page(rng, pool, f"{prefix}_{seed}_{i:04d}", dialect) for i in range(count)]


def write_pages(pages: list[SynthPage], raw_dir: Path, gold_dir: Path) -> None:
    raw_dir.mkdir(parents=True, exist_ok=True)
    gold_dir.mkdir(parents=True, exist_ok=True)
    for p in pages:
        (raw_dir / f"{p.name}.txt").write_bytes(p.raw)
        (gold_dir / f"{p.name}.jsonl").write_text(
            "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in p.gold), encoding="utf-8"
        )


def default_pool(root: Path) -> list[dict]:
    """The samples' gold articles plus the corpus of clean articles, from a
    checkout at root; in an installed package, the corpus it ships."""
    paths = sorted((root / "samples" / "expected").glob("*.jsonl"))
    corpus = root / "bench" / "corpus" / "articles.jsonl"
    if corpus.exists():
        paths.append(corpus)
    if paths:
        return load_articles(paths)
    shipped = resources.files("cleanup.corpusdata").joinpath("articles.jsonl")
    return load_articles_text(shipped.read_text(encoding="utf-8"))
