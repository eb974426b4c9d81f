import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt

from network import bundle as network_bundle
from relations.models import Relation, RelationType
from relations.typology import DESCRIPTIONS as RELATION_DESCRIPTIONS
from tips_map import payloads

from .filters import ActorFilter
from .models import Actor, ActorType, Lifecycle
from .typology import DEFINITIONS

PAGE_SIZE = 50
# ?tri= values of the list; each ends with the name so that ties read alphabetically.
SORTS = {
    "nom": ["sort_name"],
    "-nom": ["-sort_name"],
    "type": ["type", "sort_name"],
    "-type": ["-type", "sort_name"],
    "commune": ["commune_name", "sort_name"],
    "-commune": ["-commune_name", "sort_name"],
    "cycle": ["lifecycle", "sort_name"],
    "-cycle": ["-lifecycle", "sort_name"],
}
MAP_FIELDS = ["slug", "name", "type", "lat", "lon", "commune", "flags"]
FLAG_DISAPPEARED, FLAG_ABROAD = 1, 2


def filtered(request) -> ActorFilter:
    return ActorFilter(request.GET or None, queryset=Actor.objects.all())


def type_counts(filterset: ActorFilter) -> list[tuple[ActorType, int]]:
    """Actors per main type under every filter but the type one: what ticking a type would give."""
    counts = dict(
        filterset.without("type").qs.order_by().values_list("type").annotate(n=Count("id"))
    )
    return [(t, counts.get(t, 0)) for t in ActorType]


def explore_context(request, filterset: ActorFilter) -> dict:
    return {
        "filter": filterset,
        "type_counts": type_counts(filterset),
        "query": request.GET.urlencode(),
        "explore_config": {
            "dataUrl": reverse("actors:map_data"),
            "boundariesUrl": reverse("territories:boundaries"),
            "embedUrl": reverse("actors:embed"),
            "types": {t.value: str(t.label) for t in ActorType},
            "labels": {
                "shown": gettext("Acteurs affichés : %(n)s"),
                "error": gettext("Les données de la carte n'ont pas pu être chargées."),
                "gone": gettext("Acteur disparu"),
            },
        },
    }


def home(request):
    """The map, with the filters it shares with the list."""
    filterset = filtered(request)
    return render(request, "actors/map.html", explore_context(request, filterset))


@xframe_options_exempt
def embed(request):
    """The map alone, for other sites' iframes; the filters come from the URL."""
    filterset = filtered(request)
    return render(request, "actors/embed.html", explore_context(request, filterset))


def map_payload(filterset: ActorFilter) -> bytes:
    """Every filtered actor in one compact JSON payload: a row per actor, fields named once."""
    rows = filterset.qs.order_by("sort_name").values_list(
        "slug",
        "short_name",
        "name",
        "type",
        "latitude",
        "longitude",
        "commune_name",
        "lifecycle",
        "country",
    )
    type_index = {t: i for i, t in enumerate(ActorType.values)}
    actors = [
        [
            slug,
            short_name or name,
            type_index[actor_type],
            round(latitude, 5),
            round(longitude, 5),
            commune,
            (FLAG_DISAPPEARED if lifecycle == Lifecycle.DISPARU else 0)
            | (FLAG_ABROAD if country != "FR" else 0),
        ]
        for slug, short_name, name, actor_type, latitude, longitude, commune, lifecycle, country in rows
        if latitude is not None
    ]
    payload = {
        "fields": MAP_FIELDS,
        "types": ActorType.values,
        "counts": {t.value: n for t, n in type_counts(filterset)},
        "actors": actors,
    }
    return json.dumps(
        payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode()


@payloads.served_early
def map_data(request):
    """The map's payload, built once per query string and data version, with an ETag.

    Any validated change moves the data version: the next request in every process rebuilds.
    A client that has the payload gets a 304.
    """
    payload = payloads.current(payloads.name_of(request), lambda: map_payload(filtered(request)))
    return payloads.response(request, payload, "application/json")


def actor_list(request):
    """The filtered actors as a sortable, paginated table: the map's accessible equivalent."""
    filterset = filtered(request)
    sort = request.GET.get("tri", "nom")
    actors = (
        filterset.qs.order_by(*SORTS.get(sort, SORTS["nom"]))
        .select_related("territory")
        .only(
            "name",
            "short_name",
            "slug",
            "acronym",
            "type",
            "commune_name",
            "lifecycle",
            "scope",
            "territory__name",
            "territory__slug",
        )
    )
    page = Paginator(actors, PAGE_SIZE).get_page(request.GET.get("page"))
    context = explore_context(request, filterset)
    context.update(
        {
            "page": page,
            "sort": sort if sort in SORTS else "nom",
            "columns": [
                ("nom", _("Nom")),
                ("type", _("Type")),
                ("commune", _("Commune")),
                ("cycle", _("Cycle de vie")),
            ],
        }
    )
    return render(request, "actors/list.html", context)


def detail(request, slug):
    """An actor's card: every public field, its relations by type, and a mini-map."""
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
            "mini_map": mini_map_data(actor, relations),
            # Where the actor stands in the network: kept per data version, one query on a hit.
            "standing": network_bundle.standing(actor),
        },
    )


def mini_map_data(actor: Actor, relations: list[Relation]) -> dict:
    """The actor, its partners and one line per relation, for the card's map."""
    partners = {}
    lines = []
    for relation in relations:
        partner = relation.other(actor)
        if partner.latitude is None:
            continue
        partners[partner.slug] = partner.map_point()
        lines.append(
            {"type": relation.type, "from": relation.source.slug, "to": relation.target.slug}
        )
    return {"actor": actor.map_point(), "partners": list(partners.values()), "lines": lines}


def typology(request):
    """The report's typology of actors and relations, and what this map is."""
    actors = Actor.objects.only("name", "short_name", "slug", "report_lines")
    examples = {t: [] for t in ActorType}
    for actor in actors:
        cited = set(actor.cited_lines())
        for actor_type, definition in DEFINITIONS.items():
            if definition.examples_line in cited:
                examples[actor_type].append(actor)
    return render(
        request,
        "actors/typology.html",
        {
            "types": [(t, DEFINITIONS[t], examples[t]) for t in ActorType],
            "relation_types": [(t, RELATION_DESCRIPTIONS[t]) for t in RelationType],
        },
    )
