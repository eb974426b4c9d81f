"""The server benchmark (bench/run.py) still runs: --small, 300 actors, under 90 s.

It starts its own PostgreSQL and gunicorn, so it needs no database from pytest-django; this keeps
the benchmark from rotting without measuring anything (times on CI machines mean little).
"""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = [
    "/acteurs/carte.json",
    "/acteurs/",
    "/acteurs/gen-",
    "/territoires/",
    "/reseau/donnees.json",
    "/api/actors/",
    "/donnees/acteurs.geojson",
]


def test_the_small_benchmark_runs_and_prints_every_endpoint():
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--small"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert time.monotonic() - start < 90
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for endpoint in ENDPOINTS:
        assert any(f"(`{endpoint}" in row for row in rows), endpoint
    assert any("×" in row for row in rows)  # the static-file reference
