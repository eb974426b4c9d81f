"""The whole journey of a proposal, in a real browser: propose, confirm, moderate, publish."""

import json

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect

from actors.models import Actor
from contributions.models import Contribution, Status
from territories.models import Level, Territory
from tests.browser.helpers import ARTIFACTS
from tests.contributions.helpers import confirmation_link, path_of
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARCHIPEL = "Préfecture de la région Auvergne-Rhône-Alpes - Laboratoire Archipel"


def pick_suggestion(page: Page, field_id: str, name: str):
    """Pick `name` among the field's suggestions. The browser's own datalist popup is out of
    Playwright's reach (even for a static list in headless Chromium): picking an option puts its
    value in the field, which is what this does, from the option the script added."""
    value = json.dumps(name, ensure_ascii=False)  # a CSS string too
    option = page.locator(f"#{field_id}-suggestions option[value={value}]")
    expect(option).to_have_count(1)
    page.locator(f"#{field_id}").fill(option.get_attribute("value"))
    expect(page.locator(f"#{field_id}")).to_have_value(name)


def pick_commune(page: Page, text: str, label: str):
    """Type in the commune picker, pick a suggestion: the marker goes to the commune's centre,
    whose coordinates and name fill the form's fields (the name only when empty)."""
    code = label.rsplit("(", 1)[1].rstrip(")")
    commune = Territory.objects.get(level=Level.COMMUNE, code=code)
    page.get_by_label("Choisir une commune").press_sequentially(text, delay=40)
    pick_suggestion(page, "commune-picker", label)
    expect(page.locator("#id_acteur-latitude")).to_have_value(str(commune.center_latitude))
    expect(page.locator("#id_acteur-longitude")).to_have_value(str(commune.center_longitude))
    expect(page.locator("#id_acteur-commune_name")).to_have_value(commune.name)
    expect(page.locator("#location-map .leaflet-marker-icon")).to_have_count(1)


def propose(page: Page, base: str, name: str, email: str):
    page.goto(base + "/contribuer/")
    page.locator("#id_acteur-name").fill(name)
    page.locator("#id_acteur-type").select_option("intermediation")
    page.locator("#id_acteur-missions").fill(
        "Réunir agents et habitants autour de projets communs."
    )
    pick_commune(page, "Clermont", "Clermont-Ferrand (63113)")
    page.locator("#id_relations-0-partner").press_sequentially("archip", delay=40)
    pick_suggestion(page, "id_relations-0-partner", "Archipel")
    page.locator("#id_relations-0-type").select_option("collaboration")
    page.locator("#id_contributeur-contributor_name").fill("Camille Martin")
    page.locator("#id_contributeur-contributor_email").fill(email)
    page.locator("#id_contributeur-email_consent").check()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("Merci, votre proposition est enregistrée.")).to_be_visible()
    message = [m for m in mail.outbox if email in m.to][-1]
    page.goto(base + path_of(confirmation_link(message)))
    expect(page.get_by_text("En attente de modération")).to_be_visible()


def log_in(page: Page, base: str, user: User):
    page.goto(base + "/moderation/")
    page.get_by_label("Nom d'utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Modération des propositions")).to_be_visible()


