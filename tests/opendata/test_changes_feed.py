"""The feeds of published changes (/donnees/changements.json and .atom): newest first, what
changed and how, the fields, the card; only what a moderator published, nobody's email; the
same queries whatever the size of the history."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils import timezone

from actors.models import Actor
from contributions import merge
from contributions.models import Status
from tests.factories import PROPOSER_EMAIL, make_actor, pending_correction, pending_new_actor

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET_NAME = "Lab encore secret"
SECRET_EMAIL = "discrete@example.org"


def feed_json(client, status=200, **params) -> dict:
    response = client.get("/donnees/changements.json", params)
    assert response.status_code == status, response.content[:300]
    return response.json()


def feed_atom(client, **params) -> ET.Element:
    response = client.get("/donnees/changements.atom", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries_of(root: ET.Element) -> list[dict]:
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def validated(moderator_client):
    """A new actor with its relation to Archipel, validated by a moderator on the moderation
    page, while another proposal waits."""
    pending_new_actor(name=SECRET_NAME, email=SECRET_EMAIL)
    proposal = pending_new_actor(name="Lab tout juste publié")
    response = moderator_client.post(f"/moderation/{proposal.pk}/", {"action": "valider"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.VALIDATED
    return Actor.objects.get(name="Lab tout juste publié")


def test_a_validated_proposal_is_the_newest_change_of_both_feeds(client, validated, moderator):
    data = feed_json(client)
    relation, actor = data["changes"][:2]
    assert actor["object"] == "actor" and actor["kind"] == "created"
    assert actor["name"] == "Lab tout juste publié" and actor["key"] == validated.slug
    assert actor["url"] == f"{settings.SITE_URL}/acteurs/{validated.slug}/"
    assert relation["object"] == "relation" and relation["kind"] == "created"
    assert (
        relation["name"] == "Archipel — Lab tout juste publié (Collaboration)"
        or relation["name"] == "Lab tout juste publié — Archipel (Collaboration)"
    )
    dates = [datetime.datetime.fromisoformat(c["date"]) for c in data["changes"]]
    assert dates == sorted(dates, reverse=True)

    root = feed_atom(client)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "TIPs map : changements publiés"
    first, second = entries_of(root)[:2]
    assert first["title"].startswith("Création (relation) : ")
    assert second["title"] == "Création (acteur) : Lab tout juste publié"
    assert second["link"] == f"{settings.SITE_URL}/acteurs/{validated.slug}/"
    assert second["id"] == actor["id"] and first["id"] == relation["id"]
    assert "created" in second["categories"] and "actor" in second["categories"]
    assert datetime.datetime.fromisoformat(second["updated"]) == datetime.datetime.fromisoformat(
        actor["date"]
    )

    for body in (json.dumps(data, ensure_ascii=False), ET.tostring(root, encoding="unicode")):
        assert SECRET_NAME not in body  # still pending
        for email in (SECRET_EMAIL, PROPOSER_EMAIL, moderator.email):
            assert email not in body
        assert moderator.username not in body and "@" not in body


def test_a_correction_gives_the_labels_of_the_fields_it_changed(client, moderator_client):
    archipel = Actor.objects.get(slug="archipel")
    correction = pending_correction(archipel, missions="Nouvelles missions", acronym="ARCH")
    moderator_client.post(f"/moderation/{correction.pk}/", {"action": "valider"})
    change = feed_json(client)["changes"][0]
    assert change["kind"] == "changed" and change["name"] == "Archipel"
    assert {"missions", "sigle"} <= set(change["fields"])
    (entry,) = entries_of(feed_atom(client))[:1]
    assert entry["title"] == "Modification (acteur) : Archipel"
    assert "Champs modifiés :" in entry["summary"] and "missions" in entry["summary"]


def test_a_merge_and_a_removal_say_so(client):
    kept, duplicate = make_actor(name="Gardé"), make_actor(name="Doublon")
    merge.merge(kept.pk, duplicate.pk, {}, reason="test", checked_on=timezone.localdate())
    gone = make_actor(name="Supprimé")
    gone.delete()
    changes = feed_json(client)["changes"]
    removed = next(c for c in changes if c["name"] == "Supprimé")
    assert removed["kind"] == "removed" and removed["url"] is None
    merged = next(c for c in changes if c["name"] == "Doublon" and c["kind"] != "created")
    assert merged["kind"] == "merged"
    assert merged["url"] == f"{settings.SITE_URL}/acteurs/{duplicate.slug}/"  # leads to the kept
    assert client.get(f"/acteurs/{duplicate.slug}/").status_code == 301
    titles = [e["title"] for e in entries_of(feed_atom(client))]
    assert "Suppression (acteur) : Supprimé" in titles and "Fusion (acteur) : Doublon" in titles


def test_since_a_date_only_the_later_changes(client, validated):
    created = validated.history.earliest().history_date
    later = feed_json(client, depuis=created.isoformat())["changes"]
    assert {c["kind"] for c in later} == {"created"} and len(later) == 2
    assert feed_json(client, depuis="2100-01-01")["changes"] == []
    assert entries_of(feed_atom(client, depuis="2100-01-01")) == []
    assert len(entries_of(feed_atom(client, depuis=created.isoformat()))) == 2


def test_a_bad_date_is_a_clear_french_400(client):
    data = feed_json(client, status=400, depuis="hier")
    assert data == {"depuis": [data["depuis"][0]]}
    assert "« hier » n'est pas une date" in data["depuis"][0]
    response = client.get("/donnees/changements.atom", {"avant": "2026-02-30"})
    assert response.status_code == 400
    assert "« 2026-02-30 » n'est pas une date" in response.content.decode()


def test_a_page_is_limited_and_leads_to_the_older_changes(client):
    # The report's data alone is several hundred versions.
    data = feed_json(client)
    assert len(data["changes"]) == data["limit"] == 100
    older = client.get(data["next"].removeprefix("http://testserver")).json()
    assert older["changes"] and older["changes"][0]["date"] < data["changes"][-1]["date"]
    seen = {c["id"] for c in data["changes"]}
    assert not seen & {c["id"] for c in older["changes"]}


def add_changes(count: int) -> None:
    archipel = Actor.objects.get(slug="archipel")
    for n in range(count):
        actor = make_actor(name=f"Acteur du flux {n}", parent=archipel)
        actor.secondary_types.set(["intermediation"])
        actor.publish({"missions": f"Missions {n}"}, reason="test")


@pytest.mark.parametrize("url", ["/donnees/changements.json", "/donnees/changements.atom"])
def test_the_feeds_cost_the_same_queries_whatever_the_history(
    client, url, django_assert_max_num_queries
):
    add_changes(5)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    add_changes(60)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_data_page_and_every_page_point_to_the_feeds(client):
    page = client.get("/donnees/").content.decode()
    assert 'href="/donnees/changements.atom"' in page
    assert 'href="/donnees/changements.json"' in page
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="TIPs map : changements publiés"'
        ' href="/donnees/changements.atom">' in home
    )
