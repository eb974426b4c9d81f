"""The network's layers (multiplex): one per relation type. Plain Python and networkx only.

- a **layer** is the graph of the actors and the relations of one type among them; its measures
  are those of `network.graph` on that subgraph (every actor is in every layer, isolated when
  it has no relation of the type): `degree` (relations of the type, each counted), `partners`
  (distinct actors tied by the type), `betweenness` (normalised, undirected simple graph,
  estimated above 1,000 actors as in `network.graph`) and the layer's `density`;
- the **overlap** of two layers: the unordered pairs of actors tied in both (`both`, sorted),
  their number, and the Jaccard index of the two layers' edge sets, |A ∩ B| / |A ∪ B| (pairs
  unordered: a service A → B and a collaboration B – A are the same pair; 0 when both are empty);
- the **multiplex pairs**: the pairs tied by two types or more, with their types (in the order
  of `relation_types`).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from .graph import DIGITS, betweenness_centrality, density, pair, simple_graph


def layer_pairs(relations, relation_types) -> dict[str, set[tuple[str, str]]]:
    """Per type, the unordered pairs of actors tied by a relation of that type."""
    pairs = {t: set() for t in relation_types}
    for _id, source, target, kind in relations:
        if source != target:
            pairs[kind].add(pair(source, target))
    return pairs


def layer_measures(nodes, relations, relation_types) -> dict[str, dict]:
    """Per type: {"degree": {actor: n}, "partners": {actor: n}, "betweenness": {actor: x},
    "density": x, "edges": n, "relations": n}, every actor of `nodes` in each."""
    nodes = set(nodes)
    relations = [r for r in relations if r[1] in nodes and r[2] in nodes]
    layers = {}
    for kind in relation_types:
        inside = [r for r in relations if r[3] == kind]
        graph = simple_graph(nodes, inside)
        degree = dict.fromkeys(nodes, 0)
        for _id, source, target, _kind in inside:
            degree[source] += 1
            degree[target] += 1
        between = betweenness_centrality(graph) if graph.number_of_edges() else {}
        layers[kind] = {
            "degree": degree,
            "partners": {n: graph.degree(n) for n in nodes},
            "betweenness": {n: round(between.get(n, 0.0), DIGITS) for n in nodes},
            "density": round(density(len(nodes), graph.number_of_edges()), DIGITS),
            "edges": graph.number_of_edges(),
            "relations": len(inside),
        }
    return layers


def jaccard(first: set, second: set) -> float:
    union = len(first | second)
    return round(len(first & second) / union, DIGITS) if union else 0.0


def overlap(nodes, relations, relation_types) -> dict:
    """{"layers": [{"types": [t1, t2], "both": [[a, b], ...], "count": n, "jaccard": x}, ...]
    for each pair of types, "multiplex": [{"pair": [a, b], "types": [...]}, ...],
    "multiplex_count": n}. Lists, so the result is JSON as it is."""
    nodes = set(nodes)
    relation_types = tuple(relation_types)
    relations = [r for r in relations if r[1] in nodes and r[2] in nodes]
    pairs = layer_pairs(relations, relation_types)
    layers = []
    for first, second in combinations(relation_types, 2):
        both = sorted(pairs[first] & pairs[second])
        layers.append(
            {
                "types": [first, second],
                "both": [list(p) for p in both],
                "count": len(both),
                "jaccard": jaccard(pairs[first], pairs[second]),
            }
        )
    types_of = defaultdict(list)
    for kind in relation_types:
        for p in pairs[kind]:
            types_of[p].append(kind)
    multiplex = [
        {"pair": list(p), "types": kinds} for p, kinds in sorted(types_of.items()) if len(kinds) > 1
    ]
    return {"layers": layers, "multiplex": multiplex, "multiplex_count": len(multiplex)}


def per_actor(layers: dict, node: str) -> dict[str, dict]:
    """One actor's figures in every layer: {type: {"degree", "partners", "betweenness"}}."""
    return {
        kind: {key: layer[key][node] for key in ("degree", "partners", "betweenness")}
        for kind, layer in layers.items()
    }
