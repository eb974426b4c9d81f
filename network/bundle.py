"""The network data and measures of each data version, kept in the process and the shared cache.

Two parts, both plain picklable data:

- the **data** of the current version: actors, relations, degrees, territories and their counts
  and densities. Cheap (0.4 s at 10,000 actors), built by each process once per data version
  (`tips_map.models.DataVersion`: one primary-key lookup per request, moved by the database on
  any change) and kept in the process. A validated change is therefore visible on the next
  request, in every process;
- the **measures**: betweenness, brokerage, communities and the rankings of each territory's
  actors by betweenness in its own network, the brokerage roles, the layers. Costly (67 s at
  10,000 actors on a busy 2-core machine, of which brokerage roles 3 s and layers 23 s), so above
  `SYNC_LIMIT` actors no request computes them: the first request that finds the latest
  measures older than the data starts their computation in the background (a child process,
  `manage.py compute_network`, see `network.background`), under a lock in the shared cache (one
  at a time), and meanwhile every request merges the current data with the latest measures,
  dated (`bundle["measures"]`): actors measured then keep their figures, actors not measured yet
  have None ("en cours de calcul"). Up to `SYNC_LIMIT` actors (the report's 177) a request
  computes them itself, in a fraction of a second, so they are always those of the current
  data. `manage.py compute_network` computes them at once (deployment, bulk loads, cron).

The measures are defined in `network.graph`, the Gould & Fernandez brokerage roles (grouped by
actor type and by département) in `network.brokerage`, the layers per relation type and their
overlap in `network.layers`; the graph measured here is every published actor
that has not disappeared, and the relations between them. Disappeared actors keep their degree,
with a betweenness and a brokerage of 0 and the community −1.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from actors.models import Actor, ActorType, Lifecycle, data_date
from relations.models import DIRECTED_TYPES, Relation, RelationType
from territories.models import Level, Territory
from tips_map.models import DataVersion

# Never the other way: current() hands the background its work (refresh_if_stale), so that
# imports run one way (see network.background).
from . import background, layers
from .brokerage import ROLES, brokerage_by_grouping
from .graph import (
    DIGITS,
    betweenness_centrality,
    brokerage_of,
    burt_constraint,
    communities,
    density,
    pairs_of,
    ranking,
    simple_graph,
)

MEASURES_KEY = "network:measures:v3:latest"  # the latest measures, of whatever version
STATUS_KEY = "network:measures:v3:status"  # their version and date: a small read per request
# Levels that have figures and rankings (communes are too small to compare).
RANKED_LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.EPCI)
# The groupings of the brokerage roles (`groupings`): by actor type, by département.
GROUPINGS = ("type", "departement")

# Up to this many actors in the graph, a request computes the measures itself when they are
# missing; above, they are computed in the background (setting TIPS_NETWORK_SYNC_LIMIT).
# Measured (2 CPU, generated data, 3 relations per actor): 0.03 s for the report's 173 current
# actors, 0.19 s at 465, 0.66 s at 762 (exact betweenness is most of it).
SYNC_LIMIT = 500


# The data and its version -------------------------------------------------------------------


def current_key() -> str:
    """The version of the validated data the network parts are kept for. One query."""
    return DataVersion.key()


# The data: cheap, always of the current version ---------------------------------------------


def territory_of_level(path: str, level: str, by_path: dict) -> dict | None:
    """The ancestor (or self) of `path` at `level`, from the territories indexed by path."""
    codes = path.strip("/").split("/")
    for i in range(len(codes)):
        territory = by_path.get("/".join(codes[: i + 1]) + "/")
        if territory and territory["level"] == level:
            return territory
    return None


def ranked_territories(path: str, by_path: dict) -> list[str]:
    """Slugs of the régions, départements and EPCI whose path starts `path` (self included)."""
    if not path:
        return []
    codes = path.strip("/").split("/")
    found = []
    for i in range(len(codes)):
        territory = by_path.get("/".join(codes[: i + 1]) + "/")
        if territory and territory["level"] in RANKED_LEVELS:
            found.append(territory["slug"])
    return found


def build_data(version: str = "", date: str | None = None) -> dict:
    """Everything the network pages need but the costly measures, in four queries."""
    if date is None:
        date = data_date().isoformat()
    territories = {
        slug: {"slug": slug, "name": name, "level": level, "path": path}
        for slug, name, level, path in Territory.objects.order_by("path").values_list(
            "slug", "name", "level", "path"
        )
    }
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
        "founded_year",
        "ended_year",
    ):
        pk, slug, name, short_name, sort_name, kind, t_slug, t_path, commune, lifecycle = row[:10]
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
            "disappeared": lifecycle == Lifecycle.DISPARU,
            "founded": row[10],
            "ended": row[11],
        }
    rows = Relation.objects.order_by("id").values_list(
        "id", "source__slug", "target__slug", "type", "start_year", "end_year", "ended", "origin"
    )
    relations, periods, origins = [], {}, {}
    for pk, source, target, kind, start, end, ended, origin in rows:
        relations.append((pk, source, target, kind))
        periods[pk], origins[pk] = (start, end, ended), origin
    # By relation id: its (start, end, ended) and its origin, for the time control and the
    # origin filter (the relations' tuples stay the measures' shape).
    data = {"version": version, "date": date, "year": None, "periods": periods, "origins": origins}
    return assemble(data, territories, actors, relations)


def assemble(data: dict, territories: dict, actors: dict, relations: list) -> dict:
    """The network data of `actors` (those not `gone` are the graph) and `relations`: degrees,
    the territories' figures and the whole network's. `data` gives the version, the date, the
    year (None: today) and the relations' periods and origins."""
    by_path = {t["path"]: t for t in territories.values()}
    relation_types = RelationType.values
    for actor in actors.values():
        actor["degree_by_type"] = dict.fromkeys(relation_types, 0)
    # Degrees count every relation, as the card lists them; the rest is on current actors.
    for _id, source, target, kind in relations:
        actors[source]["degree_by_type"][kind] += 1
        actors[target]["degree_by_type"][kind] += 1
    for actor in actors.values():
        actor["degree"] = sum(actor["degree_by_type"].values())
        actor["isolated"] = actor["degree"] == 0
    current_slugs = [s for s, a in actors.items() if not a["gone"]]
    current = set(current_slugs)
    live = [r for r in relations if r[1] in current and r[2] in current]
    pairs = pairs_of(live)
    pairs_by_type = {t: pairs_of(r for r in live if r[3] == t) for t in relation_types}
    by_actor_type = Counter(actors[s]["type"] for s in current_slugs)
    pairs_by_actor_type = Counter(
        actors[s]["type"] for s, t in pairs if actors[s]["type"] == actors[t]["type"]
    )
    n = len(current_slugs)
    return {
        **data,
        "actors": actors,
        "relations": relations,
        "territories": territories,
        "by_path": by_path,
        "figures": territory_figures(territories, actors, current_slugs, live, by_path),
        "whole": {
            "nodes": n,
            "edges": len(pairs),
            "relations": len(live),
            "density": round(density(n, len(pairs)), DIGITS),
            "density_by_relation_type": {
                t: round(density(n, len(pairs_by_type[t])), DIGITS) for t in relation_types
            },
            "density_by_actor_type": {
                t: round(density(by_actor_type[t], pairs_by_actor_type[t]), DIGITS)
                for t in ActorType.values
            },
        },
    }


