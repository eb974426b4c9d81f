"""The network data endpoint and the comparison of territories (backend work)."""

import datetime
import json

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from actors.filters import ActorFilter
from actors.models import Actor, ActorType
from relations.models import RelationType
from territories.models import Level
from tips_map import payloads

from . import bundle as network_bundle

MEASURES = ["degree", "betweenness", "brokerage"]
MAX_DEPTH = 2
NETWORK_PARAMETERS = ("focus", "ego", "profondeur")


def chosen_slugs(request) -> set[str]:
    """The actors the map's filters choose (the same ActorFilter, the same parameters)."""
    data = request.GET.copy()
    for name in NETWORK_PARAMETERS:
        data.pop(name, None)
    filterset = ActorFilter(data or None, queryset=Actor.objects.all())
    return set(filterset.qs.order_by().values_list("slug", flat=True))


def neighbours(relations) -> dict[str, set[str]]:
    links = {}
    for _id, source, target, _type in relations:
        links.setdefault(source, set()).add(target)
        links.setdefault(target, set()).add(source)
    return links


def focus_on(territory: dict, chosen: set[str], bundle: dict) -> tuple[set[str], set[str]]:
    """The chosen actors inside the territory, and the chosen actors outside linked to them."""
    actors = bundle["actors"]
    inside = {s for s in chosen if actors[s]["path"].startswith(territory["path"])}
    external = set()
    for _id, source, target, _type in bundle["relations"]:
        if source in inside and target in chosen and target not in inside:
            external.add(target)
        elif target in inside and source in chosen and source not in inside:
            external.add(source)
    return inside | external, external


def ego_network(ego: str, depth: int, chosen: set[str], bundle: dict) -> set[str]:
    """The actor, its partners (and theirs at depth 2), through the chosen actors only."""
    allowed = chosen | {ego}
    links = neighbours(r for r in bundle["relations"] if r[1] in allowed and r[2] in allowed)
    found, frontier = {ego}, {ego}
    for _step in range(depth):
        frontier = {p for s in frontier for p in links.get(s, ())} - found
        found |= frontier
    return found


def depth_of(request) -> int:
    try:
        return min(max(int(request.GET.get("profondeur", 1)), 1), MAX_DEPTH)
    except ValueError:
        return 1


def measures_status(bundle: dict) -> dict:
    """Whether betweenness, brokerage and communities are those of the current data (`pending`
    false), or of the data of `date` while the current ones are computed (actors not measured
    then have null: `missing` of them)."""
    status = bundle["measures"]
    return {"pending": status["pending"], "date": status["date"], "missing": status["missing"]}


@payloads.served_early
def network_data(request):
    """The validated network as nodes and edges, with measures: the /reseau/ page's data.

    Built once per query, data version and version of the measures, kept as gzip bytes with an
    ETag (10,000 actors: 0.13 s to build, a few milliseconds to serve).
    """
    bundle = network_bundle.current()
    focus, ego = request.GET.get("focus"), request.GET.get("ego")
    if focus and focus not in bundle["territories"]:
        raise Http404("Unknown territory")
    if ego and ego not in bundle["actors"]:
        raise Http404("Unknown actor")
    name = f"{payloads.name_of(request)}#measures={bundle['measures']['version']}"
    # The bundle is read again when building: never older than the version the bytes are kept
    # for (the data may have moved since the read above).
    payload = payloads.current(name, lambda: network_payload(request, network_bundle.current()))
    return payloads.response(request, payload, "application/json")


