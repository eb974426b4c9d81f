"""The house (DESIGN.md, Architecture): imports run one way, no modules import each other in a
loop, and every module stays short enough to read. Checked like any other behaviour, so that a
change that breaks the layout fails the suite instead of waiting for a review."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# From the bottom up: an app may import the apps of its own layer's list below it, never above,
# and never a sibling of its own layer.
LAYERS = [
    ["tips_map"],  # infrastructure: settings, urls, middleware, payloads, the data version
    ["territories", "relations"],  # the data apps that know no other
    ["actors"],  # the actor knows its territory and its relations
    ["contributions", "network"],  # proposals, moderation, history; graph measures
    ["explore", "opendata"],  # the public pages; API, exports, imports
]
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}
# The project's URLs gather every app: tips_map/urls.py is the one module allowed to look up.
ROOT_URLCONF = ROOT / "tips_map" / "urls.py"
SKIPPED = {"migrations", "tests", "bench", "static", "node_modules"}
PYTHON_LINES, SCRIPT_LINES = 600, 400


def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] not in LAYER_OF or set(parts) & SKIPPED:
            continue
        name = ".".join(parts).removesuffix(".py").removesuffix(".__init__")
        found[name] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """The project modules `name` imports, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m.split(".")[0] in LAYER_OF}


def test_imports_run_one_way():
    wrong = []
    for name, path in modules().items():
        if path == ROOT_URLCONF:
            continue
        app = name.split(".")[0]
        for imported in imports_of(name, path):
            other = imported.split(".")[0]
            if other != app and LAYER_OF[other] >= LAYER_OF[app]:
                wrong.append(f"{name} imports {imported}")
    assert sorted(set(wrong)) == []


def test_no_modules_import_each_other():
    known = modules()
    graph = {
        name: {m for m in imports_of(name, path) if m in known and m != name}
        for name, path in known.items()
    }
    loops = []
    for name, targets in graph.items():
        for target in targets:
            if name in graph[target] and name < target:
                loops.append(f"{name} <-> {target}")
    assert loops == []


def test_every_module_is_short_enough_to_read():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > PYTHON_LINES
    ]
    long += [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in (ROOT / "static" / "js").rglob("*.js")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > SCRIPT_LINES
    ]
    assert long == []


def test_no_test_times_anything():
    # CI machines are shared and loaded: speed is measured by the benchmark, never asserted.
    timed = re.compile(r"assert[^#\n]*(elapsed|duration|seconds|took)[^#\n]*[<>]")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if timed.search(line)
    ]
    assert found == []