def territory_groups(territories, actors, current_slugs, live, by_path):
    """Per région, département and EPCI (in path order): its current actors, and the live
    relations involving them, in one pass over the actors and one over the relations."""
    inside = defaultdict(set)
    where = {}
    of_path = {}  # many actors share a commune
    for slug in current_slugs:
        path = actors[slug]["path"]
        if path not in of_path:
            of_path[path] = ranked_territories(path, by_path)
        where[slug] = of_path[path]
        for territory in where[slug]:
            inside[territory].add(slug)
    involving = defaultdict(list)
    for relation in live:
        ends = where[relation[1]], where[relation[2]]
        for territory in ends[0] if ends[0] is ends[1] else set(ends[0]).union(ends[1]):
            involving[territory].append(relation)
    return [(slug, inside[slug], involving[slug]) for slug in territories if slug in inside]


def territory_figures(territories, actors, current_slugs, live, by_path):
    """Per région, département and EPCI with actors: the figures of the comparison (counts and
    densities; its network's measures are in `compute_measures`)."""
    figures = {}
    actor_types, relation_types = ActorType.values, RelationType.values
    for slug, inside, involving in territory_groups(
        territories, actors, current_slugs, live, by_path
    ):
        internal = [r for r in involving if r[1] in inside and r[2] in inside]
        linked = {end for r in internal for end in r[1:3]}
        per_type = Counter(r[3] for r in involving)
        per_actor_type = Counter(actors[s]["type"] for s in inside)
        figures[slug] = {
            "actors": len(inside),
            "actors_by_type": {t: per_actor_type[t] for t in actor_types},
            "relations": len(involving),
            "relations_by_type": {t: per_type.get(t, 0) for t in relation_types},
            "internal_relations": len(internal),
            "external_links": len(involving) - len(internal),
            "density": round(density(len(inside), len(pairs_of(internal))), DIGITS),
            "collaboration_share": (
                per_type.get(RelationType.COLLABORATION, 0) / len(involving) if involving else 0.0
            ),
            "isolated": len(inside - linked),
        }
    return figures


