from django.urls import path

from . import views

app_name = "contributions"

urlpatterns = [
    path("contribuer/", views.propose_actor, name="new"),
    path("contribuer/correction/<slug:slug>/", views.propose_correction, name="correction"),
    path("contribuer/disparition/<slug:slug>/", views.propose_removal, name="removal"),
    path("contribuer/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("contribuer/suivi/<str:token>/", views.follow, name="follow"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
]
