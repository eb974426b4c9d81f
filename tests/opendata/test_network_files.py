"""The network files (GEXF, GraphML) as Gephi and other network tools read them: the API's
nodes and relation ids, directedness per edge, labels, parallel edges kept apart, Gephi's
colours, sizes and positions; and the full dump's relation ids and date across a reload."""

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from actors.models import Actor
from opendata import exports
from opendata.network_files import TYPE_COLOURS
from relations.models import Relation, RelationType
from tests.factories import make_relation
from tests.opendata.test_exports import empty_the_published_tables

GEXF = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}


def api_all(client, url: str, query: str = "") -> list[dict]:
    """Every record of an API list, page by page."""
    records, page = [], f"{url}?page_size=1000{query}"
    while page:
        data = client.get(page).json()
        records += data["results"]
        page = data["next"]
    return records


def api_network(client) -> tuple[set, dict]:
    actors = {
        a["slug"] for a in api_all(client, "/api/actors/", "&disparus=true")
    }  # as in the files
    relations = {str(r["id"]): r for r in api_all(client, "/api/relations/")}
    return actors, relations


def parallel_pair() -> Relation:
    """A second relation, of another type, between two actors already related."""
    first = Relation.objects.filter(type=RelationType.COLLABORATION).first()
    return make_relation(first.source, first.target, type=RelationType.PARTAGE_INFORMATION)


def gexf_graph(content: bytes):
    root = ET.fromstring(content)
    assert root.get("version") == "1.3"
    return root.find("g:graph", GEXF)


@pytest.mark.django_db
def test_the_gexf_has_the_apis_nodes_and_relation_ids_directed_per_edge_with_labels(client):
    second = parallel_pair()
    actors, relations = api_network(client)
    graph = gexf_graph(exports.network_gexf())
    assert graph.get("defaultedgetype") == "directed"
    nodes = graph.findall("g:nodes/g:node", GEXF)
    assert {node.get("id") for node in nodes} == actors
    edges = graph.findall("g:edges/g:edge", GEXF)
    assert len(edges) == len(relations)
    assert {edge.get("id") for edge in edges} == set(relations)
    labels = {
        RelationType.PRESTATION_SERVICE.value: "Prestation de service",
        RelationType.COLLABORATION.value: "Collaboration",
        RelationType.PARTAGE_INFORMATION.value: "Partage d'informations",
    }
    for edge in edges:
        relation = relations[edge.get("id")]
        assert (edge.get("source"), edge.get("target")) == (relation["source"], relation["target"])
        assert edge.get("label") == labels[relation["type"]]
        directed = relation["type"] == RelationType.PRESTATION_SERVICE
        assert edge.get("type") == ("directed" if directed else "undirected")
    directed = [e for e in edges if e.get("type") == "directed"]
    assert len(directed) == Relation.objects.filter(type=RelationType.PRESTATION_SERVICE).count()
    assert len(directed) < len(edges)
    # The pair with two relation types: two edges, each its own id and label.
    pair = [
        e
        for e in edges
        if (e.get("source"), e.get("target"))
        == (
            second.source.slug,
            second.target.slug,
        )
    ]
    assert sorted(e.get("label") for e in pair) == ["Collaboration", "Partage d'informations"]
    assert str(second.pk) in {e.get("id") for e in pair} and len({e.get("id") for e in pair}) == 2


