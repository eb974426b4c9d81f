"""The compare page's charts on a desktop and a phone; the embed generator's options, code and
preview."""

import re

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


def embed_src(page: Page) -> str:
    code = page.locator("#embed-code").input_value()
    return re.search(r'src="([^"]*)"', code).group(1).replace("&amp;", "&")


def test_the_generator_code_and_preview_follow_the_options(page: Page, live_server, report_data):
    ARTIFACTS.mkdir(exist_ok=True)
    block_tiles(page)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/integrer-la-carte/")
    preview = page.locator("#embed-preview")
    expect(page.frame_locator("#embed-preview").locator("#explore-map")).to_be_attached()
    assert embed_src(page).endswith("/integrer/?fond=ign")

    page.get_by_label("Aucun (contours des départements seuls)").check()
    expect(page.locator("#embed-code")).to_have_value(re.compile("fond=aucun"))
    page.get_by_label("Masquée").check()
    page.get_by_label("Cellule publique d'innovation").check()
    page.get_by_label("Fixe", exact=True).check()
    page.get_by_label("Largeur fixe, en pixels").fill("640")
    page.get_by_label("Hauteur, en pixels").fill("400")
    expect(page.locator("#embed-code")).to_have_value(re.compile('width="640" height="400"'))
    src = embed_src(page)
    assert src.endswith("/integrer/?type=cellule_innovation&fond=aucun&legende=0")
    expect(preview).to_have_attribute("src", src)
    expect(preview).to_have_attribute("width", "640")
    expect(preview).to_have_attribute("height", "400")
    # The page's address keeps the choices, and the server writes the very same code.
    code = page.locator("#embed-code").input_value()
    page.reload()
    expect(page.locator("#embed-code")).to_have_value(code)
    expect(page.get_by_label("Masquée")).to_be_checked()
    page.get_by_role("button", name="Copier le code").click()
    expect(page.get_by_role("status").filter(has_text="Copié !")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "issue12-embed-builder-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/integrer-la-carte/")
    expect(page.frame_locator("#embed-preview").locator("#explore-map")).to_be_attached()
    assert not page_scrolls_sideways(page)
    page.screenshot(path=ARTIFACTS / "issue12-embed-builder-phone.png", full_page=True)
