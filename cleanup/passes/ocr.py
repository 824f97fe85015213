"""Characters and marks an OCR engine misread (``就业扶贫`` read ``惑业扶贫``).

Three passes, and the test that says whether a page is OCR output at all:

- :func:`find_ocr_misreads` (``repair_ocr_characters``) replaces a character
  by one of its look-alikes (``rules/ocr_pairs.tsv``, counted on the OCR
  corpus; ``rules/ocr_classic.tsv``, typed in; ``rules/ocr_lookalikes.tsv``,
  from shape data) only where jieba's lexicon reads the repaired text as far
  more likely than the text as read: the text around the character is
  segmented into words (the commonest reading, as jieba's own dictionary
  route does) with the character as read and with each look-alike, and the
  look-alike wins only when it makes a word of two or more characters, its
  reading is at least ``MARGIN`` nats more likely (``MARGIN_KNOWN`` for a
  known misreading; ``MARGIN_PAIR`` for a two-character word from shape
  alone), and no other look-alike comes close. A character the lexicon
  reads inside a word of three or more is never asked about (one inside a
  word of two only for a known misreading forming a longer word, at
  ``MARGIN_IN_WORD``), nor one in a byline, a
  Han numeral, a run touching Latin letters or digits, or just after a lone
  surname. The note gives the evidence: the words read after and before,
  with their log counts.
- :func:`find_ocr_punctuation` (``repair_ocr_punctuation``) repairs marks as
  Tesseract misreads them: ``o``/``O``/``0`` for ``。`` at a sentence end, a
  column rule read as ``|`` inside a sentence, a closing quote read as
  ``?`` inside a quote (``“党建红?引领``) or as ``-`` ending the
  line it closes (``大山里的“点灯人-``), a jump line's misread verb
  (``(下二第五版)`` -> ``(下转第五版)``; its brackets are repaired by
  ``widen_punctuation`` and ``repair_misread_brackets``), a parenthesis
  closed or opened with a square or curly bracket (``（记者 周敏]``).
- :func:`find_lone_quotes` (``repair_lone_quotes``) turns a straight quote
  that pairing left, its partner lost, by the marks around it.

They run only on pages that look like OCR output (:func:`looks_like_ocr`,
asked by the pipeline of the paragraphs as the block passes see them), or
on every page when asked (``--ocr``, ``ocr=True``): on other text they
would cost time and find nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import regex

from ..chars import HAN
from ..lexicon import covers, words
from ..linekinds import is_byline
from ..model import Edit, apply_edits
from ..rules import Rules
from .base import Context, as_fixer, lines_with
from .punctuation import find_mirrored_quotes, find_straight_quotes

# --- telling OCR output ------------------------------------------------------

# Signs of OCR on a page, found by one regex search each (the test must cost
# nothing next to cleaning a page that is no OCR output):
# - a space between nearly every two Han characters (Tesseract's chi_sim
#   output without preserve_interword_spaces), counted against the Han
#   characters;
# - a column rule read as "|" between Han characters;
# - a few ASCII commas or colons between Han characters among many
#   full-width ones, or a few straight double quotes among many curly ones:
#   an extractor that reads the PDF's text gives one or the other, never a
#   scattering (the ASCII dialects have ASCII marks nearly everywhere; a
#   stray ASCII semicolon is printed often enough: not counted);
# - a full stop read as o/O/0 at the end of a sentence.
# (each pattern starts with the rare character it is about, so that the
# search skips to it at C speed instead of testing a class at every position)
_SPACED_HAN = regex.compile(rf" (?<=[{HAN}] )(?=[{HAN}])")
# (the next line counts: a rule at a printed line's end is inside a sentence
# once the lines are joined)
_RULE = regex.compile(rf"\|(?<=[{HAN}，。、；：][ \t]*\|)(?=\s*[{HAN}])")
_ASCII_MARKS = tuple(regex.compile(rf"{m}(?<=[{HAN}]{m})(?=[{HAN}“])") for m in ",:")
_O_STOPS = (
    regex.compile(rf"o(?<=[{HAN}][ \t]*o)(?=[ \t]*(?:$|[“{HAN}]))", regex.MULTILINE),
    regex.compile(rf"O(?<=[{HAN}][ \t]*O)(?=[ \t]*(?:$|[“{HAN}]))", regex.MULTILINE),
    regex.compile(rf"0(?<=[{HAN}][ \t]*0)(?=[ \t]*$)", regex.MULTILINE),  # 0 before Han is a number: 凌晨0时
)
_HAN_CHAR = regex.compile(rf"[{HAN}]")

# of Han characters followed by a space and another: Tesseract's spaced
# output has one after nearly every character; pdfminer spaces some pages
# out at about half (bench/extract/text/pdfminer/dev/page_1004.txt: 0.53)
SPACED_SHARE = 0.7
SCATTER = 0.1  # ASCII marks among full-width ones, at most, for a scattering


def looks_like_ocr(text: str) -> bool:
    """True when the page shows signs of OCR (spaced-out Han characters,
    column rules read as ``|``, a scattering of ASCII marks among full-width
    ones or of straight quotes among curly ones, a full stop read as ``o``).

    Every page is asked, so each sign is first looked for with ``str``
    methods (a count, ``in``), and a regex runs only where one may be.

    >>> looks_like_ocr("检 查 门 窗 、 整 理 讲 台 ， " * 3)
    True
    >>> looks_like_ocr("检查门窗，整理讲台：等待学生们的到来。")
    False
    """
    if "|" in text and _RULE.search(text):
        return True
    if any(p.pattern[0] in text and p.search(text) for p in _O_STOPS):
        return True
    wide = text.count("，") + text.count("：")
    if wide and ("," in text or ":" in text):
        n = sum(len(p.findall(text)) for p in _ASCII_MARKS)
        if n and n <= SCATTER * wide:
            return True
    straight = text.count('"')
    if straight and straight <= SCATTER * (text.count("“") + text.count("”")):
        return True
    spaces = text.count(" ")
    # spaced-out text is about half spaces; far fewer cannot be it
    if spaces < 20 or spaces < SPACED_SHARE * len(text) / 3:
        return False
    return len(_SPACED_HAN.findall(text)) >= SPACED_SHARE * len(_HAN_CHAR.findall(text))


# --- characters ------------------------------------------------------------

# ln of the sum of the counts in jieba's dictionary (60,101,967): a word of
# log count f has log probability f - LOGTOTAL, as in jieba's own route.
LOGTOTAL = 17.9
LONGEST = 4  # the longest word looked up
REACH = 4  # characters of context read on either side
# How much more likely (in nats) the repaired reading must be than the text
# as read, and than the runner-up look-alike. Measured on the development
# split (tuned on one half of its pages with the pairs counted on the other,
# bench/ocr_repair.py): a repair that makes a word of three or more
# characters was right at 8 nats in every case; one that makes a word of two
# characters (通村 -> 通过: 通村公路 is no word of the lexicon) was right only
# for a pair the OCR corpus showed (rules/ocr_pairs.tsv), or from shape
# alone at 12 nats.
MARGIN = 8.0
MARGIN_KNOWN = 7.0  # a pair known as an OCR misreading (ocr_pairs.tsv, ocr_classic.tsv)
MARGIN_PAIR = 12.0  # a two-character word from a pair of shape alone
# a character the lexicon reads inside a word of two (公文局): replaced only
# by a known misreading (ocr_pairs.tsv, ocr_classic.tsv) forming a word of
# three or more, at 10 nats (on dev: 9 more right, none wrong; at 9 the
# first wrong one; shape pairs added no right one there)
MARGIN_IN_WORD = 10.0
RUNNER_UP = 3.0
# Characters never replaced: Han numerals (a number is read as printed).
NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")
_RUN = regex.compile(rf"[{HAN}]+")
PIECE = 256  # characters of a run segmented at once
ROUNDS = 3  # times a run is asked again after a repair


def _cost(w: str, vocab: Mapping[str, int]) -> float | None:
    f = vocab.get(w)
    if f is None:
        return -LOGTOTAL if len(w) == 1 else None
    return f - LOGTOTAL


def _route(s: str, vocab: Mapping[str, int]) -> tuple[float, list[str]]:
    """The commonest segmentation of s into words of the lexicon (single
    characters always allowed): its log probability and its words."""
    n = len(s)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        top = (-1e9, i + 1)
        for j in range(i + 1, min(n, i + LONGEST) + 1):
            c = _cost(s[i:j], vocab)
            if c is not None and c + best[j][0] > top[0]:
                top = (c + best[j][0], j)
        best[i] = top
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(s[i:j])
        i = j
    return best[0][0], out


def _word_at(ws: list[str], i: int) -> str:
    pos = 0
    for w in ws:
        if pos <= i < pos + len(w):
            return w
        pos += len(w)
    return ""


def _words_before(ws: list[str], i: int, reach: int) -> list[str]:
    """The words of ws that end within reach characters before position i."""
    out, pos = [], 0
    for w in ws:
        pos += len(w)
        if i - reach <= pos - 1 < i:
            out.append(w)
    return out


def _asked(run: str, vocab: Mapping[str, int]) -> Iterator[tuple[int, bool]]:
    """(position, inside a word) of the characters of run worth asking about:
    those its commonest segmentation leaves as words of one character, and
    those of a word of two (公文局 for 公安局: 公文 is a word; asked with a
    higher margin). A long run is segmented a piece at a time (memory stays
    small: a spaced-out page becomes one run of the whole page once its
    spaces are removed)."""
    for base in range(0, len(run), PIECE):
        pos = base
        for w in _route(run[base : base + PIECE], vocab)[1]:
            if len(w) <= 2:
                for d in range(len(w)):
                    yield pos + d, len(w) == 2
            pos += len(w)


def _covers(s: str, k: int, vocab: Mapping[str, int]) -> bool:
    return covers(s, k, LONGEST)


def _covers_long(s: str, k: int, vocab: Mapping[str, int]) -> bool:
    """True when a word of three or more characters (up to LONGEST) covers position k of s."""
    return any(
        s[a : a + n] in vocab
        for n in range(3, LONGEST + 1)
        for a in range(max(0, k - n + 1), min(k, len(s) - n) + 1)
    )


def _evidence(w: str, vocab: Mapping[str, int]) -> str:
    f = vocab.get(w)
    return f"{w}({f})" if f is not None else f"{w}(-)"


def _decide(
    run: str,
    i: int,
    alts: str,
    vocab: Mapping[str, int],
    seen: frozenset[tuple[str, str]],
    surnames: frozenset[str],
    inside: bool = False,
) -> tuple[str, str] | None:
    """The look-alike that run[i] should be, and the evidence, or None."""
    a, b = max(0, i - REACH), min(len(run), i + REACH + 1)
    window, k = run[a:b], i - a
    if inside:  # the text as read is a word: only a known misreading is asked
        alts = "".join(r for r in alts if (run[i], r) in seen)
    # a look-alike that forms no word of the lexicon (of three or more,
    # inside a word) is not worth a route
    forms = _covers_long if inside else _covers
    cands = [(r, c) for r in alts if r != run[i] and forms(c := window[:k] + r + window[k + 1 :], k, vocab)]
    if not cands:
        return None
    base, base_words = _route(window, vocab)
    scored = []
    for r, cand in cands:
        lp, ws = _route(cand, vocab)
        word = _word_at(ws, k)
        if len(word) >= 2:
            scored.append((lp - base, r, word, ws))
    if not scored:
        return None
    scored.sort(reverse=True)
    gain, r, word, ws = scored[0]
    known = (run[i], r) in seen
    if gain < (MARGIN_KNOWN if known else MARGIN) or (len(scored) > 1 and scored[1][0] > gain - RUNNER_UP):
        return None
    if inside and (len(word) < 3 or gain < MARGIN_IN_WORD):
        return None  # the text as read is a word: only a longer, far likelier one replaces it
    if len(word) == 2:
        if gain < MARGIN_PAIR and not known:
            return None
        # a character just after a surname that stands alone may be part of
        # a name the lexicon does not know (谭晓霞 is no 谭晚霞)
        if any(len(w) == 1 and w in surnames for w in _words_before(base_words, k, 2)):
            return None
    before = _word_at(base_words, k)
    note = (
        f"OCR misread {run[i]}->{r}: {_evidence(word, vocab)} for {_evidence(before, vocab)}"
        f" in {''.join(base_words)!r} (log count; +{gain:.1f} nats)"
    )
    return r, note


def find_ocr_misreads(text: str, ctx: Context) -> Iterator[Edit]:
    """Look-alike characters the lexicon reads as a far more likely text.

    >>> from cleanup.passes.ocr import repair_ocr_characters
    >>> repair_ocr_characters("伊通满族目治县医保局")
    '伊通满族自治县医保局'
    >>> repair_ocr_characters("一条条通村公路")  # 通过 would be a word, but 2 characters from shape alone
    '一条条通村公路'
    """
    table = ctx.rules.lookalikes
    if not table:
        return
    vocab = words()
    for pos, line in lines_with(_HAN_CHAR, text):
        if is_byline(line, ctx.rules):
            continue
        for m in _RUN.finditer(line):
            run = m.group()
            if len(run) < 2:
                continue
            start = m.start()
            # a run touching Latin letters or digits is part of a name or code
            if start and line[start - 1].isascii() and line[start - 1].isalnum():
                continue
            end = m.end()
            if end < len(line) and line[end].isascii() and line[end].isalnum():
                continue
            for i, (new, note) in sorted(_repairs(run, table, vocab, ctx.rules).items()):
                yield Edit(pos + start + i, pos + start + i + 1, new, note)


def _repairs(
    run: str, table: dict[str, str], vocab: Mapping[str, int], rules: Rules
) -> dict[int, tuple[str, str]]:
    """Position -> (repaired character, note) for a run of Han characters.

    A repair changes the context of its neighbours, so the run is asked
    again until nothing more changes (a few rounds at most): what the pass
    leaves, it would leave when asked again.
    """
    original, found = run, {}
    for _ in range(ROUNDS):
        changed = False
        for i, inside in _asked(run, vocab):
            c = run[i]
            alts = table.get(c)
            if not alts or c in NUMERALS:
                continue
            decided = _decide(run, i, alts, vocab, rules.ocr_seen, rules.surnames, inside)
            if decided:
                run = run[:i] + decided[0] + run[i + 1 :]  # later windows read the repair
                found[i] = decided
                changed = True
        if not changed:
            break
    return {i: d for i, d in found.items() if run[i] != original[i]}


repair_ocr_characters = as_fixer(find_ocr_misreads)


# --- marks -------------------------------------------------------------------

# a full stop read as a letter o or a zero: after a Han character (after a
# closing mark, OCR noise is as likely), at the end of the paragraph, or (o/O only: a 0 there is a
# number, 凌晨0时) before the next sentence
# (Tesseract often puts spaces around it: 效果 o; those before go with it,
# those after are remove_artifact_spaces')
_STOP = regex.compile(rf"(?<=[{HAN}])[ \t]*(?:[oO0](?=[ \t]*$)|[oO](?=[ \t]*[“{HAN}]))", regex.MULTILINE)
# a line this short is a fragment the layout left apart (介绍 O): its stop
# would make assembly read it as a sentence and move it; left as read
FRAGMENT = 6
# a column rule read as "|" between the characters of a sentence (with the
# spaces the OCR put around it)
_BAR = regex.compile(rf"(?<=[{HAN}，、；：])[ \t]*\|[ \t]*(?=[{HAN}])")
# a jump line whose verb was misread: (下二第五版) is (下转第五版)
_JUMP = regex.compile(
    r"^(?P<open>[（(《〈])[ \t]*(?P<dir>[上下])(?P<verb>\p{Han}?)[ \t]*"
    r"第(?P<page>[一二三四五六七八九十\d]{1,3})版[ \t]*(?P<close>[）)》〉])[ \t]*$",
    regex.MULTILINE,
)
_VERB = {"上": "接", "下": "转"}
# a closing quote read as "?": between two Han characters, inside a quote
# opened before it on the line (“口袋公园?扮 is “口袋公园”扮)
_QUERY = regex.compile(rf"(?<=[{HAN}])\?(?=[{HAN}])")
# ... or as a dash at the end of a line it closes (大山里的“点灯人-); not a
# question mark there, which may end a quoted question whose quote was lost
_END_CLOSE = regex.compile(rf"(?<=[{HAN}])-(?=[ \t]*$)", regex.MULTILINE)
_DASH_CLOSE_NOTE = "closing quote read as '-' at the end of a quote (OCR)"
# a parenthesis closed with a square or curly bracket, or the other way
# round, within one line: （记者 周敏] -> （记者 周敏）
_WRONG_CLOSE = regex.compile(r"（(?P<inner>[^（）()\[\]{}\n]{1,30})(?P<close>[\]}])")
_WRONG_OPEN = regex.compile(r"(?P<open>[\[{])(?P<inner>[^（）()\[\]{}\n]{1,30})）")
_MARKS = regex.compile(r"[oO0|\]}\[{?]|^[（(《〈][上下]|-[ \t]*$", regex.MULTILINE)


def find_ocr_punctuation(text: str, ctx: Context) -> Iterator[Edit]:
    """Marks as an OCR engine misreads them.

    >>> from cleanup.passes.ocr import repair_ocr_punctuation
    >>> repair_ocr_punctuation("工作已全面完成o")
    '工作已全面完成。'
    >>> repair_ocr_punctuation("全镇共排查 | 隐患12处")
    '全镇共排查隐患12处'
    >>> repair_ocr_punctuation("以“党建红?引领")
    '以“党建红”引领'
    >>> repair_ocr_punctuation("大山里的“点灯人-")
    '大山里的“点灯人”'
    >>> repair_ocr_punctuation("(下二第五版)")  # the brackets are widen_punctuation's
    '(下转第五版)'
    """
    for pos, line in lines_with(_MARKS, text):
        yield from sorted(_mark_edits(pos, line), key=lambda e: e.start)


def _quote_open(line: str, i: int) -> bool:
    """True when a double quote opened before position i of line is not closed:
    the last curly one is “, or, with none, the straight ones are odd."""
    last = max(line.rfind("“", 0, i), line.rfind("”", 0, i))
    straight = line.rfind('"', 0, i)
    if last > straight:
        return line[last] == "“"
    return line.count('"', 0, i) % 2 == 1


def _mark_edits(pos: int, line: str) -> Iterator[Edit]:
    """The edits of one line, in any order."""
    for m in _STOP.finditer(line):
        if m.start() < FRAGMENT:
            continue
        yield Edit(pos + m.start(), pos + m.end(), "。", f"full stop read as {m.group().strip()!r} (OCR)")
    for m in _BAR.finditer(line):
        yield Edit(pos + m.start(), pos + m.end(), "", "column rule read as '|' inside a sentence (OCR)")
    for m in _QUERY.finditer(line):
        if _quote_open(line, m.start()):
            yield Edit(pos + m.start(), pos + m.end(), "”", "closing quote read as '?' inside a quote (OCR)")
    for m in _END_CLOSE.finditer(line):
        if _quote_open(line, m.start()):
            yield Edit(pos + m.start(), pos + m.end(), "”", _DASH_CLOSE_NOTE)
    j = _JUMP.match(line)
    if j and j["verb"] and j["verb"] not in "转接续":
        # the brackets are widen_punctuation's and repair_misread_brackets'
        want = _VERB[j["dir"]]
        note = f"jump line: {j['verb']!r} read for {want!r} (OCR)"
        yield Edit(pos + j.start("verb"), pos + j.end("verb"), want, note)
        return
    for m in _WRONG_CLOSE.finditer(line):
        yield Edit(
            pos + m.start("close"),
            pos + m.end("close"),
            "）",
            "parenthesis closed with the wrong glyph (OCR)",
        )
    for m in _WRONG_OPEN.finditer(line):
        yield Edit(
            pos + m.start("open"), pos + m.end("open"), "（", "parenthesis opened with the wrong glyph (OCR)"
        )


repair_ocr_punctuation = as_fixer(find_ocr_punctuation)


# --- quotes ------------------------------------------------------------------

_STRAIGHT = regex.compile(r'"')
_IS_HAN = regex.compile(rf"[{HAN}]")
# what stands before an opening quote and after a closing one (not 。！？
# before an opener: a quoted sentence closes after its full stop, 了。”获得)
_BEFORE_OPEN = "：；，、（"
_AFTER_CLOSE = "，。、；：！？）"
_LONE_NOTE = "{} quote read as a straight one, its partner lost (OCR)"


def find_lone_quotes(text: str, ctx: Context) -> Iterator[Edit]:
    """A straight double quote that pairing left (its partner was lost or
    misread: ``卖不出"难题``), turned by the marks around it: after a
    clause's mark (not a full stop: ``了。"`` may close) or at the line's
    start and before a Han character it opens (``说："我``), after a Han
    character and before a mark or the line's end it closes (``出",``);
    between two Han characters it is left. Runs after ``pair_quotes`` and
    ``repair_mirrored_quotes``, so only what they could not decide is asked.

    >>> from cleanup.passes.ocr import repair_lone_quotes
    >>> repair_lone_quotes('他说："我在外地打工')
    '他说：“我在外地打工'
    >>> repair_lone_quotes('种得出、卖不出"，难题')
    '种得出、卖不出”，难题'
    >>> repair_lone_quotes('直播惠岗"专区')  # between Han characters: either way
    '直播惠岗"专区'
    """
    for pos, line in lines_with(_STRAIGHT, text):
        edits = list(_lone_quote_edits(line))
        if not edits:
            continue
        # the quotes left must be as pairing leaves them: were pairing to
        # decide them now, a second cleaning would change the line
        turned = apply_edits(line, edits)
        if any(True for f in (find_straight_quotes, find_mirrored_quotes) for _ in f(turned, ctx)):
            continue
        for e in edits:
            yield Edit(pos + e.start, pos + e.end, e.new, e.note)


def _lone_quote_edits(line: str) -> Iterator[Edit]:
    for m in _STRAIGHT.finditer(line):
        i = m.start()
        before = line[i - 1] if i else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        han_before, han_after = bool(_IS_HAN.match(before)), bool(_IS_HAN.match(after))
        # the last curly quote before it: an unclosed “ makes it no opener
        last = max(line.rfind("“", 0, i), line.rfind("”", 0, i))
        open_before = last >= 0 and line[last] == "“"
        if (not before or before in _BEFORE_OPEN) and han_after and not open_before:
            yield Edit(i, i + 1, "“", _LONE_NOTE.format("opening"))
        elif han_before and (not after or after in _AFTER_CLOSE):
            yield Edit(i, i + 1, "”", _LONE_NOTE.format("closing"))


repair_lone_quotes = as_fixer(find_lone_quotes)
