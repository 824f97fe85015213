"""Turn the repaired blocks of a page into its articles.

Each block first gets a *kind* (:func:`tokenize`): a headline line or group,
a byline, a photo credit, a jump line, a lead paragraph (``本报讯（…）``) or
plain text. The tokens are then read in order:

- a run of headline lines (with an optional byline) is an article *header*:
  kicker, title, subtitle, byline (:func:`parse_header`); a single headline
  line between paragraphs of one article is a section heading instead;
- a paragraph followed by a credit is a photo caption (kind ``photo``);
- a jump line goes to the article it introduces (``上接``) or ends (``下转``);
- text before any header is a ``fragment`` of an article on another page.

Some extractors print every news item's headline *after* its body (the page
opens with a lead, not a headline). Then a header closes the article before
it, and a header that carries a byline waits for the next body that has no
lead of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import NamedTuple

import regex

from ..chars import IS_HAN, awaited_closer, ends_sentence
from ..lexicon import COMMON_JOINT, joint_strength, spans_word
from ..linekinds import (
    FURNITURE_MAX,
    PHRASE_END,
    PHRASE_START,
    credit_at_end,
    is_bare_name,
    is_byline,
    is_credit,
    is_furniture,
    is_headline_like,
    is_lead,
    is_separator,
    jump_of,
    width,
)
from ..model import (
    Article,
    ArticleKind,
    Block,
    Change,
    ChangeColumns,
    ChangeSink,
    EditList,
    TextBlock,
    apply_edits,
)
from ..passes.base import Context
from ..passes.duplicates import drop_doubled_heading_tails
from ..passes.ocr import find_ocr_misreads
from ..passes.punctuation import pair_quotes
from ..passes.wraps import joint

NAME = "assemble_articles"
# The OCR character repair, which assembly runs again on the headline lines
# it joins when the pipeline says the page's OCR passes ran (the option).
OCR_CHARACTERS = "repair_ocr_characters"
REPAIR_JOINED = "repair_joined_headlines"

HEAD, LEAD, TEXT, BYLINE, CREDIT, JUMP, SEP = "head", "lead", "text", "byline", "credit", "jump", "sep"


# Two short headline lines with no space are the halves of one split title.
SPLIT_TITLE_PART = 10
_SUBTITLE = "——"
# Jump lines that continue an article on another page end their article.
_ENDS_ARTICLE = ("下转", "转下", "转第")


class Token(NamedTuple):  # a named tuple: one per paragraph, cheap to make
    kind: str
    lines: tuple[str, ...]
    line: int
    mark: int = 0

    @property
    def text(self) -> str:
        return self.lines[0]


def _is_heading_line(s: str, mark: int) -> bool:
    # a mark is a hint, not a kind: a marked line is a heading only when it
    # looks like one, as it does when cleanup's own text (no marks) is read again
    return is_headline_like(s)


def _furniture_kind(s: str, ctx: Context) -> str | None:
    if jump_of(s, ctx.rules) is not None:
        return JUMP
    if is_credit(s, ctx.rules):
        return CREDIT
    if is_byline(s, ctx.rules):
        return BYLINE
    return None


def tokenize(blocks: tuple[Block, ...], ctx: Context, changes: ChangeSink) -> list[Token]:
    rules = ctx.rules
    toks: list[Token] = []
    for b in blocks:
        if len(b.lines) == 1:  # most blocks, once lines are joined
            s = b.lines[0].strip()
            lines: tuple[str, ...] = (s,) if s else ()
        else:
            lines = tuple(s for s in (x.strip() for x in b.lines) if s)
        if not lines:
            continue
        if len(lines) > 1:
            group: list[str] = []
            for k, s in enumerate(lines):
                kind = _furniture_kind(s, ctx)
                if kind is None:
                    group.append(s)
                    continue
                if group:
                    toks.append(Token(HEAD, tuple(group), b.line + k - len(group), b.mark))
                    group = []
                toks.append(Token(kind, (s,), b.line + k))
            if group:
                toks.append(Token(HEAD, tuple(group), b.line + len(lines) - len(group), b.mark))
            continue
        s = lines[0]
        # one test for the kinds below (most lines are none); a credit has no
        # length limit of its own, so a long line is still asked
        furniture = is_furniture(s, rules)
        if furniture and is_separator(s):
            toks.append(Token(SEP, (s,), b.line))
        elif furniture and jump_of(s, rules) is not None:
            toks.append(Token(JUMP, (s,), b.line))
        elif (furniture or width(s) > FURNITURE_MAX) and is_credit(s, rules):
            toks.append(Token(CREDIT, (s,), b.line))
        elif furniture and is_byline(s, rules):
            toks.append(Token(BYLINE, (s,), b.line))
        elif is_lead(s, rules) and not b.mark:
            toks.append(Token(LEAD, (s,), b.line))
        elif _is_heading_line(s, b.mark):
            toks.append(Token(HEAD, (s,), b.line, b.mark))
        else:
            m = credit_at_end(s, rules)
            caption = s[: m.start()].rstrip() if m is not None and m.start() > 0 else ""
            if m is not None and caption:  # a caption (maybe cut short) and its credit on one line
                credit = s[m.start() :].strip()
                toks.append(Token(TEXT, (caption,), b.line))
                toks.append(Token(CREDIT, (credit,), b.line))
                gap = s[len(caption) : m.start()]
                changes.append(
                    Change(NAME, b.line, len(caption) + 1, gap, "\n", "photo credit split from its caption")
                )
            else:
                toks.append(Token(LEAD if is_lead(s, rules) else TEXT, (s,), b.line))
    return toks


def _split_title(lines: tuple[str, ...], subtitle_follows: bool, dash_follows: bool = False) -> bool:
    """True when a group of lines is one title cut in two by a narrow column.

    Only a group of exactly two short lines without spaces qualifies (with
    more lines the first short one is a kicker). The halves are taken for one
    title only when a separate subtitle line follows; otherwise the second line
    is the subtitle. (Joining parallel halves with no subtitle after them would
    also merge a short title and subtitle printed on two lines, and cleaning
    cleanup's own output again would change it.)
    """
    if len(lines) != 2:
        return False
    a, b = lines
    if " " in a or " " in b or b.startswith(_SUBTITLE):
        return False
    if len(a) > SPLIT_TITLE_PART or len(b) > SPLIT_TITLE_PART:
        return False
    # the joining space must be one remove_artifact_spaces keeps (two phrases
    # of two or more Han characters), or cleaning the title again removes it
    if not (PHRASE_END.search(a) and PHRASE_START.match(b)):
        return False
    if dash_follows and not (
        _PARALLEL_HALF.match(a) and _PARALLEL_HALF.match(b) and abs(len(a) - len(b)) <= 1
    ):
        # above a —— subtitle (a feature's) two lines are mostly kicker and
        # title (新时代好老师 / 大山里的“点灯人”); halves only when parallel
        # (志愿红 / 暖全城)
        return False
    return subtitle_follows


# A title of two parallel phrases printed on two lines above its subtitle:
# halves of (nearly) the same length, no quote, bracket or other mark in
# either (a kicker above a title is rarely so: 做人民满意的公务员 / 小身躯释放“大能量”).
PARALLEL_HALF_MAX = 12
_PARALLEL_HALF = regex.compile(r"^\p{Han}{2,}$")


# A half may hold a quoted term (筑牢“安全堤” / 打好主动仗) when the halves
# have exactly as many Han characters as each other, as a couplet has, and
# this many at least.
QUOTED_HALF_MIN = 4
_QUOTED_HALF = regex.compile(r"^(?:\p{Han}|“\p{Han}+”)+$")


def _parallel_title(lines: list[str] | tuple[str, ...]) -> bool:
    """True for [half, half, subtitle]: the first two lines are one title."""
    if len(lines) != 3:
        return False
    a, b, sub = lines
    if not (_PARALLEL_HALF.match(a) and _PARALLEL_HALF.match(b)):
        if not (_QUOTED_HALF.match(a) and _QUOTED_HALF.match(b)):
            return False
        # a kicker above a title with a quote is mostly one character off
        # (做人民满意的公务员 / 小身躯释放“大能量”), or, as long, above a
        # ——subtitle (我身边的共产党员 / “片警老赵”的三本账 / ——记…): the
        # halves must match exactly, above a subtitle that reads as a sentence
        a, b = a.replace("“", "").replace("”", ""), b.replace("“", "").replace("”", "")
        return len(a) == len(b) >= QUOTED_HALF_MIN and _sentence_subtitle(sub, len(a))
    if max(len(a), len(b)) > PARALLEL_HALF_MAX:
        return False
    if abs(len(a) - len(b)) <= 1:
        return sub.startswith(_SUBTITLE) or len(sub) > max(len(a), len(b)) + 2
    # halves less alike (巡河护水 / 守护一江清流): only above a subtitle that
    # is no ——line (a kicker's title mostly has one) and reads as a sentence,
    # far longer than either
    return abs(len(a) - len(b)) <= 2 and _sentence_subtitle(sub, max(len(a), len(b)))


def _sentence_subtitle(sub: str, half: int) -> bool:
    """A subtitle that is no ——line and reads as a sentence, far longer than a half."""
    return not sub.startswith(_SUBTITLE) and len(sub) >= half + 6


def _wrapped_subtitle(lines: tuple[str, ...]) -> bool:
    """True for [half, half, subtitle, its rest…]: a subtitle wider than the
    column, wrapped (each line but the last as long as its first, within a
    character; the last shorter; no mark of a heading)."""
    if len(lines) < 4 or not _parallel_title(lines[:3]):
        return False
    sub, rest = lines[2], lines[3:]
    return (
        not sub.startswith(_SUBTITLE)
        and all(abs(len(r) - len(sub)) <= 1 for r in rest[:-1])
        and len(rest[-1]) < len(sub)
        and all(" " not in r and not r.startswith(_SUBTITLE) and _HAN_RUN.match(r) for r in rest)
    )


_HAN_RUN = regex.compile(r"^\p{Han}")


def _kicker_reads_back(kicker: str, d: Draft) -> bool:
    """False when a line taken for the kicker would, printed above the title
    as the text output prints it, read as the first half of the title: it is
    then a heading of the body, as a second cleaning would also make it."""
    return not (d.title and d.subtitle and _parallel_title([kicker, d.title, d.subtitle]))


# The Han characters of a narrow box's headline line, and the least its
# wrapped rest holds (fewer is the lone-rest rule's).
NARROW_LINE = (7, 10)
WRAPPED_REST_MIN = 3
# A headline line cut inside a word leaves at most this much on the next line.
WRAPPED_REST_MAX = 4
# A line this short under a headline line at least this long is its rest,
# whether or not a word of the lexicon spans the cut.
LONE_REST_MAX = 2
LONG_HEADLINE = 12
# ... and a section heading's, standing between two paragraphs, this much.
HEADING_REST_MAX = 6
_HAN_ONLY = regex.compile(r"^\p{Han}+$")


def _wrapped_headline(a: str, b: str, last: bool = False) -> bool:
    """True when b is the rest of headline line a, cut at the box edge: a left
    a quote or bracket open that b closes (乡村“颜 / 值”再提升); b completes
    the shorter second half of a title of two parallel phrases to the first's
    length (传承有 / 新人 after 非遗进校园); or b is a few Han characters
    finishing a word a cut (…人居环境整 / 治工作); or, b the header's last
    headline line (``last``), a is a narrow box's line (7 to 10 Han
    characters, no space) and b a shorter one (云塘县启用第三代 / 社会保障卡)."""
    if " " in b or b.startswith(_SUBTITLE) or a.endswith(" "):
        return False
    closer = awaited_closer(a)
    if closer:
        return closer in b
    # (a closing quote may stand right before the cut: …“一网通办”实 / 现全覆盖)
    if not (_HAN_ONLY.match(b) and _HAN_ONLY.match(a[-1:])):
        return False
    if drop_doubled_heading_tails(a + b) != a + b:  # a tail printed twice: that pass's to repair
        return False
    if a.startswith(_SUBTITLE) and len(b) <= len(a) // 2 and joint_strength(a[-4:], b[:4]) >= COMMON_JOINT:
        # a —— subtitle has no second line of its own: a rest under it that
        # finishes a common word it cut is its end, however long (——记…十委
        # 社区党 / 委书记林静; not 纪实 / 无人机: 实无 is in the lexicon, rarely)
        return True
    halves = a.split(" ")
    if len(halves) == 2 and all(_HAN_ONLY.match(h) for h in halves):
        # (the rest may be long: 打造专业化年轻干部队伍 提高 / 新引进硕博人才能力;
        # a second phrase so much shorter than the first was cut)
        first, second = halves
        if len(second) < len(first) and len(second) + len(b) == len(first) and len(first) >= 3:
            return True
    if len(b) <= LONE_REST_MAX and len(a) >= LONG_HEADLINE:
        # two characters under a long headline line are its last word,
        # which the box edge put on a line of its own (…候鸟保护专项 / 行动)
        return True
    if len(b) <= WRAPPED_REST_MAX and len(a) >= 2 * WRAPPED_REST_MAX and spans_word(a, b):
        return True
    # a narrow box's title wraps at its edge into a shorter line with no
    # phrase break (云塘县启用第三代 / 社会保障卡); a subtitle under a title is
    # as long or longer, and a line longer than a narrow box's is no wrap;
    # above another headline line the two are kicker lines (为了人民美好生活 /
    # 砥砺奋进新时代 / title)
    if not last:
        return False
    han_a, han_b = len(IS_HAN.findall(a)), len(IS_HAN.findall(b))
    return " " not in a and NARROW_LINE[0] <= han_a <= NARROW_LINE[1] and WRAPPED_REST_MIN <= han_b < han_a


def _paired(text: str, line: int, changes: ChangeSink) -> str:
    """A headline joined from lines with its straight quotes paired: one on
    each line, pair_quotes left them; on one line, a second cleaning would
    pair them."""
    if '"' not in text:
        return text
    paired = pair_quotes(text)
    if paired != text:
        changes.append(Change(NAME, line, 1, text, paired, "quotes of a joined headline paired"))
    return paired


def rejoin_wrapped(units: list[str], line: int, changes: ChangeSink, ctx: Context) -> list[str]:
    """Headline units with lines cut at the box edge put back together; a
    jump line or byline cut in two is no headline and is left to its tests."""
    out: list[str] = []
    for k, u in enumerate(units):
        if (
            out
            and _wrapped_headline(out[-1], u, last=k == len(units) - 1)
            and is_headline_like(out[-1] + u)  # read back as a headline line, not a paragraph's
            and not is_furniture(out[-1] + u, ctx.rules)
        ):
            changes.append(Change(NAME, line, len(out[-1]) + 1, "\n", "", "wrapped headline joined"))
            out[-1] = _ocr_repaired(_paired(out[-1] + u, line, changes), line, changes, ctx)
        else:
            out.append(u)
    return out


def _ocr_repaired(text: str, line: int, changes: ChangeSink, ctx: Context) -> str:
    """A headline joined from lines with the OCR misreadings the joint now
    shows repaired (…云雾茶嘉获 / 丰收: 嘉获丰收 is read as 喜获丰收 only
    once joined), where the page's OCR passes ran: cleaning the output
    again, which has the line whole, would repair them."""
    if not ctx.option(REPAIR_JOINED):
        return text
    edits = list(find_ocr_misreads(text, ctx))
    if not edits:
        return text
    changes.extend(
        Change(OCR_CHARACTERS, line, e.start + 1, text[e.start : e.end], e.new, e.note) for e in edits
    )
    return apply_edits(text, EditList(edits))


def _head_follows(run: Sequence[Token], k: int) -> tuple[bool, bool]:
    """Whether a headline token follows token k of a run, and whether it is a —— subtitle."""
    nxt = run[k + 1] if k + 1 < len(run) else None
    follows = nxt is not None and nxt.kind == HEAD
    return follows, follows and nxt is not None and nxt.lines[0].startswith(_SUBTITLE)


def title_units(
    tok: Token, changes: ChangeSink, subtitle_follows: bool = False, dash_follows: bool = False
) -> list[str]:
    """The headline units of a head token: split title halves joined by a
    space, a wrapped subtitle joined as running text."""
    if _wrapped_subtitle(tok.lines):
        a, b, sub, *rest = tok.lines
        changes.append(Change(NAME, tok.line, len(a) + 1, "\n", " ", "split headline joined"))
        for k, line in enumerate([sub, *rest[:-1]]):
            changes.append(Change(NAME, tok.line + 2 + k, len(line) + 1, "\n", "", "wrapped subtitle joined"))
        return [f"{a} {b}", _paired(sub + "".join(rest), tok.line + 2, changes)]
    if _parallel_title(tok.lines[:3]):
        # (lines after the subtitle, printed apart by the text output, would
        # read back as a group of three)
        a, b, sub = tok.lines[:3]
        changes.append(Change(NAME, tok.line, len(a) + 1, "\n", " ", "split headline joined"))
        return [f"{a} {b}", sub, *tok.lines[3:]]
    if _split_title(tok.lines, subtitle_follows, dash_follows):
        a, b = tok.lines
        changes.append(Change(NAME, tok.line, len(a) + 1, "\n", " ", "split headline joined"))
        return [f"{a} {b}"]
    return list(tok.lines)


def join_units(units: list[str]) -> str:
    """Headline lines made one line: a space only between two phrases (as
    remove_artifact_spaces keeps one), so the line reads the same cleaned again."""
    out = units[0] if units else ""
    for u in units[1:]:
        out += (" " if PHRASE_END.search(out) and PHRASE_START.match(u) else "") + u
    return out


@dataclass
class Draft:
    """An article being assembled."""

    kind: ArticleKind = "article"
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    blocks: list[TextBlock] = field(default_factory=list)
    jump: str | None = None
    # opened by a lead with no headline before it: its headline may follow
    awaiting_title: bool = False
    # headline lines above the kicker that no kicker line can hold (the
    # headlines of boxes side by side, read as one run): printed before it
    stray: list[str] = field(default_factory=list)
    # the input line its header starts on
    line: int = 0
    # where the text that followed photos at the body's end starts (blocks
    # index), with the input line of its first paragraph
    after_photos: tuple[int, int] | None = None

    def freeze(self) -> Article:
        return Article(
            self.kind, self.kicker, self.title, self.subtitle, self.byline, tuple(self.blocks), self.jump
        )

    @property
    def has_body(self) -> bool:
        # headings the header had no field for are not yet a body: the lead
        # that follows them is this article's, not a new one's
        return any(b.type == "text" for b in self.blocks)


def parse_header(
    units: list[str],
    draft: Draft,
    rubrics: frozenset[str] = frozenset(),
    changes: ChangeSink | None = None,
    line: int = 1,
) -> list[str]:
    """Fill kicker/title/subtitle from headline units; return units left over.

    A kicker made of several units that, joined, is the start of a title the
    box edge cut (安全网 / 共火 above 墙) is part of the title: the text output
    prints the kicker as one line, which a second reading would join so. The
    join is added to changes (at line, where the header starts).
    """
    left = _fill_fields(units, draft, rubrics)
    k, t = draft.kicker, draft.title
    joined_kicker = k is not None and k not in units and k not in rubrics
    if joined_kicker and k and t and _wrapped_headline(k, t) and is_headline_like(k + t):
        draft.kicker, draft.title = None, k + t
        if changes is not None:
            changes.append(Change(NAME, line, len(k) + 1, "\n", "", "kicker is the start of a cut title"))
    return left


# A title of two parallel phrases, printed one space apart (非遗进校园 传承有新人).
_TWO_PHRASES = regex.compile(r"^[\p{Han}“”‘’《》·]{3,12} [\p{Han}“”‘’《》·]{3,12}$")


def _two_phrases(unit: str) -> bool:
    return bool(_TWO_PHRASES.match(unit))


def _fill_fields(units: list[str], draft: Draft, rubrics: frozenset[str] = frozenset()) -> list[str]:
    """Fill kicker/title/subtitle from headline units; return units left over."""
    if not units:
        return []
    if units[0] in rubrics:
        # a standing column name above the title is its kicker (记者手记),
        # also when no title follows it
        draft.kicker = units[0]
        if len(units) == 1:
            return []
        draft.title = units[1]
        if len(units) >= 3:
            draft.subtitle = units[2]
        return units[3:]
    if (
        len(units) >= 4
        and units[2].startswith(_SUBTITLE)
        and units[3].startswith(_SUBTITLE)
        and not any(u.startswith(_SUBTITLE) for u in units[:2])
    ):
        # two titles, then two —— subtitles: the headlines of two boxes side
        # by side, read row by row (title, title, subtitle, subtitle); the
        # first box's is this header, the second's stands apart
        draft.title, draft.subtitle = units[0], units[2]
        draft.stray += [units[1], units[3]]
        return units[4:]
    dash = next((k for k, u in enumerate(units) if k >= 1 and u.startswith(_SUBTITLE)), None)
    if dash is None and len(units) >= 2 and _two_phrases(units[0]) and _two_phrases(units[1]):
        # two titles of two phrases each: no kicker is two phrases, so the
        # first is another box's title, read before this one's (above a ——
        # subtitle the lines over the title are its kicker, however printed)
        draft.stray += units[:1]
        return _fill_fields(units[1:], draft, rubrics)
    if dash is not None:
        draft.subtitle = units[dash]
        draft.title = units[dash - 1]
        if dash >= 2:
            # every line above the title is the kicker: a kicker printed on
            # two lines (parallel phrases) is one kicker, never dropped; but
            # only as many as one headline line holds (the text output prints
            # the kicker as one line, and a wider one would read back as a
            # paragraph): the lines above those stand apart
            first = 0
            while first < dash - 2 and not is_headline_like(join_units(units[first : dash - 1])):
                first += 1
            draft.stray += units[:first]
            draft.kicker = join_units(units[first : dash - 1])
        return units[dash + 1 :]
    if len(units) >= 3 and _two_phrases(units[0]) and not _two_phrases(units[1]):
        # a title of two phrases is no kicker (kickers are a place, a body, a
        # rubric: one phrase): with its subtitle it is one box's headline,
        # and what follows is another's (two boxes side by side, their
        # headlines read as one run); the first stands apart
        draft.stray += units[:2]
        return _fill_fields(units[2:], draft, rubrics)
    if len(units) >= 3:
        draft.kicker, draft.title, draft.subtitle = units[0], units[1], units[2]
        return units[3:]
    draft.title = units[0]
    if len(units) == 2:
        draft.subtitle = units[1]
    return []


class Assembler:
    def __init__(self, toks: list[Token], ctx: Context, changes: ChangeSink):
        self.toks = toks
        self.ctx = ctx
        self.changes = changes
        self.slots: list[Draft] = []
        self.cur: Draft | None = None
        self.pending_jump: str | None = None
        self.pending_header: Draft | None = None

    # helpers -----------------------------------------------------------
    def note(self, tok: Token, role: str) -> None:
        self.changes.append(Change(NAME, tok.line, 1, tok.text, tok.text, role))

    def new(self, kind: ArticleKind = "article") -> Draft:
        d = Draft(kind)
        if self.pending_jump:
            d.jump, self.pending_jump = self.pending_jump, None
        self.slots.append(d)
        return d

    def is_caption(self, i: int) -> bool:
        t = self.toks
        return t[i].kind in (TEXT, LEAD) and i + 1 < len(t) and t[i + 1].kind == CREDIT

    def head_run(self, i: int) -> int:
        """End (exclusive) of the run of header tokens starting at i.

        A header ends with its byline; one headline line after the byline
        still belongs to it (a kicker printed out of place) when body text,
        not another header, follows that line.
        """
        toks = self.toks
        j = i
        while j < len(toks) and toks[j].kind in (HEAD, BYLINE):
            if toks[j].kind == BYLINE and j > i:
                nxt = toks[j + 1] if j + 1 < len(toks) else None
                after = toks[j + 2] if j + 2 < len(toks) else None
                if (
                    nxt is not None
                    and nxt.kind == HEAD
                    and (after is None or after.kind not in (HEAD, BYLINE))
                ):
                    return j + 2
                return j + 1
            j += 1
        return j

    def headline_units(self, units: list[str], toks: list[Token]) -> list[str]:
        """Lines cut at the box edge rejoined, before and after parallel title
        halves are: a half joined may then be long enough to show its cut."""
        line = toks[0].line if toks else 0
        units = rejoin_wrapped(units, line, self.changes, self.ctx)
        return rejoin_wrapped(self.join_parallel(units, toks), line, self.changes, self.ctx)

    def join_parallel(self, units: list[str], toks: list[Token]) -> list[str]:
        """Title halves printed on lines (tokens) of their own, joined like a split token's."""
        # the halves are the first token's one line and the next token's first
        if len(toks) < 2 or len(toks[0].lines) != 1:
            return units
        if _wrapped_subtitle(tuple(units)):
            a, b, sub, *rest = units
            self.changes.append(Change(NAME, toks[0].line, len(a) + 1, "\n", " ", "split headline joined"))
            for k in range(len(rest)):
                at = toks[min(3 + k, len(toks) - 1)].line
                self.changes.append(Change(NAME, at, 1, "\n", "", "wrapped subtitle joined"))
            return [f"{a} {b}", _paired(sub + "".join(rest), toks[-1].line, self.changes)]
        # more lines after the subtitle do not make the halves two fields: the
        # text output prints those lines apart, and they read back as halves
        if not _parallel_title(units[:3]):
            return units
        a, b, sub = units[:3]
        self.changes.append(Change(NAME, toks[0].line, len(a) + 1, "\n", " ", "split headline joined"))
        return [f"{a} {b}", sub, *units[3:]]

    def jump(self, tok: Token) -> None:
        text = jump_of(tok.text, self.ctx.rules) or tok.text
        if text.startswith(_ENDS_ARTICLE) and self.cur is not None:
            if self.cur.jump is None:
                self.cur.jump = text
                self.changes.append(Change(NAME, tok.line, 1, tok.text, text, "jump line"))
            else:
                # the field holds one jump; a second one of the same article
                # (上接 … 下转) stays in its body as printed
                self.cur.blocks.append(TextBlock("text", tok.text))
                self.note(tok, "second jump line of the article, kept as printed")
            return
        self.flush_jump()
        self.changes.append(Change(NAME, tok.line, 1, tok.text, text, "jump line"))
        self.pending_jump = text

    def flush_jump(self) -> None:
        """A jump line no article took (the page ends, or another jump line
        follows) is kept as an article of its own rather than dropped."""
        if self.pending_jump is not None:
            self.slots.append(Draft("fragment", jump=self.pending_jump))
            self.pending_jump = None

    def photo(self, i: int) -> int:
        caption, credit = self.toks[i], self.toks[i + 1]
        d = Draft("photo", byline=credit.text, blocks=[TextBlock("text", caption.text)])
        self.slots.append(d)
        self.note(caption, "photo caption")
        return i + 2

    def header(self, i: int, end: int) -> Draft:
        """Kicker, title, subtitle and byline from a run of header lines.

        A headline line printed after the byline is the kicker when the lines
        before the byline left the kicker empty (``做人民满意的公务员`` under
        ``本报记者 孙红丽``); otherwise it, like any unit the header has no field
        for, opens the body as a heading.
        """
        units: list[str] = []
        after: list[Token] = []
        run = self.toks[i:end]
        d = Draft(line=run[0].line)
        for k, tok in enumerate(run):
            follows, dash = _head_follows(run, k)
            # (a byline with no headline above it is one only when another
            # follows: alone it may be a title that reads like one)
            next_byline = k + 1 < len(run) and run[k + 1].kind == BYLINE
            if tok.kind == BYLINE and d.byline is None and (units or next_byline):
                d.byline = tok.text
                self.note(tok, "byline")
            elif d.byline is not None:
                after.append(tok)
            else:
                units.extend(title_units(tok, self.changes, follows, dash))
                self.note(tok, "headline")
        units = self.headline_units(units, run)
        if d.byline is None and len(units) >= 2 and is_bare_name(units[-1], self.ctx.rules):
            # a name alone under the headline (何海燕): the byline, printed
            # without 本报记者
            d.byline = units.pop()
            self.note(run[-1], "name on its own line: the byline")
        for u in parse_header(units, d, self.ctx.rules.rubrics, self.changes, run[0].line):
            d.blocks.append(TextBlock("heading", u))
        for tok in after:
            text = join_units(title_units(tok, self.changes))
            if tok.kind == HEAD and d.kicker is None and not d.blocks and _kicker_reads_back(text, d):
                d.kicker = text
                self.note(tok, "kicker printed after the byline")
            else:
                d.blocks.append(TextBlock("heading", text))
                self.note(tok, "heading")
        return d

    def heading_lines(self, tok: Token, changes: ChangeSink) -> str | None:
        """The token as one heading line: its line, or its two lines when the
        second finishes what the column edge cut off (``科学制定规划 明确产业发``
        / ``展方向``); None for two lines that stay two."""
        if len(tok.lines) == 1:
            return tok.text
        if len(tok.lines) != 2:
            return None
        units = rejoin_wrapped(list(tok.lines), tok.line, changes, self.ctx)
        if len(units) == 1:
            return units[0]
        # between two paragraphs of one article, a heading's rest may be a
        # little longer than a headline's (搭建产业平台 做好新区基 / 础设施建设)
        a, b = tok.lines
        if len(b) <= HEADING_REST_MAX and _HAN_ONLY.match(b) and spans_word(a, b) and is_headline_like(a + b):
            changes.append(Change(NAME, tok.line, len(a) + 1, "\n", "", "wrapped heading joined"))
            return a + b
        return None

    def heading_token(self, i: int, end: int) -> Token | None:
        """The header run toks[i:end] as one token of heading lines: a token,
        or two one-line headline tokens (a heading whose rest the column
        edge put on a line of its own, read as a headline line of its own)."""
        toks = self.toks
        if end == i + 1:
            return toks[i]
        if end == i + 2 and all(t.kind == HEAD and len(t.lines) == 1 and t.mark != 1 for t in toks[i:end]):
            return toks[i]._replace(lines=(toks[i].text, toks[i + 1].text))
        return None

    def section_heading(self, i: int, end: int) -> Token | None:
        """The header run toks[i:end] as a section heading of the article
        being read (its heading token), or None when it opens another."""
        toks = self.toks
        tok = self.heading_token(i, end)
        ok = (
            tok is not None
            and self.heading_lines(tok, []) is not None
            and tok.mark != 1
            and not tok.text.startswith(_SUBTITLE)
            and self.cur is not None
            and self.cur.has_body
            and self.pending_jump is None
            and end < len(toks)
            and toks[end].kind == TEXT
            and not self.is_caption(end)
        )
        return tok if ok else None

    # reading the page -------------------------------------------------
    def after_body(self, i: int, end: int) -> None:
        """A header run that closes the article before it (headline printed last).

        Its first title (and a subtitle without ——) goes to that article; what
        follows, with a byline, is the header of a body still to come.
        """
        toks = self.toks
        byline_at = next((k for k in range(i, end) if toks[k].kind == BYLINE), None)
        head_toks = toks[i:end] if byline_at is None else toks[i:byline_at]
        units: list[str] = []
        for k, t in enumerate(head_toks):
            units.extend(title_units(t, self.changes, *_head_follows(head_toks, k)))
            self.note(t, "headline printed after its body")
        units = self.headline_units(units, head_toks)
        if byline_at is None:
            # no byline announces a header of its own: every line is the
            # headline of the body it closes (lines it has no field for
            # become its headings)
            take = len(units)
        else:
            take = 2 if len(units) >= 2 and not units[1].startswith(_SUBTITLE) else 1
            if len(units) >= 2 and units[-1].startswith(_SUBTITLE):
                # the byline stands under a —— subtitle: the title above it
                # and the subtitle are a feature's header, the body's to come
                # (the lines above them, the headline of the body before)
                take = len(units) - 2
            elif len(units) - take < 1:
                take = max(0, len(units) - 2)  # a feature header (title + —— subtitle) follows
        assert self.cur is not None
        # lines the header has no field for open the body as headings, as
        # they do when the header is printed first: the text output puts them
        # there, so reading it again gives the same article
        rubrics = self.ctx.rules.rubrics
        fields = parse_header(units[:take], self.cur, rubrics, self.changes, toks[i].line)
        self.set_apart(self.cur)
        self.cur.blocks[:0] = [TextBlock("heading", u) for u in fields]
        self.cur.awaiting_title = False
        rest = units[take:]
        self.cur = None
        if rest or byline_at is not None:
            d = Draft()
            left = parse_header(rest, d, rubrics, self.changes, toks[i].line)
            self.set_apart(d)
            d.blocks.extend(TextBlock("heading", u) for u in left)
            if byline_at is not None:
                d.byline = toks[byline_at].text
                self.note(toks[byline_at], "byline")
                # lines after the byline: the kicker printed out of place, or
                # (more of them) headings of the body to come
                for t in toks[byline_at + 1 : end]:
                    text = join_units(title_units(t, self.changes))
                    if t.kind == HEAD and d.kicker is None and _kicker_reads_back(text, d):
                        d.kicker = text
                        self.note(t, "kicker printed after the byline")
                    else:
                        d.blocks.append(TextBlock("heading", text))
                        self.note(t, "heading")
            self.take_pending()  # an earlier header still waiting keeps its own slot
            self.pending_header = d

    def subtitle_after_photos(self, i: int, end: int) -> bool:
        """Whether the one headline line at i is the subtitle of the header
        still waiting for its body, which read its two title halves as title
        and subtitle: a photo the extractor read between a headline and its
        box (``新能源公交上线`` / ``绿色出行更便捷``, a caption, then
        ``桐岭县新增30辆…``). Only when the three read as halves and subtitle;
        the halves are then joined, as in one run of lines."""
        cur, tok = self.cur, self.toks[i]
        if end != i + 1 or tok.kind != HEAD or len(tok.lines) != 1 or cur is None:
            return False
        if cur.blocks or cur.kicker or cur.byline or cur.stray or not (cur.title and cur.subtitle):
            return False
        slots = self.slots
        at = next((k for k in range(len(slots) - 1, -1, -1) if slots[k] is cur), -1)
        if at < 0 or at == len(slots) - 1 or any(s.kind != "photo" for s in slots[at + 1 :]):
            return False
        if not _parallel_title([cur.title, cur.subtitle, tok.text]):
            return False
        self.changes.append(Change(NAME, cur.line, len(cur.title) + 1, "\n", " ", "split headline joined"))
        cur.title, cur.subtitle = f"{cur.title} {cur.subtitle}", tok.text
        self.note(tok, "subtitle of the headline above the photo")
        return True

    def set_apart(self, d: Draft) -> None:
        """The headline lines d's header set apart (a headline whose box is
        elsewhere) as an article of their own, as the text output's separator
        makes them when read again; never dropped (those they set apart in
        turn come first)."""
        if d.stray:
            stray, d.stray = d.stray, []
            apart = Draft()
            apart.blocks = [TextBlock("heading", u) for u in _fill_fields(stray, apart)]
            self.set_apart(apart)
            self.slots.append(apart)

    def take_pending(self) -> Draft | None:
        d, self.pending_header = self.pending_header, None
        if d is not None:
            if self.pending_jump:
                d.jump, self.pending_jump = self.pending_jump, None
            self.slots.append(d)
        return d

    def run(self) -> None:
        toks, i = self.toks, 0
        while i < len(toks):
            tok = toks[i]
            # text right after photos (a photo, caption and credit or a credit
            # alone, ends with its credit)
            after_photo = tok.kind == TEXT and i > 0 and toks[i - 1].kind == CREDIT
            if after_photo and self.cur is not None and self.cur.has_body:
                last = self.cur.blocks[-1]
                if last.type == "text" and ends_sentence(last.text):
                    self.cur.after_photos = (len(self.cur.blocks), tok.line)
            if tok.kind == SEP:
                self.cur = None
                self.changes.append(Change(NAME, tok.line, 1, tok.text, "", "article separator"))
                i += 1
            elif tok.kind == JUMP:
                self.jump(tok)
                i += 1
            elif self.is_caption(i):
                i = self.photo(i)
            elif tok.kind == CREDIT:
                self.slots.append(Draft("photo", byline=tok.text))
                i += 1
            elif tok.kind in (HEAD, BYLINE):
                end = self.head_run(i)
                cur = self.cur
                heading = self.section_heading(i, end) if tok.kind == HEAD else None
                if heading is not None:
                    text = self.heading_lines(heading, self.changes) or tok.text
                    cur.blocks.append(TextBlock("heading", text))  # type: ignore[union-attr]
                    self.note(tok, "section heading")
                elif (
                    tok.kind == BYLINE
                    and end == i + 1
                    and cur is not None
                    and cur.byline is None
                    and not cur.has_body
                ):
                    cur.byline = tok.text
                    self.note(tok, "byline")
                elif cur is not None and cur.awaiting_title and cur.has_body and tok.kind == HEAD:
                    self.after_body(i, end)
                elif self.subtitle_after_photos(i, end):
                    pass
                else:
                    d = self.header(i, end)
                    self.set_apart(d)
                    if self.pending_jump:
                        d.jump, self.pending_jump = self.pending_jump, None
                    self.slots.append(d)
                    self.cur = d
                i = end
            else:  # LEAD or TEXT
                cur = self.cur
                if tok.kind == LEAD and (cur is None or cur.has_body):
                    # on a page that prints headlines after their bodies, a
                    # lead's headline follows it; a waiting feature header
                    # (with its byline) is for a body without a lead
                    self.cur = self.new()
                    self.cur.awaiting_title = True
                    self.note(tok, "lead opens an article")
                elif cur is None:
                    if self.take_pending() is not None:
                        self.cur = self.slots[-1]
                        self.note(tok, "body of the header printed before it")
                    else:
                        self.cur = self.new("fragment")
                        self.note(tok, "text before any headline")
                self.cur.blocks.append(TextBlock("text", tok.text))  # type: ignore[union-attr]
                i += 1
        self.take_pending()
        self.flush_jump()

    def articles(self) -> tuple[Article, ...]:
        self.run()
        self.leads_before_headlines()
        return tuple(a for a in (d.freeze() for d in self.slots) if a.strings())

    def leads_before_headlines(self) -> None:
        """Text after an article's photos, ahead of a headline whose body
        opens with a section heading, is that body's lead.

        A feature's text before its first section heading is its lead: a body
        never opens with a heading. An OCR engine that reads a column ahead of
        the band its box's headline stands in leaves that lead after the
        photos that end the article before (its last paragraph ends a
        sentence); the headline's body then opens with a heading."""
        # each draft and the next one that is no photo: text after photos
        # moves under the headline right after them, never past other text
        drafts = [d for d in self.slots if d.kind != "photo"]
        for a, b in pairwise(drafts):
            if a.after_photos is None or a.kind != "article" or b.kind != "article" or not b.title:
                continue
            if not b.blocks or b.blocks[0].type != "heading":
                continue
            k, line = a.after_photos
            if not all(t.type == "text" for t in a.blocks[k:]):
                continue
            moved, a.blocks[k:] = a.blocks[k:], []
            b.blocks[:0] = moved
            a.after_photos = None
            self.changes.append(
                Change(NAME, line, 1, "", "", "text after photos is the lead of the headline that follows")
            )


