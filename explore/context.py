"""What the map, the list and the network page share: the filters from the URL, the counts
per type, and the configuration their scripts read."""

from django.db.models import Count
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext

from actors.filters import ActorFilter
from actors.models import Actor, ActorType


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
            "types": {t.value: str(t.label) for t in ActorType},
            "labels": {
                "shown": gettext("Acteurs affichés : %(n)s"),
                "error": gettext("Les données de la carte n'ont pas pu être chargées."),
                "gone": gettext("Acteur disparu"),
                **map_search_labels(),
            },
            # The home map's results, commune jump and side panel (static/js/map_*.js).
            "communesUrl": static("data/communes.json"),
            "panelUrl": reverse("actors:panel", args=["__slug__"]),
        },
    }


def map_search_labels() -> dict:
    """What the home map says beside itself: results, commune jump, around me, side panel."""
    return {
        "results": gettext("Résultats : %(n)s"),
        "resultsNone": gettext("Aucun acteur ne correspond à ces filtres."),
        "resultsMore": gettext("Voir %(n)s de plus (%(left)s restants)"),
        "communeLoading": gettext("Chargement de la liste des communes…"),
        "communeError": gettext("La liste des communes n'a pas pu être chargée."),
        "communeNone": gettext("Aucune commune ne correspond à « %(q)s »."),
        "communeCount": gettext("Communes proposées : %(n)s"),
        "communeShown": gettext("Carte centrée sur %(name)s."),
        "locating": gettext("Recherche de votre position…"),
        "locateDone": gettext("Carte centrée sur votre position."),
        "locateDenied": gettext(
            "Votre navigateur n'a pas donné votre position : autorisez la localisation "
            "pour ce site, ou cherchez une commune."
        ),
        "locateUnavailable": gettext("Votre position n'est pas disponible ; cherchez une commune."),
        "youAreHere": gettext("Vous êtes ici"),
        "panelLoading": gettext("Chargement de la fiche…"),
        "panelError": gettext("La fiche n'a pas pu être chargée."),
    }


def sortable_columns(labels: dict, sort: str) -> dict:
    """Columns a table sorts by (?tri=key, ?tri=-key reversed), for includes/sort_header.html."""
    return {
        key: {
            "key": key,
            "label": label,
            "sorted": "ascending" if sort == key else "descending" if sort == f"-{key}" else "",
        }
        for key, label in labels.items()
    }
