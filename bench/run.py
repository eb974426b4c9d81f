"""Benchmark: the server at 1,000 / 10,000 / 50,000 actors (issue 7 "Fast at any size").

Starts its own throwaway PostgreSQL (as ./dev test does: initdb into a temporary directory, a free
local port, run as the postgres user when root), migrates, loads the report, collects the static
files into a temporary STATIC_ROOT (DJANGO_STATIC_ROOT, served by WhiteNoise inside the app) and,
for each size N, replaces the generated actors (`generate_data --clear`, then `--actors N
--relations 3N --seed 1`). The app runs under gunicorn (2 sync workers, DJANGO_DEBUG=0) on
127.0.0.1, started afresh for each size. For each size:

- per endpoint, median and p95 latency over K sequential requests (Accept-Encoding: gzip, like a
  browser) after a warm-up that reaches every worker, response bytes, and gzip bytes when the
  endpoint honours Accept-Encoding: gzip;
- queries per request, from Django's test client in this process on the same database
  (CaptureQueriesContext), cold (first request after generating) and warm (the next one);
- requests per second under concurrent load on 127.0.0.1 only, bounded in time: wrk when it is
  installed (Debian: apt-get install wrk), else a thread pool of http.client clients;
- the physical reference: the map data's bytes as gunicorn sent them (gzip) written under
  STATIC_ROOT as bench/carte-N.json, gunicorn restarted so that WhiteNoise indexes the file, then K
  pairs of requests alternating the map data and /static/bench/carte-N.json (same server, same
  client, same bytes on the wire), and the ratio of the medians;
- memory: VmRSS of each gunicorn worker (/proc/<pid>/status) after the size's measurements;
- in headless Chromium (Debian's /usr/bin/chromium, the tests' launch arguments; a fresh context,
  so no HTTP cache, per run; median of 3 runs, 1 with --small): on the map (/), the time from navigation start
  until the markers are on screen (the first frame painted after the page sets the map's
  data-markers attribute, which it does once the markers layer holds every marker and the view
  is fitted); on the network page (/reseau/), until Cytoscape's layout has stopped
  (TIPS.network.timings.layoutStop), capped by --browser-timeout.

    .venv/bin/python bench/run.py                      # 1,000, 10,000 and 50,000 actors
    .venv/bin/python bench/run.py --sizes 1000,10000 --requests 30 --output /tmp/bench.md
    .venv/bin/python bench/run.py --small              # 300 actors, few requests, 1 browser
                                                       # run per page (< 60 s; CI)

Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin, as ./dev test installs), gunicorn
and Playwright (the `test` extra) and /usr/bin/chromium. Prints Markdown tables for
bench/README.md (--output also writes them to a file); asserts nothing.
"""

import argparse
import http.client
import io
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from chromium import ARGS as CHROMIUM_ARGS  # bench/chromium.py
from chromium import CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
WORKERS = 2
MAP = "/acteurs/carte.json"
STATIC_LABEL = "static file, same bytes"
# Label -> path; the actor card, territory page and static file are filled in per size.
ENDPOINTS = [
    ("map data", MAP),
    (STATIC_LABEL, None),
    ("actor list", "/acteurs/"),
    ("actor card", None),
    ("territory page", None),
    ("network data", "/reseau/donnees.json"),
    ("API actors", "/api/actors/"),
    ("GeoJSON export", "/donnees/acteurs.geojson"),
]
# Paging through the whole API as a harvester does: the largest page, following `next` to the end.
PAGED = [
    ("API actors", "/api/actors/?page_size=1000"),
    ("API relations", "/api/relations/?page_size=1000"),
]


def first_exports() -> list[tuple[str, str]]:
    """The first download of each export after the data changed builds it (the next ones are
    served from the payload store): one timed request each, right after generating, before any
    warm-up. Every export of the catalogue, whatever it holds."""
    from opendata.exports import EXPORTS

    return [(export.key, f"/donnees/{export.path}") for export in EXPORTS.values()]


