"""The report's typology of actors and relations."""

from django.shortcuts import render

from actors.models import Actor, ActorType
from actors.typology import DEFINITIONS
from relations.models import RelationType
from relations.typology import DESCRIPTIONS as RELATION_DESCRIPTIONS


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
        "explore/typology.html",
        {
            "types": [(t, DEFINITIONS[t], examples[t]) for t in ActorType],
            "relation_types": [(t, RELATION_DESCRIPTIONS[t]) for t in RelationType],
        },
    )
