"""Territory pages and menus stay the same size when a national map has thousands of actors and
communes: they count everything and list the first few, with a way to the rest."""

import pytest

from actors.models import Actor
from explore.views import territory as views
from territories.models import Level, Territory
from tests.factories import make_actor
from tips_map import payloads

pytestmark = pytest.mark.django_db
CLERMONT = {"latitude": 45.7797, "longitude": 3.0863}


def test_a_big_territory_lists_the_first_actors_and_links_to_all(client):
    already = Actor.objects.in_territory(Territory.objects.get(slug="puy-de-dome")).count()
    for n in range(views.LISTED + 5):
        make_actor(name=f"Zz lab {n:03d}", **CLERMONT)
    total = already + views.LISTED + 5
    page = client.get("/territoires/puy-de-dome/").content.decode()
    assert f"{total} acteurs dans le territoire" in page
    assert f"voir la liste des {total} acteurs" in page
    assert 'href="/acteurs/?territoire=puy-de-dome"' in page
    listed = page.split('id="actors-title"')[1].split("</section>")[0]
    assert listed.count("Zz lab") == views.LISTED - already  # the alphabetical end is not
    assert "Zz lab 054" not in listed


def test_a_territory_too_big_for_the_mini_map_points_to_the_main_map(client, monkeypatch):
    monkeypatch.setattr(views, "MAP_POINTS", 3)
    payloads.STORE.clear()  # the page's figures are kept per data version
    page = client.get("/territoires/puy-de-dome/").content.decode()
    assert "Trop d'acteurs et de relations pour cette carte" in page
    assert '"points": []' in page


def test_the_index_lists_the_levels_above_the_communes(client):
    page = client.get("/territoires/").content.decode()
    assert "Puy-de-Dôme" in page and "Clermont Auvergne Métropole" in page
    assert 'href="/territoires/clermont-ferrand/"' not in page
    assert "Les communes figurent sur la page de leur intercommunalité" in page


def test_the_territory_menu_skips_communes_but_keeps_a_chosen_one(client):
    communes = Territory.objects.filter(level=Level.COMMUNE)
    assert communes.exists()
    page = client.get("/acteurs/").content.decode()
    assert '<option value="puy-de-dome">Puy-de-Dôme</option>' in page
    assert '<optgroup label="Département">' in page and '<optgroup label="Commune">' not in page
    assert not any(f'value="{c.slug}"' in page for c in communes)
    chosen = client.get("/acteurs/?territoire=clermont-ferrand").content.decode()
    assert '<option value="clermont-ferrand" selected>Clermont-Ferrand</option>' in chosen
    in_clermont = Actor.objects.filter(territory__slug="clermont-ferrand").first()
    elsewhere = Actor.objects.exclude(territory__slug="clermont-ferrand").first()
    assert f'href="/acteurs/{in_clermont.slug}/"' in chosen  # the filter still applies
    assert f'href="/acteurs/{elsewhere.slug}/"' not in chosen


def test_only_a_rendered_form_reads_the_territory_menu(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def menu_read(url):
        payloads.STORE.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return any('"territories_territory"."level" IN' in q["sql"] for q in queries)

    assert menu_read("/acteurs/")
    assert not menu_read("/acteurs/carte.json?type=prestataire")
    assert not menu_read("/api/actors/?format=json")
