"""A person opens the site in a real browser and finds the report's actors."""

import pytest
from playwright.sync_api import Page, expect

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


def test_switching_to_english(page: Page, live_server, report_data):
    page.goto(live_server.url + "/")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The organised actors of public innovation"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
