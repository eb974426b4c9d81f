"""What the contribution form suggests as a person types in an actor field (partners, parent):
never listed in full. (Communes come from static/data/communes.json, see static/js/communes.js.)

Only public fields of published records: proposals wait in contributions until validated, and
contacts or emails are not in these tables.
"""

from django.http import JsonResponse

from actors.models import Actor, ActorType, Lifecycle
from tips_map.text import fold

SUGGESTED = 20
MIN_LENGTH = 2


def answer(results: list[dict]) -> JsonResponse:
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


def typed(request) -> str:
    return request.GET.get("q", "")[:100].strip()


def actors(request):
    """Actors matching a partner or parent field (see ActorQuerySet.suggested), the actors the
    text names first, in two queries. Each result says what picking it fills the field with
    (`value`: the usual name when it designates the actor alone, see actors.names) and how it is
    told apart (`label`: type and commune). Disappeared actors are included and flagged: a
    relation to one can be legitimate."""
    text = typed(request)
    if len(fold(text)) < MIN_LENGTH:
        return answer([])
    index = Actor.objects.name_index()
    rows = Actor.objects.suggested(text, named=index.named(text)).values_list(
        "pk", "name", "short_name", "slug", "commune_name", "type", "lifecycle"
    )[:SUGGESTED]
    labels = dict(ActorType.choices)
    results = []
    for pk, name, short_name, slug, commune, actor_type, lifecycle in rows:
        value = index.designation(pk)
        type_label = str(labels.get(actor_type, ""))
        details = ", ".join(filter(None, [type_label, commune]))
        results.append(
            {
                "value": value,
                # The usual name first, unless the field shows it already.
                "label": details if value == (short_name or name) else index.label(pk),
                "name": name,
                "short_name": short_name or name,
                "slug": slug,
                "commune": commune,
                "type_label": type_label,
                "disappeared": lifecycle == Lifecycle.DISPARU,
            }
        )
    return answer(results)
