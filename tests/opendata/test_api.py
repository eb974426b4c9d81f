"""The read API: the map's data and filters as JSON and GeoJSON, documented, open to every origin,
and never anything that is not published."""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from actors.models import PUBLIC_FIELDS, Actor, ActorTypeEntry, Contact, Lifecycle
from contributions.models import Contribution
from relations.models import Relation
from territories.models import Territory
from tests.factories import (
    UNPUBLISHED,
    make_actor,
    make_metropole_lab,
    make_relation,
    pending_new_actor,
    token_for,
)

pytestmark = pytest.mark.django_db

SECRET_NAME = "Lab secret en attente"
EMAIL = "contributrice.discrete@example.org"
# The API gives an actor its public fields (the one list of actors/models.py) and its links:
# nothing else, no contributor's email, nothing pending.
ACTOR_FIELDS = {*PUBLIC_FIELDS, "url", "api_url"}


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def api_slugs(client, url="/api/actors/", **params) -> set[str]:
    if not url.endswith(".geojson"):  # the GeoJSON is not paged: page_size is a 400 there
        params.setdefault("page_size", 1000)
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    if data.get("type") == "FeatureCollection":
        return {f["properties"]["slug"] for f in data["features"]}
    return {row["slug"] for row in data["results"]}


@pytest.fixture
def lab():
    return make_metropole_lab()


# Actors ------------------------------------------------------------------------------------


def test_an_actor_shows_exactly_the_public_fields_of_its_card(client, lab):
    lab.parent = Actor.objects.get(slug="archipel")
    lab.save()
    data = get_json(client, "/api/actors/labo-metropole-test/")
    assert set(data) == ACTOR_FIELDS
    assert data["name"] == lab.name
    assert data["secondary_types"] == ["intermediation"]
    assert data["parent"] == "archipel"
    assert data["territory"] == "clermont-ferrand"
    assert data["contacts"] == [{"name": "Dominique Durand", "function": "Cheffe de projet"}]
    assert data["url"] == settings.SITE_URL + "/acteurs/labo-metropole-test/"
    assert data["api_url"] == settings.SITE_URL + "/api/actors/labo-metropole-test/"
    assert data["report_lines"] == "798, 1540"
    body = json.dumps(data)
    assert lab.search_text not in body and "sort_name" not in body


def test_the_list_is_paginated_with_a_page_size(client):
    data = get_json(client, "/api/actors/?page_size=5")
    assert data["count"] == Actor.objects.visible().count()
    assert len(data["results"]) == 5
    assert "page=2" in data["next"] and data["previous"] is None
    assert len(get_json(client, "/api/actors/")["results"]) == 50  # default page
    second = get_json(client, data["next"])
    assert not {r["slug"] for r in second["results"]} & {r["slug"] for r in data["results"]}


def test_ordering_by_name_ignores_accents_and_can_be_reversed(client):
    make_actor(name="École test", slug="ecole-test")
    make_actor(name="Zèbre test", slug="zebre-test")
    make_actor(name="Ecluse test", slug="ecluse-test")
    names = [r["slug"] for r in get_json(client, "/api/actors/?ordering=name&q=test")["results"]]
    assert names.index("ecluse-test") < names.index("ecole-test") < names.index("zebre-test")
    reverse = [r["slug"] for r in get_json(client, "/api/actors/?ordering=-name&q=test")["results"]]
    assert reverse.index("zebre-test") < reverse.index("ecole-test")


def test_ordering_by_year_puts_unknown_years_last(client):
    make_actor(name="Ancien test", slug="ancien-test", founded_year=1990)
    make_actor(name="Récent test", slug="recent-test", founded_year=2022)
    for ordering in ("founded_year", "-founded_year"):
        rows = get_json(client, f"/api/actors/?ordering={ordering}&page_size=1000")["results"]
        slugs = [r["slug"] for r in rows]
        first, second = ("ancien-test", "recent-test")[:: 1 if ordering[0] != "-" else -1]
        assert slugs.index(first) < slugs.index(second)
        years = [r["founded_year"] for r in rows]
        known = [y for y in years if y is not None]
        assert years[: len(known)] == sorted(known, reverse=ordering.startswith("-"))


