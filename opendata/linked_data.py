"""The published data as linked data: the API's answers in JSON-LD, and the DCAT-AP catalogue of
the downloads that a national open-data portal harvests (data.gouv.fr reads DCAT).

An actor is a schema.org Organization (actors/linked_data.py, the same as on its card); a
relation, which schema.org has no class for, is a node of the data dictionary's vocabulary
(`tips:`, the dictionary page's address), naming its two actors by their URIs. Every node's
`@id` is its URI (actors/identifiers.py), on settings.SITE_URL.

JSON-LD is written as plain JSON here: rdflib, which reads it in the tests as harvesters do, is
not needed to write it.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from actors.identifiers import absolute, actor_uri, relation_uri
from actors.linked_data import CONTEXT, document, year

from . import exports

# --- The API in JSON-LD ------------------------------------------------------------------------


def vocabulary() -> str:
    """The namespace of the terms schema.org lacks: the data dictionary's page."""
    return absolute(reverse("opendata:dictionary")) + "#"


def relation(record: dict) -> dict:
    """A relation of the API (its record) as a node: its type, its two actors, its years."""
    node = {
        "@id": relation_uri(record["id"]),
        "@type": "tips:Relation",
        "tips:relationType": record["type"],
        "tips:directed": record["directed"],
        "tips:source": {"@id": actor_uri(record["source"])},
        "tips:target": {"@id": actor_uri(record["target"])},
    }
    optional = {
        "description": record.get("description"),
        "startDate": year(record.get("start_year")),
        "endDate": year(record.get("end_year")),
    }
    return {**node, **{name: value for name, value in optional.items() if value}}


def context() -> dict:
    return {**CONTEXT, "tips": vocabulary()}


def graph(data: dict, node, response) -> dict:
    """An API answer (a record, or a page of them) as a JSON-LD document; a page's neighbours
    go in the Link header (rel="next"/"prev"), outside the graph."""
    if "results" not in data:
        return {**document(node(data)), "@context": context()}
    links = [
        f'<{data[name]}>; rel="{rel}"'
        for name, rel in (("next", "next"), ("previous", "prev"))
        if data.get(name)
    ]
    if links:
        response["Link"] = ", ".join(links)
    return {"@context": context(), "@graph": [node(record) for record in data["results"]]}


class JSONLDRenderer(JSONRenderer):
    """`Accept: application/ld+json` or `?format=jsonld`: the view's records as linked data
    (the view's `linked_data_node`); errors keep their JSON shape."""

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response, view = renderer_context.get("response"), renderer_context.get("view")
        node = getattr(view, "linked_data_node", None)
        if node and response is not None and response.status_code == 200 and isinstance(data, dict):
            data = graph(data, node, response)
        return super().render(data, accepted_media_type, renderer_context)


