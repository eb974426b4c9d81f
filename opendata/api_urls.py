"""Read and write API (/api/…): see opendata.api."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # ?format=json instead; ".geojson" paths are explicit


router = Router()
router.register("actors", api.ActorViewSet, basename="actor")
router.register("relations", api.RelationViewSet, basename="relation")
router.register("territories", api.TerritoryViewSet, basename="territory")
router.register("contributions", api.ContributionViewSet, basename="contribution")

urlpatterns = [
    path("actors.geojson", api.ActorGeoJSONView.as_view(), name="actor-geojson"),
    path("relations.geojson", api.RelationGeoJSONView.as_view(), name="relation-geojson"),
    path(
        "territories/<slug:slug>.geojson",
        api.TerritoryGeoJSONView.as_view(),
        name="territory-geojson",
    ),
    path("schema/", api.SchemaView.as_view(), name="schema"),
    path("docs/", api.DocsView.as_view(), name="docs"),
    *router.urls,
]
