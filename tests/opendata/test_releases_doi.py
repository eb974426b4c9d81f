"""A DOI registered after publishing: recorded in the admin, carried by the citation files."""

import io

import pytest
import yaml
from datacite import schema45
from django.core.management import call_command

from opendata.models import Release

pytestmark = pytest.mark.django_db


def test_a_doi_recorded_in_the_admin_appears_in_the_citation_files(client, superuser_client):
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    release = Release.objects.get()
    url = f"/admin/opendata/release/{release.pk}/change/"
    response = superuser_client.post(url, {"doi": "10.12345/tips-map.2027.1"})
    assert response.status_code == 302, response.content[:500]
    release.refresh_from_db()
    assert release.doi == "10.12345/tips-map.2027.1" and release.version == "2027.1"
    assert superuser_client.get("/admin/opendata/release/add/").status_code == 403

    cff = yaml.safe_load(client.get("/donnees/versions/2027.1/CITATION.cff").content)
    assert cff["doi"] == "10.12345/tips-map.2027.1"
    data = client.get("/donnees/versions/2027.1/datacite.json").json()
    assert data["doi"] == "10.12345/tips-map.2027.1" and schema45.validate(data)
    page = client.get("/donnees/versions/2027.1/").content.decode()
    assert "https://doi.org/10.12345/tips-map.2027.1" in page
