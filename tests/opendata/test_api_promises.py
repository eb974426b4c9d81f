"""What the API promises besides its schema: strict booleans, errors in French and in one JSON
shape, conditional GET from the data version, licensed GeoJSON, valid geometries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from actors.models import Actor
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db


def count(client, **params) -> int:
    response = client.get("/api/actors/", params)
    assert response.status_code == 200, response.content[:300]
    return response.json()["count"]


def test_disparus_is_a_boolean_and_anything_else_is_a_400_in_french(client):
    visible = Actor.objects.visible().count()
    every = Actor.objects.count()
    assert visible < every  # the report has disappeared actors
    for word in ("0", "false", "non", "off", "False"):
        assert count(client, disparus=word) == visible, word
    for word in ("1", "true", "oui", "on", "TRUE"):
        assert count(client, disparus=word) == every, word
    response = client.get("/api/actors/", {"disparus": "peut-être"})
    assert response.status_code == 400
    body = response.json()
    assert "peut-être" in body["errors"]["disparus"][0]
    assert "1, true, oui ou on" in body["errors"]["disparus"][0]
    geojson = client.get("/api/actors.geojson", {"disparus": "2"})
    assert geojson.status_code == 400


def test_errors_are_french_json_of_one_shape_and_english_on_request(client):
    for url in ["/api/actors/n-existe-pas/", "/api/nulle-part/", "/api/actors/?page=999"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json() == {"detail": "Non trouvé."} or "Page" in response.json()["detail"]
    assert client.get("/api/actors/n-existe-pas/").json() == {"detail": "Non trouvé."}
    english = client.get("/api/actors/n-existe-pas/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "Not found."}
    # A missing final slash still finds its way.
    assert client.get("/api/actors").status_code == 301

    garbage = client.get("/api/actors/", {"format": "garbage"})
    assert garbage.status_code == 400
    message = garbage.json()["errors"]["format"][0]
    assert "garbage" in message and "json" in message

    unknown = client.get("/api/actors/", {"couleur": "bleu", "page_size": 5})
    assert unknown.status_code == 400
    body = unknown.json()
    assert list(body["errors"]) == ["couleur"]
    for part in ("filtres : q, type", "pagination : page, page_size", "tri : ordering", "format"):
        assert part in body["detail"], part
    assert client.get("/api/relations.geojson", {"page": 2}).status_code == 400
    ordered = client.get("/api/territories/", {"niveau": "region", "ordering": "name"})
    assert ordered.status_code == 200


def test_conditional_get_answers_304_until_the_data_changes(client):
    first = client.get("/api/actors/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    assert "Accept-Language" in first["Vary"]
    assert client.get("/api/actors/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/relations.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304
    since = client.get("/api/territories/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    english = client.get("/api/actors/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200  # another language, another representation
    make_actor(name="Un laboratoire tout neuf")
    again = client.get("/api/actors/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_the_actors_geojson_carries_licence_and_date_and_urls_on_the_site_url(client, settings):
    # A record's URL names it: the same in the API and in the files, whatever host was asked.
    settings.ALLOWED_HOSTS = ["donnees.example.org"]
    settings.SITE_URL = "https://tips.example.org"
    data = client.get("/api/actors.geojson", HTTP_HOST="donnees.example.org").json()
    assert data["licence"]["name"].startswith("Licence Ouverte")
    assert data["attribution"] and data["date"]
    assert data["features"][0]["properties"]["url"].startswith("https://tips.example.org/acteurs/")


def test_every_relation_geometry_is_valid(client):
    lab = make_actor(name="Lab du même endroit")
    other = make_actor(name="Voisin du même endroit")
    Actor.objects.filter(pk__in=[lab.pk, other.pk]).update(latitude=45.75, longitude=4.85)
    same_place = make_relation(lab, other)
    features = client.get("/api/relations.geojson").json()["features"]
    assert len(features) > 50
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid, feature["properties"]
        if geometry.geom_type == "LineString":
            assert geometry.length > 0, feature["properties"]
    by_id = {feature["properties"]["id"]: feature for feature in features}
    assert by_id[same_place.pk]["geometry"] == {"type": "Point", "coordinates": [4.85, 45.75]}


def test_the_actor_list_never_reads_a_territory_boundary(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/actors/", {"page_size": 1000, "disparus": "1"})
    assert response.status_code == 200
    assert any(row["territory"] for row in response.json()["results"])
    assert not [query["sql"] for query in queries if "boundary" in query["sql"]]
