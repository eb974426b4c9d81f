"""The citation files of a release, read by the tools that read them: CITATION.cff against the
official CFF 1.2.0 schema (YAML, as GitHub and Zenodo parse it), the DataCite JSON against
kernel 4.5 (the `datacite` package, as a DOI registration would send it)."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from datacite import schema45
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

CFF_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "cff-schema-1.2.0.json").read_text()
)


@pytest.fixture
def two_releases():
    for version in ("2027.1", "2027.2"):
        call_command("publish_release", version, title="Essai", stdout=io.StringIO())


def test_citation_cff_validates_against_the_cff_schema(client, two_releases):
    response = client.get("/donnees/versions/2027.2/CITATION.cff")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="CITATION.cff"'
    cff = yaml.safe_load(response.content.decode())
    jsonschema.validate(cff, CFF_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert cff["type"] == "dataset" and cff["version"] == "2027.2"
    assert cff["license"] == "etalab-2.0"
    assert cff["authors"] == [
        {"name": "Chaire Transformations de l'action publique, Sciences Po Lyon"}
    ]
    assert cff["url"] == f"{settings.SITE_URL}/donnees/versions/2027.2/"


def test_datacite_json_validates_against_kernel_4_5_and_names_the_previous_release(
    client, two_releases
):
    data = client.get("/donnees/versions/2027.2/datacite.json").json()
    errors = [error.message for error in schema45.validator.iter_errors(data)]
    assert errors == [] and schema45.validate(data)
    assert data["types"]["resourceTypeGeneral"] == "Dataset"
    assert data["creators"][0]["nameType"] == "Organizational"
    assert data["version"] == "2027.2" and data["publicationYear"].isdigit()
    assert data["rightsList"][0]["rightsIdentifier"] == "etalab-2.0"
    assert data["relatedIdentifiers"] == [
        {
            "relatedIdentifier": f"{settings.SITE_URL}/donnees/versions/2027.1/",
            "relatedIdentifierType": "URL",
            "relationType": "IsNewVersionOf",
        }
    ]
    assert "doi" not in data  # ready for one: none yet
    first = client.get("/donnees/versions/2027.1/datacite.json").json()
    assert first["relatedIdentifiers"] == [] and schema45.validate(first)
