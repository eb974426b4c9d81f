from django.urls import include, path

urlpatterns = [
    path("api/", include("opendata.api.urls")),
    path("donnees/", include("opendata.export_urls")),
    path("donnees/import/", include("opendata.import_urls")),
]