@pytest.mark.parametrize(
    "params, matches",
    [
        ({"q": "METROPOLE test"}, True),
        ({"q": "expérimenter des SERVICES"}, True),
        ({"q": "limt"}, True),
        ({"q": "grenoble"}, False),
        ({"type": "cellule_innovation"}, True),
        ({"type": "intermediation"}, True),  # secondary type
        ({"type": "prestataire"}, False),
        ({"type": ["prestataire", "intermediation"]}, True),
        ({"territoire": "puy-de-dome"}, True),
        ({"territoire": "clermont-auvergne-metropole"}, True),
        ({"territoire": "isere"}, False),
        ({"portee": "local"}, True),
        ({"portee": "regional"}, False),
        ({"statut": "collectivite_territoriale"}, True),
        ({"statut": "association"}, False),
        ({"cycle": "actif"}, True),
        ({"cycle": "naissant"}, False),
        ({"relation": "collaboration"}, True),
        ({"relation": "prestation_service"}, False),
    ],
)
@pytest.mark.parametrize("url", ["/api/actors/", "/api/actors.geojson"])
def test_each_actor_filter_matches_and_excludes(client, lab, url, params, matches):
    make_relation(lab, Actor.objects.get(slug="archipel"))
    assert ("labo-metropole-test" in api_slugs(client, url, **params)) is matches


@pytest.mark.parametrize("url", ["/api/actors/", "/api/actors.geojson"])
def test_disappeared_actors_are_hidden_unless_asked_for(client, url):
    make_actor(name="Lab fermé test", slug="lab-ferme-test", lifecycle=Lifecycle.DISPARU)
    assert "lab-ferme-test" not in api_slugs(client, url)
    assert "lab-ferme-test" in api_slugs(client, url, disparus="true")
    assert "lab-ferme-test" in api_slugs(client, url, disparus="on")
    assert "lab-ferme-test" in api_slugs(client, url, cycle="disparu")
    assert "lab-ferme-test" not in api_slugs(client, url, disparus="false")


def test_a_disappeared_actor_keeps_its_detail(client):
    make_actor(name="Lab fermé test", slug="lab-ferme-test", lifecycle=Lifecycle.DISPARU)
    assert get_json(client, "/api/actors/lab-ferme-test/")["lifecycle"] == "disparu"


def test_the_api_and_the_map_filter_alike(client):
    params = {"type": "cellule_innovation", "territoire": "auvergne-rhone-alpes"}
    map_slugs = {row[0] for row in client.get("/acteurs/carte.json", params).json()["actors"]}
    assert api_slugs(client, "/api/actors.geojson", **params) == map_slugs
    assert api_slugs(client, "/api/actors/", **params) >= map_slugs


def test_an_invalid_filter_value_is_a_400(client):
    response = client.get("/api/actors/?type=pas-un-type")
    assert response.status_code == 400
    assert "type" in response.json()["errors"]


def test_an_unknown_actor_is_a_404(client):
    assert client.get("/api/actors/n-existe-pas/").status_code == 404


def test_actors_geojson_is_a_feature_collection_of_points(client, lab):
    response = client.get("/api/actors.geojson?q=limt")
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [3.0863, 45.7797]}
    assert feature["properties"] == {
        "type": "cellule_innovation",
        "name": lab.name,
        "slug": "labo-metropole-test",
        "commune": "Clermont-Ferrand",
        "url": settings.SITE_URL + "/acteurs/labo-metropole-test/",
        "updated_at": feature["properties"]["updated_at"],  # tests/opendata/test_changed_since.py
    }
    as_json = client.get("/api/actors.geojson?q=limt&format=json")
    assert as_json["Content-Type"] == "application/json"
    assert as_json.json() == data


# Relations ---------------------------------------------------------------------------------


def test_a_relation_names_its_partners_and_direction(client):
    relation = Relation.objects.get(
        source__slug="ditp", target__slug="archipel", type="prestation_service"
    )
    data = get_json(client, f"/api/relations/{relation.pk}/")
    assert data["source"] == "ditp" and data["target"] == "archipel"
    assert data["directed"] is True
    assert data["type"] == "prestation_service"
    assert data["api_url"] == settings.SITE_URL + f"/api/relations/{relation.pk}/"


def relation_ids(client, url="/api/relations/", **params) -> set[int]:
    if not url.endswith(".geojson"):  # the GeoJSON is not paged: page_size is a 400 there
        params.setdefault("page_size", 1000)
    data = client.get(url, params).json()
    if data.get("type") == "FeatureCollection":
        return {f["properties"]["id"] for f in data["features"]}
    return {row["id"] for row in data["results"]}


@pytest.mark.parametrize("url", ["/api/relations/", "/api/relations.geojson"])
@pytest.mark.parametrize(
    "params, matches",
    [
        ({"type": "prestation_service"}, True),
        ({"type": "collaboration"}, False),
        ({"type": ["collaboration", "prestation_service"]}, True),
        ({"acteur": "archipel"}, True),  # as target
        ({"acteur": "ditp"}, True),  # as source
        ({"acteur": "labo-63"}, False),
    ],
)
def test_each_relation_filter_matches_and_excludes(client, url, params, matches):
    relation = Relation.objects.get(
        source__slug="ditp", target__slug="archipel", type="prestation_service"
    )
    assert (relation.pk in relation_ids(client, url, **params)) is matches


