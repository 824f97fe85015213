"""Quality of cleanup against real baselines (a benchmark, not a test).

usage: python bench/quality.py [--pages N] [--seed S] [--json]

Runs cleanup and the baselines side by side on the bundled samples and on N
generated pages (``cleanup.synth``, seeded), and prints one table per set:
character error rate, gold blocks verbatim, titles/subtitles exact, MB/s.

Baselines (installed with the ``bench`` extra: ``pip install -e '.[bench]'``):

- ``raw``: the decoded input as it is;
- ``naive join``: single newlines dropped, spaces between Han removed;
- ``unstructured``: ``unstructured.cleaners.core`` group_broken_paragraphs,
  clean_extra_whitespace, clean_dashes;
- ``jionlp``: ``jionlp.clean_text``;
- ``ftfy``: ``ftfy.fix_text`` with its default settings.

Baselines produce text, so they are scored as text (a title counts when it
is a whole line); cleanup is scored on its JSONL articles (a title must be
in the title field, a stricter test).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanup import clean_page  # noqa: E402
from cleanup.evaluate import score_dir  # noqa: E402
from cleanup.io import decode  # noqa: E402
from cleanup.lexicon import words  # noqa: E402
from cleanup.synth import default_pool, generate, write_pages  # noqa: E402
from cleanup.writers import to_jsonl  # noqa: E402

_HAN_SPACE = regex.compile(r"(?<=\p{Han})[ \t]+(?=\p{Han})")
_SINGLE_NL = regex.compile(r"(?<!\n)\n(?!\n)")


def naive_join(text: str) -> str:
    return _HAN_SPACE.sub("", _SINGLE_NL.sub("", text.replace("\r\n", "\n")))


def _unstructured() -> Callable[[str], str] | None:
    try:
        from unstructured.cleaners.core import clean_dashes, clean_extra_whitespace, group_broken_paragraphs
    except ImportError:
        return None

    def run(text: str) -> str:
        paras = group_broken_paragraphs(text.replace("\r\n", "\n")).split("\n\n")
        return "\n\n".join(clean_dashes(clean_extra_whitespace(p)) for p in paras)

    return run


def _jionlp() -> Callable[[str], str] | None:
    try:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
            import jionlp
    except ImportError:
        return None
    return lambda text: jionlp.clean_text(text)


def _ftfy() -> Callable[[str], str]:
    import ftfy

    return ftfy.fix_text


def baselines() -> dict[str, Callable[[str], str] | None]:
    return {
        "raw": lambda t: t,
        "naive join": naive_join,
        "unstructured": _unstructured(),
        "jionlp": _jionlp(),
        "ftfy": _ftfy(),
    }


def run_set(name: str, raw_dir: Path, gold_dir: Path, work: Path) -> list[dict]:
    """Every system over one set of pages: scores and throughput."""
    pages = {p.stem: decode(p.read_bytes(), p.name)[0] for p in sorted(raw_dir.glob("*.txt"))}
    size = sum(len(t.encode()) for t in pages.values()) / 1e6
    rows = []

    out = work / name / "cleanup"
    out.mkdir(parents=True)
    words()  # the lexicon loads once per process, not per page
    clean_page("预热。")
    t0 = time.perf_counter()
    cleaned = {stem: clean_page(t, source=f"{stem}.txt") for stem, t in pages.items()}
    secs = time.perf_counter() - t0
    for stem, page in cleaned.items():
        (out / f"{stem}.jsonl").write_text(to_jsonl(page), encoding="utf-8")
    rows.append(_row("cleanup", *score_dir(gold_dir, out), size / secs))

    for label, fn in baselines().items():
        if fn is None:
            rows.append({"system": label, "missing": True})
            continue
        d = work / name / label.replace(" ", "_")
        d.mkdir(parents=True)
        t0 = time.perf_counter()
        results = {stem: fn(t) for stem, t in pages.items()}
        secs = time.perf_counter() - t0
        for stem, text in results.items():
            (d / f"{stem}.txt").write_text(text, encoding="utf-8")
        rows.append(_row(label, *score_dir(gold_dir, d), size / max(secs, 1e-9)))
    return rows


def _row(label: str, pages: list, tot: object, mbps: float) -> dict:
    t = tot  # PageScore
    return {
        "system": label,
        "cer": t.cer,  # type: ignore[attr-defined]
        "exact": t.exact / t.blocks if t.blocks else 0.0,  # type: ignore[attr-defined]
        "titles": t.title_hits / t.titles if t.titles else 0.0,  # type: ignore[attr-defined]
        "mb_s": mbps,
        "pages": len(pages),
    }


def render(title: str, rows: list[dict]) -> str:
    out = [
        title,
        f"| {'system':20} | {'CER':>7} | {'verbatim blocks':>15} | {'titles':>7} | {'MB/s':>7} |",
        f"|{'-' * 22}|{'-' * 9}|{'-' * 17}|{'-' * 9}|{'-' * 9}|",
    ]
    for r in rows:
        if r.get("missing"):
            out.append(f"| {r['system']:20} | {'not installed (pip install -e .[bench])':>45} |")
            continue
        out.append(
            f"| {r['system']:20} | {100 * r['cer']:6.2f}% | {100 * r['exact']:14.1f}% | "
            f"{100 * r['titles']:6.1f}% | {r['mb_s']:7.2f} |"
        )
    return "\n".join(out)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=60, help="generated pages (default 60)")
    ap.add_argument("--seed", type=int, default=2026, help="seed of the generated pages")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        synth = generate(default_pool(ROOT), args.pages, args.seed)
        write_pages(synth, work / "synth" / "raw", work / "synth" / "gold")
        results = {
            "samples": run_set("samples", ROOT / "samples" / "raw", ROOT / "samples" / "expected", work),
            "generated": run_set("generated", work / "synth" / "raw", work / "synth" / "gold", work),
        }
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    print(render("Samples (5 real pages, samples/raw vs samples/expected):", results["samples"]))
    print()
    print(
        render(
            f"Generated pages ({args.pages}, seed {args.seed}, python -m cleanup synth):",
            results["generated"],
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
