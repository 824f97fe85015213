"""The review page: one self-contained HTML file showing, for each input
page, the raw text and the cleaned articles side by side with every change
highlighted on both sides (removed text struck through in red, added text in
green, as Transkribus' compare view shows them), the pass and reason of each
change on hover or click, a list of the page's changes filterable by pass,
navigation between pages, and the uncertain decisions marked.

Nothing in the page is fetched: CSS and JS are inline, and every text of
the input is escaped (page text must never become markup). Where a change
sits is found by ``cleanup.placement``; what it cannot find is listed, not
guessed.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .config import Config
from .io import Replacement, decode, read_chunks
from .model import Change, Page
from .pipeline import lines_in, page_separator_pattern, run_split, split_pages
from .placement import Piece, Placement, RawText, Span, Taken, clean_text_of, pieces, place
from .runner import Job, _replacement_change


class Uncertain(NamedTuple):
    """Changes and decisions that are judgement calls: a pass, a prefix of
    its note ("" for every note of the pass), and why an operator should look."""

    pass_name: str
    note: str
    why: str


# The judgement calls, marked on the page (README: "Reviewing changes").
# Repairs with one reading (a full-width comma, a paired quote, an exact
# duplicate block, a line wrap inside a paragraph) are not listed.
UNCERTAIN = (
    Uncertain("decode", "", "bytes no codec could read were replaced: text lost"),
    Uncertain("fix_mojibake", "", "a decoding was chosen for the line"),
    Uncertain("read_side_by_side_columns", "", "the reading order of columns was chosen"),
    Uncertain("drop_break_repeats", "", "text taken for a repeat across a break was dropped"),
    Uncertain("drop_duplicate_paragraphs", "", "a paragraph taken for a copy was dropped"),
    Uncertain("join_wrapped_lines", "column break", "a paragraph was continued across a blank line"),
    Uncertain("restore_reading_order", "", "text was moved to continue another paragraph"),
    Uncertain("restore_displaced_lines", "", "a printed line was moved"),
    Uncertain("repair_mirrored_quotes", "", "a quote was turned: a reading was chosen"),
    Uncertain("repair_dashes", "一 in a dash position", "一 was read as a dash, not as 'one'"),
    Uncertain("drop_doubled_heading_tails", "", "a heading's tail was taken for a doubled one"),
    Uncertain("repair_ocr_confusions", "", "a reading was chosen from the lexicon"),
    Uncertain(
        "assemble_articles", "headline printed after its body", "a headline was moved back to its body"
    ),
    Uncertain("assemble_articles", "kicker printed after the byline", "a line was taken for a kicker"),
    Uncertain("assemble_articles", "name on its own line", "a lone name was taken for the byline"),
    Uncertain("assemble_articles", "body of the header printed before it", "a body was given to a header"),
    Uncertain("assemble_articles", "text before any headline", "text not placed in any article"),
    Uncertain("assemble_articles", "kicker is the start of a cut title", "a kicker was joined to the title"),
    Uncertain("assemble_articles", "second jump line", "a second jump line was kept as text"),
)

# What a cleaned paragraph or article is marked with when it is uncertain.
CUT_WHY = "cut: this paragraph stops mid-sentence (its end was lost, or its continuation not found)"
FRAGMENT_WHY = "fragment: text whose article is not on this page (the assembly found no headline for it)"


def uncertain_why(c: Change) -> str | None:
    """Why c is a judgement call, or None."""
    for u in UNCERTAIN:
        if c.pass_name == u.pass_name and c.note.startswith(u.note):
            return u.why
    return None


@dataclass(frozen=True)
class ReviewPage:
    """One page to review: the raw text as decoded and what cleaning made of it."""

    source: str  # the file as named in the report
    raw: str
    page: Page
    number: int = 1  # the page's number in its file
    pages: int = 1  # pages in the file
    first_line: int = 1  # the file line the raw text starts on (change lines are file lines)
    replaced: tuple[Replacement, ...] = field(default=())

    @property
    def label(self) -> str:
        return self.source if self.pages == 1 else f"{self.source} (page {self.number} of {self.pages})"


def read_review_pages(job: Job, config: Config, encoding: str | None = None) -> list[ReviewPage]:
    """The pages of one planned input (a file, or standard input), cleaned.

    Read and decoded as the main command reads them (``cleanup.runner``):
    the same codec detection, replaced bytes and page splitting; a
    CleanupError names the file. The whole input is held: a review page is
    for a person to read, not for a 50 MB file.
    """
    replaced: list[Replacement] = []
    if job.data is not None:
        chunks: Iterator[str] = iter([decode(job.data, "<stdin>", replaced, encoding)[0]])
    elif job.spooled is not None:
        chunks = read_chunks(Path(job.spooled), "<stdin>", replaced, encoding)
    else:
        chunks = read_chunks(Path(job.source), None, replaced, encoding)
    parts = list(split_pages(chunks, page_separator_pattern(config.page_separator)))
    out = []
    first = 1
    for n, ((text, sep), page) in enumerate(zip(parts, run_split(parts, config, job.name)), 1):
        out.append(ReviewPage(job.name, text, page, n, len(parts), first))
        first += lines_in(text, sep)
    if out and replaced:
        out[0] = ReviewPage(
            out[0].source, out[0].raw, out[0].page, out[0].number, out[0].pages, 1, tuple(replaced)
        )
    return out


# ---- marking text ----------------------------------------------------------


def esc(text: str) -> str:
    """Text as HTML character data or a quoted attribute value."""
    return html.escape(text, quote=True)


def shown(text: str) -> str:
    """Changed text made visible: a line break as ↵, a lone space as ␣."""
    text = text.replace("\n", "↵")
    return "␣" if text == " " else text


class Mark(NamedTuple):
    start: int
    end: int
    change: int  # index into the page's changes


def _attrs(page_id: str, i: int, c: Change, cls: str) -> str:
    why = uncertain_why(c)
    title = f"{c.pass_name}: {c.note}" + (f" — uncertain: {why}" if why else "")
    unsure = " unsure" if why else ""
    return (
        f'class="hl {cls}{unsure}" data-c="{page_id}-{i}" data-pass="{esc(c.pass_name)}" '
        f'title="{esc(title)}" tabindex="0"'
    )


def _marked(
    text: str, lo: int, hi: int, marks: Sequence[Mark], changes: Sequence[Change], page_id: str, raw: bool
) -> str:
    """text[lo:hi] as HTML with marks (sorted, not overlapping) highlighted.

    On the raw side a mark covers the change's before text (struck through,
    the page's own text) and its after text follows it (shown, not the
    page's); on the clean side a mark covers the after text (the output's
    own) and the before text precedes it. Line breaks outside marks are
    dropped (the caller lays out lines).
    """
    out: list[str] = []
    pos = lo
    own_tag, extra_tag = ("del", "ins") if raw else ("ins", "del")
    for m in marks:
        c = changes[m.change]
        out.append(esc(text[pos : max(pos, m.start)].replace("\n", "")))
        extra = c.after if raw else c.before
        attrs = _attrs(page_id, m.change, c, extra_tag + " extra")
        shown_extra = f"<{extra_tag} {attrs}>{esc(shown(extra))}</{extra_tag}>"
        if not raw and extra:
            out.append(shown_extra)
        if m.start < m.end:
            part = text[max(m.start, lo) : min(m.end, hi)]
            out.append(
                f"<{own_tag} {_attrs(page_id, m.change, c, own_tag + ' own')}>{esc(shown(part))}</{own_tag}>"
            )
        if raw and extra and m.end <= hi:  # after the last piece of a mark over several lines
            out.append(shown_extra)
        pos = max(pos, min(m.end, hi))
    out.append(esc(text[pos:hi].replace("\n", "")))
    return "".join(out)


def _overlapping(marks: Sequence[Mark], lo: int, hi: int, last: bool) -> list[Mark]:
    """The marks that show in text[lo:hi] (an insertion at hi shows in the
    next range, unless this is the last)."""
    return [
        m
        for m in marks
        if (m.start < hi and m.end > lo)
        or (m.start == m.end and (lo <= m.start < hi or (last and m.start == hi)))
    ]


# ---- one page --------------------------------------------------------------


@dataclass
class _PageView:
    """A page with its changes placed, ready to render."""

    rp: ReviewPage
    page_id: str
    changes: list[Change]  # the page's changes that change text
    decisions: list[Change]  # assembly's notes (before == after) that are judgement calls
    placement: Placement
    decision_spans: dict[int, Span]
    parts: list[Piece]
    clean: str
    bounds: list[int]
    raw: RawText

    def unplaced(self) -> list[int]:
        """The changes not found on one side or both."""
        return [
            i
            for i in range(len(self.changes))
            if i not in self.placement.raw or i not in self.placement.clean
        ]


def _view(rp: ReviewPage, page_id: str) -> _PageView:
    all_changes = [_replacement_change(r) for r in rp.replaced] + list(rp.page.changes)
    changes = [c for c in all_changes if c.before != c.after and c.pass_name != "split_pages"]
    decisions = [c for c in all_changes if c.before == c.after and uncertain_why(c)]
    parts = pieces(rp.page.articles)
    clean, bounds = clean_text_of(parts)
    raw = RawText(rp.raw, rp.first_line)
    placement = place(changes, raw, clean, bounds)
    decision_spans = {}
    for i, c in enumerate(decisions):
        span = raw.place(c, Taken())  # (decisions may share text: each is placed on its own)
        if span is not None:
            decision_spans[i] = span
    return _PageView(rp, page_id, changes, decisions, placement, decision_spans, parts, clean, bounds, raw)


def _raw_pane(v: _PageView) -> str:
    text = v.raw.text
    marks = sorted(Mark(s.start, s.end, i) for i, s in v.placement.raw.items())
    # lines holding a judgement call of assembly
    flagged: dict[int, list[int]] = {}
    for i, span in v.decision_spans.items():
        first = _line_of(v.raw.starts, span.start)
        last = _line_of(v.raw.starts, max(span.start, span.end - 1))
        for k in range(first, last + 1):
            flagged.setdefault(k, []).append(i)
    rows = []
    starts = v.raw.starts
    for k, lo in enumerate(starts):
        hi = starts[k + 1] if k + 1 < len(starts) else len(text)
        body = _marked(
            text, lo, hi, _overlapping(marks, lo, hi, k + 1 == len(starts)), v.changes, v.page_id, raw=True
        )
        flags = "".join(
            f'<span class="flag" data-pass="{esc(d.pass_name)}" title="{esc(d.pass_name)}: {esc(d.note)} — '
            f'uncertain: {esc(uncertain_why(d) or "")}">?</span>'
            for d in (v.decisions[i] for i in flagged.get(k, []))
        )
        rows.append(
            f'<div class="line"><span class="no">{k + v.rp.first_line}</span>'
            f'<span class="tx">{body}</span>{flags}</div>'
        )
    return "\n".join(rows)


def _line_of(starts: Sequence[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


ROLE_LABELS = {
    "jump": "jump",
    "kicker": "kicker",
    "title": "title",
    "subtitle": "subtitle",
    "byline": "byline",
    "heading": "heading",
    "text": "",
}


def _clean_pane(v: _PageView) -> str:
    marks = sorted(Mark(s.start, s.end, i) for i, s in v.placement.clean.items())
    out = []
    pos = 0
    current = -1
    for p in v.parts:
        lo, hi = pos, pos + len(p.text)
        pos = hi + 1
        if p.article != current:
            if current >= 0:
                out.append("</article>")
            current = p.article
            a = v.rp.page.articles[p.article]
            cls = "art fragment unsure-block" if a.kind == "fragment" else "art"
            badge = (
                f'<span class="badge" title="{esc(FRAGMENT_WHY)}">fragment</span>'
                if a.kind == "fragment"
                else ""
            )
            out.append(f'<article class="{cls}"><div class="kind">{esc(a.kind)} {p.article + 1}{badge}</div>')
        body = _marked(
            v.clean, lo, hi, _overlapping(marks, lo, hi, p is v.parts[-1]), v.changes, v.page_id, raw=False
        )
        label = ROLE_LABELS.get(p.role, p.role)
        cls = f"piece {p.role}" + (" cut unsure-block" if p.cut else "")
        cut = f'<span class="badge" title="{esc(CUT_WHY)}">cut</span>' if p.cut else ""
        tag = f'<span class="role">{esc(label)}</span>' if label else ""
        out.append(f'<p class="{cls}">{tag}{body}{cut}</p>')
    if current >= 0:
        out.append("</article>")
    if not v.parts:
        out.append('<p class="empty">(no articles)</p>')
    return "\n".join(out)


def _change_row(v: _PageView, i: int, c: Change) -> str:
    why = uncertain_why(c)
    missing = []
    if i not in v.placement.raw:
        missing.append("not found in the raw page")
    elif i not in v.placement.clean:
        missing.append("not found in the cleaned text")
    status = "".join(f'<span class="miss">{esc(m)}</span>' for m in missing)
    unsure = f'<span class="why">uncertain: {esc(why)}</span>' if why else ""
    cls = "chg" + (" unsure" if why else "")
    return (
        f'<li class="{cls}" data-c="{v.page_id}-{i}" data-pass="{esc(c.pass_name)}">'
        f'<span class="pass">{esc(c.pass_name)}</span> <span class="pos">{c.line}:{c.column}</span> '
        f'<del class="b">{esc(shown(c.before))}</del> → <ins class="a">{esc(shown(c.after))}</ins> '
        f'<span class="note">{esc(c.note)}</span> {unsure}{status}</li>'
    )


def _decision_row(v: _PageView, i: int, c: Change) -> str:
    why = uncertain_why(c) or ""
    return (
        f'<li class="chg decision unsure" data-pass="{esc(c.pass_name)}">'
        f'<span class="pass">{esc(c.pass_name)}</span> <span class="pos">{c.line}:{c.column}</span> '
        f"<q>{esc(shown(c.before[:60]))}{'…' if len(c.before) > 60 else ''}</q> "
        f'<span class="note">{esc(c.note)}</span> <span class="why">uncertain: {esc(why)}</span></li>'
    )


def _filter(v: _PageView) -> str:
    counts: dict[str, int] = {}
    for c in [*v.changes, *v.decisions]:
        counts[c.pass_name] = counts.get(c.pass_name, 0) + 1
    boxes = "".join(
        f'<label><input type="checkbox" checked data-pass="{esc(name)}"> {esc(name)} '
        f"<small>({n})</small></label>"
        for name, n in counts.items()
    )
    return f'<fieldset class="filter"><legend>Show passes</legend>{boxes}</fieldset>' if counts else ""


def _page_section(v: _PageView, k: int, total: int) -> str:
    nav = ['<a href="#toc">contents</a>']
    if k > 0:
        nav.insert(0, f'<a class="prev" href="#p{k}">← previous</a>')
    if k + 1 < total:
        nav.append(f'<a class="next" href="#p{k + 2}">next →</a>')
    unplaced = v.unplaced()
    unsure = [i for i, c in enumerate(v.changes) if uncertain_why(c)]
    rows = "\n".join(_change_row(v, i, c) for i, c in enumerate(v.changes))
    decisions = "\n".join(_decision_row(v, i, c) for i, c in enumerate(v.decisions))
    missing = "\n".join(_change_row(v, i, v.changes[i]) for i in unplaced)
    cuts = sum(p.cut for p in v.parts)
    fragments = sum(a.kind == "fragment" for a in v.rp.page.articles)
    return f"""<section class="page" id="{v.page_id}">
