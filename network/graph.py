"""Graph mathematics of the network measures: plain Python and networkx, nothing else.

No Django and no project app here, so the measures are testable without a database or settings
(`tests/network/test_graph.py`): relations are (id, source slug, target slug, type) tuples, and
the relation types are given by the caller as plain strings.

Definitions (written out in French on the comparison page and on the card):

- graph: the actors and the relations between them, as an undirected simple graph (two actors
  linked by several relations are one edge) for betweenness, brokerage and communities;
- degree: number of relations of the actor (each relation counts, whatever its type; the sum of
  `degree_by_type`); `isolated` when it is 0;
- betweenness: networkx `betweenness_centrality`, normalised, on the undirected simple graph
  (estimated from 256 sampled sources, fixed seed, above 1,000 actors);
- brokerage: 1 − Burt's constraint (unweighted, as networkx `constraint`), floored at 0: close
  to 1 for an actor whose partners are not linked to each other (it bridges otherwise separate
  groups), 0 for an actor with a single partner or whose partners all know each other (the
  constraint can exceed 1 in small dense groups), 0 for an isolated actor;
- community: networkx `louvain_communities` with a fixed seed on nodes inserted in slug order
  (deterministic), numbered by decreasing size then by the first slug;
- density: edges of the simple graph / possible pairs, n(n−1)/2.

Brokerage roles (Gould & Fernandez, on the directed graph) are in `network.brokerage`, the
measures per relation type (layers) in `network.layers`, built on this module's functions;
`measure()` adds the roles when given the groupings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .brokerage import brokerage_by_grouping

LOUVAIN_SEED = 2023
DIGITS = 6


@dataclass
class GraphMeasures:
    """Measures of one graph: the whole ecosystem or a territory's subgraph."""

    nodes: list[str]
    degree: dict[str, int]
    degree_by_type: dict[str, dict[str, int]]
    betweenness: dict[str, float]
    brokerage: dict[str, float]
    community: dict[str, int]
    density: float
    density_by_relation_type: dict[str, float]
    edges: int = 0
    relations: int = 0
    extra: dict = field(default_factory=dict)
    # Gould & Fernandez roles per actor and grouping (`network.brokerage`), when asked for.
    brokerage_roles: dict[str, dict] = field(default_factory=dict)

    def ranking(self, names: dict[str, str]) -> list[str]:
        """Slugs from the most central: betweenness, then degree, then name."""
        return ranking(self.nodes, self.betweenness, self.degree, names)


def ranking(nodes, betweenness: dict, degree: dict, names: dict[str, str]) -> list[str]:
    """Slugs from the most central: betweenness, then degree, then name."""
    return sorted(nodes, key=lambda s: (-betweenness[s], -degree[s], names.get(s, s), s))


def density(n: int, edges: int) -> float:
    return 2 * edges / (n * (n - 1)) if n > 1 else 0.0


def pair(source: str, target: str) -> tuple[str, str]:
    return (source, target) if source <= target else (target, source)


def pairs_of(relations) -> set[tuple[str, str]]:
    """The distinct unordered pairs of actors linked by `relations`."""
    return {(s, t) if s <= t else (t, s) for _id, s, t, _type in relations}


