"""The "Données" page and the downloads of the exports (opendata/exports.py)."""

from collections.abc import Callable

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actors.identifiers import absolute
from actors.models import Actor
from tips_map import payloads

from . import datapackage, dictionary, exports, linked_data
from .api.versions import HEADER, data_label
from .models import Release

# Up to this many actors, the page builds every export to give its size (half a second for the
# report's data); above, it gives the sizes of the exports already built for the current data
# (GEXF and GraphML take seconds at 10,000 actors: the first download builds them).
SIZED_UP_TO = 2000


def licence_link_header(terms: dict) -> str:
    return f'<{terms["url"]}>; rel="license"'


def export_payload(export, build: bool = True):
    name = f"export:{export.key}"
    return payloads.current(name, export.stream or export.build) if build else payloads.peek(name)


def export_sizes() -> dict[str, int | None]:
    build = Actor.objects.count() <= SIZED_UP_TO
    sizes = {}
    for export in exports.EXPORTS.values():
        payload = export_payload(export, build)
        sizes[export.key] = payload.size if payload else None
    return sizes


@require_safe
def data(request):
    """Every export with its format and size, the licence, the date and how to cite."""
    moment = exports.data_datetime()
    date = exports.data_date(moment)
    sizes = export_sizes()
    rows = [
        {
            "key": export.key,
            "url": reverse("opendata:download", kwargs={"key": export.key}),
            "filename": export.filename_for(date),
            "extension": export.extension,
            "size": sizes[export.key],
        }
        for export in exports.EXPORTS.values()
    ]
    latest = Release.objects.first()
    return render(
        request,
        "opendata/data.html",
        {
            "exports": rows,
            "moment": moment,
            "date": date,
            "licence": exports.licence(),
            "citation": exports.citation(date),
            # Which release the current files are, or None: "non publiée" (since the latest).
            "release": latest if latest and latest.is_current() else None,
            "latest_release": latest,
        },
    )


@require_safe
def download(request, key: str):
    export = exports.EXPORTS.get(key)
    if export is None:
        raise Http404
    response = payloads.response(request, export_payload(export), export.content_type)
    filename = export.filename_for(exports.data_date())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = licence_link_header(exports.licence())
    response["Access-Control-Allow-Origin"] = "*"
    response[HEADER] = data_label(Release.current())  # the release, or "non-publiee"
    return response


# --- The data dictionary and datapackage.json (opendata/dictionary.py, datapackage.py) -------


def download_url(request) -> Callable[[exports.Export], str]:
    """Where a file of the catalogue is downloaded, on settings.SITE_URL like every URL the
    data prints (the exports', the API's): the same address from whichever host it is read."""
    return lambda export: absolute(reverse("opendata:download", kwargs={"key": export.key}))


@require_safe
def data_dictionary(request):
    """Every column of the CSVs and every code list, in the visitor's language."""
    tables = dictionary.tables()
    return render(
        request,
        "opendata/dictionary.html",
        {"tables": tables, "code_lists": dictionary.code_lists(tables)},
    )


@require_safe
def data_dictionary_json(request):
    return open_json(dictionary.as_data(download_url(request)))


@require_safe
def data_package(request):
    homepage = absolute(reverse("opendata:data"))
    return open_json(datapackage.descriptor(download_url(request), homepage))


# The DCAT-AP catalogue that open-data portals harvest (opendata/linked_data.py).
@require_safe
def catalogue(request):
    data = linked_data.catalogue(export_sizes())
    return open_json(data, content_type="application/ld+json")


def open_json(data: dict, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "indent": 2}, content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = licence_link_header(exports.licence())
    return response
