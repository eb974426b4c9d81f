"""The territories side by side (report, section 3.2): counts, densities, relation mix, drawn as
bars beside the tables that stay their accessible equivalent."""

import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from actors.models import ActorType
from network import bundle as network_bundle
from relations.models import RelationType
from territories.models import Level

from ..context import sortable_columns

SORT_KEYS = {
    "nom": lambda row: (row["path"],),
    "acteurs": lambda row: (row["actors"],),
    "relations": lambda row: (row["relations"],),
    "densite": lambda row: (row["density"],),
    "collaboration": lambda row: (row["collaboration_share"],),
    "liens": lambda row: (row["external_links"],),
}
SORT_LABELS = {
    "nom": _("Territoire"),
    "acteurs": _("Acteurs"),
    "relations": _("Relations"),
    "densite": _("Densité"),
    "collaboration": _("Part de collaboration"),
    "liens": _("Liens vers d'autres territoires"),
}


def sort_options(sort: str) -> list[dict]:
    """The sort menu above the charts: each column in its natural order (names A to Z, figures
    largest first), and the current order when a table header reversed it."""
    options = [
        {"value": key if key == "nom" else f"-{key}", "label": label}
        for key, label in SORT_LABELS.items()
    ]
    if sort not in {option["value"] for option in options}:
        label = SORT_LABELS[sort.lstrip("-")]
        options.append({"value": sort, "label": _("%(column)s, ordre inverse") % {"column": label}})
    return options


def svg_percent(value: float) -> str:
    """A percentage for an SVG attribute: a point as decimal mark whatever the language."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def stacked(counts: dict, choices) -> list[dict]:
    """The segments of a bar of 100 %, one per choice with a count, each from where the last ends."""
    total = sum(counts.values())
    segments, start = [], 0
    for choice in choices:
        n = counts[choice.value]
        if not n:
            continue
        segments.append(
            {
                "key": choice.value,
                "label": choice.label,
                "count": n,
                "x": svg_percent(100 * start / total),
                "width": svg_percent(100 * n / total),
            }
        )
        start += n
    return segments


def default_region(bundle: dict) -> str:
    """The région with the most actors (Auvergne-Rhône-Alpes with the report's data)."""
    candidates = [
        (figures["actors"], slug)
        for slug, figures in bundle["figures"].items()
        if bundle["territories"][slug]["level"] == Level.REGION
    ]
    return max(candidates)[1] if candidates else ""


def compare(request):
    """The région, its départements and EPCI with actors, side by side (report, section 3.2)."""
    bundle = network_bundle.current()
    region_slug = request.GET.get("region") or default_region(bundle)
    region = bundle["territories"].get(region_slug)
    if region_slug and (region is None or region["level"] != Level.REGION):
        raise Http404("Unknown region")
    sort = request.GET.get("tri", "nom")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "nom"
    rows = []
    for slug, figures in bundle["figures"].items():
        territory = bundle["territories"][slug]
        if region is None or not territory["path"].startswith(region["path"]):
            continue
        rows.append(
            {
                **figures,
                "slug": slug,
                "name": territory["name"],
                "level": Level(territory["level"]).label,
                "level_key": territory["level"],
                "path": territory["path"],
                "actors_by_type": [figures["actors_by_type"][t] for t in ActorType.values],
                "relations_by_type": [figures["relations_by_type"][t] for t in RelationType.values],
                "collaboration_percent": 100 * figures["collaboration_share"],
                "type_bar": stacked(figures["actors_by_type"], ActorType),
                "relation_bar": stacked(figures["relations_by_type"], RelationType),
                "collaboration_width": svg_percent(100 * figures["collaboration_share"]),
            }
        )
    # The densest territory's bar fills the chart: densities are far below 1.
    densest = max((row["density"] for row in rows), default=0)
    for row in rows:
        row["density_width"] = svg_percent(100 * row["density"] / densest if densest else 0)
    key = SORT_KEYS[sort.lstrip("-")]
    rows.sort(key=lambda row: (*key(row), row["path"]), reverse=sort.startswith("-"))
    regions = [
        t
        for s, t in bundle["territories"].items()
        if t["level"] == Level.REGION and s in bundle["figures"]
    ]
    return render(
        request,
        "explore/compare.html",
        {
            "rows": rows,
            "region": region,
            "regions": regions,
            "sort": sort,
            "columns": sortable_columns(SORT_LABELS, sort),
            "sort_options": sort_options(sort),
            "actor_types": list(ActorType),
            "relation_types": list(RelationType),
            "densest": densest,
            "date": datetime.date.fromisoformat(bundle["date"]) if bundle["date"] else None,
            "whole": bundle["whole"],
            "measures": bundle["measures"],
            "measures_date": network_bundle.parse_date(bundle["measures"]["date"]),
        },
    )