# The measures: costly, of the latest version computed -----------------------------------------


def compute_measures(data: dict, progress=None) -> dict:
    """Betweenness, brokerage, communities and the territories' rankings of `data`.

    `progress` is called between steps (the background computation renews its lock).
    """
    progress = progress or (lambda: None)
    timings = {}
    started = clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now
        progress()

    actors = data["actors"]
    current_slugs = [s for s, a in actors.items() if not a["gone"]]
    current = set(current_slugs)
    live = [r for r in data["relations"] if r[1] in current and r[2] in current]
    graph = simple_graph(current_slugs, live)
    betweenness = betweenness_centrality(graph) if current_slugs else {}
    lap("betweenness")
    constraint = burt_constraint(graph) if graph.number_of_edges() else {}
    lap("brokerage")
    community = communities(graph)
    lap("communities")
    roles = brokerage_by_grouping(
        current_slugs, live, groupings(data, current_slugs), DIRECTED_TYPES
    )
    lap("brokerage_roles")
    by_layer = layers.layer_measures(current_slugs, live, RelationType.values)
    overlap = layers.overlap(current_slugs, live, RelationType.values)
    lap("layers")
    names = {s: a["sort_name"] for s, a in actors.items()}
    rankings = {}
    for slug, inside, involving in territory_groups(
        data["territories"], actors, current_slugs, live, data["by_path"]
    ):
        internal = [r for r in involving if r[1] in inside and r[2] in inside]
        degree = Counter(end for r in internal for end in r[1:3])
        if inside == current:  # the territory's network is the whole one (one région)
            between = betweenness
        else:
            between = betweenness_centrality(simple_graph(inside, internal))
            progress()
        between = {s: round(between.get(s, 0.0), DIGITS) for s in inside}
        degree = {s: degree[s] for s in inside}
        order = ranking(inside, between, degree, names)
        rankings[slug] = {
            "ranking": order,
            "position": {s: i for i, s in enumerate(order)},
            "betweenness": between,
            "degree": degree,
        }
    lap("rankings")
    timings["total"] = round(time.perf_counter() - started, 3)
    return {
        "version": data["version"],
        "date": data["date"],
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "timings": timings,
        "nodes": len(current_slugs),
        "edges": graph.number_of_edges(),
        "betweenness": {s: round(betweenness.get(s, 0.0), DIGITS) for s in current_slugs},
        "brokerage": brokerage_of(constraint, current_slugs),
        "community": community,
        "communities": len(set(community.values())),
        "rankings": rankings,
        # Gould & Fernandez roles, per actor and grouping ("type", "departement").
        "brokerage_roles": roles,
        # Per actor, its figures in each relation type's layer; the layers' own figures and
        # their overlap once for the whole network.
        "layers": {s: layers.per_actor(by_layer, s) for s in current_slugs},
        "layer_figures": {
            kind: {k: layer[k] for k in ("density", "edges", "relations")}
            for kind, layer in by_layer.items()
        },
        "layer_overlap": overlap,
    }


