"""Linked data, read as harvesters and search engines read it (rdflib, offline): each card's
schema.org Organization, the API in application/ld+json, the DCAT-AP catalogue; and the one
rule of the URIs (settings.SITE_URL, never the host a request named)."""

import json
import re

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS

from actors.models import Actor
from opendata import exports
from relations.models import RelationType
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db

SCHEMA = Namespace("https://schema.org/")
SITE = "https://tips.example.org"
SIREN, SIRET = "732829320", "73282932000074"


@pytest.fixture(autouse=True)
def public_site_url(settings):
    settings.SITE_URL = SITE


def card_json_ld(client, actor: Actor) -> str:
    page = client.get(actor.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    return scripts[0]


def graph_of(text: str) -> Graph:
    return Graph().parse(data=text, format="json-ld")


# --- The card ---------------------------------------------------------------------------------


def test_the_cards_json_ld_names_the_actor_by_its_uri(client):
    parent = Actor.objects.get(slug="archipel")
    actor = make_actor(
        name="Lab des registres",
        acronym="LDR",
        website="https://lab.example.org/",
        missions="Relier les données publiques.",
        commune_name="Clermont-Ferrand",
        latitude=45.78,
        longitude=3.08,
        founded_year=2019,
        parent=parent,
        siren=SIREN,
        siret=SIRET,
        wikidata="Q90",
    )
    graph = graph_of(card_json_ld(client, actor))
    uri = URIRef(f"{SITE}/acteurs/{actor.slug}/")
    assert (uri, RDF.type, SCHEMA.Organization) in graph
    assert graph.value(uri, SCHEMA.name) == Literal("Lab des registres")
    assert graph.value(uri, SCHEMA.alternateName) == Literal("LDR")
    assert graph.value(uri, SCHEMA.parentOrganization) == URIRef(f"{SITE}/acteurs/archipel/")
    assert graph.value(uri, SCHEMA.foundingDate) == Literal("2019")
    locality = graph.value(graph.value(uri, SCHEMA.address), SCHEMA.addressLocality)
    assert locality == Literal("Clermont-Ferrand")
    assert graph.value(graph.value(uri, SCHEMA.geo), SCHEMA.latitude).toPython() == 45.78
    same_as = {str(o) for o in graph.objects(uri, SCHEMA.sameAs)}
    assert same_as == {
        "http://www.wikidata.org/entity/Q90",
        f"https://annuaire-entreprises.data.gouv.fr/entreprise/{SIREN}",
    }
    identifiers = {
        (str(graph.value(node, SCHEMA.propertyID)), str(graph.value(node, SCHEMA.value)))
        for node in graph.objects(uri, SCHEMA.identifier)
    }
    assert identifiers == {("SIREN", SIREN), ("SIRET", SIRET)}


def test_the_card_shows_the_identifiers_with_their_registers_pages(client):
    actor = make_actor(name="Association numérotée", rna="W632001234", wikidata="Q90")
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "https://annuaire-entreprises.data.gouv.fr/rechercher?terme=W632001234" in page
    assert 'href="https://www.wikidata.org/wiki/Q90"' in page
    assert "SIREN" not in page.split("<article")[1]  # none given, none shown


def test_a_name_with_a_closing_script_tag_cannot_break_out_of_the_json_ld(client):
    actor = make_actor(name='Lab </script><script>alert("x")</script> & co')
    text = card_json_ld(client, actor)
    assert "</script>" not in text and "<" not in text
    assert graph_of(text).value(URIRef(f"{SITE}/acteurs/{actor.slug}/"), SCHEMA.name) == Literal(
        'Lab </script><script>alert("x")</script> & co'
    )
    page = client.get(actor.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in page


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_json_ld_costs_the_card_no_query(client):
    plain = make_actor(name="Lab sans numéro")
    full = make_actor(
        name="Lab numéroté", siren=SIREN, wikidata="Q90", parent=Actor.objects.get(slug="archipel")
    )
    queries_of(client, plain.get_absolute_url())  # the network's bundle, built once
    assert queries_of(client, full.get_absolute_url()) == queries_of(
        client, plain.get_absolute_url()
    )


# --- The API ------------------------------------------------------------------------------------


def test_the_api_answers_json_ld_when_asked_and_each_record_has_its_id(client):
    actor = make_actor(name="Lab de l'API", siren=SIREN)
    partner = Actor.objects.get(slug="archipel")
    relation = make_relation(partner, actor, RelationType.PRESTATION_SERVICE)

    detail = client.get(f"/api/actors/{actor.slug}/", HTTP_ACCEPT="application/ld+json")
    assert detail["Content-Type"].startswith("application/ld+json")
    assert "Accept" in detail["Vary"]
    graph = graph_of(detail.content)
    assert (URIRef(f"{SITE}/acteurs/{actor.slug}/"), RDF.type, SCHEMA.Organization) in graph

    listing = client.get("/api/actors/", {"format": "jsonld", "page_size": 10})
    data = listing.json()
    assert len(data["@graph"]) == 10 and all(node["@id"] for node in data["@graph"])
    assert 'rel="next"' in listing["Link"]
    assert len(set(graph_of(listing.content).subjects(RDF.type, SCHEMA.Organization))) == 10

    one = client.get(f"/api/relations/{relation.pk}/?format=jsonld").json()
    assert one["@id"] == f"{SITE}/api/relations/{relation.pk}/"
    assert one["tips:source"] == {"@id": f"{SITE}/acteurs/archipel/"}
    assert one["tips:directed"] is True
    assert graph_of(json.dumps(one)).value(URIRef(one["@id"]), RDF.type) is not None
    # The relation's URI resolves to something public: its record in the API.
    assert client.get(one["@id"].removeprefix(SITE)).status_code == 200


def test_json_and_json_ld_of_one_address_never_share_an_etag(client):
    """A cache holding the JSON must not answer a JSON-LD request with it as "not modified"."""
    url = "/api/actors/archipel/"
    as_json = client.get(url, HTTP_ACCEPT="application/json")
    as_ld = client.get(url, HTTP_ACCEPT="application/ld+json")
    assert as_json["ETag"] != as_ld["ETag"]
    again = client.get(url, HTTP_ACCEPT="application/ld+json", HTTP_IF_NONE_MATCH=as_json["ETag"])
    assert again.status_code == 200 and again["Content-Type"].startswith("application/ld+json")
    assert (
        client.get(
            url, HTTP_ACCEPT="application/ld+json", HTTP_IF_NONE_MATCH=as_ld["ETag"]
        ).status_code
        == 304
    )
    assert "Accept" in as_json["Vary"]


def test_json_ld_lists_keep_a_constant_number_of_queries(client):
    url = "/api/actors/?format=jsonld&page_size=1000"
    before = queries_of(client, url)
    for n in range(30):
        make_actor(name=f"Lab {n}", siren=SIREN, parent=Actor.objects.get(slug="archipel"))
    assert queries_of(client, url) == before


def test_the_openapi_schema_documents_json_ld(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/actors/", "/api/actors/{slug}/", "/api/relations/", "/api/relations/{id}/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert "application/ld+json" in content, path
        assert "@context" in content["application/ld+json"]["schema"]["required"]
    parameters = schema["paths"]["/api/actors/"]["get"]["parameters"]
    assert "jsonld" in next(p for p in parameters if p["name"] == "format")["schema"]["enum"]


# --- One base for every URI ----------------------------------------------------------------------


def test_urls_of_the_api_and_the_files_start_with_the_site_url_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["autre-nom.example.net"]
    host = {"HTTP_HOST": "autre-nom.example.net"}
    record = client.get("/api/actors/archipel/", **host).json()
    assert record["url"] == f"{SITE}/acteurs/archipel/"
    assert record["api_url"] == f"{SITE}/api/actors/archipel/"
    package = client.get("/donnees/datapackage.json", **host).json()
    assert {r["path"] for r in package["resources"]} == {
        f"{SITE}/donnees/acteurs.csv",
        f"{SITE}/donnees/relations.csv",
    }
    geojson = json.loads(exports.actors_geojson())
    assert geojson["features"][0]["properties"]["url"].startswith(f"{SITE}/acteurs/")


def test_the_deploy_check_warns_of_a_local_site_url(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    warnings = [m for m in run_checks(include_deployment_checks=True) if m.id == "tips_map.W001"]
    assert len(warnings) == 1 and "127.0.0.1" in warnings[0].msg
    settings.SITE_URL = SITE
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "tips_map.W001"]
    settings.DEBUG, settings.SITE_URL = True, "http://127.0.0.1:8000"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "tips_map.W001"]


# --- The DCAT-AP catalogue -----------------------------------------------------------------------


def test_the_catalogue_is_dcat_every_export_a_distribution_that_downloads(client):
    response = client.get("/donnees/catalogue.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = graph_of(response.content)
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogues == [URIRef(f"{SITE}/donnees/catalogue.jsonld")]
    catalogue = catalogues[0]
    assert graph.value(catalogue, DCTERMS.license) == URIRef(exports.DEFAULT_LICENCE_URL)
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert "Sciences Po Lyon" in str(
        graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))
    )

    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == 4 and datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    downloads = {}
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.license) == URIRef(exports.DEFAULT_LICENCE_URL)
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = str(graph.value(distribution, DCAT.downloadURL))
            downloads[url] = distribution
            assert graph.value(distribution, DCAT.mediaType) is not None
            assert graph.value(distribution, DCTERMS.format) is not None
            assert graph.value(distribution, DCTERMS.modified) is not None
            assert graph.value(distribution, DCAT.byteSize).toPython() > 0
    expected = {f"{SITE}/donnees/{export.path}" for export in exports.EXPORTS.values()}
    assert set(downloads) == expected
    for url, distribution in downloads.items():
        answer = client.get(url.removeprefix(SITE))
        assert answer.status_code == 200, url
        size = graph.value(distribution, DCAT.byteSize).toPython()
        assert size == len(
            b"".join(answer.streaming_content) if answer.streaming else answer.content
        )
        if url.endswith(".csv"):
            schema = str(graph.value(distribution, DCTERMS.conformsTo))
            assert client.get(schema.removeprefix(SITE)).status_code == 200


def test_the_data_page_links_the_catalogue(client):
    page = client.get("/donnees/").content.decode()
    assert '<link rel="alternate" type="application/ld+json"' in page
    assert 'href="/donnees/catalogue.jsonld"' in page
