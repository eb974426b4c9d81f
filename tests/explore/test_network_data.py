"""GET /reseau/donnees.json: the contract with the network page."""

import json

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from relations.models import Relation, RelationType
from tests.factories import PROPOSER_EMAIL as EMAIL
from tests.factories import make_actor, make_relation, pending_new_actor

pytestmark = pytest.mark.django_db

URL = "/reseau/donnees.json"
NODE_KEYS = {
    "id",
    "name",
    "type",
    "territory",
    "commune",
    "gone",
    "external",
    "degree",
    "degree_by_type",
    "betweenness",
    "brokerage",
    "community",
    "isolated",
}


def get(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_payload_keeps_the_contract(client):
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert b": " not in response.content and b", " not in response.content[:200]
    data = json.loads(response.content)
    assert set(data) == {
        "date",
        "year",
        "layer",
        "measures",
        "measures_status",
        "nodes",
        "edges",
        "counts",
    }
    assert data["measures"] == ["degree", "betweenness", "brokerage"]
    # The report's size: the measures are always those of the current data.
    assert data["measures_status"] == {
        "pending": False,
        "date": data["date"],
        "missing": 0,
        "unavailable": False,
    }
    assert len(data["date"]) == 10 and data["date"][4] == "-"
    assert data["counts"] == {"nodes": len(data["nodes"]), "edges": len(data["edges"])}
    for node in data["nodes"]:
        assert set(node) == NODE_KEYS
        assert set(node["degree_by_type"]) == set(RelationType.values)
        assert node["external"] is False
        assert node["isolated"] == (node["degree"] == 0)
    archipel = next(n for n in data["nodes"] if n["id"] == "archipel")
    assert archipel["name"] == "Archipel" and archipel["type"] == "cellule_innovation"
    assert archipel["commune"] == "Lyon" and archipel["territory"]
    ids = {n["id"] for n in data["nodes"]}
    for edge in data["edges"]:
        assert set(edge) == {"id", "source", "target", "type", "directed", "origin", "start", "end"}
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["directed"] == (edge["type"] == "prestation_service")
    visible = Actor.objects.visible()
    assert len(data["nodes"]) == visible.count()
    assert len(data["edges"]) == (
        Relation.objects.filter(source__in=visible, target__in=visible).count()
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?type=prestataire",
        "?type=cellule_innovation&type=intermediation",
        "?territoire=puy-de-dome",
        "?q=metropole",
        "?disparus=on",
        "?relation=prestation_service&portee=regional",
        "?statut=association&territoire=rhone",
        "?cycle=disparu",
    ],
)
def test_the_filters_choose_the_same_actors_as_the_map(client, query):
    # Every actor of the report has coordinates, so the map drops none of them; the network
    # would also draw an actor without coordinates.
    map_data = json.loads(client.get("/acteurs/carte.json" + query).content)
    network = get(client, query)
    assert {n["id"] for n in network["nodes"]} == {row[0] for row in map_data["actors"]}
    ids = {n["id"] for n in network["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in network["edges"])


def inside_and_external(territory_path):
    visible = Actor.objects.visible()
    inside = set(
        visible.filter(territory__path__startswith=territory_path).values_list("slug", flat=True)
    )
    external = set()
    for source, target in Relation.objects.filter(
        source__in=visible, target__in=visible
    ).values_list("source__slug", "target__slug"):
        if source in inside and target not in inside:
            external.add(target)
        if target in inside and source not in inside:
            external.add(source)
    return inside, external


@pytest.mark.parametrize(
    "slug,path", [("puy-de-dome", "84/63/"), ("clermont-auvergne-metropole", "84/63/246300701/")]
)
def test_a_territory_focus_adds_the_linked_actors_outside(client, slug, path):
    inside, external = inside_and_external(path)
    assert inside and external
    data = get(client, f"?focus={slug}")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == inside | external
    assert {s for s, n in nodes.items() if n["external"]} == external
    everyone = inside | external
    expected_edges = Relation.objects.filter(
        source__slug__in=everyone, target__slug__in=everyone
    ).count()
    assert data["counts"] == {"nodes": len(everyone), "edges": expected_edges}


@pytest.mark.parametrize("slug", ["puy-de-dome", "clermont-auvergne-metropole"])
def test_the_territory_filter_with_its_partners_outside_is_the_focus(client, slug):
    together = get(client, f"?territoire={slug}&exterieurs=on")
    assert together == get(client, f"?focus={slug}")
    assert any(n["external"] for n in together["nodes"])
    # Without the option, the territory's actors only, as on the map.
    inside = get(client, f"?territoire={slug}")
    assert not any(n["external"] for n in inside["nodes"])
    assert {n["id"] for n in inside["nodes"]} < {n["id"] for n in together["nodes"]}
    # The other filters still choose the partners outside.
    providers = get(client, f"?territoire={slug}&exterieurs=on&type=prestataire")
    assert all(n["type"] == "prestataire" for n in providers["nodes"] if n["external"])
    assert client.get(URL + "?territoire=inconnu&exterieurs=on").status_code == 404


def test_a_link_to_the_older_territory_menu_opens_the_same_drawing(client):
    response = client.get("/reseau/?focus=puy-de-dome&type=prestataire")
    assert response.status_code == 302
    assert response["Location"] == (
        "/reseau/?type=prestataire&territoire=puy-de-dome&exterieurs=on"
    )
    assert client.get("/reseau/?focus=")["Location"] == "/reseau/"
    page = client.get(response["Location"]).content.decode()
    assert "Centrer sur un territoire" not in page
    assert 'id="externals" name="exterieurs" value="on" checked' in page


def test_the_clermont_network_numbers(client):
    """The Clermont-Ferrand network: counted from the database, independently of the view."""
    for focus, path in [("clermont-auvergne-metropole", "84/63/246300701/")]:
        visible = Actor.objects.visible()
        inside = visible.filter(territory__path__startswith=path)
        links = Relation.objects.filter(source__in=visible, target__in=visible).filter(
            Q(source__in=inside) | Q(target__in=inside)
        )
        chosen = visible.filter(
            Q(pk__in=inside) | Q(relations_as_source__in=links) | Q(relations_as_target__in=links)
        ).distinct()
        edges = Relation.objects.filter(source__in=chosen, target__in=chosen).count()
        data = get(client, f"?focus={focus}")
        assert data["counts"] == {"nodes": chosen.count(), "edges": edges}


def test_the_ego_network(client):
    archipel = Actor.objects.get(slug="archipel")
    partners = {
        r.other(archipel).slug
        for r in Relation.objects.involving(archipel).select_related("source", "target")
        if r.other(archipel).lifecycle != "disparu"
    }
    assert partners
    data = get(client, "?ego=archipel&profondeur=1")
    assert {n["id"] for n in data["nodes"]} == partners | {"archipel"}
    everyone = partners | {"archipel"}
    assert data["counts"]["edges"] == (
        Relation.objects.filter(source__slug__in=everyone, target__slug__in=everyone)
        .exclude(Q(source__lifecycle="disparu") | Q(target__lifecycle="disparu"))
        .count()
    )
    deeper = get(client, "?ego=archipel&profondeur=2")
    links = {}
    visible = Actor.objects.visible()
    for source, target in Relation.objects.filter(
        source__in=visible, target__in=visible
    ).values_list("source__slug", "target__slug"):
        links.setdefault(source, set()).add(target)
        links.setdefault(target, set()).add(source)
    second = {p for s in partners for p in links.get(s, ())}
    assert {n["id"] for n in deeper["nodes"]} == everyone | second
    assert get(client, "?ego=archipel")["counts"] == data["counts"]  # depth 1 by default
    assert client.get(URL + "?ego=inconnu").status_code == 404
    assert client.get(URL + "?focus=inconnu").status_code == 404


def test_a_new_relation_shows_in_the_data(client):
    before = get(client)
    archipel = Actor.objects.get(slug="archipel")
    lab = make_actor(name="Nouveau lab relié", slug="nouveau-lab-relie")
    relation = make_relation(lab, archipel, RelationType.COLLABORATION)
    after = get(client)
    assert after["counts"]["nodes"] == before["counts"]["nodes"] + 1
    assert after["counts"]["edges"] == before["counts"]["edges"] + 1
    assert {
        "id": relation.pk,
        "source": relation.source.slug,
        "target": relation.target.slug,
        "type": "collaboration",
        "origin": "declaree",
        "start": None,
        "end": None,
        "directed": False,
    } in after["edges"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "query",
    ["", "?focus=puy-de-dome", "?ego=archipel&profondeur=2", "?type=prestataire&q=lab"],
)
def test_queries_stay_flat_as_the_network_grows(client, query):
    archipel = Actor.objects.get(slug="archipel")

    def grow(n):
        for i in range(n):
            actor = make_actor(
                name=f"Réseau {n} {i}", latitude=45.7797, longitude=3.0863, type="prestataire"
            )
            make_relation(archipel, actor, RelationType.PRESTATION_SERVICE)

    grow(10)
    small = count_queries(client, URL + query)
    grow(60)
    assert count_queries(client, URL + query) == small
    # A second request with unchanged data reads the cache instead of recomputing.
    assert count_queries(client, URL + query) < small


def test_no_pending_contribution_or_email_leaks(client):
    pending_new_actor()
    content = client.get(URL + "?disparus=on").content.decode()
    assert "Lab secret en attente" not in content
    assert EMAIL not in content
    assert "@" not in content
    page = client.get("/reseau/comparer/").content.decode()
    assert "Lab secret en attente" not in page and EMAIL not in page
