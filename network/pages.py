"""The network page (front-end work): the filtered ecosystem drawn as a graph, with its measures."""

from django.db.models import Q
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from actors.filters import MENU_LEVELS
from actors.views import explore_context, filtered
from relations.models import RelationType
from territories.models import LEVEL_DEPTH, Territory

from . import bundle

# Above this many nodes the page draws a concentric layout (by degree) instead of the
# force-directed one: see bench/README.md for the measured times.
LARGE_NETWORK = 500
# Measures the size of a node can show; the data endpoint computes them.
MEASURES = ["degree", "betweenness", "brokerage"]


def data_url() -> str:
    """The data endpoint's URL; /reseau/donnees.json by contract even before its route exists."""
    try:
        return reverse("network:data")
    except NoReverseMatch:
        return reverse("network:page") + "donnees.json"


def network_page(request):
    """The ecosystem as a network: the map's filters, a territory focus, a drawing, a table."""
    filterset = filtered(request)
    context = explore_context(request, filterset)
    focus = request.GET.get("focus", "")
    # Communes are thousands at a national scale (8,000 options were 0.3 s of rendering at
    # 10,000 actors): the menu offers the wider levels, and the chosen commune if any.
    territories = [
        (t.slug, "\u2003" * LEVEL_DEPTH[t.level] + t.name)
        for t in Territory.objects.filter(Q(level__in=MENU_LEVELS) | Q(slug=focus)).only(
            "slug", "name", "level", "path"
        )
    ]
    measure = request.GET.get("mesure", "degree")
    # Whether betweenness, brokerage and communities are being computed (above a few hundred
    # actors, in the background): the data request that follows reads the same bundle.
    status = bundle.current()["measures"]
    context.update(
        {
            "measures": status,
            "measures_date": bundle.parse_date(status["date"]),
            "focus": focus,
            "focus_choices": territories,
            "measure": measure if measure in MEASURES else "degree",
            "measure_choices": [
                ("degree", gettext("Degré (nombre de relations)")),
                ("betweenness", gettext("Intermédiarité")),
                ("brokerage", gettext("Courtage")),
            ],
            "network_config": {
                "dataUrl": data_url(),
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
                    "actorTypes": gettext("Type d'acteur"),
                    "relationTypes": gettext("Type de relation"),
                    "empty": gettext("Aucun acteur ne correspond à ces filtres."),
                    "title": gettext("Réseau des acteurs de l'innovation publique"),
                },
            },
        }
    )
    return render(request, "network/network.html", context)