@pytest.mark.django_db
def test_the_gexf_gives_gephi_the_map_colours_sizes_and_positions():
    graph = gexf_graph(exports.network_gexf())
    nodes = {node.get("id"): node for node in graph.findall("g:nodes/g:node", GEXF)}
    archipel, actor = nodes["archipel"], Actor.objects.get(slug="archipel")
    assert archipel.get("label") == "Archipel"
    colour = archipel.find("viz:color", GEXF)
    assert "#{:02x}{:02x}{:02x}".format(*(int(colour.get(c)) for c in "rgb")) == "#c0392b"
    # Attributes by their title.
    titles = {a.get("id"): a.get("title") for a in graph.iter(f"{{{GEXF['g']}}}attribute")}
    values = {
        titles[v.get("for")]: v.get("value")
        for v in archipel.findall("g:attvalues/g:attvalue", GEXF)
    }
    assert values["type"] == "cellule_innovation"
    assert values["type_label"] == "Cellule publique d'innovation"
    assert values["commune"] == "Lyon" and values["departement"] == "Rhône"
    assert values["territory"] == actor.territory.name
    assert values["lifecycle"] == "actif" and values["lifecycle_label"] == "Actif"
    sizes = {}
    for slug, node in nodes.items():
        kind = Actor.objects.get(slug=slug).type if slug == "archipel" else None
        colour = node.find("viz:color", GEXF)
        assert colour is not None and node.find("viz:size", GEXF) is not None, slug
        if kind:
            assert colour.get("r") == str(int(TYPE_COLOURS[kind][1:3], 16))
        sizes[slug] = float(node.find("viz:size", GEXF).get("value"))
    # The size grows with the degree.
    degrees = {
        a.slug: a.relations_as_source.count() + a.relations_as_target.count()
        for a in Actor.objects.filter(slug__in=["archipel", *list(nodes)[:20]])
    }
    most, least = max(degrees, key=degrees.get), min(degrees, key=degrees.get)
    if degrees[most] > degrees[least]:
        assert sizes[most] > sizes[least]
    # Every located actor has a position, distinct from its neighbours' at the same point.
    located = set(Actor.objects.exclude(latitude=None).values_list("slug", flat=True))
    placed = {
        slug: (node.find("viz:position", GEXF).get("x"), node.find("viz:position", GEXF).get("y"))
        for slug, node in nodes.items()
        if node.find("viz:position", GEXF) is not None
    }
    assert set(placed) == located
    assert len(set(placed.values())) == len(placed)
    lyon, grenoble = (
        placed["archipel"],
        placed[
            Actor.objects.filter(commune_name="Grenoble").values_list("slug", flat=True).first()
        ],
    )
    assert float(lyon[1]) > float(grenoble[1])  # Lyon is north of Grenoble


def test_the_colours_are_the_maps():
    css = (Path(settings.BASE_DIR) / "static/css/tips.css").read_text()
    found = dict(re.findall(r"--type-(\w+): (#[0-9a-f]{6});", css))
    assert {str(k): v for k, v in TYPE_COLOURS.items()} == found


@pytest.mark.django_db
def test_the_graphml_has_the_apis_relation_ids_directed_per_edge(client):
    second = parallel_pair()
    actors, relations = api_network(client)
    root = ET.fromstring(exports.network_graphml())
    graph = root.find("g:graph", GRAPHML)
    assert graph.get("edgedefault") == "directed"
    assert {node.get("id") for node in graph.findall("g:node", GRAPHML)} == actors
    edges = graph.findall("g:edge", GRAPHML)
    assert {edge.get("id") for edge in edges} == set(relations)
    keys = {
        k.get("attr.name"): k.get("id")
        for k in root.findall("g:key", GRAPHML)
        if k.get("for") == "edge"
    }
    for edge in edges:
        relation = relations[edge.get("id")]
        directed = relation["type"] == RelationType.PRESTATION_SERVICE
        assert edge.get("directed", "true") == ("true" if directed else "false")
        data = {d.get("key"): d.text for d in edge.findall("g:data", GRAPHML)}
        assert data[keys["label"]] and data[keys["relation_type"]] == relation["type"]
    undirected = [e for e in edges if e.get("directed") == "false"]
    assert (
        len(edges) - len(undirected)
        == Relation.objects.filter(type=RelationType.PRESTATION_SERVICE).count()
    )
    assert str(second.pk) in {e.get("id") for e in edges}


# --- The dump: relation ids and date across a reload -----------------------------------------


@pytest.mark.django_db
def test_the_dump_keeps_relation_ids_and_its_date_across_a_reload(tmp_path):
    # Ids with a gap, as deletions leave them: a reload must not renumber them.
    Relation.objects.filter(pk=Relation.objects.order_by("pk").first().pk).delete()
    parallel_pair()
    before = json.loads(exports.dump())
    assert all(isinstance(r["id"], int) for r in before["relations"])
    assert {r["id"] for r in before["relations"]} == set(
        Relation.objects.values_list("pk", flat=True)
    )
    path = tmp_path / "dump.json"
    path.write_bytes(exports.dump())

    empty_the_published_tables()
    call_command("load_dump", str(path), stdout=io.StringIO())
    after = json.loads(exports.dump())
    assert after["date"] == before["date"]
    assert after["relations"] == before["relations"]
    # New relations after the reload get ids the dump never used.
    new = make_relation(
        Actor.objects.get(slug="archipel"),
        Actor.objects.exclude(slug="archipel").last(),
        type=RelationType.PRESTATION_SERVICE,
    )
    assert new.pk > max(r["id"] for r in before["relations"])
