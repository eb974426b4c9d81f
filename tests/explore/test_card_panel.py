"""The card's main facts as the home map's side panel: an HTML fragment of our own server."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import ActorType, Lifecycle
from relations.models import RelationType
from tests.factories import make_actor, make_metropole_lab, make_relation

pytestmark = pytest.mark.django_db


def panel(client, actor) -> str:
    response = client.get(f"/acteurs/{actor.slug}/panneau/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_the_main_facts_and_links_the_full_card(client):
    lab = make_metropole_lab()
    school = make_actor(name="École du design public", type=ActorType.FORMATION_RECHERCHE)
    make_relation(school, lab, RelationType.PRESTATION_SERVICE)
    page = panel(client, lab)
    assert "Laboratoire d'innovation de la Métropole test" in page.replace("&#x27;", "'")
    assert "Cellule publique d&#x27;innovation" in page
    assert "Clermont-Ferrand" in page
    assert "Expérimenter des services publics numériques" in page
    assert 'href="https://lab.example.org/"' in page
    assert "Prestation de service" in page and "Bénéficiaire de" in page
    assert f'href="{school.get_absolute_url()}" data-panel-slug="{school.slug}"' in page
    assert f'href="{lab.get_absolute_url()}">Voir la fiche complète</a>' in page
    # A fragment, not a page: no layout around it, nothing of the card's mini-map or history.
    assert "<html" not in page and "<script" not in page and "Historique" not in page


def test_a_disappeared_actor_says_so_and_one_without_relations_too(client):
    gone = make_actor(name="Labo fermé", lifecycle=Lifecycle.DISPARU, ended_year=2019)
    page = panel(client, gone)
    assert "Disparu" in page and "(2019)" in page
    assert "Aucune relation connue." in page


def test_names_with_markup_are_shown_as_text(client):
    evil = make_actor(name="<img src=x onerror=alert(1)>", missions="<script>alert(2)</script>")
    page = panel(client, evil)
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_unknown_actor_is_a_404(client):
    assert client.get("/acteurs/nexiste-pas/panneau/").status_code == 404


def test_the_panel_makes_the_same_number_of_queries_as_relations_grow(client):
    lab = make_metropole_lab()
    with CaptureQueriesContext(connection) as few:
        panel(client, lab)
    for n in range(30):
        partner = make_actor(name=f"Partenaire {n}")
        make_relation(lab, partner, RelationType.COLLABORATION)
        make_relation(partner, lab, RelationType.PRESTATION_SERVICE)
    with CaptureQueriesContext(connection) as many:
        page = panel(client, lab)
    assert page.count("data-panel-slug=") == 60
    assert len(many) == len(few)
