"""Bad input: a clear French message next to the field, nothing typed lost, nothing saved."""

import pytest
from django.core.cache import cache

from actors.models import Actor
from contributions.models import Contribution

from .helpers import actor_form_data, correction_data, with_relation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def post(client, url="/contribuer/", **overrides):
    response = client.post(url, actor_form_data(**overrides))
    return response, response.content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"acteur-type": ""}, "Ce champ est obligatoire."),
        ({"acteur-name": ""}, "Ce champ est obligatoire."),
        ({"acteur-website": "pas une adresse"}, "Saisissez une URL valide."),
        ({"acteur-latitude": "123"}, "La latitude doit être comprise entre -90 et 90."),
        ({"acteur-longitude": "-200"}, "La longitude doit être comprise entre -180 et 180."),
        (
            {"acteur-latitude": "40.71", "acteur-longitude": "-74.0"},
            "Ces coordonnées sont hors de France.",
        ),
        ({"acteur-missions": "x" * 5001}, "Assurez-vous que cette valeur comporte au plus 5000"),
        ({"acteur-name": "Lab <b>gras</b>"}, "Le texte ne doit pas contenir de balises HTML."),
        ({"acteur-missions": "https://spam.example/offre"}, "un lien seul ne suffit pas"),
        (
            {
                "acteur-founded_year": "2020",
                "acteur-ended_year": "2010",
                "acteur-lifecycle": "disparu",
            },
            "L&#x27;année de disparition ne peut pas précéder l&#x27;année de création.",
        ),
        ({"contributeur-contributor_email": "camille@"}, "Saisissez une adresse e-mail valide."),
        ({"contributeur-email_consent": None}, "Ce champ est obligatoire."),
        ({"contributeur-telephone_fixe": "0102030405"}, "Ce champ doit rester vide"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, overrides, message):
    response, page = post(client, **overrides)
    assert response.status_code == 200
    assert message in page
    assert "La proposition n'est pas encore envoyée" in page
    assert 'value="Camille Martin"' in page  # the contributor's name is still there
    assert (
        "Expérimenter des services publics avec les habitants." in page
        or "acteur-missions" in overrides
    )
    assert Contribution.objects.count() == 0


def test_an_actor_abroad_is_accepted_once_confirmed(client):
    response, _ = post(
        client,
        **{
            "acteur-latitude": "40.71",
            "acteur-longitude": "-74.0",
            "acteur-country": "US",
            "acteur-confirm_abroad": "on",
        },
    )
    assert response.status_code == 302
    assert Contribution.objects.get().proposed["actor"]["country"] == "US"


def test_relation_errors_are_explained(client):
    archipel = Actor.objects.get(slug="archipel")
    data = with_relation(actor_form_data(), archipel, "collaboration", index=0)
    data = with_relation(data, archipel, "collaboration", index=1)
    page = client.post("/contribuer/", data).content.decode()
    assert "Cette relation figure deux fois dans la proposition." in page
    data = with_relation(actor_form_data(), archipel, "", index=0)
    data["relations-0-partner"] = "Acteur imaginaire"
    page = client.post("/contribuer/", data).content.decode()
    assert "Aucun acteur de la carte ne porte ce nom" in page
    assert 'value="Acteur imaginaire"' in page
    assert Contribution.objects.count() == 0


def test_a_relation_to_itself_or_already_published_is_refused(client):
    archipel = Actor.objects.get(slug="archipel")
    data = with_relation(correction_data(client, "archipel"), archipel, "collaboration")
    page = client.post("/contribuer/correction/archipel/", data).content.decode()
    assert "Un acteur ne peut pas être en relation avec lui-même." in page
    interlabs = Actor.objects.get(slug="interlabs")  # Archipel — INTERLABS is published
    data = with_relation(correction_data(client, "archipel"), interlabs, "collaboration")
    page = client.post("/contribuer/correction/archipel/", data).content.decode()
    assert "Cette relation existe déjà entre ces deux acteurs, avec ce type." in page
    assert Contribution.objects.count() == 0


def test_a_correction_that_changes_nothing_is_explained(client):
    page = client.post(
        "/contribuer/correction/archipel/", correction_data(client, "archipel")
    ).content.decode()
    assert "Vous n'avez rien modifié" in page
    assert Contribution.objects.count() == 0


def test_the_rate_limit_is_explained_and_keeps_the_input(client, settings):
    settings.TIPS_CONTRIBUTIONS_PER_EMAIL = "2/h"
    for n in range(2):
        response, _ = post(client, **{"acteur-name": f"Lab numéro {n}"})
        assert response.status_code == 302
    response, page = post(client, **{"acteur-name": "Lab numéro 3"})
    assert response.status_code == 429
    assert "la carte en limite le nombre par heure" in page
    assert 'value="Lab numéro 3"' in page
    assert Contribution.objects.count() == 2


def test_the_rate_limit_counts_per_address_too(client, settings):
    settings.TIPS_CONTRIBUTIONS_PER_IP = "3/h"
    for n in range(3):
        post(client, **{"acteur-name": f"Lab {n}", "contributeur-contributor_email": f"p{n}@x.org"})
    response, _ = post(
        client, **{"acteur-name": "Lab 4", "contributeur-contributor_email": "p4@x.org"}
    )
    assert response.status_code == 429


def test_a_similar_actor_is_shown_before_sending(client):
    response, page = post(client, **{"acteur-name": "LABORATOIRE ARCHIPEL"})
    assert "Est-ce l'un de ces acteurs, déjà sur la carte ?" in page
    assert 'href="/acteurs/archipel/"' in page
    assert Contribution.objects.count() == 0
    response = client.post(
        "/contribuer/",
        actor_form_data(**{"acteur-name": "LABORATOIRE ARCHIPEL", "not_a_duplicate": "1"}),
    )
    assert response.status_code == 302


def test_a_close_name_nearby_is_shown_as_a_possible_duplicate(client):
    # "Labo 63" sits at Clermont-Ferrand's town hall; a near-identical spelling next to it.
    _, page = post(
        client,
        **{
            "acteur-name": "Le Labbo 63",
            "acteur-latitude": "45.7795",
            "acteur-longitude": "3.0861",
        },
    )
    assert "Est-ce l'un de ces acteurs, déjà sur la carte ?" in page
    assert 'href="/acteurs/labo-63/"' in page
    _, page = post(
        client,
        **{
            "acteur-name": "Le Labbo 63",
            "acteur-latitude": "45.1885",
            "acteur-longitude": "5.7245",
        },
    )
    assert 'href="/acteurs/labo-63/"' not in page
