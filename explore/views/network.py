"""The network page: the filtered ecosystem drawn as a graph, with its measures, and the
data it draws (nodes and edges, a territory's focus, an actor's ego network).

One territory control: the shared filter "Territoire" chooses the actors, as on the map and
the list; the page's option ?exterieurs=on adds their partners outside the territory, drawn
as the report draws them ("Acteur extérieur au territoire"). That is a territory's focus,
which the data also take as ?focus=<territory> (its older spelling, kept for links)."""

import json

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from actors.filters import ActorFilter
from actors.models import Actor
from network import bundle as network_bundle
from network import years as network_years
from relations.models import RelationType
from tips_map import payloads

from ..context import explore_context, filtered
from .maps import InvalidFilters

# Above this many nodes the page draws a concentric layout (by degree) instead of the
# force-directed one: see bench/README.md for the measured times.
LARGE_NETWORK = 500
# Measures the size of a node can show.
MEASURES = ["degree", "betweenness", "brokerage"]
MAX_DEPTH = 2  # of an ego network
# The page's own parameters, beside the map's filters.
NETWORK_PARAMETERS = ("focus", "exterieurs", "ego", "profondeur", "isoles", "mesure", "couche")


def focus_of(request) -> str:
    """The territory whose external partners are drawn too: ?territoire=<slug>&exterieurs=on,
    or ?focus=<slug>; none otherwise."""
    if request.GET.get("exterieurs") == "on" and request.GET.get("territoire"):
        return request.GET["territoire"]
    return request.GET.get("focus", "")


def actor_filters(request) -> ActorFilter:
    """The map's filters (the same ActorFilter, the same parameters); in a territory's focus,
    every filter but the territory (the partners outside it)."""
    data = request.GET.copy()
    for name in NETWORK_PARAMETERS:
        data.pop(name, None)
    if request.GET.get("exterieurs") == "on":
        data.pop("territoire", None)
    return ActorFilter(data or None, queryset=Actor.objects.all())


def valid_query(request) -> tuple[ActorFilter, str]:
    """The filters (?annee=, ?origine=… read by the ActorFilter as on the map) and the layer
    (?couche=<relation type>: that layer's relations and measures only, "" for all);
    InvalidFilters names what cannot be read. Checked while building, as the map's."""
    filterset = actor_filters(request)
    errors = dict(filterset.errors) if filterset.is_bound and not filterset.is_valid() else {}
    layer = request.GET.get("couche", "")
    if layer not in ("", *RelationType.values):
        errors["couche"] = [
            gettext("« %(value)s » n'est pas un type de relation : %(choices)s.")
            % {"value": layer, "choices": ", ".join(RelationType.values)}
        ]
    if errors:
        raise InvalidFilters(errors)
    return filterset, layer


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


def of_layer(actor: dict, layer: str) -> dict:
    """An actor's degree and betweenness: in the whole network, or in one layer (its relations
    of one type, network.layers) when ?couche= chooses it."""
    if not layer:
        return {"degree": actor["degree"], "betweenness": actor["betweenness"]}
    figures = (actor.get("layers") or {}).get(layer) or {}
    return {"degree": actor["degree_by_type"][layer], "betweenness": figures.get("betweenness")}


def measures_status(bundle: dict) -> dict:
    """Whether betweenness, brokerage and communities are those of the current data (`pending`
    false), or of the data of `date` while the current ones are computed (actors not measured
    then have null: `missing` of them)."""
    status = bundle["measures"]
    return {
        "pending": status["pending"],
        "date": status["date"],
        "missing": status["missing"],
        "unavailable": status["unavailable"],
    }


@payloads.served_early
def network_data(request):
    """The validated network as nodes and edges, with measures: the /reseau/ page's data.

    Built once per query, data version and version of the measures, kept as gzip bytes with an
    ETag (10,000 actors: 0.13 s to build, a few milliseconds to serve).
    """
    bundle = network_bundle.current()
    focus, ego = focus_of(request), request.GET.get("ego")
    if focus and focus not in bundle["territories"]:
        raise Http404("Unknown territory")
    if ego and ego not in bundle["actors"]:
        raise Http404("Unknown actor")
    name = f"{payloads.name_of(request)}#measures={bundle['measures']['version']}"
    # The bundle is read again when building: never older than the version the bytes are kept
    # for (the data may have moved since the read above).
    # A past year's bundle (?annee=) is cut from the same data version, with its own measures.
    try:
        payload = payloads.current(name, lambda: network_payload(request))
    except InvalidFilters as invalid:
        return invalid.response()
    return payloads.response(request, payload, "application/json")


