"""The home map, its embeddable version, and the payload of every filtered actor it draws."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt

from actors.filters import ActorFilter
from actors.models import ActorType, Lifecycle
from tips_map import payloads

from ..context import explore_context, filtered, type_counts

MAP_FIELDS = ["slug", "name", "type", "lat", "lon", "commune", "flags"]
FLAG_DISAPPEARED, FLAG_ABROAD = 1, 2


def home(request):
    """The map, with the filters it shares with the list."""
    filterset = filtered(request)
    return render(request, "explore/map.html", explore_context(request, filterset))


@xframe_options_exempt
def embed(request):
    """The map alone, for other sites' iframes; the filters come from the URL."""
    filterset = filtered(request)
    return render(request, "explore/embed.html", explore_context(request, filterset))


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


class InvalidFilters(Exception):
    """A filter of the map's query cannot be read (?disparus=peut-etre, ?type=inconnu)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors

    def response(self) -> JsonResponse:
        """The 400 naming each parameter it cannot read, in the shape of the API's errors."""
        errors = {name: [str(m) for m in messages] for name, messages in self.errors.items()}
        body = {"detail": gettext("Paramètres invalides."), "errors": errors}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})


def valid_filters(request) -> ActorFilter:
    """The request's filters, read by the same filter set as the API (one parser of each
    parameter: `?disparus=` by actors.filters.parse_yes_no); InvalidFilters if one is wrong."""
    filterset = filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    return filterset


@payloads.served_early
def map_data(request):
    """The map's payload, built once per query string and data version, with an ETag.

    Any validated change moves the data version: the next request in every process rebuilds.
    A client that has the payload gets a 304. A filter it cannot read is a 400 naming it, in the
    shape of the API's errors, rather than a map with that filter silently dropped; the filters
    are checked while building, so a payload served again costs no validation.
    """
    try:
        payload = payloads.current(
            payloads.name_of(request), lambda: map_payload(valid_filters(request))
        )
    except InvalidFilters as invalid:
        return invalid.response()
    return payloads.response(request, payload, "application/json")
