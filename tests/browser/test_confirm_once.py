"""Confirm once, in a real browser: a contributor without an account corrects an invalid form
from its error banner, confirms the email of a first proposal, reads on the follow page what
was proposed, and sends a second one that goes straight to the moderators."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from actors.models import Actor
from contributions.models import Contribution, Kind, Status
from tests.browser.helpers import DESKTOP, both_sizes
from tests.browser.test_contribute import pick_commune
from tests.contributions.helpers import confirmation_link, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "camille@example.org"
NAME = "Atelier des communs clermontois"


def fill_contributor(page: Page) -> None:
    page.locator("#id_contributeur-contributor_name").fill("Camille Martin")
    page.locator("#id_contributeur-contributor_email").fill(EMAIL)
    page.locator("#id_contributeur-email_consent").check()


def mails_to_confirm() -> list:
    return [m for m in mail.outbox if EMAIL in m.to and "/contribuer/confirmer/" in m.body]


def test_a_contributor_confirms_once_and_sends_a_second_proposal_without_a_new_email(
    page: Page, live_server, report_data, moderator
):
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    page.goto(base + "/contribuer/")

    # Sent without a type and with a partner no actor is named: the banner lists both, linked,
    # and has the focus.
    page.locator("#id_acteur-name").fill(NAME)
    page.locator("#id_acteur-missions").fill("Réunir agents et habitants autour de projets.")
    page.locator("#id_relations-0-partner").fill("Archipelago")
    fill_contributor(page)
    page.get_by_role("button", name="Envoyer la proposition").click()
    banner = page.locator("#form-errors")
    expect(banner).to_be_focused()
    expect(banner.get_by_role("link")).to_have_text(
        ["Type d'acteur", "Relation 1 : Acteur partenaire"]
    )
    both_sizes(page, "propose-errors", show=banner)
    banner.get_by_role("link", name="Relation 1 : Acteur partenaire").click()
    expect(page.locator("#id_relations-0-partner")).to_be_focused()
    banner.get_by_role("link", name="Type d'acteur").click()
    expect(page.locator("#id_acteur-type")).to_be_focused()
    expect(page.locator("#id_acteur-name")).to_have_value(NAME)  # nothing typed is lost
    expect(page.locator("#id_relations-0-partner")).to_have_value("Archipelago")

    page.locator("#id_acteur-type").select_option("intermediation")
    page.locator("#id_relations-0-partner").fill("Archipel")
    page.locator("#id_relations-0-type").select_option("collaboration")
    pick_commune(page, "Clermont", "Clermont-Ferrand (63113)")
    if not page.locator("#id_contributeur-email_consent").is_checked():
        page.locator("#id_contributeur-email_consent").check()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("Merci, votre proposition est enregistrée.")).to_be_visible()
    assert len(mails_to_confirm()) == 1

    # The link of the email: confirmed, said, and the follow page shows what was proposed.
    page.goto(base + path_of(confirmation_link(mails_to_confirm()[0])))
    expect(
        page.get_by_text("Adresse confirmée : votre proposition est transmise aux modérateurs.")
    ).to_be_visible()
    proposed = page.locator(".proposed-values")
    expect(proposed).to_contain_text(NAME)
    expect(proposed).to_contain_text("Faiseur d'intermédiation")
    expect(proposed).to_contain_text("Clermont-Ferrand")
    archipel = Actor.objects.get(slug="archipel")
    expect(page.locator(".relation-list .relation")).to_have_text(
        [f"{NAME} — {archipel.name} Collaboration"]
    )
    expect(page.locator(".follow-steps li")).to_have_count(2)
    expect(page.locator(".follow-steps")).to_contain_text("Adresse confirmée")
    both_sizes(page, "follow")

    # A correction of another actor from the same browser, with the same address.
    page.goto(base + "/contribuer/correction/dre-lab/")
    expect(page.locator("#id_contributeur-contributor_email")).to_have_value(EMAIL)
    page.locator("#id_acteur-website").fill("https://dre-lab.example.fr/")
    page.locator("#id_contributeur-contributor_name").fill("Camille Martin")
    page.locator("#id_contributeur-email_consent").check()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("transmise directement aux modérateurs")).to_be_visible()
    expect(page.locator(".proposed-values")).to_contain_text("https://dre-lab.example.fr/")
    both_sizes(page, "follow-correction")
    correction = Contribution.objects.get(kind=Kind.CORRECTION)
    assert correction.status == Status.PENDING and correction.actor.slug == "dre-lab"
    assert len(mails_to_confirm()) == 1  # no new email asking to confirm
    assert any(moderator.email in m.to and correction.actor_label in m.body for m in mail.outbox)

    # "Mes propositions" lists both.
    page.get_by_role("link", name="Voir toutes mes propositions").click()
    rows = page.locator(".my-proposals tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Correction")
    expect(rows.last).to_contain_text(NAME)
    both_sizes(page, "my-proposals")

    # The removal form has the same banner; the address is offered, the rest is to fill in.
    page.goto(base + "/contribuer/disparition/la-turbine/")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(banner).to_be_focused()
    expect(banner.get_by_role("link")).to_have_text(
        ["Ce que vous signalez", "Motif", "Votre nom", re.compile("^J'accepte que la chaire")]
    )
    expect(page.locator("#id_contributeur-contributor_email")).to_have_value(EMAIL)
    both_sizes(page, "removal-errors", show=banner)
