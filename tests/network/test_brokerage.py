"""Gould & Fernandez brokerage roles (network.brokerage): a hand-made graph counted by hand,
properties on random graphs, and the roles in the network's measures of the report's data."""

import random

import networkx as nx
import pytest

from network import brokerage, graph
from network import bundle as network_bundle
from relations.models import DIRECTED_TYPES, RelationType

INFORMATION, SERVICE, COLLABORATION = "partage_information", "prestation_service", "collaboration"
RELATION_TYPES = (INFORMATION, SERVICE, COLLABORATION)
DIRECTED = (SERVICE,)
ZERO = dict.fromkeys(brokerage.ROLES, 0)

# Seven actors; a–b and e–f collaborate (a–b also share information, e–f twice: each pair is
# one tie), b → c and d → e are services (one arc), c–d and b–d share information, g is alone:
#
#     a ══ b ──→ c          arcs: a→b b→a b→c c→d d→c b→d d→b d→e e→f f→e
#           \    |
#            ── d ──→ e ══ f        g
NODES = list("abcdefg")
RELATIONS = [
    (1, "a", "b", COLLABORATION),
    (2, "a", "b", INFORMATION),
    (3, "b", "c", SERVICE),
    (4, "c", "d", INFORMATION),
    (5, "b", "d", INFORMATION),
    (6, "d", "e", SERVICE),
    (7, "e", "f", COLLABORATION),
    (8, "e", "f", COLLABORATION),
]
# The open two-paths A → B → C (no arc A → C), by hand, per broker B:
#   a: none (its only partner is b);  c: b → c → d is closed by b → d;  f, g: none;
#   b: a → b → c, a → b → d, d → b → a   (d → b → c is closed by d → c);
#   d: c → d → b, c → d → e, b → d → e   (b → d → c is closed by b → c);
#   e: d → e → f                         (f → e → d is no path: the service is d → e).
TYPES = {"a": "X", "b": "Y", "c": "Y", "d": "Z", "e": "Z", "f": "X", "g": "X"}
DEPARTEMENTS = {"a": "01", "b": "01", "c": "01", "d": "38", "e": "69", "f": "69", "g": None}


def roles(**counts):
    return {**ZERO, **counts}


def test_each_role_of_the_hand_made_graph_by_actor_type():
    # b (Y): a→b→c X,Y,Y gatekeeper; a→b→d X,Y,Z and d→b→a Z,Y,X liaisons.
    # d (Z): c→d→b Y,Z,Y consultant; c→d→e and b→d→e Y,Z,Z gatekeepers.
    # e (Z): d→e→f Z,Z,X representative.
    assert brokerage.brokerage_roles(NODES, RELATIONS, TYPES, DIRECTED) == {
        "a": ZERO,
        "b": roles(gatekeeper=1, liaison=2),
        "c": ZERO,
        "d": roles(consultant=1, gatekeeper=2),
        "e": roles(representative=1),
        "f": ZERO,
        "g": ZERO,
    }


def test_each_role_of_the_hand_made_graph_by_departement():
    # b (01): a→b→c 01,01,01 coordinator; a→b→d 01,01,38 representative; d→b→a 38,01,01
    # gatekeeper. d (38): c→d→b 01,38,01 consultant; c→d→e and b→d→e 01,38,69 liaisons.
    # e (69): d→e→f 38,69,69 gatekeeper.
    expected = {
        "a": ZERO,
        "b": roles(coordinator=1, representative=1, gatekeeper=1),
        "c": ZERO,
        "d": roles(consultant=1, liaison=2),
        "e": roles(gatekeeper=1),
        "f": ZERO,
        "g": ZERO,
    }
    assert brokerage.brokerage_roles(NODES, RELATIONS, DEPARTEMENTS, DIRECTED) == expected
    # Both groupings at once, and through graph.measure, give the same figures.
    both = brokerage.brokerage_by_grouping(
        NODES, RELATIONS, {"type": TYPES, "departement": DEPARTEMENTS}, DIRECTED
    )
    assert {n: r["departement"] for n, r in both.items()} == expected
    measured = graph.measure(
        NODES,
        RELATIONS,
        RELATION_TYPES,
        groupings={"departement": DEPARTEMENTS},
        directed_types=DIRECTED,
    )
    assert {n: r["departement"] for n, r in measured.brokerage_roles.items()} == expected


