"""The speed benchmark runs end to end (a smoke check: no timing is asserted).

Speed targets live in ``bench/speed.py`` and are read by people; here the
script only has to run on a small volume and print every section, so that a
change that breaks it (or makes worker output differ from one process's)
fails CI instead of the next person who measures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_speed_benchmark_runs_and_workers_agree():
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "speed.py"),
            "--quick",
            "--per-pass",
            "--jobs",
            "--big-file",
            "1",
            "--profile",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for row in ("repeated", "perturbed", "generated", "join_wrapped_lines", "assemble_articles", "start-up"):
        assert row in out
    assert out.count("outputs identical with 1 and 2 workers: True") == 2  # a folder, one big file
    assert "big file" in out and "peak RSS" in out
    assert "profile (pyinstrument" in out and "cleanup/" in out


def test_adversarial_benchmark_runs_and_every_pass_stays_near_linear():
    """bench/adversarial.py --quick (10 KB vs 100 KB): a generous ratio, as
    small timings are noisy; the full run (make bench-adversarial) is the
    measurement. A quadratic pass gives about 100 here. Peak memory is not
    noisy: every input stays under 20 times its size at 100 KB, checked with
    a little room (25)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "adversarial.py"),
            "--quick",
            "--max-ratio",
            "40",
            "--max-memory",
            "25",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for row in (
        "? run",
        "space run",
        "e + accent lines",
        "credit parens",
        "same letters",
        "中-- dashes",
        "peak memory",
    ):
        assert row in proc.stdout