def groupings(data: dict, slugs) -> dict[str, dict]:
    """The groups of the brokerage roles: each actor's type, and the département of its
    territory (None without one: such an actor has no territorial role)."""
    actors, by_path = data["actors"], data["by_path"]
    departement_of = {}  # many actors share a commune
    for slug in slugs:
        path = actors[slug]["path"]
        if path not in departement_of:
            found = territory_of_level(path, Level.DEPARTEMENT, by_path) if path else None
            departement_of[path] = found["slug"] if found else None
    return {
        "type": {s: actors[s]["type"] for s in slugs},
        "departement": {s: departement_of[actors[s]["path"]] for s in slugs},
    }


def merge(data: dict, measured: dict | None) -> dict:
    """The bundle the pages read: the data with the measures of the latest version computed.

    Actors measured then keep their figures; actors not measured yet (new, or back from
    disappearance) have None. Disappeared actors are outside the graph: 0 and community −1.
    """
    known = measured or {
        "betweenness": {},
        "brokerage": {},
        "community": {},
        "brokerage_roles": {},
        "layers": {},
    }
    outside = outside_figures()
    actors = {}
    missing = 0
    for slug, actor in data["actors"].items():
        if actor["gone"]:
            values = (0.0, 0.0, -1, *outside)
        elif slug in known["betweenness"]:
            values = (
                known["betweenness"][slug],
                known["brokerage"][slug],
                known["community"][slug],
                known["brokerage_roles"][slug],
                known["layers"][slug],
            )
        else:
            values = (None, None, None, None, None)
            missing += 1
        actors[slug] = {
            **actor,
            "betweenness": values[0],
            "brokerage": values[1],
            "community": values[2],
            "brokerage_roles": values[3],
            "layers": values[4],
        }
    return {
        **data,
        "actors": actors,
        "rankings": measured["rankings"] if measured else {},
        "whole": {
            **data["whole"],
            "communities": measured["communities"] if measured else None,
            "layers": measured["layer_figures"] if measured else None,
            "layer_overlap": measured["layer_overlap"] if measured else None,
        },
        "measures": {
            "pending": measured is None or measured["version"] != data["version"],
            "version": measured["version"] if measured else None,
            "date": measured["date"] if measured else None,
            "computed_at": measured["computed_at"] if measured else None,
            "missing": missing,
            "unavailable": False,  # a past year's, too large to measure (network.years)
        },
    }


def outside_figures() -> tuple[dict, dict]:
    """The brokerage roles and layers' figures of an actor outside the graph: all zeros."""
    roles = {name: dict.fromkeys(ROLES, 0) for name in GROUPINGS}
    zero = {"degree": 0, "partners": 0, "betweenness": 0.0}
    return roles, {kind: dict(zero) for kind in RelationType.values}


def compute(date: str = "") -> dict:
    """The whole bundle of the current data, measures included, computed now (no cache)."""
    data = build_data(current_key(), date)
    return merge(data, compute_measures(data))


# Where the parts are kept ----------------------------------------------------------------------

