"""What must never happen, each tested: leaks, unauthorised decisions, half-applied or double
validations, lost proposals, script injection, cross-site request forgery."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from actors.models import Actor
from contributions.models import AlreadyDecided, Contribution, Status

from .helpers import actor_form_data, make_moderator, pending_new_actor, with_relation

EMAIL = "camille.martin@example.org"


def pending(**proposed_actor) -> Contribution:
    return pending_new_actor(email=EMAIL, **proposed_actor)


PUBLIC_URLS = [
    "/",
    "/acteurs/",
    "/acteurs/carte.json?disparus=on",
    "/acteurs/archipel/",
    "/acteurs/archipel/historique/",
    "/territoires/",
    "/territoires/puy-de-dome/",
    "/typologie/",
    "/integrer/",
    "/territoires/contours.geojson",
    "/acteurs/?q=secret",
    "/acteurs/carte.json?q=secret",
    "/acteurs/suggestions.json?q=secret",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.AWAITING_CONFIRMATION, Status.PENDING, Status.REFUSED, Status.WITHDRAWN]
)
def test_nothing_unvalidated_and_no_email_reaches_a_public_page(client, status):
    contribution = pending()
    contribution.status = status
    contribution.decided_at = contribution.created_at
    contribution.save()
    for url in PUBLIC_URLS:
        page = client.get(url).content.decode()
        assert "Lab secret en attente" not in page, url
        assert EMAIL not in page, url


@pytest.mark.django_db
def test_a_validated_contribution_shows_no_email_publicly(client):
    contribution = pending()
    contribution.decide(make_moderator(), validate=True)
    actor = Actor.objects.get(name="Lab secret en attente")
    for url in [*PUBLIC_URLS, actor.get_absolute_url(), actor.get_absolute_url() + "historique/"]:
        assert EMAIL not in client.get(url).content.decode(), url


# The permission table: persona × action -> expected status.
PERSONAS = ["anonymous", "contributor", "staff_without_permission", "moderator", "superuser"]
EXPECTED = {
    ("queue", "anonymous"): 302,
    ("queue", "contributor"): 403,
    ("queue", "staff_without_permission"): 403,
    ("queue", "moderator"): 200,
    ("queue", "superuser"): 200,
    ("view", "anonymous"): 302,
    ("view", "contributor"): 403,
    ("view", "staff_without_permission"): 403,
    ("view", "moderator"): 200,
    ("view", "superuser"): 200,
    ("validate", "anonymous"): 302,
    ("validate", "contributor"): 403,
    ("validate", "staff_without_permission"): 403,
    ("validate", "moderator"): 302,
    ("validate", "superuser"): 302,
    ("refuse", "anonymous"): 302,
    ("refuse", "contributor"): 403,
    ("refuse", "staff_without_permission"): 403,
    ("refuse", "moderator"): 302,
    ("refuse", "superuser"): 302,
}


def login_as(client, persona):
    if persona == "anonymous":
        return
    if persona == "moderator":
        user = make_moderator()
    elif persona == "superuser":
        user = User.objects.create_superuser("admin", "admin@chaire.example", "x-secret-42")
    else:
        user = User.objects.create_user(
            persona, f"{persona}@example.org", "x-secret-42", is_staff=persona.startswith("staff")
        )
    client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["queue", "view", "validate", "refuse"])
def test_permission_table(client, persona, action):
    contribution = pending()
    login_as(client, persona)
    url = f"/moderation/{contribution.pk}/"
    if action == "queue":
        response = client.get("/moderation/")
    elif action == "view":
        response = client.get(url)
    else:
        response = client.post(
            url,
            {
                "action": "valider" if action == "validate" else "refuser",
                "decision_message": "Décision",
            },
        )
    assert response.status_code == EXPECTED[(action, persona)]
    contribution.refresh_from_db()
    decided = response.status_code == 302 and persona in ("moderator", "superuser")
    if action in ("validate", "refuse"):
        assert (contribution.status != Status.PENDING) is decided
        assert Actor.objects.filter(name="Lab secret en attente").exists() is (
            decided and action == "validate"
        )


@pytest.mark.django_db
def test_a_moderator_cannot_decide_their_own_proposal(client):
    moderator = make_moderator(email=EMAIL)  # the contributor's own address
    contribution = pending()
    client.force_login(moderator)
    page = client.get(f"/moderation/{contribution.pk}/").content.decode()
    assert "un autre modérateur doit la traiter" in page
    response = client.post(f"/moderation/{contribution.pk}/", {"action": "valider"})
    assert response.status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


@pytest.mark.django_db
def test_state_changes_refuse_requests_without_the_csrf_token():
    contribution = pending()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_moderator())
    assert client.post(f"/moderation/{contribution.pk}/", {"action": "valider"}).status_code == 403
    assert client.post(contribution.get_follow_url()).status_code == 403
    assert client.post("/contribuer/", actor_form_data()).status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


@pytest.mark.django_db
def test_a_validation_that_fails_at_its_last_change_applies_nothing():
    contribution = pending()
    contribution.proposed["relations"].append(
        {
            "source": "__nouvel_acteur__",
            "target": "acteur-qui-n-existe-plus",
            "type": "collaboration",
        }
    )
    contribution.save()
    with pytest.raises(Exception):  # noqa: B017 - ValidationError from the last change
        contribution.decide(make_moderator(), validate=True)
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING
    assert not Actor.objects.filter(name="Lab secret en attente").exists()


@pytest.mark.django_db
def test_every_submitted_proposal_is_queued_or_has_an_outcome(client):
    archipel = Actor.objects.get(slug="archipel")
    for n in range(3):
        data = with_relation(
            actor_form_data(**{"acteur-name": f"Proposition {n} unique"}), archipel
        )
        assert client.post("/contribuer/", data).status_code == 302
    assert Contribution.objects.count() == 3
    assert set(Contribution.objects.values_list("status", flat=True)) == {
        Status.AWAITING_CONFIRMATION
    }
    for contribution in Contribution.objects.all():
        assert contribution.follow_token and contribution.proposed["actor"]["name"]


@pytest.mark.django_db
def test_script_injection_is_shown_as_text_in_the_queue_and_the_diff(client):
    evil = "<script>alert(1)</script>"
    contribution = pending(name=evil, missions=evil)
    contribution.contributor_name = evil
    contribution.actor_label = evil
    contribution.save()
    client.force_login(make_moderator())
    for url in ["/moderation/", f"/moderation/{contribution.pk}/"]:
        page = client.get(url).content.decode()
        assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_apply_it_exactly_once(report_data):
    assert connection.vendor == "postgresql"
    contribution = pending()
    first, second = (
        make_moderator("alice", "alice@chaire.example"),
        make_moderator("bob", "bob@chaire.example"),
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(moderator, validate):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            Contribution.objects.get(pk=contribution.pk).decide(
                moderator, validate=validate, message="x"
            )
            outcomes.append("applied")
        except AlreadyDecided:
            outcomes.append("told")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "told"]
    contribution.refresh_from_db()
    created = Actor.objects.filter(name="Lab secret en attente").count()
    assert (contribution.status, created) in [(Status.VALIDATED, 1), (Status.REFUSED, 0)]
