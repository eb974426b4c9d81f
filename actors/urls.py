from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.home, name="home"),
    path("integrer/", views.embed, name="embed"),
    path("typologie/", views.typology, name="typology"),
    path("acteurs/", views.actor_list, name="list"),
    path("acteurs/carte.json", views.map_data, name="map_data"),
    path("acteurs/suggestions.json", views.suggestions, name="suggestions"),
    path("acteurs/<slug:slug>/", views.detail, name="detail"),
    path("acteurs/<slug:slug>/historique/", views.history, name="history"),
    path(
        "acteurs/<slug:slug>/historique/<int:history_id>/restaurer/",
        views.restore_actor,
        name="restore",
    ),
    path(
        "acteurs/<slug:slug>/historique/relation/<int:history_id>/restaurer/",
        views.restore_relation,
        name="restore_relation",
    ),
]
