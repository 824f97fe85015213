"""The registry of passes, in their one default order, and the runner.

The order matters and is the design:

1. text passes repair the code points of the whole page (mojibake, odd
   characters, optional script conversion);
2. the page is cut into blocks at blank lines; layout passes remove markdown
   marks and duplicates, join wrapped lines and column breaks and put
   stranded blocks back, so that every paragraph is one line;
3. block passes repair each paragraph (punctuation, quotes, dashes, spaces,
   doubled headline tails, OCR confusions);
4. assembly turns the blocks into articles.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence

from .config import Config
from .model import (
    LAZY_TEXT_LIMIT,
    Article,
    Block,
    Change,
    ChangeColumns,
    ChangeLog,
    EditList,
    Page,
    TextBlock,
    apply_edits,
    blocks_from_text,
    locate_edits,
)
from .passes.base import Context, Pass
from .passes.ocr import looks_like_ocr
from .placement import output_positions
from .positions import EditMap, Locator, Origins, Runs

# (the registry is re-exported: callers ask the pipeline for its passes)
from .registry import PASSES, get_pass, pass_names  # noqa: F401
from .rules import load_rules
from .structure import assemble


def make_context(config: Config) -> Context:
    return Context(load_rules(config.rules_dirs), {"convert": config.convert})


def _unassembled(blocks: tuple[Block, ...]) -> tuple[Article, ...]:
    """Without assembly, the page is one article of paragraphs."""
    texts = [line for b in blocks for line in b.lines if line.strip()]
    return (Article(blocks=tuple(TextBlock("text", t) for t in texts)),) if texts else ()


def _run_block_passes(
    passes: list[Pass],
    blocks: tuple[Block, ...],
    ctx: Context,
    changes: ChangeLog,
    locator: Locator | None = None,
) -> tuple[Block, ...]:
    """Run consecutive block passes over all blocks, one line each.

    Block passes work line by line and never edit across a line end, so the
    blocks' lines are joined with newlines once, edited by each pass in one
    call (far cheaper than a call per block or a join per pass) and cut back
    into blocks at the end. With a locator, each pass's changes are placed
    in the input through the edits of the passes before it.
    """
    lines = [line for b in blocks for line in b.lines]
    text = "\n".join(lines)
    breaks = text.count("\n")
    starts: Sequence[int] | None = None  # the input line of each line, built on the first edit
    block_maps: list[EditMap] = []  # (with a locator) the edits so far
    lines_at: array[int] = array("q")  # (with a locator) where each line starts in the text
    line_runs: dict[int, Runs | None] = {}  # (with a locator) the runs of the lines asked so far
    for p in passes:
        edits = EditList(p.run(text, ctx))
        if not edits:
            continue
        if starts is None:
            starts = array("q", [b.line + k for b in blocks for k in range(len(b.lines))])
        if locator is None:
            changes.add_edits(p.name, text, edits, starts)
        else:
            if not lines_at:
                lines_at = array("q", [0])
                for x in lines[:-1]:
                    lines_at.append(lines_at[-1] + len(x) + 1)
            located = locate_edits(p.name, text, edits, starts)
            changes.extend(
                locator.block_changes(p.name, text, edits, block_maps, lines, lines_at, line_runs, located)
            )
            block_maps.append(EditMap(edits))
        text = apply_edits(text, edits)
        if text.count("\n") != breaks:  # a pass broke its contract; fail loudly
            raise RuntimeError(f"pass {p.name} changed the number of lines")
    if starts is None:
        return blocks
    new_lines = text.split("\n")
    out, pos = [], 0
    for b in blocks:
        n = len(b.lines)
        new = tuple(new_lines[pos : pos + n])
        out.append(b if new == b.lines else b._replace(lines=new))
        pos += n
    return tuple(out)


def run(text: str, config: Config, source: str | None = None) -> Page:
    """Clean an input: each page (split at ``config.page_separator``) alone.

    The articles of the pages are concatenated in order and change lines
    refer to the input. (``run_pages`` gives the pages one at a time.)
    """
    articles: list[Article] = []
    changes = ChangeLog()
    # a big input's changes are located page by page rather than keeping
    # every page's text for a later reading
    locate = len(text) > LAZY_TEXT_LIMIT
    for page in run_pages(text, config, source):
        # (a page's output positions count its own articles: here, the file's)
        changes.add_log(page.changes, 0, locate=locate, article_offset=len(articles))
        articles.extend(page.articles)
    return Page(tuple(articles), changes, source)


def run_pages(text: str, config: Config, source: str | None = None) -> Iterator[Page]:
    """The cleaned pages of an input, one at a time, in order.

    A file that holds many pages is cleaned page by page, so the working
    memory is that of its largest page (a caller that writes each page out
    before asking for the next never holds the others) and no block moves
    between pages. Change lines refer to the whole input; the page before a
    separator reports it (``split_pages``).
    """
    return run_stream((text,), config, source)


def run_stream(chunks: Iterable[str], config: Config, source: str | None = None) -> Iterator[Page]:
    """``run_pages`` over an input given in pieces (a file read a chunk at a
    time): the same pages, with only the current page and one chunk held.

    The pieces may be cut anywhere, even inside a separator.
    """
    return run_split(split_pages(chunks, page_separator_pattern(config.page_separator)), config, source)


def run_split(
    parts: Iterable[tuple[str, str | None]],
    config: Config,
    source: str | None = None,
    line_offset: int = 0,
    column_offset: int = 0,
) -> Iterator[Page]:
    """The cleaned pages of an input already split by ``split_pages`` (or
    of a run of its pages that starts line_offset lines into it, and
    column_offset characters into that line)."""
    offset, column = line_offset, column_offset  # where the current page starts
    for n, (part, sep) in enumerate(parts):
        page = run_page(part, config, source)
        if sep is None and n == 0 and not line_offset and not column_offset:  # one page: nothing to re-base
            yield page
            return
        changes = ChangeLog()
        found: Sequence[Change] = page.changes
        if column and config.exact_positions:  # the page's first line goes on an input line
            found = ChangeColumns(c._replace(column=c.column + column) if c.line == 1 else c for c in found)
        changes.add_log(found, offset)
        if sep is not None:
            # (where the page's text ends, which is where the separator starts)
            line, at = offset + part.count("\n") + 1, len(part) - part.rfind("\n")
            if "\n" not in part:
                at += column
            exact = True if config.exact_positions else None
            changes.extend([Change("split_pages", line, at, sep, "", "between pages", exact)])
            offset += lines_in(part, sep)
            column = columns_in(part, sep, column)
        yield Page(page.articles, changes, source)


def lines_in(part: str, sep: str | None) -> int:
    """Line breaks in a page and the separator after it (as ``split_pages``
    gives them): how far the next page starts below this one."""
    return part.count("\n") + (sep.count("\n") if sep else 0)


def columns_in(part: str, sep: str | None, column: int = 0) -> int:
    """Characters before the next page on its input line, after a page and
    its separator that start column characters into theirs."""
    text = part + (sep or "")
    end = text.rfind("\n")
    return column + len(text) if end < 0 else len(text) - end - 1


# How far a separator match (with its lookarounds) may reach: a match is
# taken from a partly read input only when this much text follows it, so
# that neither a longer match nor an earlier one could appear with more text.
SEPARATOR_REACH = 1 << 16


def split_pages(chunks: Iterable[str], separator: re.Pattern[str]) -> Iterator[tuple[str, str | None]]:
    """(page text, the separator after it, or None for the last page) of the
    text made by joining chunks.

    The split is exactly that of ``separator.finditer`` over the whole text
    for separators that reach less than ``SEPARATOR_REACH`` characters, while
    only the current page and what is read past it are held.
    """
    buf = ""  # a little text before the page (for lookbehinds), the page, what is read past it
    pos = 0  # where the page starts in buf
    scan = 0  # no separator starts between pos and here (an earlier search found none)
    pending = iter(chunks)
    for piece in pending:
        buf += piece
        if len(buf) - scan < 2 * SEPARATOR_REACH:
            continue
        for m in separator.finditer(buf, scan):
            if m.end() + SEPARATOR_REACH > len(buf):
                break
            if m.start() == m.end():
                # what finditer allows after an empty match cannot be
                # carried over to a later search: read the rest and split it whole
                buf += "".join(pending)
                break
            yield buf[pos : m.start()], m.group()
            pos = m.end()
        scan = max(pos, len(buf) - 2 * SEPARATOR_REACH)
        if pos > SEPARATOR_REACH:
            cut = pos - SEPARATOR_REACH
            buf, pos, scan = buf[cut:], pos - cut, scan - cut
    for m in separator.finditer(buf, pos):
        yield buf[pos : m.start()], m.group()
        pos = m.end()
    yield buf[pos:], None


@functools.lru_cache(maxsize=8)
def page_separator_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def run_page(text: str, config: Config, source: str | None = None) -> Page:
    """Clean one page of text with the passes config enables."""
    ctx = make_context(config)
    enabled = set(config.enabled())
    raw = text
    changes = ChangeLog()
    # with exact positions, changes are placed in the input as they are made
    locator = Locator(text) if config.exact_positions else None
    for p in PASSES:
        if p.stage == "text" and p.name in enabled:
            edits = EditList(p.run(text, ctx))
            if edits:
                if locator is None:
                    changes.add_edits(p.name, text, edits)
                else:
                    changes.extend(locator.text_changes(p.name, text, edits))
                    locator.text_maps.append(EditMap(edits))
                text = apply_edits(text, edits)
    blocks = blocks_from_text(text)
    if locator is not None:
        # layout passes that join paragraphs record where their pieces came from
        locator.origins = Origins(text)
        ctx = Context(ctx.rules, {**ctx.options, "origins": locator.origins})
    articles: tuple[Article, ...] | None = None
    pending: list[Pass] = []  # consecutive block passes, run together
    # the OCR passes run where the page looks like OCR output, or when asked;
    # the page is asked as the block passes see it (paragraphs joined), so
    # that cleaning the output again asks the same text
    ocr: bool | None = True if config.ocr else None
    for p in PASSES:
        if p.stage == "text" or p.name not in enabled:
            continue
        if p.ocr:
            if ocr is None:
                if pending:
                    blocks = _run_block_passes(pending, blocks, ctx, changes, locator)
                    pending = []
                ocr = looks_like_ocr("\n".join(line for b in blocks for line in b.lines))
            if not ocr:
                continue
        if p.stage == "block":
            pending.append(p)
            continue
        if pending:
            blocks = _run_block_passes(pending, blocks, ctx, changes, locator)
            pending = []
        if p.name == "assemble_articles":
            # headline lines assembly joins get the OCR repair the page's
            # other lines had (a second cleaning, with them whole, would)
            repair = bool(ocr) and assemble.OCR_CHARACTERS in enabled
            asm = Context(ctx.rules, {**ctx.options, assemble.REPAIR_JOINED: repair}) if repair else ctx
            articles, found = assemble.assemble_articles(blocks, asm)
        else:
            blocks, found = p.run(blocks, ctx)
        changes.extend(found if locator is None else locator.layout_changes(found))
    if pending:
        blocks = _run_block_passes(pending, blocks, ctx, changes, locator)
    if articles is None:
        articles = _unassembled(blocks)
    if locator is not None:
        # each change also says where its after text went in the articles
        outputs = output_positions(changes, raw, articles)
        changes = ChangeLog(ChangeColumns(c._replace(output=o) for c, o in zip(changes, outputs)))
    return Page(articles, changes, source)
