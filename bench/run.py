"""Benchmark: the server at 1,000 / 10,000 / 50,000 actors (issue 7 "Fast at any size").

Starts its own throwaway PostgreSQL (as ./dev test does: initdb into a temporary directory, a free
local port, run as the postgres user when root), migrates, loads the report and, for each size N,
replaces the generated actors (`generate_data --clear`, then `--actors N --relations 3N --seed 1`).
The app runs under gunicorn (2 sync workers, DJANGO_DEBUG=0) on 127.0.0.1. For each endpoint:

- median and p95 latency over K sequential requests (Accept-Encoding: gzip, like a browser);
- response bytes, and gzip bytes when the endpoint honours Accept-Encoding: gzip;
- queries per request, from Django's test client in this process on the same database
  (CaptureQueriesContext), cold (first request after generating) and warm (the next one);
- requests per second under concurrent load (a bounded thread pool, http.client, 127.0.0.1 only);
- the physical reference: the map data's gzip bytes written to a file and served by Python's
  http.server (whitenoise is not a dependency, so gunicorn serves no static files), median latency
  over the same K requests, and the ratio map data / static file.

    .venv/bin/python bench/run.py                      # 1,000, 10,000 and 50,000 actors
    .venv/bin/python bench/run.py --sizes 1000,10000 --requests 30
    .venv/bin/python bench/run.py --small              # 300 actors, few requests (< 90 s; CI)

Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin, as ./dev test installs) and
gunicorn (the `test` extra). Prints a Markdown table for bench/README.md; asserts nothing.
"""

import argparse
import gzip
import http.client
import io
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
MAP = "/acteurs/carte.json"
# Label -> path; the actor card and territory page are filled in once the data exists.
ENDPOINTS = [
    ("map data", MAP),
    ("actor list", "/acteurs/"),
    ("actor card", None),
    ("territory page", None),
    ("network data", "/reseau/donnees.json"),
    ("API actors", "/api/actors/"),
    ("GeoJSON export", "/donnees/acteurs.geojson"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


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


def get(port: int, path: str, gzip_ok: bool = True) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    encoding = response.getheader("Content-Encoding", "")
    connection.close()
    return response.status, body, encoding


def latencies(port: int, path: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        status, _body, _enc = get(port, path)
        times.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load(port: int, path: str, threads: int, each: int, seconds: float) -> float:
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

    actor = Actor.objects.filter(slug__startswith="gen-").order_by("pk").first()
    actor = actor or Actor.objects.order_by("pk").first()
    top = (
        Actor.objects.exclude(territory=None)
        .values("territory__parent")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    from territories.models import Territory

    territory = Territory.objects.get(pk=top["territory__parent"])
    return actor.get_absolute_url(), territory.get_absolute_url(), Actor.objects.count()


def measure(size, args, port, static_port, static_dir) -> list[dict]:
    from django.core.management import call_command

    quiet = io.StringIO()
    start = time.perf_counter()
    call_command("generate_data", "--clear", stdout=quiet)
    call_command(
        "generate_data", "--actors", size, "--relations", 3 * size, "--seed", 1, stdout=quiet
    )
    print(f"  {size} actors generated in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    card, territory, actors = sample_pages()
    rows = []
    for label, path in ENDPOINTS:
        path = path or (card if label == "actor card" else territory)
        cold, warm = queries(path)
        status, raw, _enc = get(port, path, gzip_ok=False)
        status, body, encoding = get(port, path)
        times = latencies(port, path, args.requests)
        rps = load(port, path, args.threads, args.each, args.load_seconds)
        row = {
            "size": size,
            "actors": actors,
            "label": label,
            "path": path,
            "median": statistics.median(times) * 1000,
            "p95": p95(times) * 1000,
            "bytes": len(raw),
            "gzip": len(body) if encoding == "gzip" else None,
            "queries": f"{cold} / {warm}",
            "rps": rps,
        }
        if label == "map data":
            payload = body if encoding == "gzip" else gzip.compress(raw)
            (static_dir / "carte.json.gz").write_bytes(payload)
            static = latencies(static_port, "/carte.json.gz", args.requests)
            row["static"] = statistics.median(static) * 1000
            row["ratio"] = row["median"] / row["static"]
        rows.append(row)
        print(f"  {label}: {row['median']:.1f} ms median", file=sys.stderr)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| Actors | Endpoint | Median (ms) | p95 (ms) | Bytes | Gzip bytes | Gzip B/actor"
        " | Queries cold / warm | Req/s (load) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        gz = f"{r['gzip']:,}" if r["gzip"] is not None else "—"
        per = f"{r['gzip'] / r['actors']:.0f}" if r["gzip"] is not None else "—"
        lines.append(
            f"| {r['actors']:,} | {r['label']} (`{r['path']}`) | {r['median']:.1f} | {r['p95']:.1f}"
            f" | {r['bytes']:,} | {gz} | {per} | {r['queries']} | {r['rps']:.1f} |"
        )
    lines += [
        "",
        "| Actors | Map data gzip, median (ms) | Same bytes, static file (ms) | Ratio |",
        "| --- | --- | --- | --- |",
    ]
    for r in rows:
        if "ratio" in r:
            lines.append(
                f"| {r['actors']:,} | {r['median']:.1f} | {r['static']:.1f} | {r['ratio']:.1f}× |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="generated actors, commas")
    parser.add_argument("--requests", type=int, default=30, help="sequential requests (K)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--each", type=int, default=25, help="requests per concurrent client")
    parser.add_argument("--load-seconds", type=float, default=15, help="load cut-off per endpoint")
    parser.add_argument("--small", action="store_true", help="300 actors, few requests (CI)")
    args = parser.parse_args()
    if args.small:
        args.sizes, args.requests, args.threads, args.each, args.load_seconds = "300", 5, 4, 5, 5
    sizes = [int(s) for s in args.sizes.split(",")]

    postgres = Postgres()
    processes = []
    static_dir = Path(tempfile.mkdtemp(prefix="tips-bench-static."))
    try:
        url = postgres.start()
        create_database(url)
        os.environ.update(
            DATABASE_URL=url,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=f"bench-only-key-{time.time_ns()}-not-secret-at-all",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            DJANGO_SETTINGS_MODULE="tips_map.settings",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        quiet = io.StringIO()
        call_command("migrate", "--noinput", verbosity=0, stdout=quiet)
        call_command("createcachetable", stdout=quiet)
        call_command("load_report", stdout=quiet)

        port, static_port = free_port(), free_port()
        log = open(static_dir.parent / f"{static_dir.name}.gunicorn.log", "w")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [VENV_BIN / "gunicorn", "tips_map.wsgi:application"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120"],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "http.server", str(static_port)]
                + ["--bind", "127.0.0.1", "--directory", str(static_dir)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_port(port)
        wait_port(static_port)
        rows = []
        for size in sizes:
            print(f"{size} actors", file=sys.stderr)
            rows += measure(size, args, port, static_port, static_dir)
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        print(
            f"{time.strftime('%Y-%m-%d')}: {os.cpu_count()} CPU, {cpu}; gunicorn 2 workers;"
            f" {args.requests} sequential requests; load {args.threads} threads ×"
            f" {args.each} requests (cut off at {args.load_seconds:g} s)\n"
        )
        print(table(rows))
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        postgres.stop()
        shutil.rmtree(static_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