class LinkedDataView:
    """A mixin of the API's viewsets whose records have a URI: JSON or JSON-LD, negotiated."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, JSONLDRenderer]
    linked_data_node = None  # a staticmethod: record -> JSON-LD node

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])  # one address, two representations
        return response


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "jsonld"],
    description=_(
        "json (application/json, par défaut) ou jsonld (application/ld+json : schema.org, "
        "chaque enregistrement nommé par son URI dans « @id ») ; ou l'en-tête Accept "
        "(response media type)."
    ),
)
NODE_SCHEMA = {
    "type": "object",
    "required": ["@id", "@type"],
    "properties": {"@id": {"type": "string", "format": "uri"}, "@type": {"type": "string"}},
}
CONTEXT_SCHEMA = {"type": "object", "description": "JSON-LD @context (@vocab: schema.org)."}


def document_linked_data(result, generator, request, public):
    """drf-spectacular postprocessing hook: the application/ld+json answers have the shape of
    JSON-LD, not of the JSON records (a list's graph, or one node with its context)."""
    for path, item in result["paths"].items():
        content = item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
        if JSONLDRenderer.media_type not in content:
            continue
        if "{" in path:
            shape = {**NODE_SCHEMA, "required": ["@context", "@id", "@type"]}
            shape["properties"] = {**NODE_SCHEMA["properties"], "@context": CONTEXT_SCHEMA}
        else:
            shape = {
                "type": "object",
                "required": ["@context", "@graph"],
                "properties": {
                    "@context": CONTEXT_SCHEMA,
                    "@graph": {"type": "array", "items": NODE_SCHEMA},
                },
            }
        content[JSONLDRenderer.media_type] = {"schema": shape}
    return result


# --- The DCAT-AP catalogue ----------------------------------------------------------------------

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"
# Each export's media type (IANA) and file type (the EU's list, which DCAT-AP asks for).
FORMATS = {
    "csv": ("text/csv", "CSV"),
    "geojson": ("application/geo+json", "GEOJSON"),
    "gexf": ("application/xml", "XML"),
    "graphml": ("application/xml", "XML"),
    "json": ("application/json", "JSON"),
}
# The datasets, each with the exports that are its distributions (every export is one).
DATASETS = [
    (
        "acteurs",
        "TIPs map — acteurs organisés de l'innovation publique",
        "Les acteurs publiés : type, statut, missions, localisation, territoire, identifiants.",
        ["actors-csv", "actors-geojson"],
    ),
    (
        "relations",
        "TIPs map — relations entre acteurs",
        "Partage d'informations, prestation de service (orientée) et collaboration.",
        ["relations-csv"],
    ),
    (
        "reseau",
        "TIPs map — réseau des acteurs",
        "Le graphe des acteurs et de leurs relations : mixte pour Gephi et yEd, orienté et non "
        "orienté pour networkx, igraph et R.",
        [key for key in exports.EXPORTS if key.startswith("network-")],
    ),
    (
        "export-complet",
        "TIPs map — export complet",
        "Territoires, acteurs et relations publiés, rechargeables dans une autre instance.",
        ["dump"],
    ),
]
# Who describes themselves in the files already (exports.CREATOR), as DCAT's publisher.
PUBLISHER_NAME = "Chaire Transformations de l'action publique, Sciences Po Lyon"


def typed(value, kind: str) -> dict:
    return {"@value": value, "@type": f"xsd:{kind}"}


def link(uri: str) -> dict:
    return {"@id": uri}


def catalogue(sizes: dict[str, int | None]) -> dict:
    """The catalogue (dcat:Catalog) of every export, grouped in datasets, with the API as a data
    service; `sizes` are the exports' byte sizes where known."""
    moment = exports.data_datetime()
    date = exports.data_date(moment)
    with translation.override("fr"):
        terms = exports.licence()
        home = absolute(reverse("opendata:data"))
        modified = typed(moment.isoformat(), "dateTime")
        publisher = {"@type": "foaf:Organization", "foaf:name": PUBLISHER_NAME}
        contact = {
            "@type": "vcard:Organization",
            "vcard:fn": PUBLISHER_NAME,
            "vcard:hasURL": link(home),
        }
        common = {
            "dct:publisher": publisher,
            "dct:license": link(terms["url"]),
            "dct:modified": modified,
            "dct:language": link(FRENCH),
        }
        datasets = [
            {
                "@id": f"{home}#jeu-{key}",
                "@type": "dcat:Dataset",
                "dct:identifier": f"tips-map-{key}",
                "dct:title": title,
                "dct:description": f"{text} {exports.description(date)}",
                "dcat:keyword": [
                    "innovation publique",
                    "acteurs",
                    "réseau",
                    "Auvergne-Rhône-Alpes",
                ],
                "dcat:landingPage": link(home),
                "dcat:contactPoint": contact,
                "dcat:distribution": [
                    distribution(exports.EXPORTS[k], sizes, modified, date) for k in keys
                ],
                **common,
            }
            for key, title, text, keys in DATASETS
        ]
        api = absolute(reverse("api:api-root"))
        return {
            "@context": DCAT_CONTEXT,
            "@id": absolute(reverse("opendata:catalogue")),
            "@type": "dcat:Catalog",
            "dct:title": "TIPs map — données ouvertes",
            "dct:description": exports.description(date),
            "foaf:homepage": link(home),
            "dcat:dataset": datasets,
            "dcat:service": {
                "@id": api,
                "@type": "dcat:DataService",
                "dct:title": "API de TIPs map",
                "dcat:endpointURL": link(api),
                "dcat:endpointDescription": link(absolute(reverse("api:schema"))),
                "dcat:servesDataset": [link(dataset["@id"]) for dataset in datasets[:2]],
                "dct:license": link(terms["url"]),
            },
            **common,
        }


def distribution(export: exports.Export, sizes: dict, modified: dict, date) -> dict:
    url = absolute(reverse("opendata:download", kwargs={"key": export.key}))
    media_type, file_type = FORMATS[export.extension]
    described = {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": export.filename_for(date),
        "dcat:downloadURL": link(url),
        "dcat:accessURL": link(url),
        "dcat:mediaType": link(IANA + media_type),
        "dct:format": link(EU_FILE_TYPE + file_type),
        "dct:modified": modified,
        "dct:license": link(exports.licence()["url"]),
    }
    if sizes.get(export.key) is not None:
        described["dcat:byteSize"] = typed(sizes[export.key], "nonNegativeInteger")
    if export.extension == "csv":  # its Table Schema, in the Data Package
        described["dct:conformsTo"] = link(absolute(reverse("opendata:datapackage")))
    return described
