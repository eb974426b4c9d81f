"""The API's ETag and Last-Modified move with every published change, deletions, merges,
restores and territories included: a client holding the old ETag, or the old date, gets 200 and
the new content, never a 304 for data that changed; and the date never goes backwards."""

import datetime
from collections.abc import Callable

import pytest
from django.db.models import F
from django.utils.http import parse_http_date

from actors.models import Actor
from contributions.history import restore_actor
from contributions.merge import merge
from relations.models import Relation
from territories.models import Territory
from tests.factories import make_actor
from tips_map.models import DataVersion

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def as_if_the_last_change_was_an_hour_ago() -> None:
    """HTTP dates count whole seconds: the test's changes all fall in one. Moving every date of
    the data back an hour lets a change made now show in Last-Modified, as it would in life."""
    Actor.every.update(updated_at=F("updated_at") - HOUR)
    Relation.objects.update(updated_at=F("updated_at") - HOUR)
    DataVersion.objects.update(changed_at=F("changed_at") - HOUR)


def delete_an_actor() -> Callable[[dict], bool]:
    actor = Actor.objects.get(slug="labo-63")
    actor.delete()
    return lambda data: "labo-63" not in {a["slug"] for a in data["results"]}


def delete_a_relation() -> Callable[[dict], bool]:
    relation = Relation.objects.order_by("pk").first()
    pk = relation.pk
    relation.delete()
    return lambda data: pk not in {r["id"] for r in data["results"]}


def merge_two_actors() -> Callable[[dict], bool]:
    kept, merged = Actor.objects.get(slug="lab-double"), Actor.objects.get(slug="lab-double-bis")
    merge(kept.pk, merged.pk, {}, reason="Doublon", checked_on=datetime.date.today())
    return lambda data: "lab-double-bis" not in {a["slug"] for a in data["results"]}


def restore_a_version() -> Callable[[dict], bool]:
    actor = Actor.objects.get(slug="lab-double")
    first = actor.history.order_by("history_date").first()
    restore_actor(actor, first)
    names = lambda data: {a["slug"]: a["name"] for a in data["results"]}  # noqa: E731
    return lambda data: names(data)["lab-double"] == "Lab double"


def edit_a_territory() -> Callable[[dict], bool]:
    territory = Territory.objects.get(slug="puy-de-dome")
    territory.name = "Puy-de-Dôme (nouveau nom)"
    territory.save()
    return lambda data: "Puy-de-Dôme (nouveau nom)" in {t["name"] for t in data["results"]}


CHANGES = {
    "deleting an actor": (delete_an_actor, "/api/actors/?page_size=1000&disparus=true"),
    "deleting a relation": (delete_a_relation, "/api/relations/?page_size=1000"),
    "merging": (merge_two_actors, "/api/actors/?page_size=1000"),
    "restoring a version": (restore_a_version, "/api/actors/?page_size=1000"),
    "editing a territory": (edit_a_territory, "/api/territories/?page_size=1000"),
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_every_published_change_moves_the_etag_and_the_date_of_the_apis_lists(client, case):
    change, url = CHANGES[case]
    make_actor(name="Lab double", slug="lab-double")
    make_actor(name="Lab double bis", slug="lab-double-bis")
    Actor.objects.get(slug="lab-double").publish({"name": "Lab double, renommé"}, reason="Test")
    as_if_the_last_change_was_an_hour_ago()
    before = client.get(url)
    etag, last_modified = before["ETag"], before["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    shows_the_change = change()
    assert not shows_the_change(before.json())
    for headers in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": last_modified}):
        after = client.get(url, **headers)
        assert after.status_code == 200, (case, headers)
        assert shows_the_change(after.json()), (case, headers)
        assert after["ETag"] != etag, case
        assert parse_http_date(after["Last-Modified"]) > parse_http_date(last_modified), case
