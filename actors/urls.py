from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.home, name="home"),
    path("integrer/", views.embed, name="embed"),
    path("typologie/", views.typology, name="typology"),
    path("acteurs/", views.actor_list, name="list"),
    path("acteurs/carte.json", views.map_data, name="map_data"),
    path("acteurs/<slug:slug>/", views.detail, name="detail"),
]
