"""When each actor and relation last changed: `updated_at` in every format, and the lists of the
API and the page filtered by `?modifie_depuis=` to what changed since a date."""

import csv
import datetime
import importlib
import io
import json

import pytest
from django.apps import apps
from django.utils import timezone

from actors.models import Actor
from relations.models import Relation
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=1))  # November: winter time
LONG_AGO = datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def recently_changed():
    """Everything published last changed long ago, but one actor and one relation changed on
    2 November 2026 at 10:00 (Paris)."""
    Actor.objects.update(updated_at=LONG_AGO)
    Relation.objects.update(updated_at=LONG_AGO)
    actor = make_actor(name="Changé en novembre")
    partner = Actor.objects.get(slug="archipel")
    relation = make_relation(partner, actor)
    moment = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    Actor.objects.filter(pk=actor.pk).update(updated_at=moment)
    Relation.objects.filter(pk=relation.pk).update(updated_at=moment)
    actor.refresh_from_db()
    relation.refresh_from_db()
    return actor, relation


def results(client, url: str, status: int = 200, **params):
    lists = ("/api/actors/", "/api/relations/")  # the paged ones: details and GeoJSON are whole
    paged = {"page_size": 1000} if url in lists else {}
    response = client.get(url, {**paged, **params})
    assert response.status_code == status, response.content[:300]
    return response.json()


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# In every format ------------------------------------------------------------------------------


def test_the_api_gives_when_an_actor_and_a_relation_last_changed(client, recently_changed):
    actor, relation = recently_changed
    data = results(client, f"/api/actors/{actor.slug}/")
    assert moment(data["updated_at"]) == actor.updated_at
    data = results(client, f"/api/relations/{relation.pk}/")
    assert moment(data["updated_at"]) == relation.updated_at
    listed = results(client, "/api/actors/")["results"]
    assert all(moment(row["updated_at"]) for row in listed)


def test_the_files_give_when_each_record_last_changed(client, recently_changed):
    actor, relation = recently_changed
    actors = {
        row["identifiant"]: row for row in read_csv(client.get("/donnees/acteurs.csv").content)
    }
    assert moment(actors[actor.slug]["modifie_le"]) == actor.updated_at
    assert moment(actors["archipel"]["modifie_le"]) == LONG_AGO
    relations = read_csv(client.get("/donnees/relations.csv").content)
    (row,) = [r for r in relations if r["acteur cible (identifiant)"] == actor.slug]
    assert moment(row["modifie_le"]) == relation.updated_at

    geojson = json.loads(client.get("/donnees/acteurs.geojson").content)
    (feature,) = [f for f in geojson["features"] if f["id"] == actor.slug]
    assert moment(feature["properties"]["updated_at"]) == actor.updated_at
    api_geojson = results(client, "/api/actors.geojson")
    (feature,) = [f for f in api_geojson["features"] if f["properties"]["slug"] == actor.slug]
    assert moment(feature["properties"]["updated_at"]) == actor.updated_at
    lines = results(client, "/api/relations.geojson")["features"]
    (line,) = [f for f in lines if f["properties"]["id"] == relation.pk]
    assert moment(line["properties"]["updated_at"]) == relation.updated_at

    dump = json.loads(client.get("/donnees/tips-map.json").content)
    (record,) = [a for a in dump["actors"] if a["slug"] == actor.slug]
    assert moment(record["updated_at"]) == actor.updated_at
    (record,) = [r for r in dump["relations"] if r["target"] == actor.slug]
    assert moment(record["updated_at"]) == relation.updated_at


def test_the_migration_dates_each_record_by_its_latest_version_not_by_now():
    archipel = Actor.objects.get(slug="archipel")
    relation = Relation.objects.involving(archipel).first()
    versioned_on = {
        "actor": archipel.history.latest().history_date,
        "relation": relation.history.latest().history_date,
    }
    Actor.objects.update(updated_at=timezone.now())  # as a bulk save would have left them
    Relation.objects.update(updated_at=timezone.now())
    for app, name in [
        ("actors", "0004_actor_updated_at"),
        ("relations", "0002_relation_updated_at"),
    ]:
        importlib.import_module(f"{app}.migrations.{name}").from_history(apps, None)
    archipel.refresh_from_db()
    relation.refresh_from_db()
    assert archipel.updated_at == versioned_on["actor"]
    assert relation.updated_at == versioned_on["relation"]


# ?modifie_depuis= ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "since, found",
    [
        ("2026-11-01", True),
        ("2026-11-02", True),  # midnight, Paris
        ("2026-11-02T10:00:00+01:00", True),  # the very moment
        ("2026-11-02T09:00:00Z", True),  # 10:00 in Paris
        ("2026-11-02T10:00:00 01:00", True),  # the "+" of an unencoded address
        ("2026-11-02T10:00:01+01:00", False),
        ("2026-11-03", False),
    ],
)
def test_only_what_changed_since_the_date_is_listed(client, recently_changed, since, found):
    actor, relation = recently_changed
    actors = {
        row["slug"] for row in results(client, "/api/actors/", modifie_depuis=since)["results"]
    }
    relations = {
        r["id"] for r in results(client, "/api/relations/", modifie_depuis=since)["results"]
    }
    assert actors == ({actor.slug} if found else set())
    assert relations == ({relation.pk} if found else set())
    geojson = results(client, "/api/actors.geojson", modifie_depuis=since)["features"]
    assert {f["properties"]["slug"] for f in geojson} == actors


def test_the_filter_combines_with_the_others(client, recently_changed):
    actor, _relation = recently_changed
    since = {"modifie_depuis": "2026-11-01"}
    assert results(client, "/api/actors/", type="prestataire", **since)["count"] == 0
    assert results(client, "/api/actors/", q="novembre", **since)["count"] == 1
    assert results(client, "/api/relations/", acteur="archipel", **since)["count"] == 1


@pytest.mark.parametrize(
    "value", ["hier", "2026-13-01", "2026-02-30", "01/11/2026", "2026-11-01T25:00"]
)
def test_a_value_that_is_no_date_answers_a_clear_french_400(client, value):
    for url in ["/api/actors/", "/api/relations/", "/api/actors.geojson"]:
        data = results(client, url, status=400, modifie_depuis=value)
        (message,) = data["errors"]["modifie_depuis"]
        assert f"« {value} » n'est pas une date" in message
        assert "ISO 8601, par exemple 2026-11-01" in message


def test_the_list_page_keeps_only_what_changed_since_the_date(client, recently_changed):
    actor, _relation = recently_changed
    page = client.get("/acteurs/", {"modifie_depuis": "2026-11-01"}).content.decode()
    assert actor.name in page and "Archipel" not in page
    page = client.get("/acteurs/", {"modifie_depuis": "pas une date"})
    assert page.status_code == 200
    assert "n&#x27;est pas une date" in page.content.decode()


def test_the_schema_documents_the_filter_on_both_lists(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ["/api/actors/", "/api/relations/", "/api/actors.geojson"]:
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "modifie_depuis" in names, path
    actor = schema["components"]["schemas"]["Actor"]["properties"]["updated_at"]
    assert actor["format"] == "date-time" and actor["readOnly"]
