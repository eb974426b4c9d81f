"""A territory moderator (Dominique, of the Puy-de-Dôme) moderates the proposals located there,
and those whose relations touch it; nothing else, on any path: the queue, its counts and the
header's badge, a proposal's page and its decision, the API, the emails. Chair admins keep
everything. Who may do what in general is tests/test_permissions.py."""

import io
from html import unescape
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from contributions import proposals
from contributions.models import Contribution, Status
from territories.models import Level, Territory
from tests.contributions.helpers import last_mail_to
from tests.factories import (
    make_actor,
    make_moderator,
    make_territory_moderator,
    make_user,
    pending_correction,
    pending_new_actor,
    token_for,
)

pytestmark = pytest.mark.django_db

CLERMONT = {"latitude": 45.7797, "longitude": 3.0863, "commune_name": "Clermont-Ferrand"}
LYON = {"latitude": 45.7640, "longitude": 4.8357, "commune_name": "Lyon"}
AYDAT = {"latitude": 45.6616, "longitude": 2.9766, "commune_name": "Aydat"}  # Puy-de-Dôme too


def in_clermont(name="Lab de Clermont en attente", **values) -> Contribution:
    """A new actor in Clermont-Ferrand, partner of Archipel (in Lyon)."""
    return pending_new_actor(name=name, **{**CLERMONT, **values})


def in_lyon(name="Lab de Lyon en attente", **values) -> Contribution:
    """A new actor in Lyon, partner of Archipel (in Lyon too): nothing in the Puy-de-Dôme."""
    return pending_new_actor(name=name, **{**LYON, **values})


def relation(source: Actor, target: Actor) -> Contribution:
    """A new relation proposed from `source`'s card, as the form makes it."""
    proposal = proposals.correction(
        source, {}, [{"source": source.slug, "target": target.slug, "type": "collaboration"}]
    )
    proposal.contributor_name, proposal.contributor_email = "Camille", "camille@example.org"
    proposal.status = Status.PENDING
    proposal.save()
    return proposal


def page(client, url: str, **params):
    response = client.get(url, params)
    return response, unescape(response.content.decode())


def puy_de_dome() -> Territory:
    return Territory.objects.get(level=Level.DEPARTEMENT, code="63")


# Where a proposal is --------------------------------------------------------------------------


def test_a_departement_covers_its_communes_and_the_relations_touching_them():
    clermont_actor = make_actor(name="Acteur clermontois", **CLERMONT)
    lyon_actor, other_lyon_actor = make_actor(**LYON), make_actor(**LYON)
    inside = [
        in_clermont(),
        pending_new_actor(name="Lab d'Aydat", **AYDAT),  # another EPCI of the département
        pending_correction(clermont_actor, website="https://clermont.example.org/"),
        pending_correction(lyon_actor, **CLERMONT),  # moves to Clermont
        relation(lyon_actor, clermont_actor),  # either end
        relation(clermont_actor, lyon_actor),
        pending_new_actor(name="Sans point", latitude=None, longitude=None, commune_name="Aydat"),
    ]
    outside = [
        in_lyon(),
        pending_correction(lyon_actor, website="https://lyon.example.org/"),
        relation(lyon_actor, other_lyon_actor),
    ]

    within = set(Contribution.objects.within([puy_de_dome()]))

    assert within == set(inside)
    for proposal in inside + outside:
        assert proposal.is_within([puy_de_dome()]) is (proposal in inside), proposal
    assert set(Contribution.objects.within([])) == set()


def test_a_proposal_stays_where_it_was_when_its_actor_is_removed(territory_moderator_client):
    actor = make_actor(name="Acteur supprimé", **CLERMONT)
    removal = proposals.removal(actor, "Un doublon.", disappeared=False)
    removal.contributor_name, removal.contributor_email = "Camille", "camille@example.org"
    removal.status = Status.PENDING
    removal.save()
    removal.decide(make_moderator("chaire", "chaire@example.org"), validate=True)

    response, body = page(territory_moderator_client, "/moderation/", statut=Status.VALIDATED)

    assert response.status_code == 200
    assert "Acteur supprimé" in body


