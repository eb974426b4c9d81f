"""Searching beside the home map as in a map app: the results list, a jump to any commune, "around
me", and an actor's card as a side panel that the address keeps and Back closes."""

import pytest
from playwright.sync_api import Page, expect

from actors.models import Actor
from tests.browser.helpers import ARTIFACTS, open_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def open_map(page: Page, live_server, url: str = "/"):
    # Only our server answers: no tile, no font, nothing from the network (as in CI).
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    return open_drawn(page, live_server.url + url, "#explore-map[data-markers]")


def map_view(page: Page) -> tuple[float, float, int]:
    return page.evaluate(
        "() => { const c = TIPS.explore.map.getCenter();"
        " return [c.lat, c.lng, TIPS.explore.map.getZoom()]; }"
    )


def shown_names(actors) -> list[str]:
    """What the map calls them: the short name, else the name, in the list's order."""
    return [a.display_name for a in actors.exclude(latitude=None).order_by("sort_name")]


def screenshot(page: Page, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)
    page.screenshot(path=ARTIFACTS / name)


def test_the_results_beside_the_map_are_the_searched_actors_and_the_map_fits_them(
    page: Page, live_server, report_data
):
    page.set_viewport_size(DESKTOP)
    open_map(page, live_server)
    everyone = shown_names(Actor.objects.visible())
    results = page.locator("#map-results")
    expect(results.get_by_role("heading")).to_have_text(f"Résultats : {len(everyone)}")
    # Fifty at a time, the next ones on demand.
    expect(results.locator(".map-result-name")).to_have_count(50)
    results.get_by_role("button", name="Voir 50 de plus").click()
    expect(results.locator(".map-result-name")).to_have_count(min(100, len(everyone)))
    expect(results.locator(".map-result-link").nth(50)).to_be_focused()
    assert results.locator(".map-result-name").all_text_contents() == everyone[:100]
    whole_region = map_view(page)[2]

    page.get_by_label("Rechercher").fill("archipel")
    found = shown_names(Actor.objects.visible().search("archipel"))
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", str(len(found)))
    expect(results.get_by_role("heading")).to_have_text(f"Résultats : {len(found)}")
    assert results.locator(".map-result-name").all_text_contents() == found
    markers = page.evaluate("() => Object.values(TIPS.explore.markers).map(m => m.options.title)")
    assert sorted(markers) == sorted(found)
    first = results.get_by_role("link").first
    expect(first).to_contain_text("Archipel")
    expect(first).to_contain_text("Cellule publique d'innovation")
    expect(first).to_contain_text("Lyon")
    # The view fits what was found: every result is on screen, closer than the whole region.
    page.wait_for_timeout(500)
    assert page.evaluate(
        "() => Object.values(TIPS.explore.markers)"
        ".every(m => TIPS.explore.map.getBounds().contains(m.getLatLng()))"
    )
    assert map_view(page)[2] > whole_region
    # Pointing at a result, or reaching it with Tab, lights its marker or the cluster holding it.
    highlighted = page.locator("#explore-map .is-highlighted")
    expect(highlighted).to_have_count(0)
    first.hover()
    expect(highlighted).to_have_count(1)
    page.mouse.move(5, 5)
    expect(highlighted).to_have_count(0)
    results.get_by_role("link").nth(1).focus()
    results.get_by_role("link").nth(1).focus()
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_count(1)
    screenshot(page, "issue12-home-search-desktop.png")
    page.set_viewport_size(PHONE)
    page.evaluate("() => document.querySelector('.map-tools').scrollIntoView()")
    screenshot(page, "issue12-home-search-phone.png")


def test_jumping_to_a_commune_by_name(page: Page, live_server, report_data):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.set_viewport_size(DESKTOP)
    open_map(page, live_server)
    page.wait_for_timeout(300)
    assert not [url for url in asked if "communes.json" in url]  # not at the first view

    field = page.get_by_label("Aller à une commune")
    field.fill("vichy")
    page.get_by_role("option", name="Vichy (03)").click()  # the list fetched on the first use
    expect(page.locator("#commune-jump-message")).to_have_text("Carte centrée sur Vichy (03).")
    lat, lon, zoom = map_view(page)
    assert abs(lat - 46.13) < 0.02 and abs(lon - 3.42) < 0.02 and zoom == 12
    assert len([url for url in asked if "communes.json" in url]) == 1

    options = page.get_by_role("listbox", name="Communes").get_by_role("option")
    field.fill("annecy")
    expect(options.first).to_have_text("Annecy (74)")
    # Homonyms told apart by their département, the largest first; accents and case ignored.
    field.fill("VALENCE")
    expect(options.first).to_have_text("Valence (26)")
    expect(page.get_by_role("option", name="Valence (82)")).to_be_visible()
    field.fill("saint etienne")
    expect(options.first).to_have_text("Saint-Étienne (42)")
    field.press("ArrowDown")
    field.press("Enter")
    lat, lon, _ = map_view(page)
    assert abs(lat - 45.44) < 0.02 and abs(lon - 4.39) < 0.02
    field.fill("Zzyzx")
    expect(page.locator("#commune-jump-message")).to_have_text(
        "Aucune commune ne correspond à « Zzyzx »."
    )
    expect(options).to_have_count(0)