def simple_graph(nodes, relations) -> nx.Graph:
    """Undirected simple graph; nodes inserted in sorted order so results are reproducible."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted(pairs_of(relations)))
    return graph


def communities(graph: nx.Graph) -> dict[str, int]:
    if graph.number_of_edges() == 0:
        groups = [{n} for n in graph.nodes]
    else:
        groups = nx.community.louvain_communities(graph, seed=LOUVAIN_SEED)
    groups = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {node: index for index, group in enumerate(groups) for node in group}


# Exact betweenness is O(nodes × edges): minutes at a national scale. Above this size it is
# estimated from a fixed sample of source nodes (same seed, so the same figures every time).
EXACT_BETWEENNESS_LIMIT = 1000
BETWEENNESS_SAMPLE = 256
BETWEENNESS_SEED = 7


def betweenness_centrality(graph: nx.Graph) -> dict:
    if graph.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT:
        return nx.betweenness_centrality(graph, normalized=True)
    return nx.betweenness_centrality(
        graph, k=BETWEENNESS_SAMPLE, normalized=True, seed=BETWEENNESS_SEED
    )


def burt_constraint(graph: nx.Graph) -> dict:
    """Burt's constraint of every node of an unweighted simple graph: networkx's `constraint`
    (NaN for an isolated node), computed from the common partners of each pair.

    For such a graph the normalised mutual weight p(u, v) is 1/degree(u) for partners, so
    c(u) = Σ over partners v of (1/d(u) + Σ over common partners w of 1/d(u) · 1/d(w))².
    networkx's general version recomputes every normalisation and is O(degree³) per node:
    13 minutes at 10,000 generated actors (hubs of 400 partners), against a second here.
    """
    partners = {node: set(graph[node]) - {node} for node in graph}
    inverse = {node: 1 / len(p) for node, p in partners.items() if p}
    result = {}
    for u, around in partners.items():
        if not around:
            result[u] = math.nan
            continue
        direct = inverse[u]
        result[u] = sum(
            (direct + sum(direct * inverse[w] for w in around & partners[v])) ** 2 for v in around
        )
    return result


def brokerage_of(constraint: dict, nodes) -> dict[str, float]:
    """1 − constraint, floored at 0; 0 for an isolated node (its constraint is NaN)."""
    brokerage = {}
    for node in nodes:
        value = constraint.get(node)
        unmeasured = value is None or value != value
        brokerage[node] = 0.0 if unmeasured else round(max(0.0, 1 - value), DIGITS)
    return brokerage


def measure(
    nodes,
    relations,
    relation_types,
    with_communities: bool = True,
    groupings: dict[str, dict] | None = None,
    directed_types=(),
) -> GraphMeasures:
    """Measures of the graph of `nodes` (slugs) and the `relations` among them.

    `relations` are (id, source slug, target slug, type) tuples; those with an end outside
    `nodes` are ignored, so any subgraph (a territory's) is measured by passing its nodes.
    `relation_types` are the keys of every type (`RelationType.values`), so that each count and
    density has every type, at 0 when the graph has none of it.
    `groupings` ({name: {actor: group}}) adds the brokerage roles under each, with the
    `directed_types` as arcs one way (`network.brokerage`).
    """
    nodes = set(nodes)
    relation_types = tuple(relation_types)
    relations = [r for r in relations if r[1] in nodes and r[2] in nodes]
    graph = simple_graph(nodes, relations)
    by_type = {n: dict.fromkeys(relation_types, 0) for n in nodes}
    pairs_by_type = defaultdict(set)
    for _id, source, target, kind in relations:
        by_type[source][kind] += 1
        by_type[target][kind] += 1
        pairs_by_type[kind].add(pair(source, target))
    betweenness = betweenness_centrality(graph) if nodes else {}
    constraint = burt_constraint(graph) if graph.number_of_edges() else {}
    return GraphMeasures(
        nodes=sorted(nodes),
        degree={n: sum(by_type[n].values()) for n in nodes},
        degree_by_type=by_type,
        betweenness={n: round(betweenness.get(n, 0.0), DIGITS) for n in nodes},
        brokerage=brokerage_of(constraint, nodes),
        community=communities(graph) if with_communities else {},
        density=round(density(len(nodes), graph.number_of_edges()), DIGITS),
        density_by_relation_type={
            t: round(density(len(nodes), len(pairs_by_type[t])), DIGITS) for t in relation_types
        },
        edges=graph.number_of_edges(),
        relations=len(relations),
        brokerage_roles=(
            brokerage_by_grouping(nodes, relations, groupings, directed_types) if groupings else {}
        ),
    )
