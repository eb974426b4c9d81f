"""The write API: proposals with the web form's rules and messages, rate limits, and moderation
by token."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from actors.models import Actor
from contributions.models import NEW, Contribution, Kind, Status
from relations.models import Relation
from tests.contributions.helpers import (
    api_new_actor,
    api_proposal,
    confirmation_link,
    last_mail_to,
    path_of,
)
from tests.factories import PROPOSER_EMAIL, pending_new_actor, token_for

pytestmark = pytest.mark.django_db

EMAIL = PROPOSER_EMAIL
URL = "/api/contributions/"
new_actor = api_new_actor


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def post(client, data, token=None, url=URL):
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"} if token else {}
    return client.post(url, data, content_type="application/json", **headers)


# Proposing -----------------------------------------------------------------------------------


def test_an_anonymous_proposal_waits_for_its_email_confirmation(client):
    response = post(client, new_actor())
    assert response.status_code == 201, response.content
    body = response.json()
    contribution = Contribution.objects.get()
    assert body["id"] == contribution.pk
    assert body["status"] == Status.AWAITING_CONFIRMATION
    assert body["follow_url"] == f"http://testserver/contribuer/suivi/{contribution.follow_token}/"
    assert contribution.kind == Kind.NEW_ACTOR
    assert contribution.contributor_email == EMAIL
    assert contribution.proposed["actor"]["name"] == "Laboratoire citoyen de Vichy"
    assert contribution.proposed["actor"]["country"] == "FR"  # the form's default
    assert contribution.proposed["relations"] == [
        {"source": NEW, "target": "archipel", "type": "collaboration", "description": "Ateliers"}
    ]
    message = last_mail_to(EMAIL)
    assert client.get(path_of(confirmation_link(message))).status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING
    assert not Actor.objects.filter(name="Laboratoire citoyen de Vichy").exists()


@pytest.mark.parametrize("persona", ["contributor", "moderator"])
def test_a_proposal_with_a_token_goes_straight_to_the_moderators(
    client, moderator, persona, request
):
    user = request.getfixturevalue(persona)
    response = post(
        client,
        new_actor(contributor_name=None, contributor_email=None, email_consent=None),
        token_for(user),
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == Status.PENDING
    contribution = Contribution.objects.get()
    assert contribution.contributor == user
    assert contribution.contributor_email == user.email
    recipients = {address for m in mail.outbox for address in m.to}
    assert user.email in recipients  # the receipt
    assert moderator.email in recipients  # moderators notified


def test_a_session_proposal_needs_the_csrf_token(contributor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert post(client, new_actor()).status_code == 403
    assert Contribution.objects.count() == 0
    token_client = Client(enforce_csrf_checks=True)
    assert post(token_client, new_actor(), token_for(contributor)).status_code == 201


def test_a_correction_proposes_only_what_changes(client):
    archipel = Actor.objects.get(slug="archipel")
    response = post(
        client,
        api_proposal(
            "correction",
            actor="archipel",
            website="https://archipel.example.org/",
            relations=[{"partner": "labo-63", "type": "partage_information"}],
        ),
    )
    assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert contribution.kind == Kind.CORRECTION
    assert contribution.actor == archipel
    assert contribution.proposed["actor"] == {"website": "https://archipel.example.org/"}
    assert contribution.snapshot == {"website": archipel.website}
    assert contribution.proposed["relations"][0]["type"] == "partage_information"


def test_a_relation_alone(client):
    response = post(
        client,
        api_proposal(
            "relation",
            actor="archipel",
            relations=[
                {"partner": "labo-63", "type": "prestation_service", "direction": "entrante"}
            ],
        ),
    )
    assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert contribution.kind == Kind.RELATION
    assert contribution.proposed == {
        "actor": {},
        "relations": [
            {
                "source": "labo-63",
                "target": "archipel",
                "type": "prestation_service",
                "description": "",
            }
        ],
    }


@pytest.mark.parametrize("kind", ["disparition", "suppression"])
def test_a_disappearance_or_a_removal(client, kind):
    data = api_proposal(kind, actor="archipel", reason="Le service a fermé.")
    if kind == "disparition":
        data["ended_year"] = 2023
    response = post(client, data)
    assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert contribution.kind == kind
    if kind == "disparition":
        assert contribution.proposed["actor"] == {"lifecycle": "disparu", "ended_year": 2023}
    else:
        assert contribution.proposed == {"reason": "Le service a fermé."}


# Validation messages, as JSON per field ------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"type": None}, "type", "Ce champ est obligatoire."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"website": "pas une adresse"}, "website", "Saisissez une URL valide."),
        ({"latitude": 123}, "latitude", "La latitude doit être comprise entre -90 et 90."),
        ({"longitude": -200}, "longitude", "La longitude doit être comprise entre -180 et 180."),
        ({"latitude": 40.71, "longitude": -74.0}, "confirm_abroad", "Ces coordonnées sont hors"),
        ({"missions": "x" * 5001}, "missions", "Assurez-vous que cette valeur comporte au plus"),
        ({"name": "Lab <b>gras</b>"}, "name", "Le texte ne doit pas contenir de balises HTML."),
        ({"missions": "https://spam.example/offre"}, "missions", "un lien seul ne suffit pas"),
        ({"secondary_types": ["pas-un-type"]}, "secondary_types", "Sélectionnez un choix valide"),
        ({"parent": "Organisation inconnue"}, "parent", "Aucun acteur de la carte ne porte"),
        ({"contributor_email": "pas-une-adresse"}, "contributor_email", "adresse e-mail valide"),
        ({"email_consent": False}, "email_consent", "Ce champ est obligatoire."),
        ({"contributor_name": None}, "contributor_name", "Ce champ est obligatoire."),
        ({"colour": "bleu"}, "colour", "Champ inconnu"),
        ({"name": {"fr": "Lab"}}, "name", "Valeur invalide"),
        ({"relations": "archipel"}, "relations", "Une liste est attendue."),
        ({"kind": "autre"}, "kind", "autre"),
        ({"kind": None}, "kind", "Ce champ est obligatoire."),
        ({"reason": "Pas pour un nouvel acteur"}, "reason", "Champ inconnu"),
    ],
)
def test_each_mistake_gets_the_forms_french_message(client, overrides, field, message):
    response = post(client, new_actor(**overrides))
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors
    assert Contribution.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "relation, message",
    [
        ({"partner": "Acteur imaginaire", "type": "collaboration"}, "Aucun acteur de la carte"),
        ({"partner": "archipel"}, "Choisissez le type de relation."),
    ],
)
def test_a_bad_relation_is_reported_by_its_rank(client, relation, message):
    relations = [{"partner": "labo-63", "type": "collaboration"}, relation]
    errors = post(client, new_actor(relations=relations)).json()
    assert list(errors["relations"]) == ["1"]
    assert any(message in text for texts in errors["relations"]["1"].values() for text in texts)


def test_a_relation_already_published_is_refused(client):
    response = post(
        client,
        api_proposal(
            "relation",
            actor="archipel",
            relations=[{"partner": "ditp", "type": "prestation_service", "direction": "entrante"}],
        ),
    )
    assert response.status_code == 400
    assert response.json()["relations"]["0"]["partner"] == [
        "Cette relation existe déjà entre ces deux acteurs, avec ce type."
    ]


def test_a_correction_that_changes_nothing_is_refused(client):
    archipel = Actor.objects.get(slug="archipel")
    response = post(
        client,
        api_proposal("correction", actor="archipel", name=archipel.name),
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Vous n'avez rien modifié : il n'y a rien à proposer."]
    }


@pytest.mark.parametrize("kind", ["correction", "relation", "disparition", "suppression"])
def test_the_target_must_exist(client, kind):
    extra = {"reason": "x"} if kind in ("disparition", "suppression") else {}
    errors = post(client, {"kind": kind, "actor": "n-existe-pas", **extra}).json()
    assert errors == {"actor": ["Aucun acteur de la carte ne porte cet identifiant."]}
    assert post(client, {"kind": kind, **extra}).json() == {"actor": ["Ce champ est obligatoire."]}


def test_a_removal_needs_a_reason(client):
    response = post(
        client,
        api_proposal("suppression", actor="archipel"),
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Ce champ est obligatoire."]}


def test_the_body_must_be_a_json_object(client):
    response = post(client, ["nouvel_acteur"])
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Envoyez un objet JSON."]}


def test_a_similar_actor_asks_for_confirmation_first(client):
    response = post(client, new_actor(name="LABORATOIRE ARCHIPEL"))
    assert response.status_code == 400
    body = response.json()
    assert body["not_a_duplicate"][0] == "Est-ce l'un de ces acteurs, déjà sur la carte ?"
    assert "archipel" in [actor["slug"] for actor in body["similar"]]
    assert Contribution.objects.count() == 0
    response = post(client, new_actor(name="LABORATOIRE ARCHIPEL", not_a_duplicate=True))
    assert response.status_code == 201


# Rate limits ---------------------------------------------------------------------------------


def test_too_many_proposals_from_one_address_get_a_429_with_retry_after(client, settings):
    settings.TIPS_CONTRIBUTIONS_PER_EMAIL = "2/h"
    for n in range(2):
        assert post(client, new_actor(name=f"Lab numéro {n}")).status_code == 201
    response = post(client, new_actor(name="Lab numéro 3"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "la carte en limite le nombre par heure" in response.json()["detail"]
    assert Contribution.objects.count() == 2


def test_too_many_proposals_from_one_ip_get_a_429(client, settings):
    settings.TIPS_CONTRIBUTIONS_PER_IP = "3/10m"
    for n in range(3):
        post(client, new_actor(name=f"Lab {n}", contributor_email=f"p{n}@x.org"))
    response = post(client, new_actor(name="Lab 4", contributor_email="p4@x.org"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 600


def test_invalid_proposals_do_not_count_against_the_limit(client, settings):
    settings.TIPS_CONTRIBUTIONS_PER_EMAIL = "1/h"
    for _ in range(3):
        assert post(client, new_actor(type=None)).status_code == 400
    assert post(client, new_actor()).status_code == 201


# Moderation ----------------------------------------------------------------------------------


def pending(email=EMAIL, **fields) -> Contribution:
    return pending_new_actor(email=email, **fields)


@pytest.fixture
def moderator_token(moderator):
    return token_for(moderator)


def test_the_queue_lists_pending_proposals_oldest_first(client, moderator_token):
    token = moderator_token
    first, second = pending(), pending()
    waiting = pending(contribution_status=Status.AWAITING_CONFIRMATION)
    rows = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}").json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[0]["contributor_email"] == EMAIL
    assert rows[0]["proposed"]["actor"]["name"] == "Lab secret en attente"
    # On SITE_URL like every URL of the API's records (the emails' links start with it too).
    assert rows[0]["moderation_url"] == f"{settings.SITE_URL}/moderation/{first.pk}/"
    other = client.get(f"{URL}?statut=a_confirmer", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [row["id"] for row in other.json()["results"]] == [waiting.pk]


def test_validating_publishes_and_tells_the_contributor(client, moderator, moderator_token):
    contribution = pending()
    response = post(client, {}, moderator_token, f"{URL}{contribution.pk}/validate/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.VALIDATED
    actor = Actor.objects.get(name="Lab secret en attente")
    assert response.json()["actor"] == actor.slug
    assert Relation.objects.involving(actor).count() == 1
    assert last_mail_to(EMAIL)
    history = actor.history.first()
    assert history.history_user == moderator  # the token's user is the author


def test_refusing_needs_a_message(client, moderator_token):
    token = moderator_token
    contribution = pending()
    url = f"{URL}{contribution.pk}/refuse/"
    response = post(client, {"message": "  "}, token, url)
    assert response.status_code == 400
    assert response.json() == {
        "message": ["Expliquez le refus au contributeur : le message est obligatoire."]
    }
    response = post(client, {"message": "Hors du champ de la carte."}, token, url)
    assert response.status_code == 200
    contribution.refresh_from_db()
    assert contribution.status == Status.REFUSED
    assert contribution.decision_message == "Hors du champ de la carte."


def test_deciding_twice_is_a_conflict(client, moderator_token):
    token = moderator_token
    contribution = pending()
    assert post(client, {}, token, f"{URL}{contribution.pk}/validate/").status_code == 200
    response = post(client, {"message": "Non"}, token, f"{URL}{contribution.pk}/refuse/")
    assert response.status_code == 409
    assert "Un autre modérateur a déjà traité cette proposition" in response.json()["detail"]
    contribution.refresh_from_db()
    assert contribution.status == Status.VALIDATED


def test_a_moderator_cannot_decide_their_own_proposal(client, moderator, moderator_token):
    contribution = pending(email=moderator.email)
    response = post(client, {}, moderator_token, f"{URL}{contribution.pk}/validate/")
    assert response.status_code == 403
    assert "un autre modérateur doit la traiter" in response.json()["detail"]
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


def test_a_proposal_that_no_longer_applies_is_explained(client, moderator_token):
    contribution = pending()
    contribution.proposed["relations"].append(
        {"source": NEW, "target": "acteur-qui-n-existe-plus", "type": "collaboration"}
    )
    contribution.save()
    response = post(client, {}, moderator_token, f"{URL}{contribution.pk}/validate/")
    assert response.status_code == 400
    assert "ne peut pas être appliquée telle quelle" in response.json()["non_field_errors"][0]
    assert not Actor.objects.filter(name="Lab secret en attente").exists()


def test_the_whole_journey_through_the_api(client, moderator_token):
    """Anonymous proposal, confirmation by email, validation by token: published."""
    response = post(client, new_actor())
    client.get(path_of(confirmation_link(last_mail_to(EMAIL))))
    pk = response.json()["id"]
    assert post(client, {}, moderator_token, f"{URL}{pk}/validate/").status_code == 200
    actor = client.get("/api/actors/?q=vichy").json()["results"][0]
    assert actor["name"] == "Laboratoire citoyen de Vichy"
    assert actor["provenance"] == "contribution"
    relations = client.get(f"/api/relations/?acteur={actor['slug']}").json()["results"]
    assert [(r["target"], r["type"]) for r in relations] == [("archipel", "collaboration")] or [
        (r["source"], r["type"]) for r in relations
    ] == [("archipel", "collaboration")]
