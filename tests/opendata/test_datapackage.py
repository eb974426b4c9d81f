"""The data dictionary and datapackage.json: frictionless, the tool portals and researchers run
on a Data Package, reads the CSVs with their Table Schemas and finds nothing wrong; every column
of the files (read from their header, never from a list written here) is described once; the
dictionary's page says it in French, and in English when asked."""

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest
from django.conf import settings

from actors.models import Actor, ActorTypeEntry, Contact, Lifecycle
from opendata import datapackage, dictionary, exports
from relations.models import Relation, RelationType
from tests.factories import make_actor, make_metropole_lab, make_relation

CSVS = ["actors-csv", "relations-csv"]


def header_and_rows(key: str) -> tuple[list[str], list[dict]]:
    text = exports.EXPORTS[key].build().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    rows = list(reader)
    return list(reader.fieldnames), rows


def local_package(tmp_path: Path) -> Path:
    """The CSVs and datapackage.json side by side, each resource's path its local file."""
    descriptor = datapackage.descriptor(lambda export: f"{export.filename}.csv")
    for key in CSVS:
        export = exports.EXPORTS[key]
        (tmp_path / f"{export.filename}.csv").write_bytes(export.build())
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    report = frictionless.validate(str(path))
    found = [f"{error.type}: {error.message}" for error in report.errors]
    for task in report.tasks:
        found += [f"{task.name} {error.type}: {error.message}" for error in task.errors]
    assert found or report.valid
    return found


def rewrite(path: Path, column: str, value: str) -> None:
    """Put `value` in `column` of the file's first row, written as the exports write."""
    reader = csv.DictReader(
        io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"
    )
    rows = list(reader)
    rows[0][column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, reader.fieldnames, **exports.CSV_DIALECT)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


def schema_of(descriptor: dict, key: str) -> dict:
    name = exports.EXPORTS[key].filename
    return next(r["schema"] for r in descriptor["resources"] if r["name"] == name)


def make_awkward_ecosystem() -> list[Actor]:
    """Actors with every optional value empty, accents, quotes, semicolons, line breaks and a
    formula-like start; a service with its organisation, secondary types and contacts."""
    bare = make_actor(
        name="Œuvre « sans rien »",
        latitude=None,
        longitude=None,
        type="autre",
        location_precision="approximative",
    )
    organisation = make_metropole_lab(
        short_name='La "Métropole"; son lab',
        provenance_detail="Première ligne\nDeuxième ligne ; avec « guillemets »\r\nTroisième",
    )
    service = make_actor(
        name="=Service d'Écoute - Lab",
        parent=organisation,
        lifecycle=Lifecycle.DISPARU,
        ended_year=2021,
        latitude=-21.1151,
        longitude=55.5364,
        checked_on="2025-01-31",
    )
    service.secondary_types.add(*ActorTypeEntry.objects.filter(key__in=["prestataire", "autre"]))
    Contact.objects.create(actor=service, name="Zoé Ça-va", function="Cheffe ; de projet")
    make_relation(service, organisation, RelationType.PRESTATION_SERVICE, start_year=2019)
    make_relation(bare, service, description='Échanges "réguliers"\nsur deux lignes', end_year=2022)
    return [bare, organisation, service]


# --- datapackage.json, read by frictionless -------------------------------------------------


@pytest.mark.django_db
def test_frictionless_finds_the_report_data_valid_against_the_package(tmp_path):
    assert problems(local_package(tmp_path)) == []
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows == {"acteurs": Actor.objects.count(), "relations": Relation.objects.count()}


@pytest.mark.django_db
def test_frictionless_finds_awkward_values_valid_and_empty_optional_ones_allowed(tmp_path):
    make_awkward_ecosystem()
    assert problems(local_package(tmp_path)) == []
    _header, rows = header_and_rows("actors-csv")
    written = {row["identifiant"]: row for row in rows}
    service = Actor.objects.get(name="=Service d'Écoute - Lab")
    assert written[service.slug]["organisation parente (identifiant)"]  # a foreign key checked
    detail = written["labo-metropole-test"]["précisions sur la source"]
    assert "Deuxième ligne ; avec « guillemets »\r\nTroisième" in detail


@pytest.mark.django_db
def test_frictionless_catches_a_code_outside_its_list_and_an_unknown_partner(tmp_path):
    """The schema is not a formality: a file that breaks it is reported."""
    path = local_package(tmp_path)
    rewrite(tmp_path / "acteurs.csv", "type", "labo_inconnu")
    rewrite(tmp_path / "relations.csv", "acteur source (identifiant)", "acteur-qui-n-existe-pas")
    found = "\n".join(problems(path))
    assert "constraint-error" in found and "labo_inconnu" in found
    assert "foreign-key" in found and "acteur-qui-n-existe-pas" in found


