import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from relations.models import Relation, RelationType

pytestmark = pytest.mark.django_db
URL = "/acteurs/carte.json"


def generate(actors, relations):
    call_command(
        "generate_data",
        "--actors",
        str(actors),
        "--relations",
        str(relations),
        stdout=io.StringIO(),
    )


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), url
    return len(captured), response


def test_the_second_request_is_served_from_the_cache(client):
    first, response = queries(client, URL + "?disparus=on")
    second, again = queries(client, URL + "?disparus=on")
    assert second < first
    assert second <= 2  # the data version and the cache lookup
    assert again.content == response.content
    assert again["Cache-Control"] == "public, max-age=0, must-revalidate"
    # Another query string is another entry.
    assert json.loads(client.get(URL + "?q=zzzz").content)["actors"] == []


def test_an_etag_gives_a_304(client):
    response = client.get(URL)
    etag = response["ETag"]
    assert etag
    not_modified = client.get(URL, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    weak = client.get(URL, headers={"If-None-Match": "W/" + etag.removeprefix("W/")})
    assert weak.status_code == 304
    assert client.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_validated_change_shows_on_the_very_next_request(client):
    before = client.get(URL)
    actor = Actor.objects.order_by("id").first()
    actor.short_name = "Nom tout neuf"
    actor.save()
    after = client.get(URL, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    names = [row[1] for row in json.loads(after.content)["actors"]]
    assert "Nom tout neuf" in names

    # A new relation changes the ?relation= filter's answer at once.
    query = URL + "?relation=partage_information"
    shown = {row[0] for row in json.loads(client.get(query).content)["actors"]}
    lonely = Actor.objects.visible().exclude(slug__in=shown).exclude(latitude=None)[:2]
    first, second = sorted(lonely, key=lambda a: a.id)
    Relation.objects.create(source=first, target=second, type=RelationType.PARTAGE_INFORMATION)
    shown_now = {row[0] for row in json.loads(client.get(query).content)["actors"]}
    assert shown_now == shown | {first.slug, second.slug}


def test_the_payload_is_gzipped_and_small(client):
    generate(2000, 6000)
    plain = client.get(URL)
    zipped = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    actors = len(json.loads(plain.content)["actors"])
    assert actors >= 2000
    per_actor = len(zipped.content) / actors
    print(
        f"\nmap payload: {actors} actors, {len(plain.content)} bytes, "
        f"{len(zipped.content)} gzipped, {per_actor:.1f} bytes per actor gzipped"
    )
    assert per_actor < 60
    # The gzipped answer keeps a (weak) ETag that revalidates.
    again = client.get(URL, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]})
    assert again.status_code == 304


def test_query_counts_do_not_grow_with_the_data(client, settings):
    # The same path at both sizes: the network measures left to the background computation.
    settings.TIPS_NETWORK_SYNC_LIMIT = 0
    generate(100, 300)
    actor = Actor.objects.filter(slug__startswith="gen-").order_by("id").first()
    territory = actor.territory
    small = {}
    for url in [
        URL,
        "/acteurs/",
        actor.get_absolute_url(),
        territory.get_absolute_url(),
        "/reseau/donnees.json",
        "/api/actors/",
    ]:
        # Cold: the cache misses (data version just moved), the view does all its work.
        small[url] = queries(client, url)[0]
    generate(900, 2700)
    large = {}
    for url in small:
        large[url] = queries(client, url)[0]
    print(f"\nqueries at 100 actors: {small}\nqueries at 1,000 actors: {large}")
    assert large == small
