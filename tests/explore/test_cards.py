"""What the public sees of the report's ecosystem: home page, actor cards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, ActorType, Lifecycle
from relations.models import RelationType
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db


def test_the_home_page_gives_the_counts_per_type(client):
    page = client.get("/").content.decode()
    for actor_type in ActorType:
        count = Actor.objects.visible().filter(type=actor_type).count()
        assert f'data-type-count="{actor_type.value}">{count}<' in page
    assert Actor.objects.visible().filter(type="prestataire").count() > 0


def test_disappeared_actors_are_hidden_from_the_list_until_asked_for(client):
    make_actor(
        name="Labo fermé en 2019", lifecycle=Lifecycle.DISPARU, founded_year=2015, ended_year=2019
    )
    assert "Labo fermé en 2019" not in client.get("/acteurs/").content.decode()
    page = client.get("/acteurs/?disparus=on&q=labo+ferme").content.decode()
    row = page.split("Labo fermé en 2019")[0].rsplit("<tr", 1)[1]
    assert 'class="is-gone"' in row


def test_the_card_shows_the_actor_and_its_relations_by_type(client):
    lab = make_actor(name="Lab des usagers", missions="Prototyper des services")
    school = make_actor(name="École du design public", type=ActorType.FORMATION_RECHERCHE)
    make_relation(school, lab, RelationType.PRESTATION_SERVICE, description="Formation")
    make_relation(lab, school, RelationType.COLLABORATION)
    page = client.get(lab.get_absolute_url()).content.decode()
    assert "Lab des usagers" in page and "Prototyper des services" in page
    assert "Prestation de service" in page and "Collaboration" in page
    assert "Bénéficiaire de" in page
    assert school.get_absolute_url() in page
    assert "Prestataire pour" in client.get(school.get_absolute_url()).content.decode()


def test_a_name_with_markup_is_shown_as_text(client):
    actor = make_actor(name="<img src=x onerror=alert(1)>", missions="<script>alert(2)</script>")
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_unknown_card_is_a_404(client):
    assert client.get("/acteurs/nexiste-pas/").status_code == 404


def test_the_site_speaks_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "The organised actors of public innovation" in page
    assert "Public innovation unit" in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/", "/acteurs/archipel/", "/territoires/", "/territoires/puy-de-dome/"]
)
def test_pages_make_the_same_number_of_queries_as_data_grows(client, url):
    before = count_queries(client, url)
    archipel = Actor.objects.get(slug="archipel")
    for n in range(40):
        partner = make_actor(name=f"Partenaire {n}", latitude=45.78, longitude=3.08)
        make_relation(archipel, partner, RelationType.COLLABORATION)
        make_relation(partner, archipel, RelationType.PRESTATION_SERVICE)
    assert count_queries(client, url) == before


def test_french_is_the_default_whatever_the_browser_prefers(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="fr">' in page
    assert "Les acteurs organisés de l" in page and "The organised actors" not in page


def test_dates_follow_french_conventions(client):
    actor = make_actor(checked_on=datetime.date(2023, 3, 1))
    assert "vérifié le 1er mars 2023" in client.get(actor.get_absolute_url()).content.decode()
    actor.checked_on = datetime.date(2024, 11, 12)
    actor.save()
    assert "vérifié le 12 novembre 2024" in client.get(actor.get_absolute_url()).content.decode()


def test_lists_sort_as_french_readers_expect(client):
    for name in ["Zèbre Lab", "école du Lab", "Élan Lab", "Abeille Lab"]:
        make_actor(name=name, type=ActorType.PRESTATAIRE)
    page = client.get("/acteurs/?type=prestataire").content.decode()
    positions = [
        page.index(f">{name}<") for name in ["Abeille Lab", "école du Lab", "Élan Lab", "Zèbre Lab"]
    ]
    assert positions == sorted(positions)
