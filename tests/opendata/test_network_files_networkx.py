"""The network files as networkx reads them (igraph's and R's readers are as strict): the two
graphs of one directedness each, the API's actors as nodes in both, its relation ids as edges;
and the mixed files for Gephi, directed per edge, as they were."""

import io
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest

from opendata import exports
from relations.models import RelationType
from tests.opendata.test_exports import add_actors, queries_of
from tests.opendata.test_network_files import GEXF, GRAPHML, api_network, parallel_pair

READERS = {"gexf": nx.read_gexf, "graphml": nx.read_graphml}
SYMMETRIC = {RelationType.PARTAGE_INFORMATION.value, RelationType.COLLABORATION.value}

# Each file for networkx, whether its graph is directed, and the relation types it holds.
FILES = {
    "/donnees/reseau-oriente.gexf": (True, {RelationType.PRESTATION_SERVICE.value}),
    "/donnees/reseau-oriente.graphml": (True, {RelationType.PRESTATION_SERVICE.value}),
    "/donnees/reseau-non-oriente.gexf": (False, SYMMETRIC),
    "/donnees/reseau-non-oriente.graphml": (False, SYMMETRIC),
}
PARTS = ["network-directed-gexf", "network-directed-graphml"]
PARTS += ["network-undirected-gexf", "network-undirected-graphml"]


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def edges(graph: nx.Graph) -> list[tuple[str, str, str, dict]]:
    """Source, target, id and data of every edge: networkx gives a GraphML multigraph's ids
    as its keys, other graphs' as an attribute."""
    if graph.is_multigraph():
        found = graph.edges(keys=True, data=True)
        return [(s, t, str(data.get("id", key)), data) for s, t, key, data in found]
    return [(s, t, str(data["id"]), data) for s, t, data in graph.edges(data=True)]


@pytest.mark.django_db
def test_networkx_reads_each_graph_with_its_directedness_and_the_apis_ids_and_counts(client):
    parallel_pair()  # two relation types between one pair: the undirected graph is a multigraph
    actors, relations = api_network(client)
    api_count = client.get("/api/actors/", {"disparus": "true"}).json()["count"]
    api_types = Counter(relation["type"] for relation in relations.values())
    ids_per_format = {"gexf": [], "graphml": []}
    for url, (directed, types) in FILES.items():
        extension = url.rsplit(".", 1)[1]
        graph = READERS[extension](io.BytesIO(download(client, url)))
        assert graph.is_directed() is directed, url
        assert graph.is_multigraph() is not directed, url  # the pair of parallel_pair()
        assert graph.number_of_nodes() == api_count, url
        assert set(graph.nodes) == actors, url  # isolated actors included
        found = edges(graph)
        assert Counter(data["relation_type"] for *_, data in found) == {
            kind: n for kind, n in api_types.items() if kind in types
        }, url
        for source, target, pk, data in found:
            relation = relations[pk]
            if directed:  # from the provider to the beneficiary
                assert (source, target) == (relation["source"], relation["target"]), url
            else:
                assert {source, target} == {relation["source"], relation["target"]}, url
            assert data["relation_type"] == relation["type"] and data["label"], url
            assert data["directed"] is directed, url
        assert graph.nodes["archipel"]["label"] == "Archipel"
        ids_per_format[extension] += [pk for _s, _t, pk, _d in found]
    # The two graphs of a format hold every relation of the API, once.
    for ids in ids_per_format.values():
        assert sorted(ids) == sorted(relations)


@pytest.mark.django_db
def test_the_mixed_files_keep_each_edges_own_direction_for_gephi(client):
    root = ET.fromstring(download(client, "/donnees/reseau.gexf"))
    graph = root.find("g:graph", GEXF)
    assert graph.get("defaultedgetype") == "directed"
    kinds = Counter(edge.get("type") for edge in graph.iter(f"{{{GEXF['g']}}}edge"))
    root = ET.fromstring(download(client, "/donnees/reseau.graphml"))
    found = root.find("g:graph", GRAPHML).findall("g:edge", GRAPHML)
    ways = Counter(edge.get("directed", "true") for edge in found)
    _actors, relations = api_network(client)
    directed = sum(r["type"] == RelationType.PRESTATION_SERVICE for r in relations.values())
    assert kinds == {"directed": directed, "undirected": len(relations) - directed}
    assert ways == {"true": directed, "false": len(relations) - directed}


@pytest.mark.django_db
def test_the_data_page_says_which_network_file_for_which_tool(client):
    html = client.get("/donnees/").content.decode()
    for url in FILES:
        assert f'href="{url}"' in html
    date = exports.data_date().isoformat()
    assert f"tips-map-reseau-oriente-{date}.graphml" in html
    assert "Pour Gephi ou yEd, prenez le réseau mixte" in html
    assert "networkx, igraph et R" in html


@pytest.mark.django_db
@pytest.mark.parametrize("key", PARTS)
def test_each_graph_makes_the_same_number_of_queries_whatever_the_number_of_actors(key):
    build = exports.EXPORTS[key].build
    add_actors(10)
    with_ten = queries_of(build)
    add_actors(50)
    assert queries_of(build) == with_ten <= 8
