"""The server benchmark (bench/run.py) still runs: --small, 300 actors.

It starts its own PostgreSQL, gunicorn and Chromium, so it needs no database from pytest-django;
this keeps the benchmark from rotting without judging its figures (times on CI machines mean
little): every endpoint has a row, the static-file reference gives a ratio, and memory and the
browser timings are measured.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = [
    "/acteurs/carte.json",
    "/static/bench/carte-300.json",
    "/acteurs/",
    "/acteurs/gen-",
    "/territoires/",
    "/reseau/donnees.json",
    "/api/actors/",
    "/donnees/acteurs.geojson",
]
NUMBER = r"\d[\d,.]*"
# In parallel, in the worker that runs the two gunicorns of test_scale_out.py, one after the
# other: tests/conftest.py, SERVERS.
pytestmark = pytest.mark.xdist_group("servers")


def test_the_small_benchmark_runs_and_prints_every_measure(tmp_path):
    output = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--small", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard, not a speed check
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for endpoint in ENDPOINTS:
        row = next((row for row in rows if f"(`{endpoint}" in row), None)
        assert row, endpoint
        # Median, p95, bytes and requests per second are numbers.
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert all(re.fullmatch(NUMBER, cell) for cell in cells[1:5] + cells[-1:]), row
    # Queries per request, cold / warm, for the endpoints served by views.
    assert sum(bool(re.search(rf"\| {NUMBER} / {NUMBER} \|$", row)) for row in rows) >= 7
    # The physical reference: a ratio line.
    assert re.search(rf"Ratio map data / static file \(medians\): .*{NUMBER}×", result.stdout)
    # Memory and browser timings: one row, every cell a number (no run was cut off).
    header = next(row for row in rows if "Worker RSS max" in row and "Markers on screen" in row)
    assert "Network settled" in header
    row = rows[rows.index(header) + 2]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 7 and all(re.fullmatch(NUMBER, cell) for cell in cells), row
    # Every export's first download and the paging through the API have a figure.
    for path in ["/donnees/acteurs.csv", "/donnees/reseau.gexf", "/donnees/tips-map.json"]:
        row = next((row for row in rows if f"(`{path}`)" in row), None)
        assert row and re.search(rf"\| {NUMBER} \|$", row), path
    for path in ["/api/actors/?page_size=1000", "/api/relations/?page_size=1000"]:
        row = next((row for row in rows if f"(`{path}`)" in row), None)
        assert row and re.search(rf"\| {NUMBER} \({NUMBER}\) \|$", row), path
    # --output writes the same tables, with the machine.
    written = output.read_text()
    assert "CPU (`nproc`)" in written and "PostgreSQL" in written
    assert header in written
