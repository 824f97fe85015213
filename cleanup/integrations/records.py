"""Clean records in other people's pipelines (Hugging Face datasets, pandas).

A record is a mapping with a text field. :func:`clean_record` returns a new
record with the cleaned results added, so it plugs into ``datasets.map``
(one record at a time) and ``pandas.DataFrame.apply``; :func:`clean_records`
does a list or batch at once.

>>> from cleanup.integrations.records import clean_record
>>> out = clean_record({"id": 7, "text": "本报讯(通讯员 伊宣)为营\\n造良好的人居环境。"})
>>> out["clean_text"]
'本报讯（通讯员 伊宣）为营造良好的人居环境。\\n'
>>> out["id"], len(out["articles"]), out["changes"]["widen_punctuation"]
(7, 1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..config import Config, make_config
from ..pipeline import run
from ..writers import to_text


def clean_record(
    record: Mapping[str, Any],
    *,
    text_key: str = "text",
    source_key: str | None = None,
    config: Config | None = None,
    **options: object,
) -> dict[str, Any]:
    """The record plus ``clean_text``, ``articles`` (schema dicts) and ``changes``.

    ``changes`` counts changes per pass; the input fields are kept as they are.
    A record without ``text_key`` is a ``KeyError`` naming the key; a null
    text is an empty page; bytes are decoded as files are.
    Options are the library's (``skip=``, ``only=``, ``convert=``, ``rules_dirs=``).
    """
    cfg = make_config(options, config) if options or config is None else config
    if text_key not in record:  # a misspelt key must not clean to nothing
        raise KeyError(f"record has no text field {text_key!r} (fields: {', '.join(map(str, record))})")
    text = record[text_key] or ""  # a null text (None) is an empty page
    if isinstance(text, bytes):
        from ..io import decode

        text = decode(text)[0]
    source = str(record[source_key]) if source_key and record.get(source_key) is not None else None
    page = run(str(text), cfg, source)
    out = dict(record)
    out["clean_text"] = to_text(page)
    out["articles"] = page.records()
    out["changes"] = page.changes_by_pass()
    return out


def clean_records(records: Iterable[Mapping[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    """:func:`clean_record` over many records, building the config once."""
    options = {k: kwargs.pop(k) for k in list(kwargs) if k not in ("text_key", "source_key", "config")}
    config = kwargs.pop("config", None) or make_config(options)
    return [clean_record(r, config=config, **kwargs) for r in records]