# The map page sets #explore-map's data-markers attribute at the end of drawing (markers added to
# the cluster layer, view fitted); the second animation frame after it is the first one painted.
MARKERS_HOOK = """
(() => {
  const bench = (window.__bench = {});
  new MutationObserver((records, observer) => {
    if (!records.some((r) => r.target.id === "explore-map")) return;
    observer.disconnect();
    bench.markersAdded = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      bench.markersShown = performance.now();
    }));
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-markers"] });
})();
"""
RECEIVED = """(part) => {
  const entry = performance.getEntriesByType("resource").find((e) => e.name.includes(part));
  return entry ? entry.responseEnd : null;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway cluster, as `start_postgres` in ./dev."""

    def __init__(self):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins:
            raise SystemExit("PostgreSQL is not installed (./dev test installs it)")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="tips-bench-pg."))
        self.port = free_port()
        self.run = []
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres")
            self.run = ["runuser", "-u", "postgres", "--"]

    def start(self) -> str:
        quiet = {"stdout": subprocess.DEVNULL, "check": True}
        data = str(self.dir / "data")
        subprocess.run(
            [*self.run, self.bin / "initdb", "-D", data, "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--no-locale", "--no-sync"],
            **quiet,
        )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off"
        )
        subprocess.run(
            [*self.run, self.bin / "pg_ctl", "-D", data, "-l", str(self.dir / "log")]
            + ["-w", "-o", options, "start"],
            **quiet,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/tips"

    def stop(self) -> None:
        subprocess.run(
            [*self.run, self.bin / "pg_ctl", "-D", str(self.dir / "data"), "-m", "fast"]
            + ["-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def create_database(url: str) -> None:
    import psycopg2

    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("CREATE DATABASE tips")
    connection.close()


class Gunicorn:
    """The app under gunicorn on a free loopback port; started afresh when static files change
    (WhiteNoise indexes STATIC_ROOT when a worker loads the app)."""

    def __init__(self, log: Path):
        self.log = log
        self.process = None
        self.port = None

    def start(self, ready_path: str) -> None:
        self.port = free_port()
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [VENV_BIN / "gunicorn", "tips_map.wsgi:application"]
                + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS)]
                + ["--timeout", "300"],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if get(self.port, ready_path)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer {ready_path} within 60 s:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def workers(self) -> list[int]:
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M):
                pids.append(int(status.parent.name))
        return pids

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def rss_mib(pid: int) -> float:
    match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(match.group(1)) / 1024


def get(port: int, path: str, gzip_ok: bool = True) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, body, response.getheader("Content-Encoding", "")
    finally:
        connection.close()


def timed(port: int, path: str) -> float:
    start = time.perf_counter()
    status, _body, _enc = get(port, path)
    elapsed = time.perf_counter() - start
    if status != 200:
        raise SystemExit(f"GET {path}: {status}")
    return elapsed


def paging(port: int, path: str) -> dict:
    """Every page of an API list, in order, as one client reads it."""
    start, pages, records = time.perf_counter(), 0, 0
    while path:
        status, body, _enc = get(port, path, gzip_ok=False)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        page = json.loads(body)
        pages, records = pages + 1, records + len(page["results"])
        following = page.get("next")
        path = (
            urllib.parse.urlsplit(following)._replace(scheme="", netloc="").geturl()
            if following
            else None
        )
    return {"seconds": time.perf_counter() - start, "pages": pages, "records": records}


def warm_up(port: int, path: str) -> None:
    """Each worker's first request of a view pays for lazy imports and template loading: send
    WORKERS simultaneous requests twice, so that every worker has answered before timing."""
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda _: get(port, path), range(2 * WORKERS)))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load_threads(port: int, path: str, threads: int, each: int, seconds: float) -> float:
    """Requests per second: `threads` clients, `each` requests apiece, stopped after `seconds`."""
    deadline = time.monotonic() + seconds
    done = [0] * threads

    def client(n: int) -> None:
        for _ in range(each):
            if time.monotonic() > deadline:
                return
            status, _body, _enc = get(port, path)
            if status == 200:
                done[n] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(client, range(threads)))
    return sum(done) / (time.perf_counter() - start)


