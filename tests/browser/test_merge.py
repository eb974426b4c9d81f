"""Merging duplicates in a real browser: reported from a card and confirmed, merged by a
moderator over overlapping relations, then undone from the kept actor's history."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from actors.models import Actor, Contact
from relations.models import RelationType
from tests.browser.helpers import DESKTOP, both_sizes
from tests.browser.test_contribute import log_in, pick_suggestion
from tests.contributions.helpers import confirmation_link, path_of
from tests.factories import make_actor, make_relation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_duplicate_is_reported_merged_then_the_merge_undone(
    page: Page, live_server, report_data, moderator
):
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    kept = make_actor(name="Laboratoire des usages de Riom", short_name="LabRiom")
    duplicate = make_actor(
        name="Lab des usages Riom (ancienne fiche)",
        short_name="Lab Usages Riom",
        website="https://labriom.example.org/",
    )
    partner = make_actor(name="Partenaire commun de Riom")
    beneficiary = make_actor(name="Bénéficiaire de Riom")
    Contact.objects.create(actor=duplicate, name="Basile Roux", function="Designer")
    make_relation(kept, partner, description="Ateliers communs")
    make_relation(duplicate, partner, description="Formation des agents")  # collapses
    make_relation(duplicate, beneficiary, type=RelationType.PRESTATION_SERVICE)  # moves
    make_relation(kept, duplicate)  # disappears

    # Someone reports B as a duplicate of A from B's card, and confirms the address.
    page.goto(base + duplicate.get_absolute_url())
    both_sizes(page, "card")
    page.get_by_role("link", name="Signaler un doublon").click()
    page.locator("#id_doublon-kept").press_sequentially("labri", delay=40)
    pick_suggestion(page, "id_doublon-kept", "LabRiom")
    page.get_by_label("Ce qui montre que c'est le même acteur").fill("Même équipe, même adresse.")
    page.locator("#id_contributeur-contributor_name").fill("Camille Martin")
    page.locator("#id_contributeur-contributor_email").fill("camille@example.org")
    page.locator("#id_contributeur-email_consent").check()
    both_sizes(page, "report-duplicate")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_text("Merci, votre proposition est enregistrée.")).to_be_visible()
    page.goto(base + path_of(confirmation_link(mail.outbox[-1])))
    expect(page.get_by_text("En attente de modération")).to_be_visible()

    # A moderator reviews both side by side and merges, keeping B's website (A has none).
    page.context.clear_cookies()
    log_in(page, base, moderator)
    page.get_by_role("link", name="Lab des usages Riom (ancienne fiche) → Laboratoire").click()
    expect(page.get_by_role("heading", name="Fusion : les deux fiches côte à côte")).to_be_visible()
    expect(page.locator("#garder-website-b")).to_be_checked()
    expect(page.locator(".merge-review")).to_contain_text("rejoint")
    both_sizes(page, "merge-review")
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.get_by_text("Proposition validée et publiée.")).to_be_visible()

    # A's card has the union of the relations, once each; B's address leads to A.
    page.goto(base + kept.get_absolute_url())
    relations = page.locator(".card-relations")
    expect(relations.get_by_role("link", name="Partenaire commun de Riom")).to_have_count(1)
    expect(relations.get_by_role("link", name="Bénéficiaire de Riom")).to_have_count(1)
    expect(relations.get_by_role("link", name="Lab Usages Riom")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Basile Roux")
    both_sizes(page, "card-merged")
    page.goto(base + duplicate.get_absolute_url())
    assert page.url == base + kept.get_absolute_url()

    # The moderator undoes it from A's history, after a confirmation: B is back, relations too.
    page.goto(base + f"/acteurs/{kept.slug}/historique/")
    expect(page.locator(".history-merge").first).to_contain_text("a absorbé Lab Usages Riom")
    both_sizes(page, "history-merge")
    page.get_by_role("link", name="Annuler cette fusion").click()
    both_sizes(page, "undo-merge")
    page.get_by_role("button", name="Confirmer l'annulation de la fusion").click()
    expect(
        page.get_by_text("La fusion est annulée : Lab Usages Riom est de retour")
    ).to_be_visible()
    assert page.url == base + duplicate.get_absolute_url()
    relations = page.locator(".card-relations")
    expect(relations.get_by_role("link", name="Partenaire commun de Riom")).to_have_count(1)
    expect(relations.get_by_role("link", name="Bénéficiaire de Riom")).to_have_count(1)
    expect(relations.get_by_role("link", name="LabRiom")).to_have_count(1)  # their own relation
    both_sizes(page, "card-after-undo")
    assert Actor.objects.filter(pk=duplicate.pk).exists()
