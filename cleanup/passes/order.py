"""Blocks the extractor put in the wrong place on the page.

When a paragraph stops mid-sentence and the block after it does not go on
with it (a headline follows, or the page ends), its continuation was
stranded elsewhere. We move a block back only when the text makes it
certain: the candidate must itself start mid-sentence in a way no paragraph
starts (a count with its measure word, ``3891处。``; punctuation), or go on
with an enumeration the unfinished paragraph left open (``…柴草堆、`` +
``建筑垃圾、…``) — and it must be the only such candidate. The blocks that
followed the stranded one, up to the next headline or heading, move with it.
"""

from __future__ import annotations

import regex

from ..chars import ends_sentence
from ..linekinds import has_body_punct, is_furniture, is_headline_like, is_lead
from ..model import Block, Change
from .base import Context
from .wraps import joint

NAME = "restore_reading_order"

# A paragraph never starts with a bare count and its measure word, nor with
# punctuation that closes or continues a clause.
_MIDSENTENCE_START = regex.compile(
    r"^(?:[\d.,]+(?:万|亿)?(?:处|个|人|次|起|户|家|项|件|场|名|台|辆|元|吨|公里|亩|万)[。，、；]"
    r"|[，。、；：）》”’])"
)
# A block that goes on with an open enumeration starts with its next item:
# a short noun phrase and another enumeration comma.
_NEXT_ITEM = regex.compile(r"^[^，。；！？,;!?、“”]{1,8}、")

MIN_UNFINISHED = 20


def _unfinished(b: Block, nxt: Block | None, ctx: Context) -> bool:
    if len(b.lines) != 1 or b.mark:
        return False
    s = b.lines[0].strip()
    if len(s) < MIN_UNFINISHED or ends_sentence(s) or not has_body_punct(s):
        return False
    if is_furniture(s, ctx.rules):
        return False
    return nxt is None or len(nxt.lines) > 1 or nxt.mark > 0 or is_headline_like(nxt.lines[0])


def _fits(tail: str, cand: Block, ctx: Context) -> bool:
    if len(cand.lines) != 1 or cand.mark:
        return False
    head = cand.lines[0].strip()
    if is_lead(head, ctx.rules) or is_furniture(head, ctx.rules) or not has_body_punct(head):
        return False
    if _MIDSENTENCE_START.match(head):
        return True
    return tail.endswith("、") and bool(_NEXT_ITEM.match(head))


def _group_end(blocks: list[Block], start: int, ctx: Context) -> int:
    """End (exclusive) of the run of body paragraphs that starts at start."""
    end = start + 1
    while end < len(blocks):
        b = blocks[end]
        s = b.lines[0].strip()
        if len(b.lines) > 1 or b.mark or is_headline_like(s) or is_lead(s, ctx.rules):
            break
        if is_furniture(s, ctx.rules) or not has_body_punct(s):
            break
        end += 1
    return end


def restore_reading_order(blocks: tuple[Block, ...], ctx: Context) -> tuple[tuple[Block, ...], list[Change]]:
    """Join a paragraph cut mid-sentence with its stranded continuation."""
    out = list(blocks)
    changes: list[Change] = []
    i = 0
    while i < len(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if not _unfinished(out[i], nxt, ctx):
            i += 1
            continue
        tail = out[i].lines[0].rstrip()
        cands = [j for j in range(len(out)) if j != i and _fits(tail, out[j], ctx)]
        # the candidate must not simply continue the paragraph before it
        cands = [
            j
            for j in cands
            if j == 0
            or ends_sentence(out[j - 1].lines[-1])
            or j - 1 == i
            or is_headline_like(out[j - 1].lines[-1])
            or out[j - 1].mark
        ]
        if len(cands) != 1:
            i += 1
            continue
        j = cands[0]
        end = _group_end(out, j, ctx)
        if j <= i < end:
            i += 1
            continue
        group = out[j:end]
        left, sep, right = joint(tail, group[0].lines[0])
        joined = Block((left + sep + right,), out[i].line, out[i].mark, out[i].role, out[i].note)
        changes.append(Change(NAME, group[0].line, 1, "", "", f"continues line {out[i].line}"))
        for g in group[1:]:
            changes.append(Change(NAME, g.line, 1, "", "", f"moved with line {group[0].line}"))
        # the joined paragraph takes the unfinished one's place; the blocks
        # that followed the stranded one come right after it
        rest = [b for k, b in enumerate(out) if not (j <= k < end) and k != i]
        new_i = sum(1 for k in range(i) if not j <= k < end)
        rest[new_i:new_i] = [joined, *group[1:]]
        out = rest
        i = new_i + len(group)
    return tuple(out), changes
