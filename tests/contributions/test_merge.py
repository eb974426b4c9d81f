"""Merging duplicates: reporting one from a card, the moderator's side-by-side review, the merge
(relations moved and collapsed, contacts and sources kept, B out of everything published, its
addresses redirecting) and its undo from the history. Who may decide and undo:
tests/test_permissions.py; the journey in a browser: tests/browser/test_merge.py."""

import io
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F, Q

from actors.models import Actor, Contact
from contributions.models import Contribution, Kind, Status
from relations.models import Relation, RelationType
from tests.factories import PROPOSER, PROPOSER_EMAIL, make_actor, make_relation, token_for

from .helpers import confirmation_link, path_of

pytestmark = pytest.mark.django_db

COLLABORATION = RelationType.COLLABORATION
SERVICE = RelationType.PRESTATION_SERVICE
SHARING = RelationType.PARTAGE_INFORMATION
HISTORIES = [Actor, Relation, Contact]


@dataclass
class Duplicates:
    """A, the Lab des usages de Riom (kept), and B, the same lab under another name (reported),
    with overlapping relations: both collaborate with X (they collapse), B provides a service to
    Y and shares information with it (they move), A and B collaborate (it disappears); S is a
    service of B; both list Alix Martin, B also Basile Roux."""

    a: Actor
    b: Actor
    x: Actor
    y: Actor
    s: Actor


@pytest.fixture
def duplicates() -> Duplicates:
    a = make_actor(
        name="Laboratoire des usages de Riom",
        short_name="LabRiom",
        missions="Ateliers",
        report_lines="100",
        provenance_detail="Entretien de 2022",
    )
    b = make_actor(
        name="Lab des usages Riom (ancienne fiche)",
        short_name="Lab Usages Riom",
        missions="Ateliers avec les agents",
        website="https://labriom.example.org/",
        report_lines="100, 200",
        provenance_detail="Site de la ville",
    )
    x = make_actor(name="Partenaire commun de Riom")
    y = make_actor(name="Bénéficiaire de Riom")
    s = make_actor(name="Service rattaché au lab de Riom", parent=b)
    Contact.objects.create(actor=a, name="Alix Martin", function="Cheffe de projet")
    Contact.objects.create(actor=b, name="Alix Martin", function="Cheffe de projet")
    Contact.objects.create(actor=b, name="Basile Roux", function="Designer")
    make_relation(a, x, description="Ateliers communs", report_lines="300")
    make_relation(b, x, description="Formation des agents", report_lines="301")
    make_relation(b, y, type=SERVICE, description="Accompagnement")
    make_relation(b, y, type=SHARING)  # stored in order: smaller id first
    make_relation(a, b, description="Le même lab")
    return Duplicates(a, b, x, y, s)


def relations_of(actor: Actor) -> set[tuple]:
    return {
        (r.source.slug, r.target.slug, r.type, r.description)
        for r in Relation.objects.involving(actor).select_related("source", "target")
    }


def every_relation() -> list[tuple]:
    return sorted(
        Relation.objects.values_list("id", "source_id", "target_id", "type", "description")
    )


def versions() -> list[set[int]]:
    """The ids of every version of actors, relations and contacts."""
    return [set(model.history.values_list("history_id", flat=True)) for model in HISTORIES]


def kept_every_version_and_added_some(before: list[set[int]]) -> bool:
    return all(then < now for then, now in zip(before, versions(), strict=True))


def report(client, d: Duplicates, kept_name: str, **extra):
    return client.post(
        f"/contribuer/doublon/{d.b.slug}/",
        {
            "doublon-kept": kept_name,
            "doublon-reason": "Même adresse, même équipe.",
            "contributeur-contributor_name": PROPOSER,
            "contributeur-contributor_email": PROPOSER_EMAIL,
            "contributeur-email_consent": "on",
            **extra,
        },
    )


def pending_merge(d: Duplicates) -> Contribution:
    return Contribution.objects.create(
        kind=Kind.MERGE,
        status=Status.PENDING,
        actor=d.b,
        actor_label=f"{d.b.name} → {d.a.name}",
        contributor_name=PROPOSER,
        contributor_email=PROPOSER_EMAIL,
        proposed={"merge": {"kept": d.a.pk, "merged": d.b.pk}, "reason": "Même équipe."},
    )