def network_payload(request) -> bytes:
    filterset, layer = valid_query(request)
    bundle = network_years.in_year(filterset.year())
    chosen = set(filterset.qs.order_by().values_list("slug", flat=True))
    external = set()
    focus = focus_of(request)
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
    origins = set(filterset.chosen("origine") or ())
    periods, of_origin = bundle["periods"], bundle["origins"]
    nodes = [
        {
            "id": slug,
            "name": a["name"],
            "type": a["type"],
            "territory": a["territory"],
            "commune": a["commune"],
            "gone": a["gone"],
            "external": slug in external,
            **of_layer(a, layer),
            "degree_by_type": a["degree_by_type"],
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
            "origin": of_origin[pk],
            "start": periods[pk][0],
            "end": periods[pk][1],
        }
        for pk, source, target, kind in bundle["relations"]
        if source in chosen
        and target in chosen
        and (not layer or kind == layer)
        and (not origins or of_origin[pk] in origins)
    ]
    payload = {
        "date": bundle["date"],
        "year": bundle["year"],
        "layer": layer,
        "measures": MEASURES,
        "measures_status": measures_status(bundle),
        "nodes": nodes,
        "edges": edges,
        "counts": {"nodes": len(nodes), "edges": len(edges)},
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def older_focus(request) -> HttpResponseRedirect | None:
    """/reseau/?focus=<territory>, the page's older territory menu, as the filter "Territoire"
    with its partners outside: the same drawing under today's parameters."""
    focus = request.GET.get("focus")
    if focus is None:
        return None
    query = request.GET.copy()
    del query["focus"]
    if focus:
        query["territoire"] = focus
        query["exterieurs"] = "on"
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def network_page(request):
    """The ecosystem as a network: the map's filters, a territory focus, a drawing, a table."""
    redirect = older_focus(request)
    if redirect:
        return redirect
    filterset = filtered(request)
    context = explore_context(request, filterset)
    measure = request.GET.get("mesure", "degree")
    # Whether betweenness, brokerage and communities are being computed (above a few hundred
    # actors, in the background): the data request that follows reads the same bundle.
    status = network_bundle.current()["measures"]
    context.update(
        {
            "measures": status,
            "measures_date": network_bundle.parse_date(status["date"]),
            "externals": request.GET.get("exterieurs") == "on",
            "isolated_shown": request.GET.get("isoles") == "on",
            "measure": measure if measure in MEASURES else "degree",
            "measure_choices": [
                ("degree", gettext("Degré (nombre de relations)")),
                ("betweenness", gettext("Intermédiarité")),
                ("brokerage", gettext("Courtage")),
            ],
            "network_config": {
                "dataUrl": reverse("network:data"),
                "largeNetwork": LARGE_NETWORK,
                "types": context["explore_config"]["types"],
                "relations": {t.value: str(t.label) for t in RelationType},
                "labels": {
                    "shown": gettext("Acteurs : %(nodes)s, relations : %(edges)s"),
                    "error": gettext("Les données du réseau n'ont pas pu être chargées."),
                    "loading": gettext("Calcul du dessin…"),
                    "date": gettext("Données au %(date)s"),
                    "external": gettext("Acteur extérieur au territoire"),
                    "gone": gettext("Acteur disparu"),
                    "card": gettext("Voir la fiche"),
                    "degree": gettext("Relations"),
                    "betweenness": gettext("Intermédiarité"),
                    "brokerage": gettext("Courtage"),
                    "community": gettext("Communauté"),
                    "commune": gettext("Commune"),
                    "type": gettext("Type"),
                    "isolated": gettext("Sans relation dans cette sélection"),
                    "isolatedHidden": gettext("Acteurs sans relation masqués : %(n)s"),
                    "isolatedShown": gettext("Acteurs sans relation montrés : %(n)s"),
                    "actorTypes": gettext("Type d'acteur"),
                    "relationTypes": gettext("Type de relation"),
                    "empty": gettext("Aucun acteur ne correspond à ces filtres."),
                    "title": gettext("Réseau des acteurs de l'innovation publique"),
                },
            },
        }
    )
    return render(request, "explore/network.html", context)
