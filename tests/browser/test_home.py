"""A person opens the site in a real browser and finds the report's actors."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_is_the_map_of_the_report_actors(page: Page, live_server, report_data):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les acteurs organisés de l'innovation publique"
    )
    expect(page.locator("#explore-map .leaflet-marker-icon").first).to_be_visible()
    expect(page.locator('[data-type-count="cellule_innovation"]')).not_to_have_text("0")


def test_the_keyboard_reaches_the_content_through_the_skip_link(
    page: Page, live_server, report_data
):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_switching_to_english_keeps_the_page(page: Page, live_server, report_data):
    page.goto(live_server.url + "/acteurs/?type=cellule_innovation")
    languages = page.get_by_role("group", name="Langue")
    expect(languages.get_by_role("button", name="Français")).to_have_attribute(
        "aria-current", "true"
    )
    languages.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The organised actors of public innovation"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/acteurs/?type=cellule_innovation")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_on_a_phone_the_map_comes_first_and_the_filters_open_in_a_drawer(
    page: Page, live_server, report_data
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    page.goto(live_server.url + "/?type=cellule_innovation&type=intermediation")
    the_map = page.locator("#explore-map")
    expect(the_map).to_have_attribute("data-markers", re.compile(r"[1-9]"))
    box = the_map.bounding_box()
    assert box["y"] < 200 and box["height"] > 844 / 2, box
    search = page.get_by_label("Rechercher")
    expect(search).to_be_hidden()

    toggle = page.get_by_role("button", name=re.compile("^Filtres"))
    expect(toggle).to_have_text(re.compile(r"Filtres\s.*2"))  # two types chosen
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    close = page.get_by_role("button", name="Fermer")
    expect(close).to_be_focused()
    expect(search).to_be_visible()
    page.get_by_label("Faiseur d'intermédiation").uncheck()
    expect(toggle).to_have_text(re.compile(r"Filtres\s.*1"))
    page.keyboard.press("Escape")
    expect(search).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    close.click()
    expect(search).to_be_hidden()
    expect(toggle).to_be_focused()
    # Every control of the header and of the zoom is at least 44 px tall and wide.
    controls = page.locator(".site-header a, .site-header button, .leaflet-control-zoom a")
    for i in range(controls.count()):
        size = controls.nth(i).bounding_box()
        if size:  # the navigation scrolls sideways: some links are off screen
            assert size["width"] >= 44 and size["height"] >= 44, (controls.nth(i), size)
    page.screenshot(path=ARTIFACTS / "issue12-home-drawer-phone.png")


def test_a_signed_in_person_sees_their_name_and_logs_out(page: Page, live_server, moderator):
    page.goto(live_server.url + "/connexion/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    page.get_by_label("Nom d'utilisateur").fill(moderator.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    header = page.locator(".site-header")
    expect(header.get_by_text(moderator.username)).to_be_visible()
    expect(header.get_by_role("link", name=re.compile("Modération"))).to_be_visible()
    header.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les acteurs organisés de l'innovation publique"
    )
    expect(header.get_by_role("button", name="Se déconnecter")).to_have_count(0)
    expect(header.get_by_role("link", name=re.compile("Modération"))).to_have_count(0)
    page.goto(live_server.url + "/moderation/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