def test_relations_geojson_draws_lines_between_partners(client):
    archipel, ditp = Actor.objects.get(slug="archipel"), Actor.objects.get(slug="ditp")
    response = client.get("/api/relations.geojson?acteur=archipel&type=prestation_service")
    assert response["Content-Type"] == "application/geo+json"
    features = {
        (f["properties"]["source"], f["properties"]["target"]): f
        for f in response.json()["features"]
    }
    line = features[("ditp", "archipel")]
    assert line["geometry"] == {
        "type": "LineString",
        "coordinates": [[ditp.longitude, ditp.latitude], [archipel.longitude, archipel.latitude]],
    }
    assert line["properties"]["directed"] is True
    assert line["properties"]["type"] == "prestation_service"
    symmetric = client.get("/api/relations.geojson?acteur=archipel&type=collaboration").json()
    assert {f["properties"]["directed"] for f in symmetric["features"]} == {False}


# Territories -------------------------------------------------------------------------------


def test_a_territory_and_its_boundary(client):
    data = get_json(client, "/api/territories/puy-de-dome/")
    assert data["level"] == "departement" and data["code"] == "63"
    assert data["parent"] == "auvergne-rhone-alpes"
    assert data["geojson_url"] == settings.SITE_URL + "/api/territories/puy-de-dome.geojson"
    assert "boundary" not in data
    response = client.get("/api/territories/puy-de-dome.geojson")
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["geometry"] == Territory.objects.get(slug="puy-de-dome").boundary
    assert feature["properties"]["slug"] == "puy-de-dome"
    assert client.get("/api/territories/n-existe-pas.geojson").status_code == 404


def territory_slugs(client, **params) -> set[str]:
    params.setdefault("page_size", 1000)
    return {row["slug"] for row in get_json(client, "/api/territories/", data=params)["results"]}


@pytest.mark.parametrize(
    "name, matching, other",
    [("niveau", "departement", "region"), ("parent", "auvergne-rhone-alpes", "ile-de-france")],
)
def test_each_territory_filter_matches_and_excludes(client, name, matching, other):
    assert "puy-de-dome" in territory_slugs(client, **{name: matching})
    assert "puy-de-dome" not in territory_slugs(client, **{name: other})


def test_territories_order_by_name(client):
    rows = get_json(client, "/api/territories/?niveau=region&ordering=-name")["results"]
    names = [r["name"] for r in rows]
    assert names == sorted(names, reverse=True)


# Formats, origins, documentation ---------------------------------------------------------