def test_around_me_centres_the_map_on_the_person(page: Page, live_server, report_data):
    page.set_viewport_size(PHONE)
    open_map(page, live_server)
    button = page.get_by_role("button", name="Autour de moi")
    message = page.locator("#around-me-message")
    button.click()  # no permission given
    expect(message).to_contain_text("Votre navigateur n'a pas donné votre position")

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.7797, "longitude": 3.0863})
    button.click()
    expect(message).to_have_text("Carte centrée sur votre position.")
    expect(page.locator("#explore-map .you-are-here")).to_be_visible()
    expect(page.locator("#explore-map")).to_contain_text("Vous êtes ici")
    lat, lon, zoom = map_view(page)
    assert abs(lat - 45.7797) < 0.001 and abs(lon - 3.0863) < 0.001 and zoom == 11


def test_the_card_opens_beside_the_map_keeps_its_address_and_closes_with_back(
    page: Page, live_server, report_data
):
    page.set_viewport_size(DESKTOP)
    open_map(page, live_server, "/?q=archipel")
    panel = page.locator("#map-panel")
    expect(panel).to_be_hidden()
    result = page.locator("#map-results").get_by_role("link", name="Archipel Cellule")
    result.click()
    expect(panel).to_be_visible()
    title = panel.get_by_role("heading", level=2)
    expect(title).to_have_text(
        "Préfecture de la région Auvergne-Rhône-Alpes - Laboratoire Archipel"
    )
    expect(title).to_be_focused()
    expect(panel).to_contain_text("Lyon")
    expect(panel.get_by_role("link", name="Voir la fiche complète")).to_have_attribute(
        "href", "/acteurs/archipel/"
    )
    expect(panel.get_by_role("heading", name="Prestation de service")).to_be_visible()
    assert "sel=archipel" in page.url and "q=archipel" in page.url
    expect(page.locator("#explore-map .actor-marker.is-selected")).to_have_count(1)
    screenshot(page, "issue12-home-panel-desktop.png")

    # Back closes it and the focus returns to the result; Escape and the close button too.
    page.go_back()
    expect(panel).to_be_hidden()
    assert "sel=" not in page.url and "q=archipel" in page.url
    expect(result).to_be_focused()
    result.press("Enter")
    expect(title).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(result).to_be_focused()
    assert "sel=" not in page.url

    # A partner named in the panel opens in it; the close button goes back to the map as it was.
    result.click()
    partner = panel.locator("[data-panel-slug]").first
    slug = partner.get_attribute("data-panel-slug")
    partner.click()
    expect(title).not_to_contain_text("Laboratoire Archipel")
    assert f"sel={slug}" in page.url
    panel.get_by_role("button", name="Fermer la fiche").click()
    expect(panel).to_be_hidden()
    page.wait_for_function("() => !location.search.includes('sel=')")
    expect(result).to_be_focused()

    # The address is a permalink: opening it shows the panel.
    open_drawn(page, live_server.url + "/?q=archipel&sel=archipel", "#explore-map[data-markers]")
    expect(panel).to_be_visible()
    expect(title).to_contain_text("Laboratoire Archipel")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # The name in a marker's popup opens it too; on a phone the panel rises from the bottom.
    page.set_viewport_size(PHONE)
    page.evaluate(
        "() => TIPS.explore.cluster.zoomToShowLayer(TIPS.explore.markers.archipel, "
        "() => TIPS.explore.markers.archipel.openPopup())"
    )
    page.locator(".leaflet-popup").get_by_role("link", name="Archipel").click()
    expect(title).to_contain_text("Laboratoire Archipel")
    assert "sel=archipel" in page.url
    screenshot(page, "issue12-home-panel-phone.png")