def validate(client, proposal: Contribution, **choices):
    data = {"action": "valider", "decision_message": "Fusionnés."}
    data.update({f"garder-{row}": column for row, column in choices.items()})
    response = client.post(f"/moderation/{proposal.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.status == Status.VALIDATED
    return proposal


# Reporting ----------------------------------------------------------------------------------


def test_anyone_reports_a_duplicate_from_the_card_and_confirms_it(client, duplicates):
    d = duplicates
    card = client.get(d.b.get_absolute_url()).content.decode()
    assert f'href="/contribuer/doublon/{d.b.slug}/"' in card and "Signaler un doublon" in card
    page = client.get(f"/contribuer/doublon/{d.b.slug}/").content.decode()
    assert "Signaler un doublon : Lab Usages Riom" in page
    assert 'data-suggest-url="/acteurs/suggestions.json"' in page

    response = report(client, d, "labriom")  # as the map names it: case and accents ignored

    proposal = Contribution.objects.get(kind=Kind.MERGE)
    assert response.status_code == 302 and response["Location"] == proposal.get_follow_url()
    assert proposal.status == Status.AWAITING_CONFIRMATION
    assert proposal.actor == d.b
    assert proposal.proposed == {
        "merge": {"kept": d.a.pk, "merged": d.b.pk},
        "reason": "Même adresse, même équipe.",
    }
    assert proposal.get_kind_display() == "Fusion de doublons"
    client.get(path_of(confirmation_link(mail.outbox[-1])))
    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING


def test_naming_the_reported_actor_itself_is_refused_and_nothing_typed_is_lost(client, duplicates):
    response = report(client, duplicates, "Lab Usages Riom")
    page = response.content.decode()
    assert response.status_code == 200
    assert "C&#x27;est la fiche que vous signalez : nommez l&#x27;autre acteur" in page
    assert "Même adresse, même équipe." in page and PROPOSER_EMAIL in page
    assert not Contribution.objects.exists()


def test_an_unknown_name_is_refused_with_the_name_fields_message(client, duplicates):
    page = report(client, duplicates, "Lab qui n'existe pas").content.decode()
    assert "Aucun acteur de la carte ne porte ce nom" in page
    assert not Contribution.objects.exists()


# Reviewing ----------------------------------------------------------------------------------


def test_the_moderator_sees_both_actors_side_by_side_and_what_becomes_of_the_relations(
    moderator_client, duplicates
):
    proposal = pending_merge(duplicates)
    page = moderator_client.get(f"/moderation/{proposal.pk}/").content.decode()
    assert "Fusion : les deux fiches côte à côte" in page
    # A's value by default; B's where A has none (the website).
    assert 'name="garder-missions" value="a" id="garder-missions-a" checked' in page
    assert 'name="garder-website" value="b" id="garder-website-b" checked' in page
    assert 'name="inverser"' in page
    assert "Basile Roux" in page
    reason = "Ce qui montre que c'est le même acteur, selon le contributeur</h2>"
    assert reason in page and "<blockquote>Même équipe.</blockquote>" in page
    assert "Lab Usages Riom → Bénéficiaire de Riom (Prestation de service)" in page  # moved
    assert "rejoint" in page and "LabRiom — Partenaire commun de Riom (Collaboration)" in page
    assert "<del>LabRiom — Lab Usages Riom (Collaboration)</del>" in page  # between A and B


# Merging ------------------------------------------------------------------------------------


def test_validating_merges_b_into_a_without_losing_or_duplicating_anything(
    moderator_client, duplicates
):
    d = duplicates
    before = versions()
    proposal = validate(moderator_client, pending_merge(d), missions="b")

    d.a.refresh_from_db()
    d.b.refresh_from_db()
    assert d.b.merged_into == d.a
    assert d.a.missions == "Ateliers avec les agents"  # chosen
    assert d.a.website == "https://labriom.example.org/"  # A had none
    assert d.a.short_name == "LabRiom"  # A's by default
    assert d.a.report_lines == "100, 200"
    assert d.a.provenance_detail == "Entretien de 2022 / Site de la ville"
    assert [(c.name, c.function) for c in d.a.contacts.all()] == [
        ("Alix Martin", "Cheffe de projet"),
        ("Basile Roux", "Designer"),
    ]
    # One relation per pair and type; the collapsed one keeps A's description, then B's.
    assert relations_of(d.a) == {
        (d.a.slug, d.x.slug, COLLABORATION, "Ateliers communs / Formation des agents"),
        (d.a.slug, d.y.slug, SERVICE, "Accompagnement"),
        (d.a.slug, d.y.slug, SHARING, ""),  # A was made before Y: the smaller id first
    }
    assert Relation.objects.get(source=d.a, target=d.x).report_lines == "300, 301"
    assert not Relation.objects.involving(d.b).exists()
    # Symmetric ones stored once, in order.
    assert not Relation.objects.filter(~Q(type=SERVICE), source__gt=F("target")).exists()
    d.s.refresh_from_db()
    assert d.s.parent == d.a
    # Nothing of either history is lost: every version is still there, and more were written.
    assert kept_every_version_and_added_some(before)
    assert proposal.actor == d.b
    assert set(proposal.proposed["merge"]["done"]) >= {"moved", "collapsed", "removed"}


def test_a_merged_actor_leaves_everything_published_and_its_addresses_lead_to_a(
    client, moderator_client, duplicates
):
    d = duplicates
    validate(moderator_client, pending_merge(d))
    response = client.get(f"/acteurs/{d.b.slug}/")
    assert response.status_code == 301 and response["Location"] == f"/acteurs/{d.a.slug}/"
    panel = client.get(f"/acteurs/{d.b.slug}/panneau/?x=1")
    assert panel.status_code == 301 and panel["Location"] == f"/acteurs/{d.a.slug}/panneau/?x=1"
    api = client.get(f"/api/actors/{d.b.slug}/")
    assert api.status_code == 301 and api["Location"].endswith(f"/api/actors/{d.a.slug}/")
    assert client.get("/acteurs/pas-un-acteur/").status_code == 404
    gone = "Lab des usages Riom (ancienne fiche)"
    for url in [
        "/",
        "/acteurs/?q=riom",
        "/acteurs/carte.json",
        "/acteurs/suggestions.json?q=usages",
        "/api/actors/?q=riom",
        "/api/actors.geojson",
        "/api/relations/",
        "/reseau/donnees.json",
        "/donnees/acteurs.csv",
        "/donnees/acteurs.geojson",
        "/donnees/relations.csv",
        "/donnees/reseau.gexf",
        "/donnees/tips-map.json",
    ]:
        body = client.get(url).content.decode("utf-8-sig")
        assert gone not in body and d.b.slug not in body, url
    assert "Laboratoire des usages de Riom" in client.get("/api/actors/?q=riom").content.decode()
    assert Actor.objects.named("Lab Usages Riom") == []


def test_both_histories_keep_every_entry_and_say_merged_into_and_absorbed(
    client, moderator_client, duplicates
):
    d = duplicates
    validate(moderator_client, pending_merge(d))
    b_history = client.get(f"/acteurs/{d.b.slug}/historique/").content.decode()
    assert "fusionné dans" in b_history and f'href="/acteurs/{d.a.slug}/"' in b_history
    # Its relations' versions, the collapsed one's deletion included.
    assert "Lab Usages Riom — Partenaire commun de Riom (Collaboration)" in b_history
    a_history = client.get(f"/acteurs/{d.a.slug}/historique/").content.decode()
    assert "a absorbé" in a_history and f'href="/acteurs/{d.b.slug}/historique/"' in a_history
    assert "Annuler cette fusion" not in a_history  # the public sees no undo
    assert (
        "Annuler cette fusion"
        in moderator_client.get(f"/acteurs/{d.a.slug}/historique/").content.decode()
    )


def test_swapping_keeps_b_and_merges_a_into_it(moderator_client, duplicates):
    d = duplicates
    proposal = pending_merge(d)
    response = moderator_client.post(
        f"/moderation/{proposal.pk}/", {"action": "valider", "inverser": "1", "garder-name": "a"}
    )
    assert response.status_code == 302
    d.a.refresh_from_db()
    d.b.refresh_from_db()
    assert d.a.merged_into == d.b and d.b.merged_into is None
    assert d.b.name == "Laboratoire des usages de Riom"  # column A's value, chosen
    assert {r[:3] for r in relations_of(d.b)} >= {(d.b.slug, d.y.slug, SERVICE)}
    assert not Relation.objects.involving(d.a).exists()


def test_a_merge_validated_through_the_api_takes_the_defaults(client, moderator, duplicates):
    d = duplicates
    proposal = pending_merge(d)
    token = token_for(moderator).key
    response = client.post(
        f"/api/contributions/{proposal.pk}/validate/",
        {"message": "ok"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200, response.content
    d.a.refresh_from_db()
    assert d.a.website == "https://labriom.example.org/" and d.a.missions == "Ateliers"


def test_a_merge_proposal_never_shows_its_contributors_email_publicly(
    client, moderator_client, duplicates
):
    d = duplicates
    proposal = pending_merge(d)
    urls = [f"/acteurs/{d.a.slug}/", f"/acteurs/{d.a.slug}/historique/", "/api/actors/?q=riom"]
    for url in [*urls, f"/acteurs/{d.b.slug}/", f"/acteurs/{d.b.slug}/historique/"]:
        assert PROPOSER_EMAIL not in client.get(url).content.decode(), url
    validate(moderator_client, proposal)
    for url in [*urls, f"/acteurs/{d.b.slug}/historique/", "/donnees/tips-map.json"]:
        assert PROPOSER_EMAIL not in client.get(url).content.decode(), url


# Undoing ------------------------------------------------------------------------------------


def test_undoing_brings_b_back_with_its_relations_and_a_its_values(
    client, moderator_client, moderator, duplicates
):
    d = duplicates
    before = every_relation()
    a_before = Actor.objects.filter(pk=d.a.pk).values().get()
    contacts_before = sorted(Contact.objects.values_list("id", "actor_id", "name", "function"))
    proposal = validate(moderator_client, pending_merge(d), missions="b")
    merged_versions = versions()

    confirm = moderator_client.get(f"/moderation/fusion/{proposal.pk}/annuler/").content.decode()
    assert "Annuler la fusion de Lab Usages Riom dans LabRiom" in confirm
    assert "Confirmer l'annulation de la fusion" in confirm
    response = moderator_client.post(f"/moderation/fusion/{proposal.pk}/annuler/")

    assert response.status_code == 302 and response["Location"] == f"/acteurs/{d.b.slug}/"
    assert every_relation() == before  # where they were, under their own ids
    a_now = Actor.objects.filter(pk=d.a.pk).values().get()
    changed = {k for k in a_before if a_before[k] != a_now[k]}
    assert changed <= {"updated_at", "checked_on"}
    assert sorted(
        (a, n, f)
        for _i, a, n, f in Contact.objects.values_list("id", "actor_id", "name", "function")
    ) == sorted((a, n, f) for _i, a, n, f in contacts_before)
    d.s.refresh_from_db()
    assert d.s.parent == d.b
    card = client.get(f"/acteurs/{d.b.slug}/")
    assert card.status_code == 200 and "Bénéficiaire de Riom" in card.content.decode()
    # The undo is itself recorded, on both actors, and nothing of the history went.
    assert kept_every_version_and_added_some(merged_versions)
    assert d.a.history.first().history_change_reason == proposal.undo_reason
    assert d.a.history.first().history_user == moderator
    assert (
        "Annulation de la fusion" in client.get(f"/acteurs/{d.b.slug}/historique/").content.decode()
    )
    # Once only.
    again = moderator_client.post(f"/moderation/fusion/{proposal.pk}/annuler/", follow=True)
    assert "Cette fusion a déjà été annulée" in again.content.decode()
    assert every_relation() == before


def test_undo_keeps_a_correction_made_to_a_since_the_merge(moderator_client, duplicates):
    d = duplicates
    proposal = validate(moderator_client, pending_merge(d), missions="b")
    d.a.refresh_from_db()
    d.a.publish({"website": "https://nouveau.example.org/"}, reason="Correction")
    moderator_client.post(f"/moderation/fusion/{proposal.pk}/annuler/")
    d.a.refresh_from_db()
    assert d.a.missions == "Ateliers"  # back: nobody changed it since
    assert d.a.website == "https://nouveau.example.org/"  # kept: corrected since


def test_restoring_a_version_of_b_never_unmerges_it(moderator_client, duplicates):
    d = duplicates
    first = d.b.history.last()
    validate(moderator_client, pending_merge(d))
    moderator_client.post(f"/acteurs/{d.b.slug}/historique/{first.history_id}/restaurer/")
    d.b.refresh_from_db()
    assert d.b.merged_into == d.a


def test_the_history_page_of_a_merged_pair_keeps_a_flat_number_of_queries(
    client, moderator_client, duplicates, django_assert_max_num_queries
):
    d = duplicates
    validate(moderator_client, pending_merge(d))
    for n in range(5):
        make_relation(d.a, make_actor(name=f"Autre partenaire {n}"))
    with django_assert_max_num_queries(14):
        assert client.get(f"/acteurs/{d.a.slug}/historique/").status_code == 200


def test_loading_the_report_again_keeps_a_merge_of_two_of_its_actors(moderator):
    kept, duplicate = Actor.objects.get(slug="ditp"), Actor.objects.get(slug="la-27e-region")
    proposal = Contribution.objects.create(
        kind=Kind.MERGE,
        status=Status.PENDING,
        actor=duplicate,
        contributor_name=PROPOSER,
        contributor_email=PROPOSER_EMAIL,
        proposed={"merge": {"kept": kept.pk, "merged": duplicate.pk}},
    )
    proposal.decide(moderator, validate=True)

    call_command("load_report", stdout=io.StringIO())  # what ./dev run does every time

    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert not Relation.objects.involving(duplicate).exists()
    assert Relation.objects.filter(source__slug="chaire-tap", target=kept).count() == 1
