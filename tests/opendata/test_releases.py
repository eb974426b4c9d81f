"""Citable releases (/donnees/versions/): a release, a change, a second release, and the
changelog between them; the files of a release frozen byte for byte; the API's ?version=;
who may publish, and what a wrong label gets."""

import hashlib
import io
import json

import frictionless
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from contributions.models import Status
from opendata.exports import EXPORTS
from opendata.models import Release, ReleaseFile, ReleaseRecord
from relations.models import RelationType
from tests.factories import make_actor, make_relation, pending_correction

pytestmark = pytest.mark.django_db

REMOVED = "Acteur bientôt retiré"


def publish_on_the_web(client, version: str, **fields):
    """The form's two steps: the preview, then the confirmation of what it showed."""
    values = {"version": version, **fields}
    preview = client.post("/donnees/versions/publier/", {**values, "action": "apercu"})
    assert preview.status_code == 200, preview.content[:500]
    data_version = preview.context["form"]["data_version"].value()
    response = client.post(
        "/donnees/versions/publier/",
        {**values, "action": "publier", "data_version": data_version},
    )
    return preview, response


def download(client, url: str) -> bytes:
    response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200, url
    return response.content


def frozen_files(client, version: str) -> dict[str, bytes]:
    return {
        file.path: download(client, f"/donnees/versions/{version}/{file.path}")
        for file in ReleaseFile.objects.filter(release__version=version)
    }


