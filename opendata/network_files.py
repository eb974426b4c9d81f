"""The network as files for Gephi and other network tools: GEXF and GraphML.

One graph, written twice. Nodes are actors (their slug as id), with their URI, type, commune,
territory, département, lifecycle and identifiers (SIREN, SIRET, RNA, Wikidata) as attributes; edges are relations, their id the relation's
id (the API's, the CSV's and the dump's), their label the relation type's French label.

Directedness is per edge, as the report draws it: service provision goes from the provider to
the beneficiary, information sharing and collaboration are symmetric. Both formats allow the
mix (GEXF: `type="directed|undirected"` on each edge; GraphML: `directed="true|false"`); the
graph's default is "directed" and every symmetric edge says it is not. Two relations of
different types between one pair stay two edges, each with its own id and label, so that
Gephi does not merge them.

Gephi and yEd read that mixed graph; networkx, igraph and R's readers take one directedness per
file and refuse the mix. For them the network is also written as two graphs (`part`): the
service provisions alone, directed, and the symmetric relations, an undirected multigraph (a
pair may share information and collaborate). Each holds every actor, isolated ones included,
with the same node ids, edge ids and attributes as the mixed graph (a node's `degree` counts
all its relations).

In the GEXF, Gephi's visual attributes: the map's type colours (`viz:color`), a size from the
degree (`viz:size`) and a position (`viz:position`) from the coordinates, projected (the
network page lays the graph out in the browser: there is no server-side layout to reuse).
Actors sharing one point (a commune's centre) are spread on a small ring around it.

The data is read as plain values, in four queries whatever the number of actors: no model
instance, no territory boundary decoded.
"""

import io
import math
from collections import Counter, defaultdict
from xml.etree.ElementTree import SubElement

import networkx as nx
from django.utils import translation
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from actors.identifiers import IDENTIFIER_FIELDS, actor_uri
from actors.models import Actor, ActorType, Lifecycle
from relations.models import DIRECTED_TYPES, Relation, RelationType
from territories.models import Level, Territory

GEXF_VERSION = "1.3"
KEYWORDS = "innovation publique, acteurs, réseau, TIPs map"

# The six types' colours of the map and its legend (static/css/tips.css, --type-*); a test
# checks they are the same.
TYPE_COLOURS = {
    ActorType.CELLULE_INNOVATION: "#c0392b",
    ActorType.PROMOTION_ACCOMPAGNEMENT: "#d35400",
    ActorType.INTERMEDIATION: "#8e44ad",
    ActorType.FORMATION_RECHERCHE: "#1f7a3d",
    ActorType.PRESTATAIRE: "#1565c0",
    ActorType.RESEAU_COMMUNAUTE: "#00838f",
    ActorType.AUTRE: "#6d6d6d",
}

# Positions: an equirectangular projection around the région's centre, in units of about a
# kilometre (one degree of latitude is 111 km), y towards the north.
CENTRE = (45.5, 4.5)
UNITS_PER_DEGREE = 111.0
RING = 2.0  # radius, in the same units, of the ring of actors sharing a point


def rgb(colour: str) -> dict:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def node_size(degree: int) -> float:
    """Gephi's node size: grows with the square root of the degree (area with the degree)."""
    return round(10 + 5 * math.sqrt(degree), 2)


def projected(latitude: float, longitude: float) -> tuple[float, float]:
    x = (longitude - CENTRE[1]) * math.cos(math.radians(CENTRE[0])) * UNITS_PER_DEGREE
    y = (latitude - CENTRE[0]) * UNITS_PER_DEGREE
    return x, y


def positions(points: dict[str, tuple[float, float]]) -> dict[str, dict]:
    """Each located actor's position; actors at one point spread evenly on a ring around it."""
    at = defaultdict(list)
    for slug, point in points.items():
        at[point].append(slug)
    result = {}
    for (latitude, longitude), slugs in at.items():
        x, y = projected(latitude, longitude)
        radius = RING if len(slugs) > 1 else 0.0
        for n, slug in enumerate(sorted(slugs)):
            angle = 2 * math.pi * n / len(slugs)
            result[slug] = {
                "x": round(x + radius * math.cos(angle), 3),
                "y": round(y + radius * math.sin(angle), 3),
                "z": 0.0,
            }
    return result


