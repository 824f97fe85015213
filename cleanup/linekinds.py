"""What a single line looks like: body text, headline, byline, credit, jump.

Layout passes and article assembly both need these judgements; they live
here so the two never disagree. Patterns for bylines, credits, jump lines and
leads come from ``rules/``; the shape tests (length, punctuation) are here.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import regex

from .chars import HAN, ends_sentence
from .lexicon import is_word
from .rules import Rules

# Punctuation that only running text carries. A line with none of it may be
# a headline; a line with any of it is (part of) a paragraph. Quotes, book
# marks, the middle dot, dashes and colons do appear in headlines.
# (An ASCII full stop after Chinese text is widened to 。 later: it counts.)
_BODY_PUNCT = regex.compile(r"[，。；！？、,;!?…]|(?<=[\p{Han}”’）])\.")
_SPACE = regex.compile(r"\s+")

# Several passes ask the same questions about the same lines; the answers
# are memoised (bounded caches, keyed on the line and the identity of the
# rules) because these checks dominate the layout passes' time. A page has a
# few hundred lines: small caches cover it, and larger ones only give the
# garbage collector more live objects to walk (measured: 2**16 entries made
# the whole pipeline 15% slower than 2**10).

# The longest a headline line gets, in display columns. Longer lines are
# paragraphs even without punctuation (a cut-off sentence).
HEADLINE_MAX = 40


def display_width(line: str) -> float:
    """Display width: ASCII counts half, everything else one column."""
    s = line.strip()
    # encoding drops every non-ASCII character: a count at C speed
    return len(s) - len(s.encode("ascii", "ignore")) / 2


# Memoised for whole lines, which several passes measure; pieces of a line
# (printed segments, split candidates) are measured with display_width so
# they do not push the lines out of the cache.
width = lru_cache(maxsize=1 << 10)(display_width)


# A block's column width is the width most of its lines reach: a few wider
# lines (a headline across the box, a subtitle, a line of another box the
# extractor put in the same block) must not make every column line look short.
# The width at this share from the top of the block's sorted widths:
COLUMN_QUANTILE = 0.2
# Blocks with fewer lines than this measure their column as their widest line.
COLUMN_MIN_LINES = 5


def column_width(widths: Sequence[float]) -> float:
    """The prevailing width of a block's lines: its column, robust to a few wider lines.

    >>> column_width([17, 17, 16, 17, 36, 17, 9, 17, 17, 28])
    17
    """
    if len(widths) < COLUMN_MIN_LINES:
        return max(widths)
    # counted, not sorted: a block has few distinct widths, and sorting a
    # million lines' widths would hold a float object for each
    rank = int(len(widths) * COLUMN_QUANTILE)
    above = 0
    for w, count in sorted(Counter(widths).items(), reverse=True):
        above += count
        if above > rank:
            return w
    raise AssertionError("unreachable: the counts sum to len(widths)")


def has_body_punct(line: str) -> bool:
    return bool(_BODY_PUNCT.search(line))


# A line wholly inside quotes or book-title marks is a heading even with a
# comma inside (``“把心扎在这里，让居民永远有依靠”``).
_QUOTE_OPENERS = '“「《"'
_QUOTED_LINE = regex.compile(r"^[“「《\"][^“”「」《》\"]*[”」》\"]$")
_HAN_CHAR = regex.compile(rf"[{HAN}]")


@lru_cache(maxsize=1 << 10)
def is_headline_like(line: str) -> bool:
    """Short, no running-text punctuation, some Han: may be a headline part."""
    s = line.strip()
    if not s or width(s) > HEADLINE_MAX:
        return False
    if s[0] in _QUOTE_OPENERS and _QUOTED_LINE.match(s):
        return not ends_sentence(s[:-1]) and bool(_HAN_CHAR.search(s))
    # most lines asked are body text: the punctuation test rules them out first
    return not has_body_punct(s) and not ends_sentence(s) and bool(_HAN_CHAR.search(s))


# What squash collapses: two spaces, a tab, an ideographic or no-break space.
_NEEDS_SQUASH = re.compile("  |[\t\u3000\u00a0]")


def squash(line: str) -> str:
    s = line.strip()
    return _SPACE.sub(" ", s) if _NEEDS_SQUASH.search(s) else s


# Bylines, credits and jump lines are short; longer lines are never tested
# against their patterns (which keeps the patterns off long paragraphs).
FURNITURE_MAX = 40


@lru_cache(maxsize=1 << 10)
def is_byline(line: str, rules: Rules) -> bool:
    s = squash(line)
    return width(line) <= FURNITURE_MAX and s not in rules.rubrics and bool(rules.byline.search(s))


_HAN_NAME = regex.compile(r"^\p{Han}{2,4}$")


def is_bare_name(line: str, rules: Rules) -> bool:
    """A line that is only people's names (何海燕, 何海燕 吴磊): a surname of
    the rule table and one or two characters more, the whole no word of the
    lexicon (a headline line 安全生产 or 全覆盖 is a word)."""
    names = squash(line).split(" ")
    return 0 < len(names) <= 3 and all(_is_name(n, rules) for n in names)


def _is_name(s: str, rules: Rules) -> bool:
    if not _HAN_NAME.match(s):
        return False
    given = s[2:] if s[:2] in rules.surnames else s[1:] if s[0] in rules.surnames else ""
    return 1 <= len(given) <= 2 and not is_word(s)


def is_rubric(line: str, rules: Rules) -> bool:
    """A standing column name (记者手记): a kicker, however it reads."""
    return squash(line) in rules.rubrics


@lru_cache(maxsize=1 << 10)
def credit_at_end(line: str, rules: Rules) -> regex.Match[str] | None:
    """The photo credit a line ends with (``本报通讯员 李梦颖 摄``), if any."""
    # credit patterns are anchored at the line's end and compiled to search
    # backwards from it (regex's REVERSE flag), so only the tail is read
    return rules.credit.search(line.rstrip())


@lru_cache(maxsize=1 << 10)
def is_credit(line: str, rules: Rules) -> bool:
    m = credit_at_end(line.strip(), rules)
    return m is not None and m.start() == 0


@lru_cache(maxsize=1 << 10)
def jump_of(line: str, rules: Rules) -> str | None:
    """The jump text of a jump line (``（上接第一版）`` -> ``上接第一版``)."""
    if width(line) > FURNITURE_MAX:
        return None
    m = rules.jump.search(squash(line))
    if not m:
        return None
    groups = {k: v for k, v in m.groupdict().items() if v}
    return next(iter(groups.values()), m.group().strip("（）() "))


# A space next to a lone Han character (本报通讯 员, 梦 颖) is one the space
# pass removes: a line is judged as it will read once that is done, or
# cleaning it again reads it differently.
_LONE_HAN_SPACE = regex.compile(r"(?<=(?:^|\s)\p{Han})\s++(?=\p{Han})|(?<=\p{Han})\s++(?=\p{Han}(?:\s|$))")


def unspaced(line: str) -> str:
    return _LONE_HAN_SPACE.sub("", line.strip())


@lru_cache(maxsize=1 << 10)
def is_lead(line: str, rules: Rules) -> bool:
    head = line.strip()[: 2 * FURNITURE_MAX]
    return bool(rules.lead.search(head) or rules.lead.search(lead_head(line)))


_INNER_SPACE = re.compile(r"\s")


def lead_head(line: str) -> str:
    """What lead patterns read: they are anchored at the start, so only the
    line's head, without the spaces at lone characters the space pass removes."""
    head = line.strip()[: 2 * FURNITURE_MAX]
    return unspaced(head) if _INNER_SPACE.search(head) else head


