"""The data version behind every cache of published data: what must move it, what must not, and
what a visitor therefore sees right after a change (no stale map, export or territory page)."""

import gzip
import json

import pytest
from django.db import connection, transaction

from actors.models import Actor
from relations.models import Relation, RelationType
from tests.factories import make_actor, pending_new_actor
from tips_map import payloads
from tips_map.models import DataVersion

pytestmark = pytest.mark.django_db
MAP = "/acteurs/carte.json"


def names_on_the_map(client):
    return {row[1] for row in json.loads(client.get(MAP).content)["actors"]}


def test_every_kind_of_write_moves_the_version():
    archipel = Actor.objects.get(slug="archipel")
    seen = {DataVersion.key()}
    writes = [
        lambda: archipel.save(),
        lambda: Actor.objects.filter(pk=archipel.pk).update(short_name="Archi"),  # no signal
        lambda: make_actor(name="Nouveau"),
        lambda: Actor.objects.bulk_create([Actor(name="En masse", slug="en-masse", type="autre")]),
        lambda: Relation.objects.filter(type=RelationType.COLLABORATION)[:1].get().delete(),
        lambda: archipel.contacts.create(name="Camille", function="cheffe de projet"),
        lambda: archipel.secondary_types.clear(),
    ]
    for write in writes:
        write()
        seen.add(DataVersion.key())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE territories_territory SET name = name")  # raw SQL
    seen.add(DataVersion.key())
    assert len(seen) == len(writes) + 2


def test_reading_and_pending_proposals_do_not_move_it(client):
    before = DataVersion.key()
    for url in ["/", MAP, "/acteurs/", "/acteurs/archipel/", "/territoires/puy-de-dome/"]:
        assert client.get(url).status_code == 200
    pending_new_actor()
    assert DataVersion.key() == before


def test_a_rolled_back_change_never_gives_its_version_to_a_later_one(client):
    """A payload built inside a transaction that rolls back must not be served afterwards."""
    versions = []
    with pytest.raises(RuntimeError), transaction.atomic():
        Actor.objects.filter(slug="archipel").update(short_name="Nom annulé")
        versions.append(DataVersion.key())
        assert "Nom annulé" in names_on_the_map(client)  # built and kept for that version
        raise RuntimeError
    Actor.objects.filter(slug="archipel").update(short_name="Nom gardé")
    versions.append(DataVersion.key())
    assert versions[0] != versions[1]
    names = names_on_the_map(client)
    assert "Nom gardé" in names and "Nom annulé" not in names


def test_a_change_shows_on_the_next_download_of_each_export(client):
    before = client.get("/donnees/acteurs.geojson", headers={"Accept-Encoding": "gzip"})
    assert before["Content-Encoding"] == "gzip"
    features = json.loads(gzip.decompress(before.content))["features"]
    assert "Archipel renommé" not in {f["properties"]["name"] for f in features}
    again = client.get("/donnees/acteurs.geojson", headers={"If-None-Match": before["ETag"]})
    assert again.status_code == 304

    Actor.objects.filter(slug="archipel").update(name="Archipel renommé")
    after = client.get("/donnees/acteurs.geojson", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    names = {f["properties"]["name"] for f in json.loads(after.content)["features"]}
    assert "Archipel renommé" in names
    assert "Archipel renommé" in client.get("/donnees/acteurs.csv").content.decode()


def test_a_territory_page_follows_the_data(client):
    page = client.get("/territoires/puy-de-dome/").content.decode()
    assert "Tout nouveau lab" not in page
    make_actor(name="Tout nouveau lab", latitude=45.7797, longitude=3.0863)  # Clermont
    assert "Tout nouveau lab" in client.get("/territoires/puy-de-dome/").content.decode()


def test_the_store_forgets_the_least_recently_used_entries():
    store = payloads.Store(size=2)
    for name in ["a", "b", "c"]:
        store.put("v1", name, name) if store.get("v1", name) is None else None
    assert store.get("v1", "a") is None and store.get("v1", "c") == "c"
    assert store.get("v2", "c") is None  # a new version empties it
