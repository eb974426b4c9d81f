"""The compare page's charts on a desktop and a phone; the embed generator's options, code and
preview."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def block_tiles(page: Page):
    """No tile server in tests: every request leaving the live server is refused at once."""
    page.route(
        "**/*",
        lambda route: (
            route.abort()
            if "127.0.0.1" not in route.request.url and "localhost" not in route.request.url
            else route.continue_()
        ),
    )


def page_scrolls_sideways(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


def test_the_compare_page_draws_its_charts_on_a_desktop_and_a_phone(
    page: Page, live_server, report_data
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/reseau/comparer/")
    types = page.get_by_role("figure").filter(has_text="Répartition des acteurs par type")
    expect(types).to_be_visible()
    puy = types.get_by_role("img", name="Puy-de-Dôme, ")
    expect(puy).to_be_visible()
    page.screenshot(path=ARTIFACTS / "issue12-compare-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    expect(puy).to_be_visible()
    assert puy.bounding_box()["width"] > 100
    assert not page_scrolls_sideways(page)
    page.screenshot(path=ARTIFACTS / "issue12-compare-phone.png", full_page=True)
    page.get_by_text("Voir le tableau des relations").click()
    expect(page.locator("table.compare-table").nth(1)).to_be_visible()
    assert not page_scrolls_sideways(page)  # the table scrolls inside its own box
