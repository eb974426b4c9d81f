"""The exports of /donnees/: each file parses, matches the database, leaks nothing private, keeps
its number of queries flat, and the full dump reloads into an empty database."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from actors.models import Actor, Contact
from contributions.models import Contribution
from opendata import exports
from relations.models import Relation, RelationType
from territories.models import Territory
from tests.factories import make_actor, make_relation, pending_new_actor

SECRET_NAME = "Lab secret en attente"
SECRET_EMAIL = "secret@example.org"

DOWNLOADS = {
    "actors-csv": "/donnees/acteurs.csv",
    "relations-csv": "/donnees/relations.csv",
    "actors-geojson": "/donnees/acteurs.geojson",
    "network-gexf": "/donnees/reseau.gexf",
    "network-graphml": "/donnees/reseau.graphml",
    "dump": "/donnees/tips-map.json",
}


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs to read UTF-8
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def by_slug(rows: list[dict], key: str = "identifiant") -> dict:
    return {row[key]: row for row in rows}


def pending_contribution() -> Contribution:
    return pending_new_actor(email=SECRET_EMAIL, contributor="Camille Secret", name=SECRET_NAME)


# --- The page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_links_every_export_with_licence_date_and_citation(client):
    page = client.get("/donnees/")
    assert page.status_code == 200
    html = page.content.decode()
    date = exports.data_date()
    for url in DOWNLOADS.values():
        assert f'href="{url}"' in html
    assert f"tips-map-acteurs-{date.isoformat()}.csv" in html
    assert "Licence Ouverte 2.0" in html
    assert 'rel="license"' in html
    assert (
        "Chaire Transformations de l&#x27;action publique, Sciences Po Lyon — TIPs map, "
        f"données du {date:%d/%m/%Y}" in html
    )
    with translation.override("fr"):
        size = filesizeformat(len(exports.relations_csv()))
    assert f'<td data-label="Taille">{size}</td>' in html
    assert 'href="/donnees/"' in client.get("/").content.decode()  # the nav link


@pytest.mark.django_db
def test_the_data_date_is_the_latest_change_of_an_actor_or_a_relation():
    latest = max(
        Actor.objects.latest("updated_at").updated_at,
        Relation.objects.latest("updated_at").updated_at,
    )
    assert exports.data_datetime() == latest
    make_actor(name="Tout nouveau")
    assert exports.data_datetime() > latest


@pytest.mark.django_db
def test_downloads_are_named_with_the_date_and_carry_the_licence_link(client):
    date = exports.data_date().isoformat()
    names = {
        "actors-csv": f"tips-map-acteurs-{date}.csv",
        "relations-csv": f"tips-map-relations-{date}.csv",
        "actors-geojson": f"tips-map-acteurs-{date}.geojson",
        "network-gexf": f"tips-map-reseau-{date}.gexf",
        "network-graphml": f"tips-map-reseau-{date}.graphml",
        "dump": f"tips-map-export-complet-{date}.json",
    }
    for key, url in DOWNLOADS.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"] == f'attachment; filename="{names[key]}"'
        assert "etalab.gouv.fr" in response["Link"] and 'rel="license"' in response["Link"]
        assert response.content == exports.EXPORTS[key].build()
    assert client.post(DOWNLOADS["dump"]).status_code == 405


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_actors_csv_opens_with_semicolons_and_has_every_actor():
    rows = read_csv(exports.actors_csv())
    # The file's format, as spreadsheets and scripts already read it.
    assert list(rows[0]) == [
        "identifiant",
        "nom",
        "nom usuel",
        "sigle",
        "type",
        "type (libellé)",
        "type déduit",
        "types secondaires",
        "organisation parente (identifiant)",
        "statut administratif",
        "missions",
        "portée",
        "commune",
        "adresse",
        "pays",
        "latitude",
        "longitude",
        "précision de la localisation",
        "territoire (identifiant)",
        "territoire",
        "département",
        "site internet",
        "siren",
        "siret",
        "rna",
        "wikidata",
        "cycle de vie",
        "année de création",
        "année de disparition",
        "contacts",
        "source",
        "précisions sur la source",
        "lignes du rapport",
        "dernière vérification",
        "modifie_le",
    ]
    assert len(rows) == Actor.objects.count()
    archipel = by_slug(rows)["archipel"]
    assert archipel["nom"] == "Préfecture de la région Auvergne-Rhône-Alpes - Laboratoire Archipel"
    assert archipel["nom usuel"] == "Archipel"
    assert archipel["type"] == "cellule_innovation"
    assert archipel["type (libellé)"] == "Cellule publique d'innovation"
    assert archipel["types secondaires"] == "reseau_communaute"
    assert archipel["organisation parente (identifiant)"] == "prefecture-region-aura"
    assert archipel["statut administratif"] == "Service déconcentré de l'État"
    assert archipel["portée"] == "Régionale"
    assert archipel["commune"] == "Lyon"
    assert archipel["territoire (identifiant)"] == Actor.objects.get(slug="archipel").territory.slug
    assert archipel["département"] == "Rhône"
    assert archipel["cycle de vie"] == "Actif"
    assert archipel["année de création"] == "2016"
    assert archipel["année de disparition"] == ""
    assert archipel["lignes du rapport"].startswith("726, 804")
    assert archipel["dernière vérification"] == "2023-03-01"
    actor = Actor.objects.get(slug="archipel")
    assert float(archipel["latitude"]) == actor.latitude  # a decimal point
    assert float(archipel["longitude"]) == actor.longitude


@pytest.mark.django_db
def test_the_actors_csv_lists_contacts_and_neutralises_formulas():
    actor = make_actor(name='=HYPERLINK("http://evil")', missions="Un; deux\nlignes")
    Contact.objects.create(actor=actor, name="Ada Lovelace", function="Directrice", position=0)
    Contact.objects.create(actor=actor, name="Alan Turing", position=1)
    row = by_slug(read_csv(exports.actors_csv()))[actor.slug]
    assert row["contacts"] == "Ada Lovelace — Directrice; Alan Turing"
    assert row["nom"] == '\'=HYPERLINK("http://evil")'
    assert row["missions"] == "Un; deux\nlignes"


@pytest.mark.django_db
def test_the_relations_csv_has_every_relation():
    rows = read_csv(exports.relations_csv())
    assert list(rows[0]) == [column.header for column in exports.relation_columns()]
    assert len(rows) == Relation.objects.count()
    relation = Relation.objects.filter(type=RelationType.PRESTATION_SERVICE).first()
    matching = [
        row
        for row in rows
        if row["acteur source (identifiant)"] == relation.source.slug
        and row["acteur cible (identifiant)"] == relation.target.slug
        and row["type de relation"] == relation.type
    ]
    assert len(matching) == 1
    row = matching[0]
    assert row["orientée"] == "oui"
    assert row["type de relation (libellé)"] == "Prestation de service"
    assert row["acteur source"] == relation.source.display_name
    assert row["lignes du rapport"] == relation.report_lines
    symmetric = [row for row in rows if row["type de relation"] == "collaboration"]
    assert symmetric and {row["orientée"] for row in symmetric} == {"non"}


# --- GeoJSON --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_geojson_has_every_actor_as_a_point_with_licence_and_date():
    data = json.loads(exports.actors_geojson())
    assert data["type"] == "FeatureCollection"
    assert data["licence"]["name"] == "Licence Ouverte 2.0 (Etalab)"
    assert data["licence"]["url"].startswith("https://www.etalab.gouv.fr/")
    assert data["attribution"].startswith("Chaire Transformations de l'action publique")
    assert data["date"] == exports.data_datetime().isoformat()
    assert len(data["features"]) == Actor.objects.count()
    feature = next(f for f in data["features"] if f["properties"]["slug"] == "archipel")
    actor = Actor.objects.get(slug="archipel")
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [actor.longitude, actor.latitude],
    }
    properties = feature["properties"]
    assert properties["type"] == "cellule_innovation"
    assert properties["type_label"] == "Cellule publique d'innovation"
    assert properties["parent"] == "prefecture-region-aura"
    assert properties["secondary_types"] == ["reseau_communaute"]
    assert properties["departement"] == "Rhône"
    assert properties["url"].endswith("/acteurs/archipel/")


# --- Network -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_gexf_has_its_metadata():
    # Its nodes and edges: tests/opendata/test_network_files.py.
    content = exports.network_gexf()
    namespace = {"g": "http://gexf.net/1.3"}
    meta = ET.fromstring(content).find("g:meta", namespace)
    date = exports.data_date()
    assert meta.get("lastmodifieddate") == date.isoformat()
    assert "Sciences Po Lyon" in meta.find("g:creator", namespace).text
    text = meta.find("g:description", namespace).text
    assert "Licence Ouverte 2.0" in text and f"données du {date:%d/%m/%Y}" in text


@pytest.mark.django_db
def test_the_graphml_has_its_metadata():
    root = ET.fromstring(exports.network_graphml())
    namespace = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", namespace)}
    data = root.find("g:graph", namespace).findall("g:data", namespace)
    values = {keys[d.get("key")]: d.text for d in data}
    assert values["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert values["licence_url"].startswith("https://www.etalab.gouv.fr/")
    assert values["date"] == exports.data_datetime().isoformat()
    assert "Sciences Po Lyon" in values["creator"]


# --- Full dump and its reload ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_dump_has_its_format_licence_and_every_record():
    data = json.loads(exports.dump())
    assert data["format"] == "tips-map-dump" and data["version"] == 1
    assert data["date"] == exports.data_datetime().isoformat()
    assert data["licence"]["name"] == "Licence Ouverte 2.0 (Etalab)"
    assert len(data["territories"]) == Territory.objects.count()
    assert len(data["actors"]) == Actor.objects.count()
    assert len(data["relations"]) == Relation.objects.count()
    archipel = next(a for a in data["actors"] if a["slug"] == "archipel")
    territory = Actor.objects.get(slug="archipel").territory
    assert archipel["territory"] == [territory.level, territory.code]
    assert archipel["parent"] == "prefecture-region-aura"


def empty_the_published_tables():
    Relation.objects.all().delete()
    Actor.objects.update(parent=None)
    Actor.objects.all().delete()
    Territory.objects.update(parent=None)
    Territory.objects.all().delete()
    assert not Actor.objects.exists() and not Territory.objects.exists()


@pytest.mark.django_db
def test_the_dump_reloads_into_an_empty_database_identically(tmp_path):
    lab = make_actor(
        name="Lab de test",
        short_name="Lab",
        acronym="LDT",
        website="https://lab.example.org/",
        founded_year=2019,
        lifecycle="disparu",
        ended_year=2024,
        parent=Actor.objects.get(slug="archipel"),
        territory=Territory.objects.get(slug="puy-de-dome"),
        territory_set_by_hand=True,
    )
    lab.secondary_types.set(["intermediation", "prestataire"])
    Contact.objects.create(actor=lab, name="Ada Lovelace", function="Directrice", position=0)
    Contact.objects.create(actor=lab, name="Alan Turing", position=1)
    make_relation(Actor.objects.get(slug="archipel"), lab, type=RelationType.PRESTATION_SERVICE)
    make_relation(lab, Actor.objects.get(slug="interlabs"), description="Ensemble")

    before = json.loads(exports.dump())
    path = tmp_path / "dump.json"
    path.write_bytes(exports.dump())

    empty_the_published_tables()
    out = io.StringIO()
    call_command("load_dump", str(path), stdout=out)
    loaded = exports.dump()
    after = json.loads(loaded)
    for part in ("territories", "actors", "relations"):
        # The records were changed here, when loaded: their updated_at says so.
        for record in before[part] + after[part]:
            record.pop("updated_at", None)
        assert after[part] == before[part], part

    # Idempotent: a second run changes nothing and records no history.
    history = Actor.history.count() + Relation.history.count() + Territory.history.count()
    call_command("load_dump", str(path), stdout=io.StringIO())
    assert exports.dump() == loaded  # updated_at included: nothing saved again
    assert Actor.history.count() + Relation.history.count() + Territory.history.count() == history

    reloaded = Actor.objects.get(slug=lab.slug)
    reason = reloaded.history.latest().history_change_reason
    assert reason.startswith("Import d'un export TIPs map du ")
    assert reloaded.history.latest().history_user is None
    assert Relation.objects.get(source__slug="archipel", target=reloaded).history.exists()


@pytest.mark.django_db
def test_load_dump_refuses_another_file(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "autre chose"}))
    with pytest.raises(CommandError):
        call_command("load_dump", str(path), stdout=io.StringIO())


# --- Privacy ----------------------------------------------------------------------------------

# updated_at is public (modifie_le in the CSVs): when a record last changed.
PRIVATE_FIELDS = ["search_text", "sort_name", "created_at", "history_user"]


@pytest.mark.django_db
def test_no_pending_contribution_email_or_private_field_in_any_export(client):
    pending_contribution()
    actor = Actor.objects.get(slug="archipel")
    # An internal value that would be recognisable if it leaked.
    Actor.objects.filter(pk=actor.pk).update(search_text="texte-de-recherche-interne")
    contents = {url: client.get(url).content.decode("utf-8-sig") for url in DOWNLOADS.values()}
    contents["/donnees/"] = client.get("/donnees/").content.decode()
    for url, text in contents.items():
        assert SECRET_NAME not in text, url
        assert SECRET_EMAIL not in text, url
        assert "texte-de-recherche-interne" not in text, url
        for field in PRIVATE_FIELDS:
            assert field not in text, (url, field)
    dump = json.loads(contents["/donnees/tips-map.json"])
    assert "contributions" not in dump
    assert all(set(a) <= set(exports.actor_record(actor)) for a in dump["actors"])


# --- Query counts ------------------------------------------------------------------------------


def queries_of(build) -> int:
    with CaptureQueriesContext(connection) as context:
        build()
    return len(context.captured_queries)


def add_actors(count: int) -> None:
    parent = Actor.objects.get(slug="archipel")
    for n in range(count):
        actor = make_actor(name=f"Acteur en plus {n}", parent=parent if n % 2 else None)
        actor.secondary_types.set(["intermediation"])
        Contact.objects.create(actor=actor, name=f"Contact {n}", function="Fonction")
        make_relation(parent, actor, type=RelationType.PRESTATION_SERVICE)


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(DOWNLOADS))
def test_each_export_makes_the_same_number_of_queries_whatever_the_number_of_actors(key):
    build = exports.EXPORTS[key].build
    add_actors(10)
    with_ten = queries_of(build)
    add_actors(50)
    with_sixty = queries_of(build)
    assert with_ten == with_sixty
    assert with_ten <= 8
