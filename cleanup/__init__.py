"""cleanup: repair Chinese newspaper text damaged by scanning, OCR and PDF extraction.

>>> from cleanup import clean_text
>>> print(clean_text("本报讯(通讯员 伊宣)为营\\n造良好的人居环境。"), end="")
本报讯（通讯员 伊宣）为营造良好的人居环境。
"""

from __future__ import annotations

from .config import Config, make_config
from .errors import CleanupError, ConfigError, InputError, RuleError
from .model import Article, Change, OutputPosition, Page, TextBlock
from .pipeline import PASSES, pass_names
from .pipeline import run as _run
from .writers import render

__all__ = [
    "PASSES",
    "Article",
    "Change",
    "CleanupError",
    "Config",
    "ConfigError",
    "InputError",
    "OutputPosition",
    "Page",
    "RuleError",
    "TextBlock",
    "clean_page",
    "clean_text",
    "explain",
    "pass_names",
]
__version__ = "0.1.0"


def _require_text(text: object) -> str:
    """text itself, or a TypeError naming the argument (bytes: decode them first)."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(
            "text must be str, not bytes: decode it first "
            "(text, encoding = cleanup.io.decode(data) detects the encoding)"
        )
    raise TypeError(f"text must be str, not {type(text).__name__}")


def clean_page(
    text: str, source: str | None = None, *, config: Config | None = None, **options: object
) -> Page:
    """Clean one page: its articles in reading order and every change made.

    Options: ``only``/``skip`` (pass names), ``convert`` (an OpenCC conversion
    such as ``"t2s"``), ``rules_dirs`` (folders of extra rule files),
    ``page_separator``, ``ocr`` (``True``: run the OCR passes even where the
    page does not look like OCR output), ``exact_positions`` (every change's
    line and column exact in text, and ``Change.exact`` set:
    cleanup/positions.py).
    ``text`` must be a ``str`` (a ``TypeError`` otherwise; bytes are decoded
    with ``cleanup.io.decode`` first).
    """
    return _run(_require_text(text), make_config(options, config), source)


def clean_text(text: str, *, config: Config | None = None, **options: object) -> str:
    """The cleaned page as plain text (the ``text`` output format)."""
    return render(clean_page(text, None, config=config, **options), "text")


def explain(text: str, *, config: Config | None = None, **options: object) -> list[Change]:
    """Every change the pipeline makes to text, in pass order, at its exact
    place in text (as ``--explain`` shows them; ``exact_positions=False``
    gives the positions the passes report, which cost nothing to work out)."""
    options.setdefault("exact_positions", True)
    return list(clean_page(text, None, config=config, **options).changes)
