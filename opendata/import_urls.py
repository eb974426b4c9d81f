"""The moderators' import page (/donnees/import/…). Owned by the imports work."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_page, name="opendata-import"),
    path("confirmer/", import_views.import_confirm, name="opendata-import-confirm"),
]
