"""The write API: proposals with the web form's rules and messages, rate limits, and moderation
by token."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from actors.models import Actor
from contributions.models import NEW, Contribution, Kind, Status
from relations.models import Relation
from tests.contributions.helpers import (
    confirmation_link,
    last_mail_to,
    make_moderator,
    path_of,
    pending_new_actor,
)

pytestmark = pytest.mark.django_db

EMAIL = "camille.martin@example.org"
URL = "/api/contributions/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def new_actor(**overrides) -> dict:
    data = {
        "kind": "nouvel_acteur",
        "name": "Laboratoire citoyen de Vichy",
        "short_name": "LabVichy",
        "type": "cellule_innovation",
        "status": "collectivite_territoriale",
        "scope": "local",
        "missions": "Expérimenter des services publics avec les habitants.",
        "commune_name": "Vichy",
        "latitude": 46.1277,
        "longitude": 3.4259,
        "website": "https://www.ville-vichy.fr/",
        "founded_year": 2021,
        "provenance_detail": "Site de la ville",
        "relations": [{"partner": "archipel", "type": "collaboration", "description": "Ateliers"}],
        "contributor_name": "Camille Martin",
        "contributor_email": EMAIL,
        "email_consent": True,
        "message": "Vu sur le site de la ville.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, token=None, url=URL):
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"} if token else {}
    return client.post(url, data, content_type="application/json", **headers)


def token_for(user) -> Token:
    return Token.objects.create(user=user)


def contributor_token() -> Token:
    return token_for(User.objects.create_user("lea", "lea@example.org", "x-secret-42"))


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
def test_a_proposal_with_a_token_goes_straight_to_the_moderators(client, persona):
    moderator = make_moderator()
    user = moderator if persona == "moderator" else User.objects.create_user("lea", "lea@x.org")
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
    assert "modo@chaire.example" in recipients  # moderators notified


def test_a_session_proposal_needs_the_csrf_token():
    user = User.objects.create_user("sam", "sam@example.org", "x-secret-42")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert post(client, new_actor()).status_code == 403
    assert Contribution.objects.count() == 0
    token_client = Client(enforce_csrf_checks=True)
    assert post(token_client, new_actor(), contributor_token()).status_code == 201


def test_a_correction_proposes_only_what_changes(client):
    archipel = Actor.objects.get(slug="archipel")
    response = post(
        client,
        {
            "kind": "correction",
            "actor": "archipel",
            "website": "https://archipel.example.org/",
            "relations": [{"partner": "labo-63", "type": "partage_information"}],
            "contributor_name": "Camille Martin",
            "contributor_email": EMAIL,
            "email_consent": True,
        },
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
        {
            "kind": "relation",
            "actor": "archipel",
            "relations": [
                {"partner": "labo-63", "type": "prestation_service", "direction": "entrante"}
            ],
            "contributor_name": "Camille Martin",
            "contributor_email": EMAIL,
            "email_consent": True,
        },
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
    data = {
        "kind": kind,
        "actor": "archipel",
        "reason": "Le service a fermé.",
        "contributor_name": "Camille Martin",
        "contributor_email": EMAIL,
        "email_consent": True,
    }
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
        {
            "kind": "relation",
            "actor": "archipel",
            "relations": [
                {"partner": "ditp", "type": "prestation_service", "direction": "entrante"}
            ],
            "contributor_name": "Camille Martin",
            "contributor_email": EMAIL,
            "email_consent": True,
        },
    )
    assert response.status_code == 400
    assert response.json()["relations"]["0"]["partner"] == [
        "Cette relation existe déjà entre ces deux acteurs, avec ce type."
    ]


def test_a_correction_that_changes_nothing_is_refused(client):
    archipel = Actor.objects.get(slug="archipel")
    response = post(
        client,
        {
            "kind": "correction",
            "actor": "archipel",
            "name": archipel.name,
            "contributor_name": "Camille Martin",
            "contributor_email": EMAIL,
            "email_consent": True,
        },
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
        {
            "kind": "suppression",
            "actor": "archipel",
            "contributor_name": "Camille Martin",
            "contributor_email": EMAIL,
            "email_consent": True,
        },
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


def pending(email=EMAIL) -> Contribution:
    return pending_new_actor(email=email)


def persona_token(persona):
    if persona == "anonymous":
        return None
    if persona == "moderator":
        return token_for(make_moderator())
    if persona == "superuser":
        return token_for(User.objects.create_superuser("admin", "admin@chaire.example", "x-42"))
    return token_for(
        User.objects.create_user(persona, f"{persona}@example.org", is_staff=persona == "staff")
    )


EXPECTED = {
    "anonymous": {"list": 403, "view": 403, "validate": 403, "refuse": 403},
    "contributor": {"list": 403, "view": 403, "validate": 403, "refuse": 403},
    "staff": {"list": 403, "view": 403, "validate": 403, "refuse": 403},
    "moderator": {"list": 200, "view": 200, "validate": 200, "refuse": 200},
    "superuser": {"list": 200, "view": 200, "validate": 200, "refuse": 200},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("action", ["list", "view", "validate", "refuse"])
def test_permission_table(client, persona, action):
    contribution = pending()
    token = persona_token(persona)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"} if token else {}
    if action == "list":
        response = client.get(URL, **headers)
    elif action == "view":
        response = client.get(f"{URL}{contribution.pk}/", **headers)
    else:
        response = post(
            client, {"message": "Merci, c'est noté."}, token, f"{URL}{contribution.pk}/{action}/"
        )
    assert response.status_code == EXPECTED[persona][action], response.content
    body = response.content.decode()
    assert (EMAIL in body) is (response.status_code == 200)  # only moderators see the email
    contribution.refresh_from_db()
    decided = action in ("validate", "refuse") and response.status_code == 200
    assert (contribution.status != Status.PENDING) is decided
    assert Actor.objects.filter(name="Lab secret en attente").exists() is (
        decided and action == "validate"
    )


def test_the_queue_lists_pending_proposals_oldest_first(client):
    first, second = pending(), pending()
    waiting = pending()
    waiting.status = Status.AWAITING_CONFIRMATION
    waiting.save()
    token = token_for(make_moderator())
    rows = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}").json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[0]["contributor_email"] == EMAIL
    assert rows[0]["proposed"]["actor"]["name"] == "Lab secret en attente"
    assert rows[0]["moderation_url"] == f"http://testserver/moderation/{first.pk}/"
    other = client.get(f"{URL}?statut=a_confirmer", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [row["id"] for row in other.json()["results"]] == [waiting.pk]


def test_validating_publishes_and_tells_the_contributor(client):
    contribution = pending()
    token = token_for(make_moderator())
    response = post(client, {}, token, f"{URL}{contribution.pk}/validate/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.VALIDATED
    actor = Actor.objects.get(name="Lab secret en attente")
    assert response.json()["actor"] == actor.slug
    assert Relation.objects.involving(actor).count() == 1
    assert last_mail_to(EMAIL)
    history = actor.history.first()
    assert history.history_user.username == "modo"  # the token's user is the author


def test_refusing_needs_a_message(client):
    contribution = pending()
    token = token_for(make_moderator())
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


def test_deciding_twice_is_a_conflict(client):
    contribution = pending()
    token = token_for(make_moderator())
    assert post(client, {}, token, f"{URL}{contribution.pk}/validate/").status_code == 200
    response = post(client, {"message": "Non"}, token, f"{URL}{contribution.pk}/refuse/")
    assert response.status_code == 409
    assert "Un autre modérateur a déjà traité cette proposition" in response.json()["detail"]
    contribution.refresh_from_db()
    assert contribution.status == Status.VALIDATED


def test_a_moderator_cannot_decide_their_own_proposal(client):
    contribution = pending(email="modo@chaire.example")
    token = token_for(make_moderator())
    response = post(client, {}, token, f"{URL}{contribution.pk}/validate/")
    assert response.status_code == 403
    assert "un autre modérateur doit la traiter" in response.json()["detail"]
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


def test_a_proposal_that_no_longer_applies_is_explained(client):
    contribution = pending()
    contribution.proposed["relations"].append(
        {"source": NEW, "target": "acteur-qui-n-existe-plus", "type": "collaboration"}
    )
    contribution.save()
    token = token_for(make_moderator())
    response = post(client, {}, token, f"{URL}{contribution.pk}/validate/")
    assert response.status_code == 400
    assert "ne peut pas être appliquée telle quelle" in response.json()["non_field_errors"][0]
    assert not Actor.objects.filter(name="Lab secret en attente").exists()


def test_the_whole_journey_through_the_api(client):
    """Anonymous proposal, confirmation by email, validation by token: published."""
    response = post(client, new_actor())
    client.get(path_of(confirmation_link(last_mail_to(EMAIL))))
    token = token_for(make_moderator())
    pk = response.json()["id"]
    assert post(client, {}, token, f"{URL}{pk}/validate/").status_code == 200
    actor = client.get("/api/actors/?q=vichy").json()["results"][0]
    assert actor["name"] == "Laboratoire citoyen de Vichy"
    assert actor["provenance"] == "contribution"
    relations = client.get(f"/api/relations/?acteur={actor['slug']}").json()["results"]
    assert [(r["target"], r["type"]) for r in relations] == [("archipel", "collaboration")] or [
        (r["source"], r["type"]) for r in relations
    ] == [("archipel", "collaboration")]