def test_a_proposal_is_confirmed_moderated_and_published(
    page: Page, live_server, report_data, moderator
):
    base = live_server.url
    propose(page, base, "Atelier des communs clermontois", "camille@example.org")
    assert not Actor.objects.filter(name="Atelier des communs clermontois").exists()

    log_in(page, base, moderator)
    page.get_by_role("link", name="Atelier des communs clermontois").click()
    expect(page.get_by_role("heading", name="Ce qui change")).to_be_visible()
    expect(page.locator(".diff-table")).to_contain_text("Atelier des communs clermontois")
    expect(page.get_by_text("Relations proposées")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "moderation.png", full_page=True)
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.get_by_text("Proposition validée et publiée.")).to_be_visible()

    actor = Actor.objects.get(name="Atelier des communs clermontois")
    page.goto(base + "/?q=communs+clermontois")
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", "1")
    page.goto(base + actor.get_absolute_url())
    expect(page.get_by_role("link", name="Archipel")).to_be_visible()
    expect(page.locator("#card-map .relation-line-collaboration")).to_have_count(1)
    assert "publiée" in [m for m in mail.outbox if "camille@example.org" in m.to][-1].subject

    # A second proposal is refused with a message that reaches its contributor.
    page.context.clear_cookies()
    propose(page, base, "Collectif fantôme", "dominique@example.org")
    log_in(page, base, moderator)
    page.get_by_role("link", name="Collectif fantôme").click()
    page.get_by_label("Message au contributeur").fill(
        "Nous n'avons trouvé aucune trace de ce collectif."
    )
    page.get_by_role("button", name="Refuser").click()
    expect(page.get_by_text("Proposition refusée")).to_be_visible()
    refusal = [m for m in mail.outbox if "dominique@example.org" in m.to][-1]
    assert "aucune trace de ce collectif" in refusal.body
    refused = Contribution.objects.get(actor_label="Collectif fantôme")
    assert refused.status == Status.REFUSED
    page.goto(base + "/moderation/?statut=refusee")
    expect(page.get_by_role("link", name="Collectif fantôme")).to_be_visible()
    assert not Actor.objects.filter(name="Collectif fantôme").exists()
    assert User.objects.filter(pk=moderator.pk).exists()


def test_typing_in_the_partner_field_suggests_actors_to_pick(page: Page, live_server, report_data):
    """The form does not carry every actor's name: they are suggested as the person types."""
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "suggestions" in r.url else None)
    page.goto(live_server.url + "/contribuer/")
    partner = page.locator("#id_relations-0-partner")
    partner.press_sequentially("archip", delay=40)
    suggestions = page.locator("#id_relations-0-partner-suggestions option")
    # The usual name fills the field (it designates Archipel alone), type and commune beside.
    expect(suggestions.first).to_have_attribute("value", "Archipel")
    expect(suggestions.first).to_have_attribute("label", "Cellule publique d'innovation, Lyon")
    # A disappeared actor is suggested too, flagged.
    expect(
        page.locator("#id_relations-0-partner-suggestions option[label$='· Disparu']")
    ).to_have_count(1)
    # Typing quickly asks once (the script waits for a pause), and fills only this row's list.
    assert [url.split("?")[1] for url in asked] == ["q=archip"]
    expect(page.locator("#id_relations-1-partner-suggestions option")).to_have_count(0)

    pick_suggestion(page, "id_relations-0-partner", "Archipel")
    assert len(asked) == 1, "picking a suggestion does not ask again"

    # The parent field has its own suggestions.
    page.locator("#id_acteur-parent").press_sequentially("interlab", delay=40)
    expect(page.locator("#id_acteur-parent-suggestions option").first).to_have_attribute(
        "value", Actor.objects.get(slug="interlabs").display_name
    )


def test_typing_in_the_commune_picker_suggests_communes(
    page: Page, live_server, browser, report_data
):
    """The form does not carry every commune: they are suggested as the person types, by name
    or INSEE code; picking one places the marker and fills the coordinates."""
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "communes.json" in r.url else None)
    page.goto(live_server.url + "/contribuer/")
    page.locator("#id_acteur-commune_name").fill("Aubière")
    page.get_by_label("Choisir une commune").press_sequentially("631", delay=40)
    expect(page.locator("#commune-picker-suggestions option").first).to_have_attribute(
        "value", "Clermont-Ferrand (63113)"
    )
    assert [url.split("?")[1] for url in asked] == ["q=631"]
    pick_suggestion(page, "commune-picker", "Clermont-Ferrand (63113)")
    expect(page.locator("#id_acteur-latitude")).to_have_value("45.779493")
    expect(page.locator("#id_acteur-longitude")).to_have_value("3.086121")
    # A commune name already typed is kept (the actor may sit in a neighbouring commune).
    expect(page.locator("#id_acteur-commune_name")).to_have_value("Aubière")
    assert len(asked) == 1, "picking a suggestion does not ask again"

    # Without JavaScript the picker would do nothing: it is hidden, the fields are typed.
    context = browser.new_context(java_script_enabled=False)
    try:
        still = context.new_page()
        still.goto(live_server.url + "/contribuer/")
        expect(still.locator("#commune-picker")).to_be_hidden()
        expect(still.locator("#id_acteur-commune_name")).to_be_visible()
        expect(still.locator("#id_acteur-latitude")).to_be_visible()
    finally:
        context.close()