def validate_correction(moderator_client, actor: Actor, **values) -> None:
    proposal = pending_correction(actor, **values)
    response = moderator_client.post(f"/moderation/{proposal.pk}/", {"action": "valider"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.VALIDATED


def test_a_release_a_change_a_second_release_and_the_changelog_between_them(
    client, moderator_client
):
    removed = make_actor(name=REMOVED, slug="acteur-bientot-retire")
    beneficiary = make_actor(name="Bénéficiaire de test")
    preview, response = publish_on_the_web(moderator_client, "2027.1", title="Première")
    assert "Première version" in preview.content.decode()
    assert response.status_code == 302 and response["Location"] == "/donnees/versions/2027.1/"
    first = Release.objects.get(version="2027.1")
    assert first.actor_count == Actor.objects.count()
    page = client.get("/donnees/").content.decode()
    assert "version 2027.1" in page and "non publiée" not in page
    files_before = frozen_files(client, "2027.1")
    assert set(files_before) == {e.path for e in EXPORTS.values()} | {
        "changelog.json",
        "datapackage.json",
    }
    assert json.loads(files_before["changelog.json"])["first"] is True

    archipel = Actor.objects.get(slug="archipel")
    old_name = archipel.name
    validate_correction(moderator_client, archipel, name="Archipel renommé")
    relation = make_relation(
        Actor.objects.get(slug="archipel"), beneficiary, RelationType.PRESTATION_SERVICE
    )
    removed.delete()
    page = client.get("/donnees/").content.decode()
    assert "non publiée" in page and "modifiées depuis la version 2027.1" in page
    assert client.get("/donnees/acteurs.csv")["X-TIPs-Version"] == "non-publiee"
    listing = client.get("/donnees/versions/").content.decode()
    assert "Données courantes : non publiées — 3 changements depuis la version 2027.1." in listing

    out = io.StringIO()
    call_command("publish_release", "2027.2", stdout=out)
    assert "acteurs +0 −1 ~1 ; relations +1 −0 ~0" in out.getvalue()

    log = json.loads(download(client, "/donnees/versions/2027.2/changelog.json"))
    assert log["previous"] == "2027.1" and log["first"] is False
    assert log["counts"] == {
        "actors": {"added": 0, "removed": 1, "changed": 1},
        "relations": {"added": 1, "removed": 0, "changed": 0},
    }
    assert log["actors"]["removed"] == [{"slug": "acteur-bientot-retire", "name": REMOVED}]
    # Validating a correction also dates the check of the card: a change of the data too.
    assert log["actors"]["changed"] == [
        {
            "slug": "archipel",
            "name": "Archipel renommé",
            "fields": [
                {"field": "name", "label": "nom"},
                {"field": "checked_on", "label": "dernière vérification"},
            ],
        }
    ]
    assert [item["id"] for item in log["relations"]["added"]] == [relation.pk]
    assert "Prestation de service" in log["relations"]["added"][0]["name"]

    # The release page shows it, in French, with its citation.
    page = client.get("/donnees/versions/2027.2/").content.decode()
    assert "Acteurs : 0 ajoutés, 1 retirés, 1 modifiés" in page
    assert f"Retiré : {REMOVED}" in page and "Archipel renommé" in page
    assert "Citer cette version" in page and "(version 2027.2) [jeu de données]" in page

    # Release 1's files are byte for byte what they were, and say so in their ETag.
    assert frozen_files(client, "2027.1") == files_before
    for file in ReleaseFile.objects.filter(release=first):
        assert hashlib.sha256(files_before[file.path]).hexdigest() == file.sha256
    csv = client.get("/donnees/versions/2027.1/acteurs.csv", HTTP_ACCEPT_ENCODING="identity")
    assert csv["ETag"] == f'"{hashlib.sha256(csv.content).hexdigest()}"'
    assert "immutable" in csv["Cache-Control"]
    assert csv["Content-Disposition"] == 'attachment; filename="tips-map-acteurs-2027.1.csv"'
    assert old_name in csv.content.decode("utf-8-sig")
    assert REMOVED in csv.content.decode("utf-8-sig")

    # The API answers each release's records, and says which data it shows.
    old = client.get("/api/actors/archipel/", {"version": "2027.1"})
    assert old.status_code == 200 and old.json()["name"] == old_name
    assert old["X-TIPs-Version"] == "2027.1"
    assert old.json()["api_url"] == f"{settings.SITE_URL}/api/actors/archipel/?version=2027.1"
    live = client.get("/api/actors/archipel/")
    assert live.json()["name"] == "Archipel renommé" and live["X-TIPs-Version"] == "2027.2"
    assert client.get(f"/api/relations/{relation.pk}/", {"version": "2027.1"}).status_code == 404
    assert client.get(f"/api/relations/{relation.pk}/", {"version": "2027.2"}).status_code == 200

    # The list, newest first, says the current data is the latest release.
    listing = client.get("/donnees/versions/").content.decode()
    assert "Données courantes : identiques à la version 2027.2." in listing
    assert listing.index("2027.2") < listing.index("2027.1")
    assert "acteurs : +0 −1 ~1" in listing and "première version" in listing


def test_the_api_pages_a_release_like_the_live_api(client):
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    release = Release.objects.get()
    first = client.get("/api/actors/", {"version": "2027.1", "page_size": 50})
    assert first.status_code == 200
    data = first.json()
    assert data["count"] == release.actor_count > 50  # disappeared actors included
    assert len(data["results"]) == 50 and "version=2027.1" in data["next"]
    second = client.get(data["next"]).json()
    assert {a["slug"] for a in second["results"]}.isdisjoint(a["slug"] for a in data["results"])
    territories = client.get("/api/territories/", {"version": "2027.1", "page_size": 1})
    assert territories.status_code == 200 and territories.json()["count"] > 1


@pytest.mark.parametrize(
    "params, status, named",
    [
        ({"version": "2099.1"}, 404, None),
        ({"version": "dernière"}, 400, "version"),
        ({"version": "2027.1", "type": "cellule_innovation"}, 400, "type"),
        ({"version": "2027.1", "ordering": "name"}, 400, "ordering"),
    ],
)
def test_a_wrong_version_or_a_filter_with_a_version_is_a_clear_json_error(
    client, params, status, named
):
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    response = client.get("/api/actors/", params)
    assert response.status_code == status
    body = response.json()
    if named:
        assert list(body["errors"]) == [named]
        assert "données courantes" in body["detail"] or "version" in body["detail"]
    else:
        assert body["detail"].startswith("La version 2099.1 n'existe pas")


def test_only_chair_admins_may_publish(client, contributor_client, moderator_client):
    assert client.get("/donnees/versions/publier/").status_code == 302
    for response in (
        contributor_client.get("/donnees/versions/publier/"),
        contributor_client.post(
            "/donnees/versions/publier/", {"version": "2027.1", "action": "publier"}
        ),
    ):
        assert response.status_code == 403
    assert not Release.objects.exists()
    form = moderator_client.get("/donnees/versions/publier/")
    assert form.status_code == 200
    assert form.context["form"]["version"].value().endswith(".1")
    assert "Publier une version" not in client.get("/donnees/versions/").content.decode()


@pytest.mark.parametrize(
    "label, message",
    [
        ("2027.1", "La version 2027.1 existe déjà : choisissez un autre numéro."),
        ("2026.4", "Le numéro doit suivre celui de la dernière version publiée, 2027.1."),
        ("v2", "« v2 » n&#x27;est pas un numéro de version"),
    ],
)
def test_a_taken_or_malformed_label_is_refused_and_nothing_is_written(
    moderator_client, label, message
):
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    before = (Release.objects.count(), ReleaseFile.objects.count(), ReleaseRecord.objects.count())
    for action in ("apercu", "publier"):
        response = moderator_client.post(
            "/donnees/versions/publier/",
            {"version": label, "title": "Mon titre gardé", "action": action},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        assert 'value="Mon titre gardé"' in page  # nothing typed is lost
    after = (Release.objects.count(), ReleaseFile.objects.count(), ReleaseRecord.objects.count())
    assert after == before


def test_the_command_refuses_a_taken_label_in_french():
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    with pytest.raises(Exception, match="La version 2027.1 existe déjà"):
        call_command("publish_release", "2027.1", stdout=io.StringIO())
    assert Release.objects.count() == 1


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_versions_list_reads_as_many_queries_whatever_the_number_of_releases(client):
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    make_actor(name="Un changement")
    one = queries_of(client, "/donnees/versions/")
    for version in ("2027.2", "2027.3", "2028.1"):
        make_actor(name=f"Changement avant {version}")
        call_command("publish_release", version, stdout=io.StringIO())
    make_actor(name="Un dernier changement")
    four = queries_of(client, "/donnees/versions/")
    assert four == one
    page = client.get("/donnees/versions/").content.decode()
    assert page.count('href="/donnees/versions/20') == 4


def test_the_live_api_says_whether_its_data_is_released(client):
    before = client.get("/api/actors/")
    assert before["X-TIPs-Version"] == "non-publiee"
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    # Same data, but the answer now names a release: a cached copy is not "not modified".
    after = client.get("/api/actors/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["X-TIPs-Version"] == "2027.1"
    assert client.get("/api/actors.geojson")["X-TIPs-Version"] == "2027.1"
    assert client.get("/donnees/acteurs.csv")["X-TIPs-Version"] == "2027.1"
    make_actor(name="Un changement")
    assert client.get("/api/relations/")["X-TIPs-Version"] == "non-publiee"


def test_frictionless_finds_a_release_valid_as_its_files_are_downloaded(client, tmp_path):
    call_command("publish_release", "2027.1", stdout=io.StringIO())
    for path, body in frozen_files(client, "2027.1").items():
        (tmp_path / path).write_bytes(body)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["acteurs"] == Release.objects.get().actor_count
