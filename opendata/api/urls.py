"""Read and write API (/api/…)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .contributions import ContributionViewSet
from .errors import not_found
from .geojson import ActorGeoJSONView, RelationGeoJSONView, TerritoryGeoJSONView
from .read import ActorViewSet, RelationViewSet, TerritoryViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # ?format=json instead; ".geojson" paths are explicit


router = Router()
router.register("actors", ActorViewSet, basename="actor")
router.register("relations", RelationViewSet, basename="relation")
router.register("territories", TerritoryViewSet, basename="territory")
router.register("contributions", ContributionViewSet, basename="contribution")

urlpatterns = [
    path("actors.geojson", ActorGeoJSONView.as_view(), name="actor-geojson"),
    path("relations.geojson", RelationGeoJSONView.as_view(), name="relation-geojson"),
    path(
        "territories/<slug:slug>.geojson",
        TerritoryGeoJSONView.as_view(),
        name="territory-geojson",
    ),
    # The OpenAPI 3 schema (its enums named in settings.SPECTACULAR_SETTINGS) and its page.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: any other address under /api/ is a JSON 404, never the site's HTML page.
    # [\s\S]: any address, a line break in it too (".*" stops there and Django answers HTML).
    re_path(r"^(?P<path>[\s\S]*)$", not_found, name="not-found"),
]