def test_the_migration_locates_the_proposals_already_waiting():
    waiting = in_clermont()
    waiting.places.clear()
    assert not waiting.is_within([puy_de_dome()])

    migration = import_module("contributions.migrations.0003_territory_moderation")
    migration.locate_waiting_proposals(apps, None)

    assert waiting.is_within([puy_de_dome()])
    assert Contribution.objects.within([puy_de_dome()]).get() == waiting


# The queue, its counts, the header -----------------------------------------------------------


def test_the_queue_lists_only_their_territories_and_says_which(territory_moderator_client):
    in_clermont()
    in_lyon()
    in_lyon(name="Lab de Lyon refusé", contribution_status=Status.REFUSED)

    response, body = page(territory_moderator_client, "/moderation/")

    assert response.status_code == 200
    assert "Vous modérez : " in body and ">Puy-de-Dôme</a>" in body
    assert "Lab de Clermont en attente" in body
    assert "Lab de Lyon en attente" not in body
    assert "En attente de modération (1)" in body
    assert "Refusée (0)" in body
    assert '<span class="count-badge">1</span>' in body
    _, refused = page(territory_moderator_client, "/moderation/", statut=Status.REFUSED)
    assert "Lab de Lyon refusé" not in refused


def test_a_chair_admin_still_sees_everything(moderator_client, territory_moderator):
    in_clermont()
    in_lyon()

    _, body = page(moderator_client, "/moderation/")

    assert "Lab de Clermont en attente" in body and "Lab de Lyon en attente" in body
    assert "En attente de modération (2)" in body
    assert '<span class="count-badge">2</span>' in body
    assert "Vous modérez" not in body


def test_the_queue_costs_the_same_queries_for_3_and_30_proposals(territory_moderator_client):
    counts = []
    for size in (3, 30):
        Contribution.objects.all().delete()
        for n in range(size):
            (in_clermont if n % 2 else in_lyon)(name=f"Proposition {n}")
        with CaptureQueriesContext(connection) as queries:
            response = territory_moderator_client.get("/moderation/")
        assert response.status_code == 200
        assert response.content.decode().count("Proposition ") == size // 2
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_someone_with_an_empty_scope_has_no_queue(client):
    user = make_territory_moderator("vide", "vide@example.org")
    user.moderation_scope.territories.clear()
    client.force_login(user)

    assert client.get("/moderation/").status_code == 403
    assert 'class="count-badge"' not in client.get("/").content.decode()


# Deciding outside their territories ----------------------------------------------------------


def test_deciding_outside_is_refused_on_the_web_and_nothing_changes(territory_moderator_client):
    lyon = in_lyon()
    url = f"/moderation/{lyon.pk}/"

    response, body = page(territory_moderator_client, url)
    assert response.status_code == 403
    assert "hors des territoires que vous modérez" in body
    assert "Lab de Lyon en attente" not in body and lyon.contributor_email not in body

    for action in ("valider", "refuser"):
        response = territory_moderator_client.post(
            url, {"action": action, "decision_message": "Hors de mon territoire."}
        )
        assert response.status_code == 403
    lyon.refresh_from_db()
    assert (lyon.status, lyon.moderator) == (Status.PENDING, None)
    assert not Actor.objects.filter(name="Lab de Lyon en attente").exists()
    assert mail.outbox == []


def test_deciding_inside_publishes(territory_moderator_client, territory_moderator):
    clermont = in_clermont()

    response = territory_moderator_client.post(f"/moderation/{clermont.pk}/", {"action": "valider"})

    assert response.status_code == 302
    clermont.refresh_from_db()
    assert (clermont.status, clermont.moderator) == (Status.VALIDATED, territory_moderator)
    assert Actor.objects.get(name="Lab de Clermont en attente").territory.name == "Clermont-Ferrand"


def test_an_edit_moving_a_new_actor_out_of_their_territories_is_refused(
    territory_moderator_client,
):
    clermont = in_clermont()  # its partner, Archipel, is in Lyon: outside too
    url = f"/moderation/{clermont.pk}/"
    form = territory_moderator_client.get(url).context["edit_form"]
    data = {f"edition-{k}": v for k, v in form.initial.items() if v not in (None, [])}
    data.update(
        {
            "edition-latitude": LYON["latitude"],
            "edition-longitude": LYON["longitude"],
            "edition-commune_name": "Lyon",
            "edition-name": "Lab déplacé à Lyon",
            "action": "valider",
            "edited": "1",
        }
    )

    response = territory_moderator_client.post(url, data)

    body = unescape(response.content.decode())
    assert response.status_code == 403
    assert "sortirait des territoires que vous modérez" in body
    assert 'value="Lab déplacé à Lyon"' in body  # what they typed is still there
    clermont.refresh_from_db()
    assert clermont.status == Status.PENDING
    assert not Actor.objects.filter(name__startswith="Lab déplacé").exists()


