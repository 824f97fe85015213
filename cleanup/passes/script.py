"""Script conversion (traditional <-> simplified) through OpenCC.

Off by default: converting script changes what the author printed, so it
runs only when asked for (``convert="t2s"``, ``--convert t2s``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import opencc

from ..model import Edit
from .base import Context, as_fixer


@functools.lru_cache(maxsize=8)
def _converter(name: str) -> opencc.OpenCC:
    return opencc.OpenCC(name if name.endswith(".json") else f"{name}.json")


def find_script_changes(text: str, ctx: Context) -> Iterator[Edit]:
    """Lines whose script differs from the requested one (``convert`` option).

    >>> from cleanup.passes.base import Context, default_context
    >>> from cleanup.passes.script import convert_script
    >>> convert_script("漢字", context=Context(default_context().rules, {"convert": "t2s"}))
    '汉字'
    """
    name = ctx.option("convert")
    if not name:
        return
    conv = _converter(str(name))
    pos = 0
    for line in text.split("\n"):
        out = conv.convert(line)
        if out != line:
            yield Edit(pos, pos + len(line), out, str(name))
        pos += len(line) + 1


convert_script = as_fixer(find_script_changes)
