"""Score cleaned pages against gold articles, with the metrics of conventions.md.

For each page, gold articles (JSONL) are compared with the output (JSONL
articles, or plain text):

- ``cer``: order-aware character error rate. Gold and output become one
  string a line (each kicker, title, subtitle, byline, jump and block); the
  gold articles are first put in the order the output has them (only article
  order is free), then the Levenshtein distance is divided by the number of
  gold characters. Leftover duplicates, furniture, wrong punctuation, wrong
  order inside an article: all count.
- ``exact``: share of gold blocks found verbatim as a whole output line.
- ``titles``: share of gold titles and subtitles found verbatim in the right
  field (JSONL) or as a whole line (text); fields a gold article lists in
  ``uncertain`` are left out.
- ``art_f1``: pairwise F1 of "in the same article" over gold blocks, each
  located at its best match in the output (JSONL only).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

FIELDS = ("kicker", "title", "subtitle", "byline", "jump")


def article_strings(art: dict) -> list[str]:
    head = [art.get(f) for f in FIELDS if art.get(f)]
    return [str(s) for s in head] + [b["text"] for b in art.get("blocks") or [] if b.get("text")]


@dataclass
class PageScore:
    page: str
    distance: int = 0
    gold_chars: int = 0
    blocks: int = 0
    exact: int = 0
    titles: int = 0
    title_hits: int = 0
    gold_articles: int = 0
    out_articles: int | None = None
    art_f1: float | None = None

    @property
    def cer(self) -> float:
        return self.distance / self.gold_chars if self.gold_chars else 0.0

    def row(self) -> dict[str, object]:
        out = asdict(self)
        out["cer"] = self.cer
        return out


def load_output(out_dir: Path, stem: str) -> tuple[str, object]:
    """("jsonl", articles) or ("text", text) for one page of output."""
    p = out_dir / f"{stem}.jsonl"
    if p.exists():
        return "jsonl", [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    for name in (f"{stem}.txt", stem):
        q = out_dir / name
        if q.exists():
            return "text", q.read_text(encoding="utf-8", errors="replace")
    return "text", ""


def output_lines(kind: str, out: object) -> list[tuple[str, int | None]]:
    if kind == "text":
        return [(x.strip(), None) for x in str(out).splitlines() if x.strip()]
    arts: list[dict] = list(out)  # type: ignore[call-overload]
    return [(s.strip(), a) for a, art in enumerate(arts) for s in article_strings(art) if s.strip()]


def _locate(needle: str, hay: str) -> tuple[int, int]:
    if not needle or not hay:
        return 0, 0
    if len(needle) >= len(hay):
        return 0, len(hay)
    al = partial_ratio_alignment(needle, hay)
    if al is None:
        return 0, 0
    # the alignment is reported for the shorter string as source
    return al.dest_start, al.dest_end


def score_page(name: str, gold: list[dict], kind: str, out: object) -> PageScore:
    lines = output_lines(kind, out)
    text = "\n".join(s for s, _ in lines)
    owner: list[int | None] = []
    for s, a in lines:
        owner.extend([a] * (len(s) + 1))
    located = []  # (article, field, string, start, end)
    for a, art in enumerate(gold):
        for f in FIELDS:
            if art.get(f):
                located.append((a, f, art[f], *_locate(art[f], text)))
        for b in art.get("blocks") or []:
            located.append((a, "block", b["text"], *_locate(b["text"], text)))
    # an article sits where its longest string was found
    where: dict[int, tuple[int, int]] = {}
    for a, _f, s, st, _en in located:
        if len(s) > where.get(a, (0, 0))[0]:
            where[a] = (len(s), st)
    order = sorted(range(len(gold)), key=lambda a: where.get(a, (0, 0))[1])
    gold_text = "\n".join(s for a in order for s in article_strings(gold[a]))
    res = PageScore(name, Levenshtein.distance(gold_text, text), len(gold_text), gold_articles=len(gold))
    blocks = [x for x in located if x[1] == "block"]
    line_set = {s for s, _ in lines}
    res.blocks = len(blocks)
    res.exact = sum(1 for x in blocks if x[2] in line_set)
    unsure = {(a, f) for a, art in enumerate(gold) for f in art.get("uncertain") or []}
    heads = [x for x in located if x[1] in ("title", "subtitle") and (x[0], x[1]) not in unsure]
    res.titles = len(heads)
    if kind == "jsonl":
        arts: list[dict] = list(out)  # type: ignore[call-overload]
        got = {f: {art.get(f) for art in arts} for f in ("title", "subtitle")}
        res.title_hits = sum(1 for x in heads if x[2] in got[x[1]])
        res.out_articles = len(out)  # type: ignore[arg-type]
        owners = []
        for x in blocks:
            seg = [o for o in owner[x[3] : x[4]] if o is not None]
            owners.append(Counter(seg).most_common(1)[0][0] if seg else -1)
        tp = fp = fn = 0
        for i in range(len(blocks)):
            for j in range(i + 1, len(blocks)):
                same_gold = blocks[i][0] == blocks[j][0]
                same_out = owners[i] == owners[j]
                tp += same_gold and same_out
                fp += same_out and not same_gold
                fn += same_gold and not same_out
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        res.art_f1 = 2 * p * r / (p + r) if p + r else 0.0
    else:
        res.title_hits = sum(1 for x in heads if x[2] in line_set)
    return res


def score_dir(gold_dir: Path, out_dir: Path) -> tuple[list[PageScore], PageScore]:
    rows = []
    for g in sorted(Path(gold_dir).glob("*.jsonl")):
        gold = [json.loads(x) for x in g.read_text(encoding="utf-8").splitlines() if x.strip()]
        rows.append(score_page(g.stem, gold, *load_output(Path(out_dir), g.stem)))
    return rows, total(rows)


def total(rows: list[PageScore]) -> PageScore:
    t = PageScore("TOTAL")
    for r in rows:
        t.distance += r.distance
        t.gold_chars += r.gold_chars
        t.blocks += r.blocks
        t.exact += r.exact
        t.titles += r.titles
        t.title_hits += r.title_hits
        t.gold_articles += r.gold_articles
    f1s = [r.art_f1 for r in rows if r.art_f1 is not None]
    t.art_f1 = sum(f1s) / len(f1s) if f1s else None
    outs = [r.out_articles for r in rows if r.out_articles is not None]
    t.out_articles = sum(outs) if outs else None
    return t


def table(rows: list[PageScore], tot: PageScore) -> str:
    out = [f"{'page':28} {'cer':>7} {'dist':>6} {'exact':>9} {'titles':>9} {'art_f1':>6} {'arts':>7}"]
    for r in [*rows, tot]:
        arts = f"{r.out_articles}/{r.gold_articles}" if r.out_articles is not None else ""
        f1 = f"{r.art_f1:.2f}" if r.art_f1 is not None else "-"
        out.append(
            f"{r.page[:28]:28} {r.cer:7.4f} {r.distance:6} {r.exact:4}/{r.blocks:<4} "
            f"{r.title_hits:4}/{r.titles:<4} {f1:>6} {arts:>7}"
        )
    return "\n".join(out)


def as_json(rows: list[PageScore], tot: PageScore) -> str:
    return json.dumps({"pages": [r.row() for r in rows], "total": tot.row()}, ensure_ascii=False)