# Parentheses whose content names people: the spaces inside are the credit's.
# Found as every innermost pair (the content read once, possessively), then
# the content searched for a role: one pattern that looked for the role
# inside the pair would read an unclosed ``（`` and its line back and forth,
# quadratic in the line.
_PAREN_GROUP = regex.compile(r"[（(][^（）()\n]*+[）)]")
_CREDIT_ROLE = regex.compile(r"[记記]者|通[讯訊][员員]|[实實][习習]生|[摄攝]|供[图圖]|[编編][辑輯]")


def within(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether a < i < b for any (a, b) of spans, sorted by a.

    A bisection rather than a walk over the spans: a line with many credits
    and many spaces would otherwise test every space against every credit.
    """
    starts = [a for a, _ in spans]
    reach: list[int] = []  # the furthest end of the spans up to each one
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)

    def test(i: int) -> bool:
        k = bisect_left(starts, i)  # spans[:k] start before i
        return k > 0 and reach[k - 1] > i

    return test


def credit_parens(line: str) -> list[tuple[int, int]]:
    """(start, end) of each pair of parentheses in line whose content names a role."""
    return [
        m.span() for m in _PAREN_GROUP.finditer(line) if _CREDIT_ROLE.search(line, m.start() + 1, m.end() - 1)
    ]


_CJK_NEAR_SPACE = regex.compile(
    rf"(?<=[{HAN}，。、；：？！”“）（,;:?!]) +|(?<=\S) +(?=[{HAN}，。、；：？！“”（）])"
)
# A paragraph with this many spaces next to Chinese text is space-joined:
# the extractor joined its printed lines with a space.
SPACE_JOINED = 3


def printed_lines(line: str, least: int = SPACE_JOINED) -> list[str] | None:
    """The printed lines of a space-joined paragraph, or None if it is not one.

    Spaces inside a credit's parentheses (``本报讯(通讯员 伊宣)``) are the
    author's, not joints.
    """
    spans = printed_spans(line, least)
    return None if spans is None else [line[spans[k] : spans[k + 1]] for k in range(0, len(spans), 2)]


def printed_spans(line: str, least: int = SPACE_JOINED) -> array[int] | None:
    """printed_lines as offsets: start, end, start, end... of each printed
    line (a paragraph of a million printed lines is not held as strings)."""
    if line.count(" ") < least:
        return None
    protected = credit_parens(line) if "(" in line or "（" in line else []
    guarded = within(protected)
    spans = array("q")
    cuts, pos = 0, 0
    for m in _CJK_NEAR_SPACE.finditer(line):
        if protected and guarded(m.start()):
            continue
        cuts += 1
        if m.start() > pos:
            spans.extend((pos, m.start()))
        pos = m.end()
    if cuts < least:
        return None
    if len(line) > pos:
        spans.extend((pos, len(line)))
    return spans


# A phrase of a headline or slogan: two or more Han characters (with closing
# or opening marks), as on either side of a kept separator space.
PHRASE_END = regex.compile(r"\p{Han}{2,}[”’」』》]*$")
PHRASE_START = regex.compile(r"^[“‘「『《]*\p{Han}{2,}")
# The roles a lead's byline names before a name (（记者 周敏）), one
# alternation for every pattern below.
BYLINE_ROLES = ("记者", "通讯员")
_ROLES = "|".join(BYLINE_ROLES)
# The last characters of those roles: a line ending in none of them ends
# no role (a test cheaper than a search).
ROLE_ENDS = frozenset(r[-1] for r in BYLINE_ROLES)
# A byline's role and the name after it set one space apart (（记者 周敏）,
# 本报通讯员 李梦颖 摄): the page's style, which a line end or a spaced-out
# line loses (join_wrapped_lines, remove_artifact_spaces put it back).
SPACED_ROLE = regex.compile(rf"(?:{_ROLES}) \p{{Han}}{{2,4}}(?:[ ）)]|$)", regex.MULTILINE)
# A text ending with a role (its spaces removed first).
ROLE_AT_END = regex.compile(rf"(?:{_ROLES})$")
# The opening bracket of a lead's byline, right after its 讯 or 电.
LEAD_OPEN = r"[讯电][（(]"
# A text ending with a role right inside a lead's brackets (本报讯（通讯员).
ROLE_AT_LEAD_END = regex.compile(rf"{LEAD_OPEN}(?:特约|首席|实习)?(?:{_ROLES})$")


def sets_roles_apart(text: str) -> bool:
    """Does text set a byline's role and name one space apart somewhere (the
    page's style)? A plain substring test first: most text names no role."""
    return any(r + " " in text for r in BYLINE_ROLES) and bool(SPACED_ROLE.search(text))

# A name of two to four characters opening a text, then a space, the
# bracket that closes the byline, an enumeration comma (王明、李华) or the
# text's end.
NAME_START = regex.compile(r"^\p{Han}{2,4}(?:[ ）)、]|$)")

# The article separator of cleanup's own text output.
# A rule between articles: the text format's line of =, Markdown's ---.
SEPARATOR = regex.compile(r"^\s*(?:={3,}|-{3,})\s*$")


def is_separator(line: str) -> bool:
    return ("===" in line or "---" in line) and bool(SEPARATOR.match(line))


@lru_cache(maxsize=1 << 10)
def is_furniture(line: str, rules: Rules) -> bool:
    """Bylines, credits, jump lines, separators: never joined to their neighbours.

    The same tests as is_byline, is_credit and jump_of, with the width and
    the squashed line computed once (every line of a page is asked this).
    """
    if is_separator(line):
        return True
    if width(line) > FURNITURE_MAX:  # bylines, credits, jump lines are short
        return False
    s = squash(line)
    if s not in rules.rubrics and rules.byline_or_jump.search(s):
        return True
    m = rules.credit.search(line.strip())
    return m is not None and m.start() == 0


# --- every line of a page at once ---------------------------------------------

# Constructs that let a pattern look past the ends of its line (lookarounds,
# string anchors, inline reverse or word-boundary modes): a rule pattern with
# any of them is never run over many lines at once.
_NOT_LINE_LOCAL = re.compile(r"\(\?<?[=!]|\\[AZzG]|\(\?[a-zA-Z]*[rw]")


@lru_cache(maxsize=16)
def _page_scanners(rules: Rules) -> tuple[regex.Pattern[str] | None, ...]:
    """Multi-line copies of the byline/jump, credit and lead patterns."""

    def multiline(p: regex.Pattern[str]) -> regex.Pattern[str] | None:
        if _NOT_LINE_LOCAL.search(p.pattern):
            return None
        return regex.compile(p.pattern, p.flags | regex.MULTILINE)

    return multiline(rules.byline_or_jump), multiline(rules.credit), multiline(rules.lead)


# Lines searched together at most (a huge page is searched in slices, so the
# joined text stays small).
SCAN_LINES = 4096


def _lines_hit(pattern: regex.Pattern[str], lines: Sequence[str], text: Callable[[str], str]) -> set[int]:
    """Indices of the lines whose text(line) a match of pattern overlaps,
    searched together SCAN_LINES at a time (the texts of a slice are made
    for it alone: a page of a million lines holds no list of them)."""
    hits: set[int] = set()
    for first in range(0, len(lines), SCAN_LINES):
        page = "\n".join([text(x) for x in lines[first : first + SCAN_LINES]])
        line, pos = first, 0  # lines are counted from one match to the next, in page order
        # (sorted: a reversed pattern finds the last match first)
        for start, end in sorted(m.span() for m in pattern.finditer(page)):
            line += page.count("\n", pos, start)
            pos = start
            hits.update(range(line, line + page.count("\n", start, end) + 1))
    return hits


def _short(line: str) -> str:
    """A line as the furniture patterns see it: stripped, empty if too wide
    for furniture (a line wider than furniture gets is searched as an empty one)."""
    s = line.strip()
    return s if len(s) <= 2 * FURNITURE_MAX else ""


def furniture_and_leads(lines: Sequence[str], rules: Rules) -> tuple[bytearray, bytearray]:
    """is_furniture and is_lead of every line, each rule pattern run once.

    A line matches a pattern on its own only where the pattern, searched over
    all the lines joined by newlines in multi-line mode, finds a match that
    overlaps the line (the same match is there, and a search never skips a
    place where one starts): only those lines are then tested one by one.
    Most lines of a page are none of these, so most are never tested alone.
    Patterns that can look past their line are tested line by line.
    """
    furniture_scan, credit_scan, lead_scan = _page_scanners(rules)
    if furniture_scan is None or credit_scan is None:
        furniture = bytearray(is_furniture(x, rules) for x in lines)
    else:
        maybe = _lines_hit(furniture_scan, lines, lambda x: squash(_short(x))) | _lines_hit(
            credit_scan, lines, _short
        )
        furniture = bytearray(
            (i in maybe and is_furniture(x, rules)) or is_separator(x) for i, x in enumerate(lines)
        )
    if lead_scan is None:
        leads = bytearray(is_lead(x, rules) for x in lines)
    else:
        maybe = _lines_hit(lead_scan, lines, lead_head)
        leads = bytearray(i in maybe and is_lead(x, rules) for i, x in enumerate(lines))
    return furniture, leads
