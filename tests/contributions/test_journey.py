"""From a proposal to its publication or refusal: nothing public before validation."""

import json

import pytest
from django.core import mail

from actors.models import Actor
from contributions.models import Contribution, Kind, Status
from relations.models import Relation
from tests.factories import pending_correction, pending_new_actor

from .helpers import (
    actor_form_data,
    confirmation_link,
    follow_link,
    last_mail_to,
    path_of,
    with_relation,
)

pytestmark = pytest.mark.django_db

NAME = "Laboratoire citoyen de Vichy"


def public_traces(client) -> list[str]:
    """Every public place a pending proposal could leak into."""
    pages = {
        "map data": client.get("/acteurs/carte.json?disparus=on").content.decode(),
        "list": client.get("/acteurs/?q=vichy&disparus=on").content.decode(),
        "search": client.get("/acteurs/carte.json?q=laboratoire+citoyen").content.decode(),
        "archipel card": client.get("/acteurs/archipel/").content.decode(),
        "territories": client.get("/territoires/allier/").content.decode(),
    }
    return [where for where, page in pages.items() if "Vichy" in page and "citoyen" in page]


def propose(client, **overrides):
    archipel = Actor.objects.get(slug="archipel")
    data = with_relation(actor_form_data(**overrides), archipel, "collaboration")
    return client.post("/contribuer/", data)


def test_a_new_actor_waits_for_email_confirmation_then_moderation(client, moderator):
    response = propose(client)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.status == Status.AWAITING_CONFIRMATION
    assert contribution.kind == Kind.NEW_ACTOR
    follow = client.get(response.url).content.decode()
    assert "Merci, votre proposition est enregistrée." in follow
    assert "En attente de confirmation" in follow

    message = last_mail_to("camille.martin@example.org")
    assert "confirmez" in message.subject
    assert public_traces(client) == []
    assert moderator.email not in [to for m in mail.outbox for to in m.to]

    client.get(path_of(confirmation_link(message)))
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING
    assert "nouvelle proposition" in last_mail_to(moderator.email).subject
    assert public_traces(client) == []
    assert not Actor.objects.filter(name=NAME).exists()


def test_validation_publishes_the_actor_and_its_relation_in_the_history(client, moderator):
    propose(client)
    contribution = Contribution.objects.get()
    contribution.confirm()
    client.force_login(moderator)
    page = client.get(f"/moderation/{contribution.pk}/").content.decode()
    assert NAME in page and "Archipel" in page and "camille.martin@example.org" in page
    response = client.post(
        f"/moderation/{contribution.pk}/", {"action": "valider", "decision_message": "Merci !"}
    )
    assert response.status_code == 302
    actor = Actor.objects.get(name=NAME)
    assert actor.territory is not None and actor.territory.path.startswith("84/03/")
    relation = Relation.objects.between(actor, Actor.objects.get(slug="archipel")).get()
    assert relation.type == "collaboration"
    assert actor.history.earliest().history_change_reason == f"Contribution n° {contribution.pk}"
    assert actor.history.earliest().history_user == moderator
    assert relation.history.earliest().history_change_reason == f"Contribution n° {contribution.pk}"
    decision = last_mail_to("camille.martin@example.org")
    assert "publiée" in decision.subject and "Merci !" in decision.body
    client.logout()
    data = json.loads(client.get("/acteurs/carte.json?q=vichy").content)
    assert [row[0] for row in data["actors"]] == [actor.slug]
    card = client.get(actor.get_absolute_url()).content.decode()
    assert "Archipel" in card and "camille.martin@example.org" not in card


def test_a_refusal_keeps_everything_and_tells_the_contributor(client, moderator):
    propose(client)
    contribution = Contribution.objects.get()
    contribution.confirm()
    client.force_login(moderator)
    response = client.post(
        f"/moderation/{contribution.pk}/", {"action": "refuser", "decision_message": ""}
    )
    assert Contribution.objects.get().status == Status.PENDING  # a refusal must be explained
    client.post(
        f"/moderation/{contribution.pk}/",
        {"action": "refuser", "decision_message": "Ce laboratoire n'existe plus."},
    )
    contribution.refresh_from_db()
    assert contribution.status == Status.REFUSED and contribution.decided_at
    assert contribution.proposed["actor"]["name"] == NAME  # kept, with what was proposed
    assert not Actor.objects.filter(name=NAME).exists()
    decision = last_mail_to("camille.martin@example.org")
    assert "Ce laboratoire n'existe plus." in decision.body
    client.logout()
    follow = client.get(contribution.get_follow_url()).content.decode()
    assert "Refusée" in follow and "Ce laboratoire n&#x27;existe plus." in follow
    assert response.status_code == 302


def test_the_contributor_withdraws_while_pending(client, moderator):
    propose(client)
    contribution = Contribution.objects.get()
    client.get(path_of(confirmation_link(last_mail_to("camille.martin@example.org"))))
    client.post(contribution.get_follow_url())
    contribution.refresh_from_db()
    assert contribution.status == Status.WITHDRAWN
    client.force_login(moderator)
    client.post(f"/moderation/{contribution.pk}/", {"action": "valider"})
    assert not Actor.objects.filter(name=NAME).exists()


