from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.index, name="index"),
    path("contours.geojson", views.boundaries, name="boundaries"),
    path("<slug:slug>/", views.detail, name="detail"),
]
