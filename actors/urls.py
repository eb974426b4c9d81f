from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.home, name="home"),
    path("acteurs/<slug:slug>/", views.detail, name="detail"),
]
