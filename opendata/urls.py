"""The open-data routes: the API (/api/, namespace "api") and the pages (/donnees/, namespace
"opendata"): the data page, one download per export of the catalogue, the data dictionary and
datapackage.json, the citable releases, the moderators' import."""

from django.urls import include, path, register_converter

from . import feeds, import_views, release_views, views
from .exports import EXPORTS
from .models import VERSION_PATTERN


class VersionConverter:
    """A release's label in a path: "2027.1"."""

    regex = VERSION_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VersionConverter, "version")

# One name for every download, told apart by the export's key:
# {% url "opendata:download" key="dump" %}.
pages = [
    path("", views.data, name="data"),
    *(
        path(export.path, views.download, {"key": export.key}, name="download")
        for export in EXPORTS.values()
    ),
    path("dictionnaire/", views.data_dictionary, name="dictionary"),
    path("dictionnaire.json", views.data_dictionary_json, name="dictionary-json"),
    path("datapackage.json", views.data_package, name="datapackage"),
    path("catalogue.jsonld", views.catalogue, name="catalogue"),  # DCAT-AP, in JSON-LD
    # The published changes, newest first (opendata/feeds.py).
    path("changements.json", feeds.changes_json, name="changes-json"),
    path("changements.atom", feeds.changes_atom, name="changes-atom"),
    path("import/", import_views.import_page, name="import"),
    path("import/confirmer/", import_views.import_confirm, name="import-confirm"),
    # The citable releases and their frozen files (opendata/release_views.py).
    path("versions/", release_views.release_list, name="releases"),
    path("versions/publier/", release_views.release_publish, name="release-publish"),
    path("versions/<version:version>/", release_views.release_detail, name="release"),
    path(
        "versions/<version:version>/<path:path>",
        release_views.release_file,
        name="release-file",
    ),
]

urlpatterns = [
    path("api/", include("opendata.api.urls")),
    path("donnees/", include((pages, "opendata"))),
]