def assemble_articles(
    blocks: tuple[Block, ...], ctx: Context
) -> tuple[tuple[Article, ...], Sequence[Change]]:
    """The page's articles in reading order, and how each line was used."""
    # a note per line used (a page of tiny pieces has hundreds of thousands):
    # kept as columns
    changes = ChangeColumns()
    toks = tokenize(blocks, ctx, changes)
    articles = Assembler(toks, ctx, changes).articles()
    return _under_late_headlines(articles, toks, ctx, changes), changes


# A word this common (lexicon.joint_strength) across a cut says the text
# goes on there.
LATE_HEADLINE_JOINT = 5


def _under_late_headlines(
    articles: tuple[Article, ...], toks: Sequence[Token], ctx: Context, changes: ChangeSink
) -> tuple[Article, ...]:
    """Text before a headline that the body under the headline goes on with.

    An extractor that reads a box's first column before the box's headline
    (Tesseract does, when the headline stands in a band of its own) leaves
    the column's text headless, ahead of the headline, cut mid-sentence; the
    body under the headline starts with the rest of that sentence. When the
    headless text's last paragraph stops mid-sentence, the first paragraph
    under the headline is no lead (a lead opens a body), and a word of the
    lexicon straddles the two, they are one paragraph and the headless text
    is the beginning of the article under the headline.
    """
    out = list(articles)
    i = 0
    while i + 1 < len(out):
        a, b = out[i], out[i + 1]
        if not _continues_under(a, b, ctx):
            i += 1
            continue
        p, q = a.blocks[-1].text, b.blocks[0].text
        left, sep, right = joint(p, q)
        joined = TextBlock("text", left + sep + right)
        out[i : i + 2] = [replace(b, blocks=(*a.blocks[:-1], joined, *b.blocks[1:]))]
        line = next((t.line for t in toks if t.kind == TEXT and t.text == q), 1)
        note = "text before a headline goes on under it: the headline was read late; the text goes under it"
        changes.append(Change(NAME, line, 1, "\n\n", sep, note))
    return tuple(out)


def _continues_under(a: Article, b: Article, ctx: Context) -> bool:
    if a.title or a.kicker or a.subtitle or a.byline or not b.title:
        return False
    if not a.blocks or not b.blocks or a.blocks[-1].type != "text" or b.blocks[0].type != "text":
        return False
    p, q = a.blocks[-1].text, b.blocks[0].text
    if ends_sentence(p) or is_lead(q, ctx.rules):
        return False
    return joint_strength(p[-4:], q[:4]) >= LATE_HEADLINE_JOINT
