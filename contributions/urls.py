from django.urls import path

from .views import history, merge, moderation, proposals, signin, suggestions

app_name = "contributions"

urlpatterns = [
    path("contribuer/", proposals.propose_actor, name="new"),
    path("contribuer/correction/<slug:slug>/", proposals.propose_correction, name="correction"),
    path("contribuer/disparition/<slug:slug>/", proposals.propose_removal, name="removal"),
    path("contribuer/doublon/<slug:slug>/", merge.report_duplicate, name="duplicate"),
    path("contribuer/confirmer/<str:token>/", proposals.confirm, name="confirm"),
    path("contribuer/suivi/<str:token>/", proposals.follow, name="follow"),
    path("contribuer/mes-propositions/", signin.my_proposals, name="my_proposals"),
    path("contribuer/mes-propositions/<str:token>/", signin.signin_link, name="signin"),
    path("moderation/", moderation.queue, name="queue"),
    path("moderation/<int:pk>/", moderation.moderate, name="moderate"),
    path("moderation/fusion/<int:pk>/annuler/", merge.undo_merge, name="undo_merge"),
    path("acteurs/<slug:slug>/historique/", history.history, name="history"),
    path(
        "acteurs/<slug:slug>/historique/<int:history_id>/restaurer/",
        history.restore_actor_version,
        name="restore",
    ),
    path(
        "acteurs/<slug:slug>/historique/relation/<int:history_id>/restaurer/",
        history.restore_relation_version,
        name="restore_relation",
    ),
    # What the contribution form suggests as one types.
    path("acteurs/suggestions.json", suggestions.actors, name="actor_suggestions"),
]
