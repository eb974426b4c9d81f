"""An actor's card: every public field, its relations by type, its place in the network; and its
main facts as the map's side panel."""

from functools import wraps

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from actors import identifiers
from actors.linked_data import card_script
from actors.models import Actor, ActorType
from actors.typology import DEFINITIONS
from network import bundle as network_bundle
from relations.models import Relation


def relation_prefetches() -> list[Prefetch]:
    relation_qs = Relation.objects.select_related("source", "target")
    return [
        Prefetch("relations_as_source", queryset=relation_qs),
        Prefetch("relations_as_target", queryset=relation_qs),
    ]


def relations_by_type(actor: Actor) -> tuple[list[Relation], dict[str, list[dict]]]:
    """The actor's relations sorted by type then partner, and grouped under each type's label."""
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
    return relations, by_type


def merged_away(view):
    """A merged actor's card answers a permanent redirect to the actor it went into."""

    @wraps(view)
    def wrapped(request, slug):
        try:
            return view(request, slug)
        except Http404:
            absorber = Actor.objects.absorber(slug)
            if absorber is None:
                raise
            url = reverse(request.resolver_match.view_name, args=[absorber.slug])
            query = request.META.get("QUERY_STRING")
            return redirect(f"{url}?{query}" if query else url, permanent=True)

    return wrapped


@merged_away
def detail(request, slug):
    """An actor's card: every public field, its relations by type, and a mini-map."""
    actor = get_object_or_404(
        Actor.objects.select_related("parent", "territory").prefetch_related(
            "secondary_types",
            "contacts",
            Prefetch(
                "services", queryset=Actor.objects.only("name", "short_name", "slug", "parent_id")
            ),
            *relation_prefetches(),
        ),
        slug=slug,
    )
    relations, by_type = relations_by_type(actor)
    return render(
        request,
        "explore/card.html",
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
            # schema.org Organization, named by the actor's URI (actors/linked_data.py).
            "linked_data": card_script(actor),
            "identifiers": identifiers.links(actor),
        },
    )


@merged_away
def panel(request, slug):
    """The card's main facts, as an HTML fragment that the home map shows beside itself."""
    actor = get_object_or_404(Actor.objects.prefetch_related(*relation_prefetches()), slug=slug)
    _, by_type = relations_by_type(actor)
    return render(
        request,
        "explore/includes/card_panel.html",
        {"actor": actor, "relations_by_type": by_type.items()},
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