def network_payload(request, bundle: dict) -> bytes:
    chosen = chosen_slugs(request)
    external = set()
    focus = request.GET.get("focus")
    if focus:
        territory = bundle["territories"].get(focus)
        if territory is None:
            raise Http404("Unknown territory")
        chosen, external = focus_on(territory, chosen, bundle)
    ego = request.GET.get("ego")
    if ego:
        if ego not in bundle["actors"]:
            raise Http404("Unknown actor")
        chosen = ego_network(ego, depth_of(request), chosen, bundle)
    nodes = [
        {
            "id": slug,
            "name": a["name"],
            "type": a["type"],
            "territory": a["territory"],
            "commune": a["commune"],
            "gone": a["gone"],
            "external": slug in external,
            "degree": a["degree"],
            "degree_by_type": a["degree_by_type"],
            "betweenness": a["betweenness"],
            "brokerage": a["brokerage"],
            "community": a["community"],
            "isolated": a["isolated"],
        }
        for slug, a in bundle["actors"].items()  # in name order
        if slug in chosen
    ]
    edges = [
        {
            "id": pk,
            "source": source,
            "target": target,
            "type": kind,
            "directed": network_bundle.is_directed(kind),
        }
        for pk, source, target, kind in bundle["relations"]
        if source in chosen and target in chosen
    ]
    payload = {
        "date": bundle["date"],
        "measures": MEASURES,
        "measures_status": measures_status(bundle),
        "nodes": nodes,
        "edges": edges,
        "counts": {"nodes": len(nodes), "edges": len(edges)},
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


# Comparison of territories -------------------------------------------------------------------

SORT_KEYS = {
    "nom": lambda row: (row["path"],),
    "acteurs": lambda row: (row["actors"],),
    "relations": lambda row: (row["relations"],),
    "densite": lambda row: (row["density"],),
    "collaboration": lambda row: (row["collaboration_share"],),
    "liens": lambda row: (row["external_links"],),
}
SORT_LABELS = {
    "nom": _("Territoire"),
    "acteurs": _("Acteurs"),
    "relations": _("Relations"),
    "densite": _("Densité"),
    "collaboration": _("Part de collaboration"),
    "liens": _("Liens vers d'autres territoires"),
}


def default_region(bundle: dict) -> str:
    """The région with the most actors (Auvergne-Rhône-Alpes with the report's data)."""
    candidates = [
        (figures["actors"], slug)
        for slug, figures in bundle["figures"].items()
        if bundle["territories"][slug]["level"] == Level.REGION
    ]
    return max(candidates)[1] if candidates else ""


def compare(request):
    """The région, its départements and EPCI with actors, side by side (report, section 3.2)."""
    bundle = network_bundle.current()
    region_slug = request.GET.get("region") or default_region(bundle)
    region = bundle["territories"].get(region_slug)
    if region_slug and (region is None or region["level"] != Level.REGION):
        raise Http404("Unknown region")
    sort = request.GET.get("tri", "nom")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "nom"
    rows = []
    for slug, figures in bundle["figures"].items():
        territory = bundle["territories"][slug]
        if region is None or not territory["path"].startswith(region["path"]):
            continue
        rows.append(
            {
                **figures,
                "slug": slug,
                "name": territory["name"],
                "level": Level(territory["level"]).label,
                "level_key": territory["level"],
                "path": territory["path"],
                "actors_by_type": [figures["actors_by_type"][t] for t in ActorType.values],
                "relations_by_type": [figures["relations_by_type"][t] for t in RelationType.values],
                "collaboration_percent": 100 * figures["collaboration_share"],
            }
        )
    key = SORT_KEYS[sort.lstrip("-")]
    rows.sort(key=lambda row: (*key(row), row["path"]), reverse=sort.startswith("-"))
    columns = {
        k: {
            "key": k,
            "label": label,
            "sorted": "ascending" if sort == k else "descending" if sort == f"-{k}" else "",
        }
        for k, label in SORT_LABELS.items()
    }
    regions = [
        t
        for s, t in bundle["territories"].items()
        if t["level"] == Level.REGION and s in bundle["figures"]
    ]
    return render(
        request,
        "network/compare.html",
        {
            "rows": rows,
            "region": region,
            "regions": regions,
            "sort": sort,
            "columns": columns,
            "actor_types": list(ActorType),
            "relation_types": list(RelationType),
            "date": datetime.date.fromisoformat(bundle["date"]) if bundle["date"] else None,
            "whole": bundle["whole"],
            "measures": bundle["measures"],
            "measures_date": network_bundle.parse_date(bundle["measures"]["date"]),
        },
    )
