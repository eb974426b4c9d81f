"""Graph mathematics of the network measures, by hand and against networkx: no database, no
Django (`network.graph` imports neither)."""

import math
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from network import graph

INFORMATION, SERVICE, COLLABORATION = "partage_information", "prestation_service", "collaboration"
RELATION_TYPES = (INFORMATION, SERVICE, COLLABORATION)

# A–B (collaboration and information sharing), A–C, B–C (information), C→D (service), D–E, and
# F isolated:
#
#     A ─ B
#      \ /
#       C ─ D ─ E        F
SMALL_NODES = [f"petit-{x}" for x in "abcdef"]
SMALL_RELATIONS = [
    (1, "petit-a", "petit-b", COLLABORATION),
    (2, "petit-a", "petit-b", INFORMATION),
    (3, "petit-a", "petit-c", COLLABORATION),
    (4, "petit-b", "petit-c", INFORMATION),
    (5, "petit-c", "petit-d", SERVICE),
    (6, "petit-d", "petit-e", COLLABORATION),
]


@pytest.fixture
def small_graph():
    return graph.measure(SMALL_NODES, SMALL_RELATIONS, RELATION_TYPES)


def test_the_module_needs_neither_django_nor_any_app():
    code = (
        "import sys; import network.graph, network.brokerage, network.layers; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'actors', 'relations', 'territories', 'contributions', 'opendata', "
        "'tips_map'}))"
    )
    root = Path(__file__).resolve().parents[2]
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_degrees_count_every_relation_by_type(small_graph):
    m = small_graph
    # A: A–B twice (collaboration, information) and A–C: 3. E: D–E only. F: none.
    assert m.degree == {
        "petit-a": 3,
        "petit-b": 3,
        "petit-c": 3,
        "petit-d": 2,
        "petit-e": 1,
        "petit-f": 0,
    }
    assert m.degree_by_type["petit-c"] == {
        "partage_information": 1,
        "prestation_service": 1,
        "collaboration": 1,
    }
    assert m.relations == 6 and m.edges == 5  # A–B is one edge of the simple graph


def test_betweenness_by_hand(small_graph):
    # Normalised by (n−1)(n−2)/2 = 10 pairs of other actors (n = 6).
    # C lies on the only shortest paths A–D, A–E, B–D, B–E: 4/10. D on A–E, B–E, C–E: 3/10.
    # A and B are on no shortest path (B–C is direct); E and F on none.
    assert small_graph.betweenness == {
        "petit-a": 0.0,
        "petit-b": 0.0,
        "petit-c": 0.4,
        "petit-d": 0.3,
        "petit-e": 0.0,
        "petit-f": 0.0,
    }


def test_brokerage_is_one_minus_burt_constraint(small_graph):
    b = small_graph.brokerage
    # D: partners C and E, 1/2 each, not linked to each other: constraint 1/4 + 1/4 = 1/2.
    assert b["petit-d"] == 0.5
    # C: partners A, B, D, 1/3 each; A and B are linked: (1/3 + 1/3 · 1/2)² twice + (1/3)²
    # = 1/4 + 1/4 + 1/9 = 11/18, so 7/18.
    assert b["petit-c"] == round(7 / 18, 6)
    # E has a single partner (constraint 1); A's constraint is 145/144 > 1, floored; F isolated.
    assert b["petit-e"] == b["petit-a"] == b["petit-f"] == 0.0


def test_communities_and_density_by_hand(small_graph):
    c = small_graph.community
    # Modularity of {A,B,C},{D,E},{F} with m = 5 edges: (3/5 − (7/10)²) + (1/5 − (3/10)²) = 0.22,
    # better than any other split (all in one: 0).
    assert c["petit-a"] == c["petit-b"] == c["petit-c"]
    assert c["petit-d"] == c["petit-e"] != c["petit-a"]
    assert c["petit-f"] not in {c["petit-a"], c["petit-d"]}
    # The largest community gets the smallest number.
    assert c["petit-a"] < c["petit-d"] < c["petit-f"]
    # 5 edges among 6 actors: 5 / 15.
    assert small_graph.density == round(5 / 15, 6)
    # Collaboration pairs A–B, A–C, D–E: 3 / 15; service C→D: 1 / 15.
    assert small_graph.density_by_relation_type == {
        "partage_information": round(2 / 15, 6),
        "prestation_service": round(1 / 15, 6),
        "collaboration": round(3 / 15, 6),
    }


def test_burt_constraint_is_networkx_constraint():
    rng = random.Random(3)
    for seed in range(4):
        g = nx.gnm_random_graph(80, 200, seed=seed)
        hub = 80
        g.add_edges_from((hub, n) for n in rng.sample(range(80), 40))  # a hub
        g.add_node(99)  # isolated
        fast, reference = graph.burt_constraint(g), nx.constraint(g)
        assert set(fast) == set(reference)
        for node, value in reference.items():
            if math.isnan(value):
                assert math.isnan(fast[node])
            else:
                assert fast[node] == pytest.approx(value, abs=1e-12)


def test_betweenness_is_estimated_deterministically_on_large_graphs(monkeypatch):
    g = nx.path_graph(12)
    exact = graph.betweenness_centrality(g)
    monkeypatch.setattr(graph, "EXACT_BETWEENNESS_LIMIT", 5)
    monkeypatch.setattr(graph, "BETWEENNESS_SAMPLE", 6)
    first, second = graph.betweenness_centrality(g), graph.betweenness_centrality(g)
    assert first == second  # the same sample every time
    assert first != exact  # a sample, not the exact figure
    assert max(first, key=first.get) in {5, 6}  # the middle of the path stays the most central
