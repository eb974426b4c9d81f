from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from relations.models import Relation

from .models import Actor, ActorType, Lifecycle
from .typology import DEFINITIONS


def home(request):
    """The actors grouped by type, with counts: the ecosystem at a glance."""
    actors = (
        Actor.objects.visible()
        .select_related("territory")
        .only(
            "name",
            "short_name",
            "slug",
            "acronym",
            "type",
            "commune_name",
            "lifecycle",
            "territory__name",
        )
    )
    groups = {t: [] for t in ActorType}
    for actor in actors:
        groups[ActorType(actor.type)].append(actor)
    disappeared = Actor.objects.filter(lifecycle=Lifecycle.DISPARU).count()
    return render(
        request,
        "actors/home.html",
        {
            "groups": [(t, DEFINITIONS[t], members) for t, members in groups.items()],
            "total": sum(len(members) for members in groups.values()),
            "disappeared": disappeared,
            "relation_count": Relation.objects.count(),
        },
    )


def detail(request, slug):
    """An actor's card: every public field and its relations grouped by type."""
    relation_qs = Relation.objects.select_related("source", "target")
    actor = get_object_or_404(
        Actor.objects.select_related("parent", "territory").prefetch_related(
            "secondary_types",
            "contacts",
            Prefetch(
                "services", queryset=Actor.objects.only("name", "short_name", "slug", "parent_id")
            ),
            Prefetch("relations_as_source", queryset=relation_qs),
            Prefetch("relations_as_target", queryset=relation_qs),
        ),
        slug=slug,
    )
    relations = sorted(
        [*actor.relations_as_source.all(), *actor.relations_as_target.all()],
        key=lambda r: (r.type, r.other(actor).sort_name),
    )
    by_type = {}
    for relation in relations:
        by_type.setdefault(relation.get_type_display(), []).append(
            {
                "relation": relation,
                "partner": relation.other(actor),
                "provides": relation.is_directed and relation.source_id == actor.pk,
            }
        )
    return render(
        request,
        "actors/detail.html",
        {
            "actor": actor,
            "definition": DEFINITIONS[ActorType(actor.type)],
            "relations_by_type": by_type.items(),
            "territories": actor.territory.ancestors() + [actor.territory]
            if actor.territory
            else [],
        },
    )
