"""The "Données" page and the exports (/donnees/…). Owned by the exports work.

Included without a namespace (see opendata/urls.py), hence the "opendata-" prefix of the names.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.data, name="opendata-data"),
    path("acteurs.csv", views.download, {"key": "actors-csv"}, name="opendata-actors-csv"),
    path("relations.csv", views.download, {"key": "relations-csv"}, name="opendata-relations-csv"),
    path(
        "acteurs.geojson",
        views.download,
        {"key": "actors-geojson"},
        name="opendata-actors-geojson",
    ),
    path("reseau.gexf", views.download, {"key": "network-gexf"}, name="opendata-network-gexf"),
    path(
        "reseau.graphml",
        views.download,
        {"key": "network-graphml"},
        name="opendata-network-graphml",
    ),
    path("tips-map.json", views.download, {"key": "dump"}, name="opendata-dump"),
]