def test_partners_named_as_the_map_shows_them(page: Page, live_server, report_data, moderator):
    """A contributor types "Archipel" and "Dre'Lab" without picking a suggestion: the form
    takes them; an unknown name is explained and nothing typed is lost; the moderator sees the
    right partners."""
    base = live_server.url
    dre_lab = Actor.objects.get(slug="dre-lab")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(base + "/contribuer/")
    page.locator("#id_acteur-name").fill("Fabrique des agents du Bourbonnais")
    page.locator("#id_acteur-type").select_option("intermediation")
    page.locator("#id_acteur-missions").fill("Former les agents aux méthodes du design public.")
    pick_commune(page, "Clermont", "Clermont-Ferrand (63113)")
    page.locator("#id_relations-0-partner").press_sequentially("Archipel", delay=40)
    expect(page.locator("#id_relations-0-partner-suggestions option").first).to_have_attribute(
        "label", "Cellule publique d'innovation, Lyon"
    )
    page.locator("#id_relations-0-type").select_option("collaboration")
    page.locator("#id_relations-1-partner").press_sequentially("Dre'Lab", delay=40)
    expect(page.locator("#id_relations-1-partner-suggestions option").first).to_have_attribute(
        "value", "Dre'Lab"
    )
    page.locator("#id_relations-1-type").select_option("collaboration")
    page.locator("#id_relations-2-partner").fill("Labo zorglub inconnu")
    page.locator("#id_relations-2-type").select_option("collaboration")
    page.locator("#id_contributeur-contributor_name").fill("Camille Martin")
    page.locator("#id_contributeur-contributor_email").fill("camille@example.org")
    page.locator("#id_contributeur-email_consent").check()
    page.get_by_role("button", name="Envoyer la proposition").click()

    # The unknown name is explained; what was typed is all still there.
    expect(page.get_by_text("Aucun acteur de la carte ne porte ce nom").first).to_be_visible()
    expect(page.locator("#id_relations-0-partner")).to_have_value("Archipel")
    expect(page.locator("#id_relations-1-partner")).to_have_value("Dre'Lab")
    expect(page.locator("#id_relations-2-partner")).to_have_value("Labo zorglub inconnu")
    assert not Contribution.objects.exists()
    page.locator("#id_relations-2-partner").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "issue12-partner-error-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#id_relations-2-partner").scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "issue12-partner-error-phone.png")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.locator("#id_relations-2-partner").fill("")
    if not page.locator("#id_contributeur-email_consent").is_checked():
        page.locator("#id_contributeur-email_consent").check()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("Merci, votre proposition est enregistrée.")).to_be_visible()
    proposed = Contribution.objects.get().proposed["relations"]
    assert sorted(r["target"] for r in proposed) == ["archipel", "dre-lab"]
    message = [m for m in mail.outbox if "camille@example.org" in m.to][-1]
    page.goto(base + path_of(confirmation_link(message)))
    expect(page.get_by_text("En attente de modération")).to_be_visible()

    log_in(page, base, moderator)
    page.get_by_role("link", name="Fabrique des agents du Bourbonnais").click()
    partners = page.locator(".relation-list .relation")
    expect(partners).to_have_count(2)
    expect(partners.filter(has_text=ARCHIPEL)).to_have_count(1)
    expect(partners.filter(has_text=dre_lab.name)).to_have_count(1)
    partners.first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "issue12-moderation-partners-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    partners.first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "issue12-moderation-partners-phone.png")