def load_wrk(port: int, path: str, connections: int, seconds: float) -> float:
    """Requests per second from wrk: `connections` open connections for `seconds`."""
    result = subprocess.run(
        ["wrk", "-t", str(min(2, connections)), "-c", str(connections)]
        + ["-d", f"{max(1, round(seconds))}s", "--timeout", "60s"]
        + ["-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", out)
    if not total:
        raise SystemExit(f"wrk output not understood:\n{out}")
    unit = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[total.group(3)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:
        print(f"    wrk {path}: {(bad or errors).group(0)}", file=sys.stderr)
    ok = int(total.group(1)) - (int(bad.group(1)) if bad else 0)
    return ok / (float(total.group(2)) * unit)


def load(port: int, path: str, args) -> float:
    if args.load_tool == "wrk":
        return load_wrk(port, path, args.threads, args.load_seconds)
    return load_threads(port, path, args.threads, args.each, args.load_seconds)


def queries(path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = []
    for _ in range(2):  # cold, then warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers={"accept-encoding": "gzip"})
        if response.status_code != 200:
            raise SystemExit(f"test client GET {path}: {response.status_code}")
        counts.append(len(captured))
    return counts[0], counts[1]


def sample_pages() -> tuple[str, str, int]:
    """An actor card, the département with the most actors, and the number of actors."""
    from django.db.models import Count

    from actors.models import Actor
    from territories.models import Territory

    actor = Actor.objects.filter(slug__startswith="gen-").order_by("pk").first()
    actor = actor or Actor.objects.order_by("pk").first()
    top = (
        Actor.objects.exclude(territory=None)
        .values("territory__parent")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    territory = Territory.objects.get(pk=top["territory__parent"])
    return actor.get_absolute_url(), territory.get_absolute_url(), Actor.objects.count()


def browser_timings(port: int, runs: int, timeout: float) -> dict:
    """Milliseconds from navigation start, per run; None for a run cut off at `timeout`."""
    from playwright.sync_api import Error, sync_playwright

    base = f"http://127.0.0.1:{port}"
    result = {"map data": [], "markers": [], "network data": [], "network": [], "version": ""}

    def run(browser, path: str, ready: str, received: str, hook: str | None = None):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        if hook:
            page.add_init_script(hook)
        try:
            page.goto(base + path, wait_until="commit", timeout=timeout * 1000)
            page.wait_for_function(ready, timeout=timeout * 1000)
            return page.evaluate(ready), page.evaluate(RECEIVED, received)
        except Error as error:
            if "Timeout" not in str(error):
                raise
            print(f"    {path}: not ready within {timeout:g} s {errors[:3]}", file=sys.stderr)
            return None, None
        finally:
            context.close()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result["version"] = browser.version
        for _ in range(runs):
            shown, data = run(
                browser,
                "/",
                "() => window.__bench && window.__bench.markersShown",
                MAP,
                MARKERS_HOOK,
            )
            result["markers"].append(shown)
            result["map data"].append(data)
            if shown is None:
                break
        for _ in range(runs):
            settled, data = run(
                browser,
                "/reseau/",
                "() => window.TIPS && TIPS.network && TIPS.network.timings.layoutStop",
                "/reseau/donnees.json",
            )
            result["network"].append(settled)
            result["network data"].append(data)
            if settled is None:
                break
        browser.close()
    return result


def measure(size: int, args, gunicorn: Gunicorn, static_root: Path) -> dict:
    from django.core.management import call_command

    quiet = io.StringIO()
    start = time.perf_counter()
    call_command("generate_data", "--clear", stdout=quiet)
    call_command(
        "generate_data", "--actors", size, "--relations", 3 * size, "--seed", 1, stdout=quiet
    )
    generated = time.perf_counter() - start
    print(f"  generated in {generated:.0f} s", file=sys.stderr)
    # As after any bulk load in production (docs/production.md): the network measures computed
    # now rather than by a background process competing with the measurements.
    start = time.perf_counter()
    call_command("compute_network", stdout=quiet)
    computed = time.perf_counter() - start
    print(f"  network measures computed in {computed:.0f} s", file=sys.stderr)
    card, territory, actors = sample_pages()
    static = f"/static/bench/carte-{size}.json"
    paths = {"actor card": card, "territory page": territory, STATIC_LABEL: static}

    # The map data's bytes exactly as gunicorn sends them, as a static file of the same server.
    gunicorn.start(MAP)
    status, served, _enc = get(gunicorn.port, MAP)
    gunicorn.stop()
    (static_root / "bench").mkdir(exist_ok=True)
    (static_root / "bench" / f"carte-{size}.json").write_bytes(served)
    gunicorn.start(static)
    port = gunicorn.port

    exports = {label: timed(port, path) * 1000 for label, path in first_exports()}
    print(
        "  first exports (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in exports.items()),
        file=sys.stderr,
    )
    paged = {label: paging(port, path) for label, path in PAGED}
    print(
        "  paging (s, pages): "
        + ", ".join(f"{k} {v['seconds']:.1f} {v['pages']}" for k, v in paged.items()),
        file=sys.stderr,
    )

    rows = {}
    for label, path in ENDPOINTS:
        path = path or paths[label]
        cold, warm = queries(path)
        _status, raw, _enc = get(port, path, gzip_ok=False)
        _status, body, encoding = get(port, path)
        warm_up(port, path)
        if label == "map data":
            # Alternate map data and static file so that machine noise hits both alike.
            times, static_times = [], []
            warm_up(port, static)
            for _ in range(args.requests):
                times.append(timed(port, path))
                static_times.append(timed(port, static))
        elif label == STATIC_LABEL:
            times = static_times
        else:
            times = [timed(port, path) for _ in range(args.requests)]
        rows[label] = {
            "path": path,
            "median": statistics.median(times) * 1000,
            "p95": p95(times) * 1000,
            "bytes": len(raw),
            "gzip": len(body) if encoding == "gzip" else None,
            "queries": (cold, warm),
            "rps": load(port, path, args),
        }
        print(
            f"  {label}: {rows[label]['median']:.1f} ms median, {rows[label]['rps']:.1f} req/s",
            file=sys.stderr,
        )
    rows[STATIC_LABEL]["served"] = len(served)

    browser = browser_timings(port, args.browser_runs, args.browser_timeout)
    print(
        f"  markers on screen (ms): {browser['markers']}; network settled (ms): "
        f"{browser['network']}",
        file=sys.stderr,
    )
    memory = [rss_mib(pid) for pid in gunicorn.workers()]
    print(f"  worker RSS (MiB): {', '.join(f'{m:.0f}' for m in memory)}", file=sys.stderr)
    gunicorn.stop()
    return {
        "size": size,
        "actors": actors,
        "rows": rows,
        "browser": browser,
        "memory": memory,
        "first_exports": exports,
        "paged": paged,
        "generated": generated,
        "computed": computed,
    }


def median_ms(values: list, timeout: float) -> str:
    if not values:
        return "—"
    if None in values:
        return f"> {timeout * 1000:,.0f}"
    return f"{statistics.median(values):,.0f}"


def size_table(title: str, first: str, results: list[dict], rows: list) -> list[str]:
    """A Markdown table of one figure per size: `rows` are (label, result -> cell)."""
    lines = [
        "",
        title,
        "",
        f"| {first} | " + " | ".join(f"{r['actors']:,} actors" for r in results) + " |",
    ]
    lines.append("| --- |" + " --- |" * len(results))
    return lines + [
        f"| {label} | " + " | ".join(cell(r) for r in results) + " |" for label, cell in rows
    ]


def report(results: list[dict], args, machine: dict) -> str:
    sizes = " / ".join(f"{r['size']:,}" for r in results)
    actors = " / ".join(f"{r['actors']:,}" for r in results)
    if args.load_tool == "wrk":
        load = f"wrk, {args.threads} connections for {max(1, round(args.load_seconds))} s"
    else:
        load = (
            f"a thread pool of http.client clients, {args.threads} × {args.each} requests,"
            f" cut off at {args.load_seconds:g} s"
        )
    lines = [
        f"### {machine['date']} — {machine['nproc']} CPU (`nproc`), {machine['cpu']}"
        f" (`/proc/cpuinfo`), PostgreSQL {machine['postgres']}, gunicorn {WORKERS} sync workers,"
        f" Chromium {machine['chromium']} headless",
        "",
        f"Generated actors: {sizes} (relations ×3), so {actors} actors with the report's."
        f" {args.requests} sequential requests per endpoint (Accept-Encoding: gzip) after a warm-up"
        f" of {2 * WORKERS} ({WORKERS} at a time); load: {load}"
        " per endpoint, 127.0.0.1.",
        "",
        "| Endpoint | Actors | Median (ms) | p95 (ms) | Bytes | Gzip bytes | Gzip B/actor"
        " | Req/s (load) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, _path in ENDPOINTS:
        for r in results:
            row = r["rows"][label]
            gz = f"{row['gzip']:,}" if row["gzip"] is not None else "—"
            per = f"{row['gzip'] / r['actors']:.0f}" if row["gzip"] is not None else "—"
            lines.append(
                f"| {label} (`{row['path']}`) | {r['actors']:,} | {row['median']:.1f}"
                f" | {row['p95']:.1f} | {row['bytes']:,} | {gz} | {per} | {row['rps']:.1f} |"
            )
    lines += [
        "",
        "Setup per size: "
        + "; ".join(
            f"{r['actors']:,} actors generated in {r['generated']:.0f} s, network measures"
            f" (`compute_network`) in {r['computed']:.0f} s"
            for r in results
        )
        + ".",
        "",
        "Queries per request (test client; cold: first request after generating, then warm):",
        "",
        "| Endpoint | " + " | ".join(f"{r['actors']:,} actors" for r in results) + " |",
        "| --- |" + " --- |" * len(results),
    ]
    for label, _path in ENDPOINTS:
        if label == STATIC_LABEL:
            continue
        cells = " | ".join("{} / {}".format(*r["rows"][label]["queries"]) for r in results)
        lines.append(f"| {label} (`{results[0]['rows'][label]['path']}`) | {cells} |")
    lines += [
        "",
        f"Map data against the same bytes as a static file from the same gunicorn (WhiteNoise),"
        f" {args.requests} alternating pairs:",
        "",
        "| Actors | Bytes on the wire | Map data median / p95 (ms) | Static file median / p95 (ms)"
        " | Ratio of medians |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        m, s = r["rows"]["map data"], r["rows"][STATIC_LABEL]
        lines.append(
            f"| {r['actors']:,} | {s['served']:,} | {m['median']:.1f} / {m['p95']:.1f}"
            f" | {s['median']:.1f} / {s['p95']:.1f} | {m['median'] / s['median']:.1f}× |"
        )
    ratios = "; ".join(
        f"{r['actors']:,} actors {r['rows']['map data']['median']:.1f} ms vs"
        f" {r['rows'][STATIC_LABEL]['median']:.1f} ms:"
        f" {r['rows']['map data']['median'] / r['rows'][STATIC_LABEL]['median']:.1f}×"
        for r in results
    )
    lines += [
        "",
        f"Ratio map data / static file (medians): {ratios}.",
        "",
        f"Memory (VmRSS of each gunicorn worker after the size's measurements) and headless"
        f" Chromium (ms from navigation start, median of {args.browser_runs} runs, fresh context"
        " each, cut off at"
        f" {args.browser_timeout:g} s):",
        "",
        "| Actors | Worker RSS max (MiB) | Worker RSS avg (MiB) | Map data received (ms)"
        " | Markers on screen (ms) | Network data received (ms) | Network settled (ms) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    timeout = args.browser_timeout
    for r in results:
        b, memory = r["browser"], r["memory"]
        lines.append(
            f"| {r['actors']:,} | {max(memory):.0f} | {statistics.mean(memory):.0f}"
            f" | {median_ms(b['map data'], timeout)} | {median_ms(b['markers'], timeout)}"
            f" | {median_ms(b['network data'], timeout)} | {median_ms(b['network'], timeout)} |"
        )
    lines += size_table(
        "First download of each export after the data changed (it builds the file; the next"
        " ones are served from the payload store), ms:",
        "Export",
        results,
        [
            (f"{label} (`{path}`)", lambda r, k=label: f"{r['first_exports'][k]:.0f}")
            for label, path in first_exports()
        ],
    )
    lines += size_table(
        "Paging through the whole API (1,000 records a page, following `next`; the pages are"
        " built on each request), seconds in all (pages):",
        "Endpoint",
        results,
        [
            (
                f"{label} (`{path}`)",
                lambda r, k=label: f"{r['paged'][k]['seconds']:.1f} ({r['paged'][k]['pages']})",
            )
            for label, path in PAGED
        ],
    )
    return "\n".join(lines) + "\n"


def machine_facts(chromium: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "date": time.strftime("%Y-%m-%d"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "postgres": postgres,
        "chromium": chromium,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="generated actors, commas")
    parser.add_argument("--requests", type=int, default=30, help="sequential requests (K)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients/connections")
    parser.add_argument("--each", type=int, default=25, help="requests per client (thread pool)")
    parser.add_argument("--load-seconds", type=float, default=10, help="load time per endpoint")
    parser.add_argument(
        "--load-tool",
        choices=["auto", "wrk", "threads"],
        default="auto",
        help="load generator (auto: wrk when installed, else the thread pool)",
    )
    parser.add_argument("--browser-runs", type=int, default=3, help="Chromium runs per page")
    parser.add_argument(
        "--browser-timeout", type=float, default=120, help="seconds before a page is cut off"
    )
    parser.add_argument("--output", type=Path, help="also write the Markdown tables to this file")
    parser.add_argument(
        "--small", action="store_true", help="300 actors, few requests, 1 browser run (CI)"
    )
    args = parser.parse_args()
    if args.small:
        args.sizes, args.requests, args.threads, args.each = "300", 5, 4, 5
        args.load_seconds, args.browser_runs, args.browser_timeout = 1, 1, 30
    if args.load_tool == "auto":
        args.load_tool = "wrk" if shutil.which("wrk") else "threads"
    sizes = [int(s) for s in args.sizes.split(",")]

    start = time.perf_counter()
    postgres = Postgres()
    work = Path(tempfile.mkdtemp(prefix="tips-bench."))
    gunicorn = Gunicorn(work / "gunicorn.log")
    static_root = work / "static"
    try:
        url = postgres.start()
        create_database(url)
        os.environ.update(
            DATABASE_URL=url,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=f"bench-only-key-{time.time_ns()}-not-secret-at-all",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            DJANGO_SETTINGS_MODULE="tips_map.settings",
            DJANGO_STATIC_ROOT=str(static_root),
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        quiet = io.StringIO()
        call_command("migrate", "--noinput", verbosity=0, stdout=quiet)
        call_command("createcachetable", stdout=quiet)
        call_command("load_report", stdout=quiet)
        call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
        print(f"set up in {time.perf_counter() - start:.0f} s", file=sys.stderr)

        results = []
        for size in sizes:
            print(f"{size:,} generated actors", file=sys.stderr)
            results.append(measure(size, args, gunicorn, static_root))
            print(f"  measured at {time.perf_counter() - start:.0f} s", file=sys.stderr)
        text = report(results, args, machine_facts(results[0]["browser"]["version"]))
        print(text)
        if args.output:
            args.output.write_text(text)
    finally:
        gunicorn.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
