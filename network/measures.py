"""Network measures of the validated ecosystem, computed with networkx and cached.

The graph is computed once per version of the data, not on every request: `current()` reads a
cheap version of the data (one query: latest history date and id of the actors',
relations' and territories' historical tables, plus the latest live ids) and looks the bundle up in
Django's cache (a database table shared by every process by default). Any validated change
writes a historical row, so it moves the version and the next call recomputes.

Definitions (written out in French on the comparison page and on the card):

- graph: every published actor that has not disappeared, and the relations between them, as an
  undirected simple graph (two actors linked by several relations are one edge) for betweenness,
  brokerage and communities;
- degree: number of relations of the actor (each relation counts, whatever its type; the sum of
  `degree_by_type`); `isolated` when it is 0;
- betweenness: networkx `betweenness_centrality`, normalised, on the undirected simple graph
  (estimated from 256 sampled sources, fixed seed, above 1,000 actors);
- brokerage: 1 − Burt's constraint (networkx `constraint`, unweighted), floored at 0: close to 1
  for an actor whose partners are not linked to each other (it bridges otherwise separate
  groups), 0 for an actor with a single partner or whose partners all know each other (the
  constraint can exceed 1 in small dense groups), 0 for an isolated actor;
- community: networkx `louvain_communities` with a fixed seed on nodes inserted in slug order
  (deterministic), numbered by decreasing size then by the first slug; −1 for disappeared actors;
- density: edges of the simple graph / possible pairs, n(n−1)/2.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx
from django.core.cache import cache
from django.db import connection
from django.utils.dateparse import parse_datetime

from actors.models import Actor, ActorType, Lifecycle
from relations.models import DIRECTED_TYPES, Relation, RelationType
from territories.models import Level, Territory

CACHE_PREFIX = "network:measures:v1:"
CACHE_TIMEOUT = 60 * 60 * 24 * 7  # a week; a data change moves the key long before
LOUVAIN_SEED = 2023
# Levels that have figures and rankings (communes are too small to compare).
RANKED_LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.EPCI)
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

    def ranking(self, names: dict[str, str]) -> list[str]:
        """Slugs from the most central: betweenness, then degree, then name."""
        return sorted(
            self.nodes,
            key=lambda s: (-self.betweenness[s], -self.degree[s], names.get(s, s), s),
        )


def density(n: int, edges: int) -> float:
    return 2 * edges / (n * (n - 1)) if n > 1 else 0.0


def simple_graph(nodes, relations) -> nx.Graph:
    """Undirected simple graph; nodes inserted in sorted order so results are reproducible."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted({tuple(sorted((s, t))) for _id, s, t, _type in relations}))
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


def measure(nodes, relations, with_communities: bool = True) -> GraphMeasures:
    """Measures of the graph of `nodes` (slugs) and the `relations` among them.

    `relations` are (id, source slug, target slug, type) tuples; those with an end outside
    `nodes` are ignored, so any subgraph (a territory's) is measured by passing its nodes.
    """
    nodes = set(nodes)
    relations = [r for r in relations if r[1] in nodes and r[2] in nodes]
    graph = simple_graph(nodes, relations)
    by_type = {n: dict.fromkeys(RelationType.values, 0) for n in nodes}
    pairs_by_type = defaultdict(set)
    for _id, source, target, kind in relations:
        by_type[source][kind] += 1
        by_type[target][kind] += 1
        pairs_by_type[kind].add(tuple(sorted((source, target))))
    betweenness = betweenness_centrality(graph) if nodes else {}
    constraint = nx.constraint(graph) if graph.number_of_edges() else {}
    brokerage = {}
    for node in nodes:
        value = constraint.get(node)
        unmeasured = value is None or value != value  # isolated: networkx gives NaN
        brokerage[node] = 0.0 if unmeasured else round(max(0.0, 1 - value), DIGITS)
    return GraphMeasures(
        nodes=sorted(nodes),
        degree={n: sum(by_type[n].values()) for n in nodes},
        degree_by_type=by_type,
        betweenness={n: round(betweenness.get(n, 0.0), DIGITS) for n in nodes},
        brokerage=brokerage,
        community=communities(graph) if with_communities else {},
        density=round(density(len(nodes), graph.number_of_edges()), DIGITS),
        density_by_relation_type={
            t: round(density(len(nodes), len(pairs_by_type[t])), DIGITS)
            for t in RelationType.values
        },
        edges=graph.number_of_edges(),
        relations=len(relations),
    )


