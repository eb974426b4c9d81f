"""The "Données" page and the downloads of the exports (opendata/exports.py)."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actors.models import Actor
from relations.models import Relation

from . import exports

SIZES_TIMEOUT = 3600  # seconds


def licence_link_header(terms: dict) -> str:
    return f'<{terms["url"]}>; rel="license"'


def export_sizes(moment) -> dict[str, int]:
    """The size of each file, built to be measured (half a second for the report's data) and
    kept while the data do not change: a new or changed record moves the date, a deletion the
    counts. A stale size would only be approximate, the downloads are always built afresh."""
    counts = f"{Actor.objects.count()}:{Relation.objects.count()}"
    key = f"opendata-sizes:{moment.isoformat()}:{counts}"
    sizes = cache.get(key)
    if sizes is None:
        sizes = {export.key: len(export.build()) for export in exports.EXPORTS.values()}
        cache.set(key, sizes, SIZES_TIMEOUT)
    return sizes


@require_safe
def data(request):
    """Every export with its format and size, the licence, the date and how to cite."""
    moment = exports.data_datetime()
    date = exports.data_date(moment)
    sizes = export_sizes(moment)
    rows = [
        {
            "key": export.key,
            "url": reverse(export.url_name),
            "filename": export.filename_for(date),
            "extension": export.extension,
            "size": sizes[export.key],
        }
        for export in exports.EXPORTS.values()
    ]
    return render(
        request,
        "opendata/data.html",
        {
            "exports": rows,
            "moment": moment,
            "date": date,
            "licence": exports.licence(),
            "citation": exports.citation(date),
        },
    )


@require_safe
def download(request, key: str):
    export = exports.EXPORTS.get(key)
    if export is None:
        raise Http404
    content = export.build()
    response = HttpResponse(content, content_type=export.content_type)
    filename = export.filename_for(exports.data_date())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = licence_link_header(exports.licence())
    response["Access-Control-Allow-Origin"] = "*"
    return response
