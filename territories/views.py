from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from actors.models import Actor, ActorType

from .models import Level, Territory


def index(request):
    """The tree of territories, widest first."""
    territories = Territory.objects.only("name", "slug", "level", "path", "parent_id")
    return render(request, "territories/index.html", {"territories": territories})


def detail(request, slug):
    territory = get_object_or_404(Territory.objects.select_related("parent"), slug=slug)
    actors = Actor.objects.in_territory(territory).only(
        "name", "short_name", "slug", "type", "commune_name", "lifecycle"
    )
    counts = dict(actors.values_list("type").annotate(n=Count("id")).order_by())
    return render(
        request,
        "territories/detail.html",
        {
            "territory": territory,
            "ancestors": territory.ancestors(),
            "children": territory.children.only("name", "slug", "level", "parent_id"),
            "actors": actors,
            "type_counts": [(t, counts.get(t, 0)) for t in ActorType],
            "is_commune": territory.level == Level.COMMUNE,
        },
    )