<header><h2>{esc(v.rp.label)}</h2><nav>{" · ".join(nav)}</nav>
<p class="stats">{len(v.changes)} changes ({len(unsure)} uncertain), {len(v.decisions)} uncertain decisions,
{cuts} cut paragraphs, {fragments} fragments; {len(unplaced)} changes not placed on both sides</p></header>
{_filter(v)}
<div class="panes">
<div class="pane raw"><h3>Raw page</h3><div class="text">{_raw_pane(v)}</div></div>
<div class="pane clean"><h3>Cleaned articles</h3><div class="text">{_clean_pane(v)}</div></div>
</div>
<details class="list" open><summary>Changes ({len(v.changes)})</summary>
<ol class="changes">{rows}</ol></details>
<details class="list"><summary>Uncertain decisions of assembly ({len(v.decisions)})</summary>
<ol class="decisions">{decisions}</ol></details>
<details class="list unplaced"{" open" if unplaced else ""}><summary>Not placed ({len(unplaced)}):
found on neither side, or only in the raw page</summary><ol>{missing}</ol></details>
</section>"""


# ---- the whole file ----------------------------------------------------------


STYLE = """
:root{--del:#b00020;--del-bg:#fde7ea;--ins:#0b6b2b;--ins-bg:#dff5e3;--unsure:#c76a00}
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 "Noto Sans CJK SC","Noto Sans SC","WenQuanYi Zen Hei","Source Han Sans SC",
"PingFang SC","Microsoft YaHei",sans-serif;color:#1d1d1d;background:#f6f6f3}
h1{font-size:20px;margin:0;padding:12px 16px;background:#24323f;color:#fff}
h2{font-size:17px;margin:0 0 4px}h3{font-size:14px;margin:0 0 6px;color:#555}
#toc{padding:8px 16px}#toc table{border-collapse:collapse}#toc td,#toc th{padding:2px 10px;text-align:left}
section.page{margin:12px 16px 28px;padding:12px;background:#fff;border:1px solid #ddd;border-radius:6px}
nav a{color:#1a56a8}.stats{margin:2px 0;color:#444;font-size:13px}
.filter{border:1px solid #ddd;margin:8px 0;font-size:13px}.filter label{margin-right:14px;white-space:nowrap}
.panes{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.pane{min-width:0;border:1px solid #e0e0e0;border-radius:4px;padding:8px;background:#fcfcfa}
.pane .text{max-height:70vh;overflow:auto}
.line{display:flex;gap:8px;white-space:pre-wrap;word-break:break-all}
.line .no{flex:none;width:3.2em;text-align:right;color:#999;font-size:12px;user-select:none;padding-top:2px}
.line .tx{flex:1}
.flag,.badge{display:inline-block;margin-left:4px;padding:0 5px;border-radius:8px;font-size:11px;
background:var(--unsure);color:#fff;cursor:help}
.piece{margin:0 0 6px;white-space:pre-wrap}
.piece .role{display:inline-block;min-width:4.5em;margin-right:6px;font-size:11px;color:#777}
.piece.title{font-weight:bold;font-size:16px}.piece.kicker,.piece.subtitle{color:#333}
article.art{border-bottom:1px dashed #ccc;padding:4px 0 8px;margin-bottom:8px}
article .kind{font-size:11px;color:#888}
.unsure-block{border-left:3px solid var(--unsure);padding-left:6px}
del.hl,ins.hl{text-decoration:none;border-radius:2px;cursor:pointer}
del.hl{color:var(--del);background:var(--del-bg);text-decoration:line-through}
ins.hl{color:var(--ins);background:var(--ins-bg)}
.hl.unsure{outline:2px dotted var(--unsure);outline-offset:1px}
.hl.sel{outline:2px solid #1a56a8;outline-offset:1px}
.hl.off.own{color:inherit;background:none;text-decoration:none;outline:none}
.off.extra,li.off,.flag.off{display:none}
.list{margin-top:10px;font-size:13px}.list ol{max-height:40vh;overflow:auto;margin:4px 0;padding-left:3.5em}
li.chg{margin:1px 0;cursor:pointer}li.chg.sel{background:#e8f0fb}
li .pass{font-family:monospace;color:#24323f}li .pos{color:#888;font-family:monospace}
li del.b{color:var(--del);background:var(--del-bg)}
li ins.a{color:var(--ins);background:var(--ins-bg);text-decoration:none}
li .note{color:#555}.why{color:var(--unsure)}
.miss{margin-left:6px;color:#fff;background:#777;padding:0 4px;border-radius:3px}
#info{position:fixed;right:12px;bottom:12px;max-width:420px;padding:8px 10px;background:#24323f;color:#fff;
font-size:13px;border-radius:6px;display:none;z-index:9}
.failed{color:var(--del);padding:0 16px}
"""

# Clicking or focusing a highlight shows its pass and reason in the info box
# and outlines the same change on the other side and in the list; the pass
# checkboxes turn a pass's highlights and list entries off.
SCRIPT = """
(function(){
var info=document.getElementById('info');
function show(id){
  document.querySelectorAll('.sel').forEach(function(e){e.classList.remove('sel')});
  var els=document.querySelectorAll('[data-c="'+id+'"]');
  var li=null,hl=null;
  els.forEach(function(e){e.classList.add('sel');if(e.tagName==='LI')li=e;else if(!hl)hl=e;});
  var src=li||hl;
  if(li){info.textContent=li.innerText;info.style.display='block';}
  return els;
}
document.addEventListener('click',function(ev){
  var t=ev.target.closest('[data-c]');
  if(!t)return;
  var els=show(t.getAttribute('data-c'));
  els.forEach(function(e){
    if(e!==t&&e.tagName!=='LI'&&e.closest('.pane')!==t.closest('.pane'))
      e.scrollIntoView({block:'nearest'});
  });
});
document.addEventListener('mouseover',function(ev){
  var t=ev.target.closest('.hl[data-c]');
  if(t)show(t.getAttribute('data-c'));
});
document.querySelectorAll('.filter input[type=checkbox]').forEach(function(box){
  box.addEventListener('change',function(){
    var page=box.closest('section.page'),name=box.getAttribute('data-pass');
    page.querySelectorAll('[data-pass]').forEach(function(e){
      if(e.tagName!=='INPUT'&&e.getAttribute('data-pass')===name)e.classList.toggle('off',!box.checked);
    });
  });
});
})();
"""


def build_review(
    pages: Sequence[ReviewPage], failed: Sequence[str] = (), title: str = "cleanup review"
) -> str:
    """The review page of pages, as one HTML document (failed: inputs that
    could not be read, listed at the top)."""
    views = [_view(rp, f"p{k + 1}") for k, rp in enumerate(pages)]
    toc_rows = []
    for v in views:
        unplaced = len(v.unplaced())
        unsure = sum(1 for c in v.changes if uncertain_why(c)) + len(v.decisions)
        toc_rows.append(
            f'<tr><td><a href="#{v.page_id}">{esc(v.rp.label)}</a></td><td>{len(v.changes)}</td>'
            f"<td>{unsure}</td><td>{unplaced}</td><td>{len(v.rp.page.articles)}</td></tr>"
        )
    failures = "".join(f"<li>{esc(f)}</li>" for f in failed)
    sections = "\n".join(_page_section(v, k, len(views)) for k, v in enumerate(views))
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{STYLE}</style></head>
<body><h1>{esc(title)}: {len(views)} page{"s" * (len(views) != 1)}</h1>
<div id="toc"><table><thead><tr><th>page</th><th>changes</th><th>uncertain</th><th>not placed</th>
<th>articles</th></tr></thead><tbody>{"".join(toc_rows)}</tbody></table>
<p>Red, struck through: removed; green: added. Dotted orange outline and <span class="flag">?</span>:
an uncertain decision. Hover or click a change for its pass and reason.</p></div>
{f'<ul class="failed">{failures}</ul>' if failures else ""}
{sections}
<div id="info" role="status"></div>
<script>{SCRIPT}</script>
</body></html>
"""


def html_bytes(document: str) -> bytes:
    """The document as UTF-8 (a lone surrogate, which no page should hold, as U+FFFD)."""
    return re.sub("[\ud800-\udfff]", "\ufffd", document).encode("utf-8")
