"""The time control (?annee=): the ecosystem as it stood that year, the same in every view.

The issue's hand-made set: an actor founded in 2020 is absent in 2019; a relation ended in
2018 is absent in 2019 and present in 2017. The map data, the list, the network data and the
API must give the same actors for each year, and the origin filter must agree across them."""

import json

import pytest

from actors.models import Lifecycle
from relations.models import Origin, RelationType
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db
# The report's data is loaded too: every view is read for these actors only.
NAMES = {
    "Vieux Lab Temporis",
    "Jeune Lab Temporis",
    "Partenaire Durable Temporis",
    "Lab Fermé Temporis",
}


@pytest.fixture
def ecosystem():
    old = make_actor(name="Vieux Lab Temporis", founded_year=2010)
    young = make_actor(name="Jeune Lab Temporis", founded_year=2020)
    partner = make_actor(name="Partenaire Durable Temporis")
    gone = make_actor(name="Lab Fermé Temporis", lifecycle=Lifecycle.DISPARU)  # end year unknown
    ended = make_relation(old, partner, start_year=2015, end_year=2018)
    both = make_relation(
        young, partner, type=RelationType.PARTAGE_INFORMATION, origin=Origin.DECLARED_BY_BOTH
    )
    return {
        "old": old,
        "young": young,
        "partner": partner,
        "gone": gone,
        "ended": ended,
        "both": both,
    }


def map_names(client, query):
    response = client.get("/acteurs/carte.json", query)
    assert response.status_code == 200
    return {row[1] for row in response.json()["actors"]} & NAMES


def list_names(client, query, names):
    page = client.get("/acteurs/", {**query, "q": "temporis"}).content.decode()
    return {name for name in names if name in page}


def network(client, query):
    response = client.get("/reseau/donnees.json", query)
    assert response.status_code == 200
    data = json.loads(response.content)
    ours = {n["id"] for n in data["nodes"] if n["name"] in NAMES}
    edges = {e["id"] for e in data["edges"] if e["source"] in ours and e["target"] in ours}
    return {n["name"] for n in data["nodes"]} & NAMES, edges


def api_names(client, query):
    response = client.get("/api/actors/", {**query, "q": "temporis", "page_size": 100})
    assert response.status_code == 200
    return {a["name"] for a in response.json()["results"]} & NAMES


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            {"annee": "2017"},
            {"Vieux Lab Temporis", "Partenaire Durable Temporis", "Lab Fermé Temporis"},
        ),
        (
            {"annee": "2019"},
            {"Vieux Lab Temporis", "Partenaire Durable Temporis", "Lab Fermé Temporis"},
        ),
        ({"annee": "2020"}, NAMES),
        ({}, {"Vieux Lab Temporis", "Jeune Lab Temporis", "Partenaire Durable Temporis"}),
    ],
)
def test_every_view_shows_the_same_actors_for_a_year(client, ecosystem, query, expected):
    assert map_names(client, query) == expected
    assert list_names(client, query, NAMES) == expected
    assert network(client, query)[0] == expected
    assert api_names(client, query) == expected


def test_a_relation_ended_in_2018_is_drawn_in_2017_not_in_2019(client, ecosystem):
    ended = ecosystem["ended"].pk
    assert ended in network(client, {"annee": "2017"})[1]
    assert ended not in network(client, {"annee": "2019"})[1]
    assert ended in network(client, {})[1]  # today, every relation of living actors is drawn
    edges = json.loads(client.get("/reseau/donnees.json").content)["edges"]
    (drawn,) = [e for e in edges if e["id"] == ended]
    assert (drawn["start"], drawn["end"], drawn["origin"]) == (2015, 2018, Origin.DECLARED)


def test_the_origin_filter_agrees_across_views(client, ecosystem):
    query = {"origine": Origin.DECLARED_BY_BOTH}
    expected = {"Jeune Lab Temporis", "Partenaire Durable Temporis"}
    assert map_names(client, query) == expected
    assert list_names(client, query, NAMES) == expected
    assert api_names(client, query) == expected
    nodes, edges = network(client, query)
    assert nodes == expected
    assert edges == {ecosystem["both"].pk}


def test_a_layer_keeps_its_relations_and_its_measures(client, ecosystem):
    query = {"couche": RelationType.PARTAGE_INFORMATION}
    assert network(client, query)[1] == {ecosystem["both"].pk}
    data = client.get("/reseau/donnees.json", query).json()
    assert {e["type"] for e in data["edges"]} == {RelationType.PARTAGE_INFORMATION}
    degrees = {n["name"]: n["degree"] for n in data["nodes"]}
    assert degrees["Vieux Lab Temporis"] == 0  # its only tie is a collaboration
    assert degrees["Partenaire Durable Temporis"] == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ({"annee": "1850"}, "annee"),
        ({"annee": "deux-mille"}, "annee"),
        ({"couche": "amitie"}, "couche"),
    ],
)
def test_a_year_or_layer_it_cannot_read_is_a_400_in_french(client, query, field):
    for url in ("/reseau/donnees.json", "/acteurs/carte.json"):
        if field == "couche" and url != "/reseau/donnees.json":
            continue
        response = client.get(url, query)
        assert response.status_code == 400
        assert field in response.json()["errors"]
    if field == "annee":
        assert client.get("/api/actors/", query).status_code == 400
