"""The word list used to decide ambiguous repairs.

jieba's dictionary (about 350,000 words with frequencies, maintained with
the segmenter) tells whether a string is a word. Passes ask it when a repair
has two readings: is ``检查`` a word and ``检杳`` not; does a cut at a column
break fall inside a word. It is read once, on first use, only by the passes
that need it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from importlib import resources

_ENTRY = re.compile(r"^([^ \n]+) (\d+)", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def words() -> Mapping[str, int]:
    """Every word of jieba's main dictionary (as keys: test with ``in``),
    mapped to how common it is: the natural log of its count, rounded
    (0 to about 14).

    A dict rather than a set: the garbage collector does not track a dict
    whose values are small ints, while it would walk a set's 350,000 entries
    at every full collection (measured: 20-30 ms each, several per MB of
    text). Rounded logs are small ints, which Python keeps once.
    """
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    # each line is "word count tag": the entries are taken by one search, and
    # each distinct count's log computed once (5,000 counts for 350,000 words)
    entries = _ENTRY.findall(text)
    logs = {n: round(math.log(int(n))) for n in {n for _, n in entries}}
    return {w: logs[n] for w, n in entries}


def is_word(s: str) -> bool:
    return s in words()


def covers(text: str, i: int, longest: int = 4) -> bool:
    """True when a word of 2 to ``longest`` characters in text covers position i."""
    vocab = words()
    for size in range(2, longest + 1):
        for start in range(max(0, i - size + 1), i + 1):
            if start + size <= len(text) and text[start : start + size] in vocab:
                return True
    return False


# A joint at least this strong (a word of jieba count 665 or more across
# it) says the text goes on there: what the passes that move or join text
# on a word's evidence alone ask for.
COMMON_JOINT = 7


def joint_strength(left: str, right: str, longest: int = 4) -> int:
    """How strongly left|right reads as one text: the commonness of the
    commonest word that straddles the joint (see :func:`words`), 0 when no
    word does. Text cut at a line end nearly always scores; two lines that
    do not follow each other score only by chance, and lower.
    """
    vocab = words()
    best = 0
    for size in range(2, longest + 1):
        for k in range(1, size):
            if k <= len(left) and size - k <= len(right):
                f = vocab.get(left[len(left) - k :] + right[: size - k], 0)
                if f > best:
                    best = f
    return best


def spans_word(left: str, right: str, longest: int = 4) -> bool:
    """True when some word of 2+ characters straddles the joint left|right."""
    vocab = words()
    for size in range(2, longest + 1):
        for k in range(1, size):
            if k <= len(left) and size - k <= len(right):
                if left[len(left) - k :] + right[: size - k] in vocab:
                    return True
    return False