# This process's latest bundle, and the data and measures it was merged from: a request on
# unchanged data reads one version number and nothing else (unpickling a bundle from the shared
# cache took 0.1 to 0.3 s at 10,000 actors).
_memo: dict = {"bundle": None, "data": None, "measured": None}


def sync_limit() -> int:
    return getattr(settings, "TIPS_NETWORK_SYNC_LIMIT", SYNC_LIMIT)


def data_for(version: str) -> dict:
    """The data of `version` (the current one): this process's, or built.

    Not shared between processes: reading 7 MB back from the shared cache and unpickling it
    (0.3 s at 10,000 actors) costs about as much as building it (0.4 s).
    """
    data = _memo["data"]
    if data is not None and data["version"] == version:
        return data
    return build_data(version)


def latest_measures() -> dict | None:
    """The latest measures computed, of whatever version (None before the first)."""
    status = cache.get(STATUS_KEY)
    if status is None:
        return None
    measured = _memo["measured"]
    if measured is not None and measured["version"] == status["version"]:
        return measured
    return cache.get(MEASURES_KEY)


def store_measures(measured: dict) -> None:
    cache.set(MEASURES_KEY, measured, None)
    cache.set(
        STATUS_KEY,
        {k: measured[k] for k in ("version", "date", "computed_at", "timings", "nodes")},
        None,
    )


def refresh(data: dict | None = None, progress=None) -> dict:
    """Computes the measures of the current data (or of `data`) now, and stores them."""
    if data is None:
        data = data_for(current_key())
    measured = compute_measures(data, progress)
    store_measures(measured)
    return measured


def refresh_if_stale(progress=None) -> dict | None:
    """Computes and stores the measures unless the latest are those of the current data: the
    background computation's work (None when there was nothing to do)."""
    latest = latest_measures()
    if latest is None or latest["version"] != current_key():
        return refresh(progress=progress)
    return None


def current() -> dict:
    """The bundle of the current data: its data always; its measures if computed, else the
    latest ones (`bundle["measures"]["pending"]`) while they are computed in the background."""
    version = current_key()
    bundle = _memo["bundle"]
    if bundle is not None and bundle["version"] == version and not bundle["measures"]["pending"]:
        return bundle
    data = data_for(version)
    measured = latest_measures()
    if measured is None or measured["version"] != version:
        if data["whole"]["nodes"] <= sync_limit():
            measured = refresh(data)
        else:
            background.schedule_refresh(refresh_if_stale)
    if (
        bundle is None
        or bundle["version"] != version
        or bundle["measures"]["version"] != (measured or {}).get("version")
    ):
        bundle = merge(data, measured)
        _memo.update(bundle=bundle, data=data, measured=measured)
    return bundle


def current_data() -> dict:
    """The data the current bundle was merged from (network.years reads it)."""
    current()
    return _memo["data"]


def clear_memo() -> None:
    """Forgets this process's bundle, and when it last tried to start a computation (tests)."""
    _memo.update(bundle=None, data=None, measured=None)
    background.clear_memo()


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
    status = bundle["measures"]
    result = {
        "degree": data["degree"],
        "degree_by_type": [(RelationType(t).label, n) for t, n in data["degree_by_type"].items()],
        "betweenness": data["betweenness"],
        "brokerage": data["brokerage"],
        "measured": data["betweenness"] is not None,
        "pending": status["pending"],
        "measures_date": parse_date(status["date"]) if status["pending"] else None,
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
        if not ranked or actor.slug not in ranked["position"]:
            continue
        result["ranks"].append(
            {
                "territory": territory,
                "rank": ranked["position"][actor.slug] + 1,
                "total": len(ranked["ranking"]),
                "betweenness": ranked["betweenness"][actor.slug],
                "level": territory["level"],
            }
        )
    return result


def parse_date(value: str | None) -> datetime.date | None:
    """A date from its ISO form, for the templates' date filters (None when empty)."""
    return datetime.date.fromisoformat(value) if value else None


def is_directed(kind: str) -> bool:
    return kind in DIRECTED_TYPES
