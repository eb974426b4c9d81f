from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from actors.models import Actor, ActorType
from relations.models import Relation

from .models import Level, Territory

AURA_PATH = "84/"


def index(request):
    """The tree of territories, widest first, with the number of actors in each."""
    territories = list(Territory.objects.only("name", "slug", "level", "path", "parent_id"))
    paths = Actor.objects.exclude(territory=None).values_list("territory__path", flat=True)
    counts = dict.fromkeys((t.path for t in territories), 0)
    for path in paths:
        # Credit the actor to its commune and to every territory above it.
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth]) + "/"
            if prefix in counts:
                counts[prefix] += 1
    for territory in territories:
        territory.actor_count = counts[territory.path]
    return render(request, "territories/index.html", {"territories": territories})


def detail(request, slug):
    """A territory's ecosystem: its actors, their relations, and their partners outside it."""
    territory = get_object_or_404(Territory.objects.select_related("parent"), slug=slug)
    inside = list(
        Actor.objects.in_territory(territory).only(
            "name",
            "short_name",
            "slug",
            "type",
            "commune_name",
            "lifecycle",
            "latitude",
            "longitude",
            "sort_name",
        )
    )
    inside_ids = {a.pk for a in inside}
    relations = list(
        Relation.objects.filter(
            Q(source__territory__path__startswith=territory.path)
            | Q(target__territory__path__startswith=territory.path)
        ).select_related("source", "target")
    )
    internal, external_links = [], []
    for relation in relations:
        both_inside = relation.source_id in inside_ids and relation.target_id in inside_ids
        (internal if both_inside else external_links).append(relation)
    external = {}
    for relation in external_links:
        partner = relation.target if relation.source_id in inside_ids else relation.source
        external.setdefault(partner.pk, partner)
    counts = dict.fromkeys(ActorType, 0)
    for actor in inside:
        counts[ActorType(actor.type)] += 1
    return render(
        request,
        "territories/detail.html",
        {
            "territory": territory,
            "ancestors": territory.ancestors(),
            "children": territory.children.only("name", "slug", "level", "parent_id"),
            "actors": inside,
            "type_counts": list(counts.items()),
            "internal_relations": internal,
            "external_relations": external_links,
            "external_partners": sorted(external.values(), key=lambda a: a.sort_name),
            "map_data": {
                "boundary": territory.boundary,
                "name": territory.name,
                "points": [a.map_point(external=False) for a in inside]
                + [a.map_point(external=True) for a in external.values()],
                "lines": [
                    {"type": r.type, "from": r.source.slug, "to": r.target.slug} for r in relations
                ],
            },
        },
    )


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
