"""The public pages, under the names of what they show: actors:…, territories:…, network:…"""

from django.urls import include, path

from .views import actor_list, card, compare, embed_builder, maps, network, territory, typology

actor_patterns = [
    path("", maps.home, name="home"),
    path("integrer/", maps.embed, name="embed"),
    path("integrer-la-carte/", embed_builder.embed_builder, name="embed_builder"),
    path("typologie/", typology.typology, name="typology"),
    path("acteurs/", actor_list.actor_list, name="list"),
    path("acteurs/carte.json", maps.map_data, name="map_data"),
    path("acteurs/<slug:slug>/", card.detail, name="detail"),
    path("acteurs/<slug:slug>/panneau/", card.panel, name="panel"),
]
territory_patterns = [
    path("", territory.index, name="index"),
    path("contours.geojson", territory.boundaries, name="boundaries"),
    path("<slug:slug>/", territory.detail, name="detail"),
]
network_patterns = [
    path("", network.network_page, name="page"),
    path("donnees.json", network.network_data, name="data"),
    path("comparer/", compare.compare, name="compare"),
]

urlpatterns = [
    path("", include((actor_patterns, "actors"))),
    path("territoires/", include((territory_patterns, "territories"))),
    path("reseau/", include((network_patterns, "network"))),
]
