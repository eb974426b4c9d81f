from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

# Admin modules are imported explicitly instead of autodiscovered: django-leaflet's admin module
# needs GDAL, which this project does without (see settings.INSTALLED_APPS).
for module in (
    "django.contrib.auth.admin",
    "territories.admin",
    "actors.admin",
    "relations.admin",
    "contributions.admin",
    "opendata.admin",  # the releases' DOI
):
    import_module(module)

admin.site.site_header = "TIPs map — administration"
admin.site.site_title = "TIPs map"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("explore.urls")),
    path("", include("contributions.urls")),
    path("", include("opendata.urls")),
]
