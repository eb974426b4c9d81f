"""The territories: their tree, each one's ecosystem, and the outlines the maps draw."""

from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from actors.models import Actor, ActorType
from relations.models import Relation
from territories.models import Level, Territory
from tips_map import payloads

AURA_PATH = "84/"


def index(request):
    """The tree of territories above the communes, widest first, with their numbers of actors.

    Communes (35,000 in France) are listed on their intercommunalité's or département's page.
    """
    territories = list(
        Territory.objects.exclude(level=Level.COMMUNE).only(
            "name", "slug", "level", "path", "parent_id"
        )
    )
    per_path = (
        Actor.objects.exclude(territory=None)
        .values_list("territory__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys((t.path for t in territories), 0)
    for path, n in per_path:
        # Credit the actors to every territory above their own.
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth]) + "/"
            if prefix in counts:
                counts[prefix] += n
    for territory in territories:
        territory.actor_count = counts[territory.path]
    return render(request, "explore/territories.html", {"territories": territories})


# A territory page lists this many actors, relations and partners at most, and links to the
# list and the map for the rest: a région of a national map holds thousands.
LISTED = 50
# The mini-map draws the territory's actors and relations up to these numbers; beyond, the
# page points to the main map filtered by the territory.
MAP_POINTS, MAP_LINES = 600, 1200
LISTED_FIELDS = ["name", "short_name", "slug", "type", "commune_name", "lifecycle", "sort_name"]
RELATION_ENDS = [
    f"{end}__{f}" for end in ("source", "target") for f in ("name", "short_name", "slug")
]


def detail(request, slug):
    """A territory's ecosystem: its actors, their relations, and their partners outside it."""
    territory = get_object_or_404(Territory.objects.select_related("parent"), slug=slug)
    summary = payloads.computed(f"territory:{territory.pk}", lambda: summarize(territory))
    relations = (
        Relation.objects.select_related("source", "target")
        .only("type", "source_id", "target_id", *RELATION_ENDS)
        .in_bulk(summary["internal_relations"] + summary["external_relations"])
    )
    actors = Actor.objects.only(*LISTED_FIELDS).in_bulk(
        summary["actors"] + summary["external_partners"]
    )
    return render(
        request,
        "explore/territory.html",
        {
            **summary,
            **{
                key: [objects[pk] for pk in summary[key] if pk in objects]
                for key, objects in [
                    ("actors", actors),
                    ("external_partners", actors),
                    ("internal_relations", relations),
                    ("external_relations", relations),
                ]
            },
            "territory": territory,
            "ancestors": territory.ancestors(),
            "children": territory.children.only("name", "slug", "level", "parent_id"),
            "type_counts": [(ActorType(t), n) for t, n in summary["type_counts"]],
            "listed": LISTED,
        },
    )


def summarize(territory: Territory) -> dict:
    """What a territory page shows, as plain data kept for the data version: the counts, the
    ids of the first actors, relations and partners of each list, and the mini-map's points.

    A région of a national map holds thousands of actors and relations: they are read as rows,
    not model instances (1,400 actors and 8,000 relations: 140 ms), once per data version.
    """
    columns = ["id", "sort_name", *Actor.POINT_FIELDS]
    inside = list(Actor.objects.in_territory(territory).order_by("sort_name").values(*columns))
    inside_ids = {a["id"] for a in inside}
    # By ids, not by joined paths: the two foreign-key indexes answer (40 ms → 5 at 10,000).
    links = list(
        Relation.objects.filter(Q(source_id__in=inside_ids) | Q(target_id__in=inside_ids))
        .values_list("id", "source_id", "target_id", "type")
        .order_by()
    )
    internal = [r for r in links if r[1] in inside_ids and r[2] in inside_ids]
    external = [r for r in links if not (r[1] in inside_ids and r[2] in inside_ids)]
    partner_ids = {end for r in external for end in r[1:3] if end not in inside_ids}
    partners = list(Actor.objects.filter(pk__in=partner_ids).order_by("sort_name").values(*columns))
    by_id = {a["id"]: a for a in inside + partners}

    def first(relations):
        key = lambda r: (by_id[r[1]]["sort_name"], by_id[r[2]]["sort_name"], r[3])  # noqa: E731
        return [r[0] for r in sorted(relations, key=key)[:LISTED]]

    counts = dict.fromkeys(ActorType.values, 0)
    for actor in inside:
        counts[actor["type"]] += 1
    drawn = len(by_id) <= MAP_POINTS and len(links) <= MAP_LINES
    return {
        "actors": [a["id"] for a in inside[:LISTED]],
        "actor_count": len(inside),
        "type_counts": list(counts.items()),
        "internal_relations": first(internal),
        "internal_count": len(internal),
        "external_relations": first(external),
        "external_count": len(external),
        "external_partners": [a["id"] for a in partners[:LISTED]],
        "partner_count": len(partners),
        "map_drawn": drawn,
        "map_data": {
            "boundary": territory.boundary,
            "name": territory.name,
            "points": [Actor.point(a, external=False) for a in inside]
            + [Actor.point(a, external=True) for a in partners]
            if drawn
            else [],
            "lines": [
                {"type": kind, "from": by_id[s]["slug"], "to": by_id[t]["slug"]}
                for _id, s, t, kind in links
            ]
            if drawn
            else [],
        },
    }


def boundaries(request):
    """GeoJSON outlines of one level of territories (départements of the region by default)."""
    level = request.GET.get("niveau", Level.DEPARTEMENT)
    if level not in Level.values:
        raise Http404("Unknown level")
    territories = Territory.objects.filter(level=level).exclude(boundary=None)
    if level != Level.REGION:
        territories = territories.filter(path__startswith=AURA_PATH)
    features = [
        {
            "type": "Feature",
            "geometry": t.boundary,
            "properties": {"name": t.name, "slug": t.slug, "code": t.code, "level": t.level},
        }
        for t in territories.only("name", "slug", "code", "level", "boundary")
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