@pytest.mark.django_db
def test_the_package_names_its_licence_sources_contributors_date_and_csv_dialect(client):
    response = client.get("/donnees/datapackage.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = response.json()
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert "etalab.gouv.fr" in package["licenses"][0]["path"]
    assert "Les territoires de l'innovation publique" in package["sources"][0]["title"]
    assert {c["role"] for c in package["contributors"]} == {"author", "contributor"}
    assert package["created"] == exports.data_datetime().isoformat()
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["acteurs"]["path"] == settings.SITE_URL + "/donnees/acteurs.csv"
    assert resources["relations"]["path"] == settings.SITE_URL + "/donnees/relations.csv"
    for resource in resources.values():
        assert resource["format"] == "csv" and resource["encoding"] == "utf-8"
        assert resource["dialect"]["delimiter"] == ";"
        assert resource["dialect"]["lineTerminator"] == "\r\n"
    assert resources["acteurs"]["schema"]["primaryKey"] == ["identifiant"]
    assert resources["relations"]["schema"]["primaryKey"] == ["identifiant"]
    references = {
        key["fields"]: key["reference"] for key in resources["relations"]["schema"]["foreignKeys"]
    }
    target = {"resource": "acteurs", "fields": "identifiant"}
    assert references == {
        "acteur source (identifiant)": target,
        "acteur cible (identifiant)": target,
    }
    parent = resources["acteurs"]["schema"]["foreignKeys"][0]
    assert parent == {
        "fields": "organisation parente (identifiant)",
        "reference": {"resource": "", "fields": "identifiant"},
    }
    checked = frictionless.Package.validate_descriptor(package)  # as a portal reads it
    assert checked.valid, checked.flatten(["type", "note"])


# --- Every column described, from the files' headers ----------------------------------------


@pytest.mark.django_db
def test_every_column_of_the_csvs_is_in_the_dictionary_and_the_schema_and_nothing_else(client):
    package = datapackage.descriptor(lambda export: export.path)
    described = client.get("/donnees/dictionnaire.json").json()
    tables = {table["name"]: table for table in described["tables"]}
    for key in CSVS:
        header, _rows = header_and_rows(key)
        name = exports.EXPORTS[key].filename
        assert [f["name"] for f in schema_of(package, key)["fields"]] == header
        assert [c["name"] for c in tables[name]["columns"]] == header
        assert all(c["title"] and c["type"] for c in tables[name]["columns"])


@pytest.mark.django_db
def test_every_code_in_the_data_is_in_its_list(tmp_path):
    make_awkward_ecosystem()
    package = datapackage.descriptor(lambda export: export.path)
    lists = {codes.key: codes for codes in dictionary.code_lists(dictionary.tables())}
    for key in CSVS:
        header, rows = header_and_rows(key)
        for field in schema_of(package, key)["fields"]:
            allowed = field.get("constraints", {}).get("enum")
            written = {row[field["name"]] for row in rows} - {""}
            if allowed:
                assert written <= set(allowed), field["name"]
    _header, rows = header_and_rows("actors-csv")
    secondary = {code for row in rows for code in row["types secondaires"].split(", ") if code}
    assert secondary and secondary <= {code for code, _label in lists["actor.type"].codes}
    assert {"prestataire", "autre"} <= secondary


@pytest.mark.django_db
def test_a_new_public_field_appears_in_the_files_the_dictionary_and_the_package(
    tmp_path, monkeypatch
):
    """A column added to the exports (here the creation dates) needs no edit of the
    dictionary: it is described, typed and validated like the others."""
    monkeypatch.setattr(exports, "PUBLIC_FIELDS", [*exports.PUBLIC_FIELDS, "created_at"])
    monkeypatch.setattr(exports, "RELATION_FIELDS", [*exports.RELATION_FIELDS, "created_at"])
    package = datapackage.descriptor(lambda export: export.path)
    described = dictionary.as_data(lambda export: export.path)["tables"]
    # After the modification date ("modifie_le"), itself a datetime, at the end of the files.
    expected = {
        "actors-csv": ["modifie_le", "créé le"],
        "relations-csv": ["modifie_le", "créée le"],
    }
    for table, (key, added) in zip(described, expected.items(), strict=True):
        header, _rows = header_and_rows(key)
        assert header[-len(added) :] == added
        fields = schema_of(package, key)["fields"][-len(added) :]
        assert [(f["name"], f["type"]) for f in fields] == [(name, "datetime") for name in added]
        assert [c["name"] for c in table["columns"]] == header
    assert problems(local_package(tmp_path)) == []


# --- The dictionary's page --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dictionary_page_describes_each_column_and_code_in_french(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        page = client.get("/donnees/dictionnaire/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Dictionnaire des données</h1>" in html
    for key in CSVS:
        header, _rows = header_and_rows(key)
        for name in header:
            assert f"<code>{name}</code>" in html.replace("&#x27;", "'")
    assert "<code>cellule_innovation</code></th><td" in html
    assert "Cellule publique d&#x27;innovation" in html
    assert "<code>prestation_service</code>" in html and "Prestation de service" in html
    assert "Statut administratif" in html and "Collectivité territoriale" in html
    assert "nombre entier" in html and "non, peut être vide" in html
    assert 'href="/donnees/datapackage.json"' in html
    assert 'href="/donnees/dictionnaire/"' in client.get("/donnees/").content.decode()


@pytest.mark.django_db
def test_the_dictionary_page_is_translated_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/donnees/dictionnaire/").content.decode()
    assert "<h1>Data dictionary</h1>" in html
    assert "Public innovation unit" in html  # the translation beside the files' French label
    assert "Cellule publique d&#x27;innovation" in html
    assert "<code>identifiant</code>" in html  # headers stay as the files have them
    assert "Dictionnaire" not in html and "peut être vide" not in html
