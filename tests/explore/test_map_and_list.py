"""The map data, the list and the pages around them, as the public sees them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from relations.models import RelationType
from tests.factories import make_actor, make_relation
from tips_map import payloads

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/acteurs/",
    "/acteurs/carte.json",
    "/acteurs/archipel/",
    "/territoires/",
    "/territoires/puy-de-dome/",
    "/typologie/",
    "/integrer/",
    "/contribuer/",
    "/contribuer/correction/archipel/",
    "/territoires/contours.geojson",
    "/acteurs/?type=cellule_innovation&tri=-commune",
]


def map_rows(client, query=""):
    data = json.loads(client.get("/acteurs/carte.json" + query).content)
    return [dict(zip(data["fields"], row, strict=True)) for row in data["actors"]], data


def test_the_map_data_holds_every_published_actor_once(client):
    rows, data = map_rows(client)
    assert len(rows) == Actor.objects.visible().count()
    assert len({r["slug"] for r in rows}) == len(rows)
    archipel = next(r for r in rows if r["slug"] == "archipel")
    assert data["types"][archipel["type"]] == "cellule_innovation"
    assert archipel["name"] == "Archipel" and archipel["commune"] == "Lyon"
    assert (
        data["counts"]["cellule_innovation"]
        == Actor.objects.visible().filter(type="cellule_innovation").count()
    )


def test_the_map_data_follows_the_filters(client):
    rows, _ = map_rows(client, "?type=prestataire")
    expected = set(Actor.objects.visible().of_type("prestataire").values_list("slug", flat=True))
    assert {r["slug"] for r in rows} == expected
    assert any(r["type"] != 4 for r in rows)  # a secondary type counts too (Aract AURA)
    rows, _ = map_rows(client, "?disparus=on")
    labo_63 = next(r for r in rows if r["slug"] == "labo-63")
    assert labo_63["flags"] & 1  # greyed on the map


def test_the_map_data_is_compact(client):
    response = client.get("/acteurs/carte.json")
    assert len(response.content) / Actor.objects.visible().count() < 120


def test_the_list_sorts_and_paginates_and_keeps_the_filters(client):
    for n in range(60):
        make_actor(name=f"Zz acteur {n:02d}", type="prestataire")
    page = client.get("/acteurs/?type=prestataire&tri=-nom").content.decode()
    assert page.index("Zz acteur 59") < page.index("Zz acteur 58")
    assert "Page 1 sur 2" in page
    assert "?type=prestataire&amp;tri=-nom&amp;page=2" in page
    second = client.get("/acteurs/?type=prestataire&tri=-nom&page=2").content.decode()
    assert "Zz acteur 00" not in page and "Design Tout Terrain" in second


def test_the_view_switch_keeps_the_filters(client):
    page = client.get("/?type=prestataire&q=design").content.decode()
    assert 'href="/acteurs/?type=prestataire&amp;q=design"' in page
    page = client.get("/acteurs/?type=prestataire&q=design").content.decode()
    assert 'href="/?type=prestataire&amp;q=design"' in page


def test_counts_per_type_follow_the_other_filters(client):
    page = client.get("/acteurs/?territoire=puy-de-dome").content.decode()
    count = (
        Actor.objects.visible()
        .filter(territory__path__startswith="84/63/", type="cellule_innovation")
        .count()
    )
    assert f'data-type-count="cellule_innovation">{count}<' in page


def test_the_card_offers_a_correction_and_draws_its_relations(client):
    page = client.get("/acteurs/archipel/").content.decode()
    assert "/contribuer/correction/archipel/" in page
    data = json.loads(
        page.split('id="card-map-data" type="application/json">')[1].split("</script>")[0]
    )
    relations = Actor.objects.get(slug="archipel")
    count = relations.relations_as_source.count() + relations.relations_as_target.count()
    assert len(data["lines"]) == count
    assert {"type": "prestation_service", "from": "ditp", "to": "archipel"} in data["lines"]


def test_a_territory_page_marks_partners_outside_it(client):
    page = client.get("/territoires/puy-de-dome/").content.decode()
    external = page.split("Partenaires extérieurs au territoire")[1]
    assert "Dre&#x27;Lab" in external and "acteur extérieur au territoire" in external
    assert "Labo 63" in page  # disappeared actors still belong to the territory's story


def test_the_typology_links_the_report_examples_to_their_cards(client):
    page = client.get("/typologie/").content.decode()
    section = page.split('id="type-cellule_innovation"')[1].split("</section>")[0]
    for slug in ["archipel", "la-piste", "dre-lab", "labo-loire"]:
        assert f'href="/acteurs/{slug}/"' in section
    assert "Licence Ouverte" in page


def test_the_embed_view_can_be_framed_and_has_no_site_chrome(client):
    response = client.get("/integrer/?type=prestataire")
    assert "X-Frame-Options" not in response.headers
    assert 'class="site-header"' not in response.content.decode()
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_markup_in_names_is_escaped_everywhere(client):
    evil = make_actor(
        name="<img src=x onerror=alert(1)>",
        slug="evil",
        commune_name="<b>x</b>",
        latitude=45.7797,
        longitude=3.0863,
    )
    make_relation(evil, Actor.objects.get(slug="archipel"), RelationType.COLLABORATION)
    for url in [
        "/",
        "/acteurs/",
        "/acteurs/evil/",
        "/acteurs/archipel/",
        "/territoires/puy-de-dome/",
        "/acteurs/?q=img",
    ]:
        page = client.get(url).content.decode()
        assert "<img src=x" not in page, url
        assert "<b>x</b>" not in page, url


def test_pages_work_without_javascript(client):
    page = client.get("/acteurs/?q=archipel").content.decode()
    assert 'href="/acteurs/archipel/"' in page
    assert '<form id="filters"' in page and 'method="get"' in page


def count_queries(client, url):
    payloads.STORE.clear()  # cold: the map's payload is kept per data version in the process
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_queries_stay_flat_as_data_grows(client, url):
    small = count_queries(client, url)
    archipel = Actor.objects.get(slug="archipel")
    for n in range(200):
        actor = make_actor(
            name=f"Acteur {n}",
            latitude=45.7797,
            longitude=3.0863,
            type=["prestataire", "cellule_innovation"][n % 2],
        )
        if n % 4 == 0:
            make_relation(archipel, actor, RelationType.PRESTATION_SERVICE)
        if n % 5 == 0:
            make_relation(actor, Actor.objects.get(slug="cisca"), RelationType.COLLABORATION)
    assert count_queries(client, url) == small, url