def test_deciding_outside_is_refused_in_the_api(client, territory_moderator):
    lyon, clermont = in_lyon(), in_clermont()
    headers = {"HTTP_AUTHORIZATION": f"Token {token_for(territory_moderator).key}"}

    listed = client.get("/api/contributions/", **headers).json()
    one = client.get(f"/api/contributions/{lyon.pk}/", **headers)
    refused = [
        client.post(
            f"/api/contributions/{lyon.pk}/{action}/",
            {"message": "Hors de mon territoire."},
            content_type="application/json",
            **headers,
        )
        for action in ("validate", "refuse")
    ]

    assert [row["id"] for row in listed["results"]] == [clermont.pk]
    assert one.status_code == 403
    assert "hors des territoires que vous modérez" in one.json()["detail"]
    assert lyon.contributor_email not in one.content.decode()
    assert [response.status_code for response in refused] == [403, 403]
    lyon.refresh_from_db()
    assert lyon.status == Status.PENDING
    assert not Actor.objects.filter(name="Lab de Lyon en attente").exists()


# Emails ---------------------------------------------------------------------------------------


def submit(**values) -> Contribution:
    """A proposal by Léa, signed in: straight to the moderators, who are told."""
    lea = User.objects.filter(username="lea").first() or make_user("lea", "lea@example.org")
    proposal = proposals.new_actor(
        {"name": "Lab proposé", "type": "cellule_innovation", **values}, []
    )
    return proposals.submit(proposal, proposals.Contributor("Léa", lea.email, account=lea))


def test_the_notification_reaches_the_chair_admins_and_the_moderators_of_the_place(
    moderator, territory_moderator
):
    rhone = make_territory_moderator("rhone", "rhone@example.org", departement="69")

    submit(**CLERMONT)
    told = {address for message in mail.outbox for address in message.to}
    mail.outbox.clear()
    submit(**LYON)
    told_of_lyon = {address for message in mail.outbox for address in message.to}

    assert {moderator.email, territory_moderator.email} <= told
    assert rhone.email not in told
    assert {moderator.email, rhone.email} <= told_of_lyon
    assert territory_moderator.email not in told_of_lyon


def test_the_digest_gives_each_territory_moderator_their_proposals(moderator, territory_moderator):
    in_clermont()
    in_lyon()

    call_command("moderation_digest", stdout=io.StringIO())

    theirs = last_mail_to(territory_moderator.email)
    assert "Lab de Clermont en attente" in theirs.body
    assert "Lab de Lyon en attente" not in theirs.body
    chair = last_mail_to(moderator.email)
    assert "Lab de Clermont en attente" in chair.body and "Lab de Lyon en attente" in chair.body


# The admin screen -----------------------------------------------------------------------------


def test_a_chair_admin_gives_territories_in_the_admin(superuser_client, contributor, client):
    add = superuser_client.get("/admin/contributions/moderationscope/add/")
    assert add.status_code == 200
    found = superuser_client.get(
        "/admin/autocomplete/",
        {
            "term": "puy-de-dôme",
            "app_label": "contributions",
            "model_name": "moderationscope",
            "field_name": "territories",
        },
    ).json()
    assert [row["text"] for row in found["results"]] == ["Puy-de-Dôme (Département)"]

    response = superuser_client.post(
        "/admin/contributions/moderationscope/add/",
        {"user": contributor.pk, "territories": [found["results"][0]["id"]]},
    )

    assert response.status_code == 302
    listing = unescape(
        superuser_client.get("/admin/contributions/moderationscope/").content.decode()
    )
    assert "Puy-de-Dôme" in listing
    in_clermont()
    client.force_login(contributor)
    _, body = page(client, "/moderation/")
    assert "Lab de Clermont en attente" in body