def test_an_expired_or_forged_confirmation_link_is_refused(client, settings):
    propose(client)
    link = path_of(confirmation_link(last_mail_to("camille.martin@example.org")))
    assert client.get(link[:-3] + "xx/").status_code == 400
    from contributions import emails

    emails.CONFIRMATION_MAX_AGE, saved = -1, emails.CONFIRMATION_MAX_AGE
    try:
        response = client.get(link)
    finally:
        emails.CONFIRMATION_MAX_AGE = saved
    assert response.status_code == 400
    assert Contribution.objects.get().status == Status.AWAITING_CONFIRMATION


def test_a_logged_in_contributor_skips_the_confirmation(contributor_client, contributor):
    data = {k: v for k, v in actor_form_data().items() if not k.startswith("contributeur-contr")}
    data.pop("contributeur-email_consent")
    contributor_client.post("/contribuer/", data)
    contribution = Contribution.objects.get()
    assert contribution.status == Status.PENDING and contribution.contributor == contributor
    assert "reçue" in last_mail_to(contributor.email).subject
    assert follow_link(last_mail_to(contributor.email))


def test_a_correction_proposes_only_what_changed(client, moderator):
    archipel = Actor.objects.get(slug="archipel")
    form = client.get("/contribuer/correction/archipel/").context["actor_form"]
    assert form["missions"].value() == archipel.missions  # prefilled with the published values
    data = {
        f"acteur-{k}": v
        for k, v in form.initial.items()
        if v is not None and k not in ("id", "secondary_types")
    }
    data["acteur-secondary_types"] = form.initial["secondary_types"]
    data["acteur-website"] = "https://archipel.example.gouv.fr/"
    data.update(
        {
            k: v
            for k, v in actor_form_data().items()
            if k.startswith(("relations-", "contributeur-"))
        }
    )
    response = client.post("/contribuer/correction/archipel/", data)
    assert response.status_code == 302, response.context["actor_form"].errors
    contribution = Contribution.objects.get()
    assert contribution.kind == Kind.CORRECTION
    assert contribution.proposed["actor"] == {"website": "https://archipel.example.gouv.fr/"}
    assert contribution.snapshot == {"website": ""}
    contribution.confirm()
    # Someone else changes the same field meanwhile: the moderator sees the conflict.
    archipel.website = "https://autre.example/"
    archipel.save()
    client.force_login(moderator)
    page = client.get(f"/moderation/{contribution.pk}/").content.decode()
    assert "Conflit" in page and "https://autre.example/" in page
    client.post(f"/moderation/{contribution.pk}/", {"action": "valider"})
    archipel.refresh_from_db()
    assert archipel.website == "https://archipel.example.gouv.fr/"
    assert archipel.history.first().history_change_reason == f"Contribution n° {contribution.pk}"


def test_a_disappearance_greys_the_actor_once_validated(client, moderator):
    client.post(
        "/contribuer/disparition/la-turbine/",
        {
            "signalement-what": "disparition",
            "signalement-ended_year": "2022",
            "signalement-reason": "L'association a été dissoute.",
            **{k: v for k, v in actor_form_data().items() if k.startswith("contributeur-")},
        },
    )
    contribution = Contribution.objects.get()
    assert contribution.kind == Kind.DISAPPEARANCE
    contribution.confirm()
    client.force_login(moderator)
    client.post(f"/moderation/{contribution.pk}/", {"action": "valider"})
    turbine = Actor.objects.get(slug="la-turbine")
    assert (turbine.lifecycle, turbine.ended_year) == ("disparu", 2022)


def test_the_moderator_may_edit_the_values_before_validating(client, moderator):
    propose(client)
    contribution = Contribution.objects.get()
    contribution.confirm()
    client.force_login(moderator)
    form = client.get(f"/moderation/{contribution.pk}/").context["edit_form"]
    data = {f"edition-{k}": v for k, v in form.initial.items() if v not in (None, [])}
    data["edition-secondary_types"] = []
    data.update({"edition-name": "Lab citoyen de Vichy", "action": "valider", "edited": "1"})
    response = client.post(f"/moderation/{contribution.pk}/", data)
    assert response.status_code == 302
    assert Actor.objects.filter(name="Lab citoyen de Vichy").exists()


def test_the_daily_digest_lists_what_waits(moderator):
    from django.core.management import call_command

    contribution = pending_new_actor(name="Lab en attente")
    call_command("moderation_digest")
    digest = last_mail_to(moderator.email)
    assert "1 proposition attend une décision" in digest.subject
    assert contribution.actor_label in digest.body


def test_the_public_history_names_the_contributor_only_with_consent(client, moderator):
    propose(client, **{"contributeur-show_name": "on"})
    named = Contribution.objects.get()
    named.confirm()
    named.decide(moderator, validate=True)
    actor = Actor.objects.get(name=NAME)
    page = client.get(actor.get_absolute_url() + "historique/").content.decode()
    assert f"Contribution n° {named.pk}" in page and "proposée par Camille Martin" in page
    assert "camille.martin@example.org" not in page

    archipel = Actor.objects.get(slug="archipel")
    anonymous = pending_correction(
        archipel, "d@example.org", "Dominique Secret", website="https://archipel.example/"
    )
    anonymous.decide(moderator, validate=True)
    page = client.get("/acteurs/archipel/historique/").content.decode()
    assert f"Contribution n° {anonymous.pk}" in page and "Dominique Secret" not in page
