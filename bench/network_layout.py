"""Benchmark: how long the network page takes to draw 2,000 actors and 6,000 relations.

Generates a payload of the data endpoint's shape, serves it in place of /reseau/donnees.json
(Playwright's page.route), opens the page in headless Chromium (Debian's /usr/bin/chromium, the
tests' launch arguments) and reads the times the page records around Cytoscape's "layoutstop"
event (window.TIPS.network.timings). Three runs per layout, median reported.

    .venv/bin/python bench/network_layout.py            # page default (concentric above 1,500)
    .venv/bin/python bench/network_layout.py --layouts default cose concentric

Needs the app's database (./dev run creates db.sqlite3); starts its own server on a free port.
A benchmark, not a test: nothing asserts, it prints a Markdown table for bench/README.md.
"""

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from chromium import ARGS, CHROMIUM  # bench/chromium.py
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CONFIG = re.compile(r'<script id="network-config" type="application/json">(.*?)</script>', re.S)


def vocabulary(url: str) -> tuple[list[str], list[str]]:
    """The actor and relation types the page itself draws (its network-config), so that the
    generated network speaks the app's keys."""
    html = urllib.request.urlopen(url, timeout=30).read().decode()
    config = json.loads(CONFIG.search(html).group(1))
    return list(config["types"]), list(config["relations"])


def payload(nodes: int, edges: int, types: list, relations: list, seed: int = 6) -> dict:
    """A clustered random network: 40 communities, most relations inside one, hubs favoured."""
    rng = random.Random(seed)
    ids = [f"acteur-{i}" for i in range(nodes)]
    community = [rng.randrange(40) for _ in ids]
    members = {}
    for i, c in enumerate(community):
        members.setdefault(c, []).append(i)
    weight = [rng.paretovariate(1.5) for _ in ids]  # a few hubs, many small actors
    pairs = set()
    while len(pairs) < edges:
        a = rng.randrange(nodes)
        pool = members[community[a]] if rng.random() < 0.8 else range(nodes)
        pool = list(pool)
        b = rng.choices(pool, weights=[weight[j] for j in pool])[0]
        if a != b:
            pairs.add((min(a, b), max(a, b), rng.choice(relations)))
    degree = [0] * nodes
    by_type = [dict.fromkeys(relations, 0) for _ in ids]
    edge_rows = []
    for n, (a, b, kind) in enumerate(sorted(pairs)):
        degree[a] += 1
        degree[b] += 1
        by_type[a][kind] += 1
        by_type[b][kind] += 1
        edge_rows.append(
            {
                "id": n + 1,
                "source": ids[a],
                "target": ids[b],
                "type": kind,
                "directed": kind == "prestation_service",
            }
        )
    node_rows = [
        {
            "id": ids[i],
            "name": f"Acteur {i}",
            "type": rng.choice(types),
            "territory": "",
            "commune": "Lyon",
            "gone": False,
            "external": False,
            "degree": degree[i],
            "degree_by_type": by_type[i],
            "betweenness": round(rng.random() * degree[i] / 100, 4),
            "brokerage": round(rng.random(), 4),
            "community": community[i],
            "isolated": degree[i] == 0,
        }
        for i in range(nodes)
    ]
    return {
        "date": time.strftime("%Y-%m-%d"),
        "measures": ["degree", "betweenness", "brokerage"],
        "nodes": node_rows,
        "edges": edge_rows,
        "counts": {"nodes": nodes, "edges": len(edge_rows)},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/reseau/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start (does db.sqlite3 exist? run ./dev run once)")


def measure(browser, url: str, body: str, layout: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    if layout != "default":
        page.add_init_script(f"window.TIPS_NETWORK_LAYOUT = {json.dumps(layout)};")
    page.route(
        "**/reseau/donnees.json*",
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )
    page.goto(url)
    page.wait_for_selector("#network[data-ready]", state="attached", timeout=600_000)
    timings = page.evaluate(
        """() => {
        const t = TIPS.network.timings;
        return {layout: t.layoutStop - t.layoutStart, total: t.layoutStop - t.start,
                nodes: TIPS.network.cy.nodes().length, edges: TIPS.network.cy.edges().length,
                name: TIPS.network.cy.scratch('large') ? 'large' : 'small'};
    }"""
    )
    page.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layouts", nargs="+", default=["default", "cose", "concentric"])
    options = parser.parse_args()
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}/reseau/"
    body = json.dumps(payload(options.nodes, options.edges, *vocabulary(url)))
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for layout in options.layouts:
                runs = [measure(browser, url, body, layout) for _ in range(options.runs)]
                assert all(r["nodes"] == options.nodes for r in runs), runs
                layouts = [r["layout"] / 1000 for r in runs]
                totals = [r["total"] / 1000 for r in runs]
                rows.append((layout, runs[0]["edges"], layouts, totals))
                print(f"{layout}: layout {layouts} s, total {totals} s", file=sys.stderr)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPU ({cpu}), Chromium headless")
    print(f"{options.nodes} nodes, {rows[0][1] if rows else 0} edges, {options.runs} runs\n")
    print("| Layout | Layout (s), median | Runs (s) | Data to settled drawing (s), median |")
    print("| --- | --- | --- | --- |")
    for layout, _, layouts, totals in rows:
        runs = ", ".join(f"{x:.2f}" for x in layouts)
        print(
            f"| {layout} | {statistics.median(layouts):.2f} | {runs} | "
            f"{statistics.median(totals):.2f} |"
        )


if __name__ == "__main__":
    main()
