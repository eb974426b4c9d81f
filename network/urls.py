from django.urls import path

from . import pages, views

app_name = "network"

urlpatterns = [
    path("", pages.network_page, name="page"),
    path("donnees.json", views.network_data, name="data"),
    path("comparer/", views.compare, name="compare"),
]

__all__ = ["pages", "views"]