def test_an_actor_without_a_group_counts_in_no_role():
    # c without a département: a→b→c, c→d→b and c→d→e count no more.
    without_c = {**DEPARTEMENTS, "c": None}
    result = brokerage.brokerage_roles(NODES, RELATIONS, without_c, DIRECTED)
    assert result["b"] == roles(representative=1, gatekeeper=1)
    assert result["d"] == roles(liaison=1)
    assert result["c"] == ZERO


def test_symmetric_service_would_open_more_paths():
    """With every relation symmetric (no directed type), f → e → d opens and b → c → d is still
    closed: the direction of the services is what the hand count above relies on."""
    result = brokerage.brokerage_roles(NODES, RELATIONS, DEPARTEMENTS)
    # e (69): d–e–f gatekeeper and f–e–d representative (69,69,38).
    assert result["e"] == roles(gatekeeper=1, representative=1)
    # c (01): b–c–d is closed by b–d, either way.
    assert result["c"] == ZERO


def open_two_paths_by_networkx(nodes, relations, directed):
    """The number of open two-paths through each node, from a networkx DiGraph."""
    digraph = nx.DiGraph()
    digraph.add_nodes_from(nodes)
    for _id, s, t, kind in relations:
        digraph.add_edge(s, t)
        if kind not in directed:
            digraph.add_edge(t, s)
    return {
        b: sum(
            1
            for a in digraph.predecessors(b)
            for c in digraph.successors(b)
            if a != c and not digraph.has_edge(a, c)
        )
        for b in nodes
    }


@pytest.mark.parametrize("seed", range(5))
def test_the_roles_add_up_to_the_open_two_paths(seed):
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(40)]
    relations = []
    for i in range(120):
        s, t = rng.sample(nodes, 2)
        relations.append((i, s, t, rng.choice(RELATION_TYPES)))
    groups = {n: rng.choice("PQR") for n in nodes}
    result = brokerage.brokerage_roles(nodes, relations, groups, DIRECTED)
    expected = open_two_paths_by_networkx(nodes, relations, DIRECTED)
    assert {n: sum(r.values()) for n, r in result.items()} == expected
    assert any(expected.values())
    # One group: every open two-path is a coordination.
    same = brokerage.brokerage_roles(nodes, relations, dict.fromkeys(nodes, "P"), DIRECTED)
    assert {n: r["coordinator"] for n, r in same.items()} == expected


def test_an_actor_with_one_partner_brokers_nothing():
    relations = [(1, "hub", f"x{i}", COLLABORATION) for i in range(5)]
    relations += [(6, "x0", "y", SERVICE), (7, "y", "x0", COLLABORATION)]
    nodes = ["hub", "y", *(f"x{i}" for i in range(5))]
    groups = dict.fromkeys(nodes, "P") | {"hub": "Q"}
    result = brokerage.brokerage_roles(nodes, relations, groups, DIRECTED)
    for lonely in ["y", "x1", "x2", "x3", "x4"]:
        assert result[lonely] == ZERO
    # The hub: 5 × 4 ordered pairs of its partners, none tied; x0 → hub → x1 and so on.
    assert result["hub"] == roles(consultant=20)


def test_strongest_keeps_the_highest_scores_first():
    both = brokerage.brokerage_by_grouping(
        NODES, RELATIONS, {"departement": DEPARTEMENTS}, DIRECTED
    )
    assert brokerage.strongest(both, "departement", "liaison") == [("d", 2)]
    assert brokerage.strongest(both, "departement", "gatekeeper") == [("b", 1), ("e", 1)]


@pytest.mark.django_db
def test_the_measures_carry_both_groupings_for_every_actor():
    """The report's data: each current actor's roles are those of its type and of its
    territory's département; disappeared actors have zeros."""
    bundle = network_bundle.compute()
    actors = bundle["actors"]
    current = [s for s, a in actors.items() if not a["gone"]]
    departements = {
        s: (
            network_bundle.territory_of_level(a["path"], "departement", bundle["by_path"]) or {}
        ).get("slug")
        for s, a in actors.items()
    }
    expected = brokerage.brokerage_by_grouping(
        current,
        bundle["relations"],
        {"type": {s: actors[s]["type"] for s in current}, "departement": departements},
        DIRECTED_TYPES,
    )
    for slug, actor in actors.items():
        if actor["gone"]:
            assert actor["brokerage_roles"] == {"type": ZERO, "departement": ZERO}
            assert {f["degree"] for f in actor["layers"].values()} == {0}
        else:
            assert actor["brokerage_roles"] == expected[slug]
    assert sum(r["departement"]["liaison"] for r in expected.values()) > 0
    assert set(actors[current[0]]["layers"]) == set(RelationType.values)
