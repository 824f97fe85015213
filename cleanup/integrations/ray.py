"""Clean text at cluster scale with Ray Data.

Two ways in:

- :class:`CleanBatch`, a callable for ``ray.data.Dataset.map_batches``: it
  takes a batch with a text column (pandas or dict-of-arrays format) and
  returns the batch with ``clean_text``, ``articles`` (JSON string, one list
  of articles per row) and ``changes`` (JSON string of counts per pass);
- :func:`clean_files`: reads text files with Ray Data, cleans them and writes
  one JSONL file per input into an output folder (what ``cleanup ray`` runs).

Ray is an optional dependency (``pip install 'cleanup[ray]'``); importing this
module without it raises a clear error only when a function is used.

::

    import ray
    from cleanup.integrations.ray import CleanBatch
    ds = ray.data.read_parquet("s3://corpus/pages/")
    ds = ds.map_batches(CleanBatch(text_column="text"), batch_format="pandas")
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..config import Config, make_config
from ..errors import CleanupError
from ..io import decode
from ..pipeline import run
from ..writers import to_jsonl, to_text


def _ray() -> Any:
    try:
        import ray
    except ImportError:  # pragma: no cover - depends on the extra
        raise CleanupError("Ray is not installed: pip install 'cleanup[ray]'") from None
    return ray


class CleanBatch:
    """Clean the text column of a batch (for ``Dataset.map_batches``)."""

    def __init__(self, text_column: str = "text", source_column: str | None = None, **options: object):
        self.text_column = text_column
        self.source_column = source_column
        self.config: Config = make_config(options)

    def __call__(self, batch: Any) -> Any:
        texts = list(batch[self.text_column])
        sources = list(batch[self.source_column]) if self.source_column else [None] * len(texts)
        clean, articles, changes = [], [], []
        for text, source in zip(texts, sources):
            if isinstance(text, bytes):
                text = decode(text)[0]
            page = run(str(text or ""), self.config, None if source is None else str(source))
            clean.append(to_text(page))
            articles.append(json.dumps(page.records(), ensure_ascii=False))
            changes.append(json.dumps(page.changes_by_pass()))
        if hasattr(batch, "assign"):  # a pandas DataFrame
            return batch.assign(clean_text=clean, articles=articles, changes=changes)
        out = dict(batch)
        out.update(clean_text=clean, articles=articles, changes=changes)
        return out


def _clean_file(row: dict[str, Any], config: Config) -> dict[str, Any]:
    path = Path(str(row["path"]))
    try:
        text, _ = decode(bytes(row["bytes"]), str(path))
    except CleanupError as exc:
        return {"path": str(path), "jsonl": "", "error": str(exc), "text": ""}
    page = run(text, config, path.name)
    return {"path": str(path), "jsonl": to_jsonl(page), "error": "", "text": to_text(page)}


def clean_files(paths: list[str], out_dir: str, **options: object) -> dict[str, int]:
    """Clean text files with Ray Data; write OUT/<name>.jsonl per input.

    Returns counts: files cleaned and files refused (not text).
    """
    ray = _ray()
    config = make_config(options)
    if not ray.is_initialized():
        ray.init(ignore_reinit_error=True, include_dashboard=False, log_to_driver=False)
    ds = ray.data.read_binary_files(paths, include_paths=True)
    ds = ds.map(_clean_file, fn_kwargs={"config": config})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    done = failed = 0
    from ..io import write_atomic

    for row in ds.iter_rows():
        if row["error"]:
            failed += 1
            continue
        write_atomic(out / (Path(row["path"]).stem + ".jsonl"), row["jsonl"])
        done += 1
    return {"cleaned": done, "failed": failed}
