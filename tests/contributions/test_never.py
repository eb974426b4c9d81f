"""What must never happen, each tested: leaks, a moderator deciding their own proposal,
half-applied or double validations, lost proposals, script injection, cross-site request
forgery. Who may decide at all: tests/test_permissions.py."""

import threading

import pytest
from django.db import connection
from django.test import Client

from actors.models import Actor
from contributions.models import AlreadyDecided, Contribution, Status
from relations.models import Relation
from tests.factories import (
    PROPOSER_EMAIL,
    UNPUBLISHED,
    make_actor,
    make_moderator,
    pending_new_actor,
)

from .helpers import actor_form_data, confirmation_link, path_of, with_relation

EMAIL = PROPOSER_EMAIL


def pending(**fields) -> Contribution:
    return pending_new_actor(email=EMAIL, **fields)


PUBLIC_URLS = [
    "/",
    "/acteurs/",
    "/acteurs/carte.json?disparus=on",
    "/acteurs/archipel/",
    "/acteurs/archipel/historique/",
    "/territoires/",
    "/territoires/puy-de-dome/",
    "/typologie/",
    "/integrer/",
    "/territoires/contours.geojson",
    "/acteurs/?q=secret",
    "/acteurs/carte.json?q=secret",
    "/acteurs/suggestions.json?q=secret",
]


@pytest.mark.django_db
@pytest.mark.parametrize("status", UNPUBLISHED)
def test_nothing_unvalidated_and_no_email_reaches_a_public_page(client, status):
    pending(contribution_status=status)
    for url in PUBLIC_URLS:
        page = client.get(url).content.decode()
        assert "Lab secret en attente" not in page, url
        assert EMAIL not in page, url


@pytest.mark.django_db
def test_a_validated_contribution_shows_no_email_publicly(client, moderator):
    contribution = pending()
    contribution.decide(moderator, validate=True)
    actor = Actor.objects.get(name="Lab secret en attente")
    for url in [*PUBLIC_URLS, actor.get_absolute_url(), actor.get_absolute_url() + "historique/"]:
        assert EMAIL not in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_a_moderator_cannot_decide_their_own_proposal(client):
    moderator = make_moderator(email=EMAIL)  # the contributor's own address
    contribution = pending()
    client.force_login(moderator)
    page = client.get(f"/moderation/{contribution.pk}/").content.decode()
    assert "un autre modérateur doit la traiter" in page
    response = client.post(f"/moderation/{contribution.pk}/", {"action": "valider"})
    assert response.status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


@pytest.mark.django_db
def test_state_changes_refuse_requests_without_the_csrf_token(moderator):
    contribution = pending()
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(f"/moderation/{contribution.pk}/", {"action": "valider"}).status_code == 403
    assert client.post(contribution.get_follow_url()).status_code == 403
    assert client.post("/contribuer/", actor_form_data()).status_code == 403
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


@pytest.mark.django_db
def test_a_validation_that_fails_at_its_last_change_applies_nothing(moderator):
    contribution = pending()
    contribution.proposed["relations"].append(
        {
            "source": "__nouvel_acteur__",
            "target": "acteur-qui-n-existe-plus",
            "type": "collaboration",
        }
    )
    contribution.save()
    with pytest.raises(Exception):  # noqa: B017 - ValidationError from the last change
        contribution.decide(moderator, validate=True)
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING
    assert not Actor.objects.filter(name="Lab secret en attente").exists()


@pytest.mark.django_db
def test_every_submitted_proposal_is_queued_or_has_an_outcome(client):
    archipel = Actor.objects.get(slug="archipel")
    for n in range(3):
        data = with_relation(
            actor_form_data(**{"acteur-name": f"Proposition {n} unique"}), archipel
        )
        assert client.post("/contribuer/", data).status_code == 302
    assert Contribution.objects.count() == 3
    assert set(Contribution.objects.values_list("status", flat=True)) == {
        Status.AWAITING_CONFIRMATION
    }
    for contribution in Contribution.objects.all():
        assert contribution.follow_token and contribution.proposed["actor"]["name"]


@pytest.mark.django_db
def test_script_injection_is_shown_as_text_in_the_queue_and_the_diff(moderator_client):
    evil = "<script>alert(1)</script>"
    contribution = pending(name=evil, missions=evil)
    contribution.contributor_name = evil
    contribution.actor_label = evil
    contribution.save()
    for url in ["/moderation/", f"/moderation/{contribution.pk}/"]:
        page = moderator_client.get(url).content.decode()
        assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_apply_it_exactly_once(report_data, moderator):
    assert connection.vendor == "postgresql"
    contribution = pending()
    first, second = moderator, make_moderator("bob", "bob@chaire.example")
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(moderator, validate):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            Contribution.objects.get(pk=contribution.pk).decide(
                moderator, validate=validate, message="x"
            )
            outcomes.append("applied")
        except AlreadyDecided:
            outcomes.append("told")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "told"]
    contribution.refresh_from_db()
    created = Actor.objects.filter(name="Lab secret en attente").count()
    assert (contribution.status, created) in [(Status.VALIDATED, 1), (Status.REFUSED, 0)]


# What the contributor typed is what the map publishes ----------------------------------------

TYPED = {
    "name": "L’Atelier « Cœur de Vichy » – Laboratoire n° 2",
    "short_name": "Cœur'Lab",
    "missions": "Première ligne : ateliers.\nDeuxième ligne, 50 % en ligne…",
    "commune_name": "Vichy",
    "latitude": 46.127712,
    "longitude": 3.425913,
    "website": "https://www.ville-vichy.fr/lab?theme=ateliers&page=2",
    "founded_year": 2021,
}


def test_a_typed_value_is_never_silently_changed_between_the_form_and_the_card(
    client, moderator_client, mailoutbox
):
    """Typographic apostrophes, guillemets, ligatures, dashes, line breaks, six decimals and a
    query string: stored in the proposal and published exactly as typed."""
    partner = make_actor(name="Atelier partenaire de Vichy")
    data = with_relation(
        actor_form_data(**{f"acteur-{name}": str(value) for name, value in TYPED.items()}),
        partner,
        description="Ateliers « communs » depuis 2022 — voir le bilan.",
    )
    assert client.post("/contribuer/", data).status_code == 302
    proposal = Contribution.objects.get(actor_label=TYPED["name"])
    assert {name: proposal.proposed["actor"][name] for name in TYPED} == TYPED
    client.get(path_of(confirmation_link(mailoutbox[0])))

    response = moderator_client.post(f"/moderation/{proposal.pk}/", {"action": "valider"})
    assert response.status_code == 302
    actor = Actor.objects.get(name=TYPED["name"])
    assert {name: getattr(actor, name) for name in TYPED} == TYPED
    relation = Relation.objects.involving(actor).get()
    assert relation.description == "Ateliers « communs » depuis 2022 — voir le bilan."
    card = moderator_client.get(actor.get_absolute_url()).content.decode()
    assert "L’Atelier « Cœur de Vichy » – Laboratoire n° 2" in card