# The data and its version -------------------------------------------------------------------


def data_version() -> tuple:
    """(latest history date, latest history id) of actors, relations and territories, and the
    latest ids of actors and relations: one query of index lookups, as cheap at 50,000 actors as
    at 100 (counting rows was 10 ms per request at 10,000).

    Every change made through the ORM writes a historical row (deletions too), which moves a
    history id; rows inserted in bulk without history (generate_data) move a live id.
    """
    with connection.cursor() as cursor:
        cursor.execute(data_version_sql())
        row = cursor.fetchone()
    return tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row)


@functools.cache
def data_version_sql() -> str:
    # Built once: reaching a model's history manager costs a third of a millisecond each time.
    tables = [
        Actor.history.model._meta.db_table,
        Relation.history.model._meta.db_table,
        Territory.history.model._meta.db_table,
    ]
    q = connection.ops.quote_name
    parts = []
    for table in tables:
        parts.append(f"(SELECT MAX(history_date) FROM {q(table)})")
        parts.append(f"(SELECT MAX(history_id) FROM {q(table)})")
    parts.append(f"(SELECT MAX(id) FROM {q(Actor._meta.db_table)})")
    parts.append(f"(SELECT MAX(id) FROM {q(Relation._meta.db_table)})")
    return "SELECT " + ", ".join(parts)


def version_string(version: tuple) -> str:
    return "|".join(str(v) for v in version).replace(" ", "_")


def data_version_key() -> str:
    """The current data version as a string, for the key of any cache of validated data.

    One query; used by the measures below and by the map's payload (actors.views.map_data).
    """
    return version_string(data_version())


def cache_key(version: tuple) -> str:
    return CACHE_PREFIX + version_string(version)


def data_date(version: tuple) -> str:
    """ISO date of the latest validated change of actors or relations."""
    dates = [v for v in (version[0], version[2]) if v]
    if not dates:
        return ""
    latest = max(parse_datetime(str(d)) or str(d) for d in dates)
    return latest.date().isoformat() if hasattr(latest, "date") else str(latest)[:10]


def current() -> dict:
    """The measures bundle of the current data: from the cache, computed on a miss."""
    version = data_version()
    key = cache_key(version)
    bundle = cache.get(key)
    if bundle is None:
        bundle = compute(data_date(version))
        cache.set(key, bundle, CACHE_TIMEOUT)
    return bundle


# The bundle ---------------------------------------------------------------------------------


def territory_of_level(path: str, level: str, by_path: dict) -> dict | None:
    """The ancestor (or self) of `path` at `level`, from the territories indexed by path."""
    codes = path.strip("/").split("/")
    for i in range(len(codes)):
        territory = by_path.get("/".join(codes[: i + 1]) + "/")
        if territory and territory["level"] == level:
            return territory
    return None


def compute(date: str = "") -> dict:
    """Everything the network pages need, in three queries: plain data, picklable."""
    territories = {
        slug: {"slug": slug, "name": name, "level": level, "path": path}
        for slug, name, level, path in Territory.objects.order_by("path").values_list(
            "slug", "name", "level", "path"
        )
    }
    by_path = {t["path"]: t for t in territories.values()}
    actors = {}
    for row in Actor.objects.order_by("sort_name").values_list(
        "id",
        "slug",
        "name",
        "short_name",
        "sort_name",
        "type",
        "territory__slug",
        "territory__path",
        "commune_name",
        "lifecycle",
    ):
        pk, slug, name, short_name, sort_name, kind, t_slug, t_path, commune, lifecycle = row
        actors[slug] = {
            "pk": pk,
            "slug": slug,
            "name": short_name or name,
            "sort_name": sort_name,
            "type": kind,
            "territory": t_slug or "",
            "path": t_path or "",
            "commune": commune,
            "gone": lifecycle == Lifecycle.DISPARU,
        }
    relations = [
        (pk, source, target, kind)
        for pk, source, target, kind in Relation.objects.order_by("id").values_list(
            "id", "source__slug", "target__slug", "type"
        )
    ]

    # Degrees count every relation, as the card lists them; the rest is on current actors.
    degree_by_type = {s: dict.fromkeys(RelationType.values, 0) for s in actors}
    for _id, source, target, kind in relations:
        degree_by_type[source][kind] += 1
        degree_by_type[target][kind] += 1
    current_slugs = [s for s, a in actors.items() if not a["gone"]]
    whole = measure(current_slugs, relations)
    for slug, actor in actors.items():
        actor["degree_by_type"] = degree_by_type[slug]
        actor["degree"] = sum(degree_by_type[slug].values())
        actor["isolated"] = actor["degree"] == 0
        actor["betweenness"] = whole.betweenness.get(slug, 0.0)
        actor["brokerage"] = whole.brokerage.get(slug, 0.0)
        actor["community"] = whole.community.get(slug, -1)

    names = {s: a["sort_name"] for s, a in actors.items()}
    figures, rankings = territory_figures(territories, actors, current_slugs, relations, names)
    return {
        "date": date,
        "actors": actors,
        "relations": relations,
        "territories": territories,
        "figures": figures,
        "rankings": rankings,
        "whole": {
            "nodes": len(whole.nodes),
            "edges": whole.edges,
            "relations": whole.relations,
            "density": whole.density,
            "density_by_relation_type": whole.density_by_relation_type,
            "density_by_actor_type": {
                t: measure(
                    [s for s in current_slugs if actors[s]["type"] == t],
                    relations,
                    with_communities=False,
                ).density
                for t in ActorType.values
            },
            "communities": len(set(whole.community.values())),
        },
        "by_path": by_path,
    }