def network() -> nx.MultiDiGraph:
    """The published actors and relations as one graph, with every file's attributes.

    Edge data `id`, `label` and `type` are the GEXF edge's own attributes (networkx's writer
    takes them from there); `directed` says the same for GraphML and for readers of attributes.
    The relation type is `relation_type`: GEXF reserves an edge's `type` for its direction.
    """
    graph = nx.MultiDiGraph(name="TIPs map")
    departements = dict(
        Territory.objects.filter(level=Level.DEPARTEMENT).values_list("code", "name")
    )
    territories = dict(Territory.objects.values_list("pk", "name"))
    with translation.override("fr"):
        type_labels = {key: str(label) for key, label in ActorType.choices}
        lifecycles = {key: str(label) for key, label in Lifecycle.choices}
        relation_labels = {key: str(label) for key, label in RelationType.choices}
    relations = list(
        Relation.objects.order_by("pk").values_list(
            "pk", "source__slug", "target__slug", "type", "description"
        )
    )
    degree = Counter(end for relation in relations for end in relation[1:3])
    rows = Actor.objects.order_by("pk").values_list(
        "slug",
        "name",
        "short_name",
        "type",
        "territory_id",
        "territory__path",
        "lifecycle",
        "commune_name",
        "latitude",
        "longitude",
        *IDENTIFIER_FIELDS,
    )
    actors = list(rows)
    placed = positions(
        {row[0]: (row[8], row[9]) for row in actors if row[8] is not None and row[9] is not None}
    )
    for row in actors:
        slug, name, short_name, kind, territory, path, lifecycle, commune, lat, lon = row[:10]
        codes = (path or "").strip("/").split("/")
        attributes = {
            "label": short_name or name,
            "name": name,
            "type": kind,
            "type_label": type_labels.get(kind, kind),
            "territory": territories.get(territory, ""),
            "departement": departements.get(codes[1], "") if len(codes) > 1 else "",
            "lifecycle": lifecycle,
            "lifecycle_label": lifecycles.get(lifecycle, lifecycle),
            "commune": commune,
            "degree": degree[slug],
            "uri": actor_uri(slug),
        }
        if lat is not None and lon is not None:  # no attribute rather than an empty number
            attributes["latitude"] = lat
            attributes["longitude"] = lon
        # SIREN, SIRET, RNA, Wikidata: only those the actor has, as for the coordinates.
        attributes.update(
            (key, value) for key, value in zip(IDENTIFIER_FIELDS, row[10:], strict=True) if value
        )
        viz = {"color": rgb(TYPE_COLOURS.get(kind, TYPE_COLOURS[ActorType.AUTRE]))}
        viz["size"] = node_size(degree[slug])
        if slug in placed:
            viz["position"] = placed[slug]
        graph.add_node(slug, viz=viz, **attributes)
    for pk, source, target, kind, description in relations:
        directed = kind in DIRECTED_TYPES
        graph.add_edge(
            source,
            target,
            key=str(pk),
            id=str(pk),
            label=relation_labels[kind],
            type="directed" if directed else "undirected",
            relation_type=kind,
            directed=directed,
            description=description,
        )
    return graph


# The two graphs of one directedness each, by `part`: whether their edges are directed, and
# the graph's name (GEXF's and GraphML's own).
PARTS = {
    "directed": (True, "TIPs map — prestations de service"),
    "undirected": (False, "TIPs map — partage d'informations et collaboration"),
}


def graph_of(part: str | None) -> nx.MultiDiGraph | nx.MultiGraph:
    """The mixed network (`part` None), or one of its PARTS: every node, the part's edges."""
    graph = network()
    if part is None:
        return graph
    directed, name = PARTS[part]
    kept = nx.MultiDiGraph(name=name) if directed else nx.MultiGraph(name=name)
    kept.add_nodes_from(graph.nodes(data=True))
    kept.add_edges_from(
        edge for edge in graph.edges(keys=True, data=True) if edge[3]["directed"] is directed
    )
    return kept


def gexf(metadata: dict, part: str | None = None) -> bytes:
    """The GEXF 1.3 file; `metadata` gives its date, creator and description."""
    graph = graph_of(part)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version=GEXF_VERSION)
    meta = writer.xml.find("meta")
    meta.set("lastmodifieddate", metadata["date"].isoformat())
    meta.find("creator").text = metadata["creator"]
    SubElement(meta, "keywords").text = KEYWORDS
    SubElement(meta, "description").text = metadata["description"]
    writer.add_graph(graph)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def graphml(metadata: dict, part: str | None = None) -> bytes:
    """The GraphML file; `metadata` gives its graph-level values (date, licence…)."""
    graph = graph_of(part)
    graph.graph.update(metadata["graph"])
    symmetric = set()  # the mixed graph's undirected edges (an undirected graph says it once)
    for _source, _target, data in graph.edges(data=True):
        if graph.is_directed() and not data["directed"]:
            symmetric.add(data["id"])
        del data["id"], data["type"]  # GraphML: the edge's key is its id, `directed` its way
    for _node, data in graph.nodes(data=True):
        del data["viz"]  # GraphML has no visual attributes
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(graph)
    for edge in writer.xml.iter("edge"):
        if edge.get("id") in symmetric:
            edge.set("directed", "false")
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()