def test_format_json_and_the_browsable_page(client):
    response = client.get("/api/actors/?format=json&page_size=1")
    assert response["Content-Type"] == "application/json"
    page = client.get("/api/actors/archipel/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Archipel" in page.content.decode()
    assert client.get("/api/actors/?format=api&type=cellule_innovation").status_code == 200
    assert get_json(client, "/api/")["actors"] == "http://testserver/api/actors/"


@pytest.mark.parametrize(
    "url", ["/api/actors/", "/api/actors.geojson", "/api/territories/puy-de-dome.geojson"]
)
def test_reading_is_open_to_every_origin(client, url):
    response = client.get(url, HTTP_ORIGIN="https://un-autre-site.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_other_origins_may_not_write():
    from django.test import Client

    preflight = Client().options(
        "/api/contributions/",
        HTTP_ORIGIN="https://un-autre-site.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


def test_the_list_makes_as_many_queries_for_10_or_60_more_actors(client):
    archipel = Actor.objects.get(slug="archipel")
    intermediation = ActorTypeEntry.objects.get(key="intermediation")

    def add(n):
        for _ in range(n):
            actor = make_actor(parent=archipel)
            actor.secondary_types.add(intermediation)
            Contact.objects.create(actor=actor, name="Une personne", function="Une fonction")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            data = get_json(client, "/api/actors/?page_size=1000&disparus=on")
        return len(queries), data["count"]

    get_json(client, "/api/actors/?page_size=1000")  # warm-up
    add(10)
    few, count_few = count_queries()
    add(50)
    many, count_many = count_queries()
    assert count_many == count_few + 50
    assert few == many, f"{few} queries for {count_few} actors, {many} for {count_many}"
    assert many <= 6  # one more: the data version, for ETag and Last-Modified
    with CaptureQueriesContext(connection) as queries:
        get_json(client, "/api/relations/?page_size=1000")
        get_json(client, "/api/territories/?page_size=1000")
    assert len(queries) <= 6


def schema(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3_and_describes_everything(client):
    document = schema(client)
    validate_schema(document)
    assert document["openapi"].startswith("3.")
    undescribed = []
    for name, component in document["components"]["schemas"].items():
        for prop, definition in component.get("properties", {}).items():
            if not definition.get("description"):
                undescribed.append(f"{name}.{prop}")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not operation.get("description") and not operation.get("summary"):
                undescribed.append(f"{method} {path}")
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    undescribed.append(f"{method} {path} ?{parameter['name']}")
    assert undescribed == []


def test_the_schema_documents_the_filters_in_french(client):
    parameters = {
        p["name"]: p for p in schema(client)["paths"]["/api/actors/"]["get"]["parameters"]
    }
    assert {"q", "type", "territoire", "portee", "statut", "cycle", "disparus", "relation"} <= set(
        parameters
    )
    assert {"page", "page_size", "ordering"} <= set(parameters)
    assert "accents" in parameters["q"]["description"]
    assert parameters["type"]["schema"]["type"] == "array"
    assert "intermediation" in parameters["type"]["schema"]["items"]["enum"]


def test_the_schema_in_yaml_and_the_documentation_page_work_offline(client):
    assert client.get("/api/schema/").content.decode().startswith("openapi: 3.")
    page = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "/api/schema/" in page
    assert not re.search(r"https?://(?!testserver)[^\"']*\.js", page)


def concrete(path: str) -> str:
    relation = Relation.objects.order_by("pk").first()
    contribution = Contribution.objects.order_by("pk").first()
    return (
        path.replace("/actors/{slug}", "/actors/archipel")
        .replace("/territories/{slug}", "/territories/puy-de-dome")
        .replace("/relations/{id}", f"/relations/{relation.pk}")
        .replace("/contributions/{id}", f"/contributions/{contribution.pk}")
    )


def test_every_documented_reading_path_answers(client, moderator):
    pending()
    token = token_for(moderator)
    paths = schema(client)["paths"]
    answered = []
    for path, operations in paths.items():
        if "get" in operations:
            response = client.get(concrete(path), HTTP_AUTHORIZATION=f"Token {token.key}")
            assert response.status_code == 200, (path, response.content[:300])
            answered.append(path)
    posts = {path for path, operations in paths.items() if "post" in operations}
    assert posts == {
        "/api/contributions/",
        "/api/contributions/{id}/validate/",
        "/api/contributions/{id}/refuse/",
    }  # answered in test_api_write.py
    assert set(answered) >= {
        "/api/actors/",
        "/api/actors/{slug}/",
        "/api/actors.geojson",
        "/api/relations/",
        "/api/relations/{id}/",
        "/api/relations.geojson",
        "/api/territories/",
        "/api/territories/{slug}/",
        "/api/territories/{slug}.geojson",
        "/api/contributions/",
        "/api/contributions/{id}/",
    }


# Nothing unpublished, no email ----------------------------------------------------------------


def pending(**fields) -> Contribution:
    return pending_new_actor(email=EMAIL, name=SECRET_NAME, **fields)


def public_api_urls(client) -> list[str]:
    relation = Relation.objects.order_by("pk").first()
    fixed = [
        "/api/",
        "/api/?format=api",
        "/api/actors/",
        "/api/actors/?format=api",
        "/api/actors/?disparus=on&page_size=1000",
        "/api/actors/?q=secret",
        "/api/actors/archipel/",
        "/api/actors/archipel/?format=api",
        "/api/actors.geojson?disparus=on",
        "/api/actors.geojson?q=secret",
        "/api/relations/?page_size=1000",
        f"/api/relations/{relation.pk}/",
        "/api/relations.geojson",
        "/api/territories/?page_size=1000",
        "/api/territories/clermont-ferrand/",
        "/api/territories/clermont-ferrand.geojson",
        "/api/schema/",
        "/api/schema/?format=json",
        "/api/docs/",
        "/api/contributions/",
        "/api/contributions/?format=api",
        f"/api/contributions/{Contribution.objects.order_by('pk').first().pk}/",
    ]
    documented = [concrete(path) for path in schema(client)["paths"]]
    return fixed + documented


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_no_endpoint_shows_an_unpublished_proposal_or_an_email(client, status):
    pending(contribution_status=status)
    for url in public_api_urls(client):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        body = response.content.decode()
        assert SECRET_NAME not in body, url
        assert EMAIL not in body, url


def test_a_validated_proposal_is_published_without_its_email(client, moderator):
    contribution = pending()
    contribution.decide(moderator, validate=True)
    actor = Actor.objects.get(name=SECRET_NAME)
    assert actor.slug in api_slugs(client)
    for url in [*public_api_urls(client), f"/api/actors/{actor.slug}/"]:
        assert EMAIL not in client.get(url).content.decode(), url


def test_a_non_moderator_token_sees_no_email_either(client, contributor):
    pending()
    token = token_for(contributor)
    for url in public_api_urls(client):
        body = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}").content.decode()
        assert EMAIL not in body and SECRET_NAME not in body, url