def territory_figures(territories, actors, current_slugs, relations, names):
    """Per région, département and EPCI with actors: figures for the comparison, and rankings."""
    current = set(current_slugs)
    live = [r for r in relations if r[1] in current and r[2] in current]
    figures, rankings = {}, {}
    for slug, territory in territories.items():
        if territory["level"] not in RANKED_LEVELS:
            continue
        inside = {s for s in current if actors[s]["path"].startswith(territory["path"])}
        if not inside:
            continue
        sub = measure(inside, live, with_communities=False)
        involving = [r for r in live if r[1] in inside or r[2] in inside]
        internal = [r for r in involving if r[1] in inside and r[2] in inside]
        per_type = Counter(r[3] for r in involving)
        figures[slug] = {
            "actors": len(inside),
            "actors_by_type": {
                t: sum(1 for s in inside if actors[s]["type"] == t) for t in ActorType.values
            },
            "relations": len(involving),
            "relations_by_type": {t: per_type.get(t, 0) for t in RelationType.values},
            "internal_relations": len(internal),
            "external_links": len(involving) - len(internal),
            "density": sub.density,
            "collaboration_share": (
                per_type.get(RelationType.COLLABORATION, 0) / len(involving) if involving else 0.0
            ),
            "isolated": sum(1 for s in inside if sub.degree[s] == 0),
        }
        rankings[slug] = {
            "ranking": sub.ranking(names),
            "betweenness": sub.betweenness,
            "degree": sub.degree,
        }
    return figures, rankings


# Readers ------------------------------------------------------------------------------------


def standing(actor, bundle: dict | None = None) -> dict | None:
    """Where the actor stands: its rank by centrality in its EPCI (or département) and région.

    The rank is by betweenness in the territory's own network (its actors and the relations
    among them), then degree, then name. None for an actor outside the measured graph.
    """
    bundle = bundle or current()
    data = bundle["actors"].get(actor.slug)
    if data is None:
        return None
    result = {
        "degree": data["degree"],
        "degree_by_type": [(RelationType(t).label, n) for t, n in data["degree_by_type"].items()],
        "betweenness": data["betweenness"],
        "brokerage": data["brokerage"],
        "isolated": data["isolated"],
        "gone": data["gone"],
        "ranks": [],
    }
    if data["gone"] or not data["path"]:
        return result
    by_path = bundle["by_path"]
    local = territory_of_level(data["path"], Level.EPCI, by_path) or territory_of_level(
        data["path"], Level.DEPARTEMENT, by_path
    )
    region = territory_of_level(data["path"], Level.REGION, by_path)
    for territory in filter(None, [local, region]):
        ranked = bundle["rankings"].get(territory["slug"])
        if not ranked or actor.slug not in ranked["ranking"]:
            continue
        result["ranks"].append(
            {
                "territory": territory,
                "rank": ranked["ranking"].index(actor.slug) + 1,
                "total": len(ranked["ranking"]),
                "betweenness": ranked["betweenness"][actor.slug],
                "level": territory["level"],
            }
        )
    return result


def is_directed(kind: str) -> bool:
    return kind in DIRECTED_TYPES
