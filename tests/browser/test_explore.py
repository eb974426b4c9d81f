"""The public's journeys in a real browser: map, filters, list, search, card, territory, permalink."""

from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from actors.models import Actor
from relations.models import RelationType
from tests.browser.helpers import ARTIFACTS, open_drawn
from tests.factories import make_actor, make_relation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_map(page: Page, url: str):
    return open_drawn(page, url, "#explore-map[data-markers]")


def markers_on_screen(page: Page) -> int:
    """What a person sees: single markers plus the numbers written on clusters."""
    return page.evaluate(
        """() => {
        const clusters = [...document.querySelectorAll('#explore-map .marker-cluster span')]
            .reduce((n, s) => n + Number(s.textContent), 0);
        return clusters + document.querySelectorAll('#explore-map .actor-marker').length;
    }"""
    )


def test_the_map_shows_every_published_actor(page: Page, live_server, report_data):
    published = Actor.objects.visible().count()
    open_map(page, live_server.url + "/")
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", str(published))
    expect(page.locator("#map-status")).to_have_text(f"Acteurs affichés : {published}")
    page.wait_for_timeout(500)
    abroad = Actor.objects.visible().exclude(country="FR").count()
    assert markers_on_screen(page) == published - abroad  # the view fits the actors in France
    page.evaluate("() => TIPS.explore.map.setView([30, -20], 2, {animate: false})")
    page.wait_for_timeout(500)
    assert markers_on_screen(page) == published
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("() => TIPS.explore.map.setView([45.6, 4.2], 7, {animate: false})")
    page.wait_for_timeout(800)
    page.screenshot(path=ARTIFACTS / "map.png", full_page=True)


def test_filtering_by_type_changes_the_markers_and_the_list(page: Page, live_server, report_data):
    open_map(page, live_server.url + "/")
    expected = Actor.objects.visible().of_type("prestataire").count()
    page.get_by_label("Prestataire et cabinet spécialisé").check()
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", str(expected))
    assert "type=prestataire" in page.url
    page.locator(".view-switch").get_by_role("link", name="Liste").click()
    expect(page.get_by_role("heading", level=2, name=f"{expected} acteurs")).to_be_visible()
    expect(page.get_by_label("Prestataire et cabinet spécialisé")).to_be_checked()
    expect(page.get_by_role("row")).to_have_count(expected + 1)


def test_searching_archipel_finds_archipel(page: Page, live_server, report_data):
    open_map(page, live_server.url + "/")
    page.get_by_label("Rechercher").fill("archipel")
    expected = Actor.objects.visible().search("archipel").count()
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", str(expected))
    page.locator(".view-switch").get_by_role("link", name="Liste").click()
    expect(page.get_by_role("link", name="Archipel", exact=True)).to_be_visible()


def test_a_card_shows_its_relations_and_draws_them(page: Page, live_server, report_data):
    archipel = Actor.objects.get(slug="archipel")
    relations = list(archipel.relations_as_source.all()) + list(archipel.relations_as_target.all())
    page.goto(live_server.url + "/acteurs/archipel/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Archipel")
    expect(page.get_by_role("heading", name="Prestation de service")).to_be_visible()
    expect(page.locator("#card-map .relation-line")).to_have_count(len(relations))
    services = [r for r in relations if r.type == RelationType.PRESTATION_SERVICE]
    expect(page.locator("#card-map .relation-line-prestation_service")).to_have_count(len(services))
    expect(page.locator("#card-map .relation-arrow")).to_have_count(len(services))
    dashes = page.locator("#card-map .relation-line-prestation_service").first
    assert dashes.get_attribute("stroke-dasharray") == "6 5"
    assert (
        page.locator("#card-map .relation-line-collaboration").first.get_attribute("stroke-width")
        == "5"
    )
    page.screenshot(path=ARTIFACTS / "card.png", full_page=True)


def test_a_territory_page_lists_and_draws_external_partners(page: Page, live_server, report_data):
    page.goto(live_server.url + "/territoires/puy-de-dome/")
    external = page.locator(".external-partners li")
    expect(external.first).to_be_visible()
    expect(external.filter(has_text="Dre'Lab")).to_have_count(1)
    expect(page.locator("#territory-map .actor-marker.is-external")).to_have_count(external.count())
    page.screenshot(path=ARTIFACTS / "territory.png", full_page=True)


def test_a_permalink_restores_the_view_and_back_undoes_a_filter(
    page: Page, live_server, report_data
):
    open_map(page, live_server.url + "/")
    total = page.locator("#explore-map").get_attribute("data-markers")
    page.get_by_label("Cellule publique d'innovation").check()
    expected = str(Actor.objects.visible().of_type("cellule_innovation").count())
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", expected)
    page.evaluate("() => TIPS.explore.map.setView([45.77, 3.08], 11, {animate: false})")
    page.wait_for_timeout(300)
    permalink = page.url
    assert "vue=45.77,3.08,11" in unquote(permalink) and "type=cellule_innovation" in permalink

    other = page.context.new_page()
    open_map(other, permalink)
    expect(other.get_by_label("Cellule publique d'innovation")).to_be_checked()
    expect(other.locator("#explore-map")).to_have_attribute("data-markers", expected)
    centre = other.evaluate("() => [TIPS.explore.map.getCenter().lat, TIPS.explore.map.getZoom()]")
    assert abs(centre[0] - 45.77) < 0.01 and centre[1] == 11

    page.go_back()
    expect(page.get_by_label("Cellule publique d'innovation")).not_to_be_checked()
    expect(page.locator("#explore-map")).to_have_attribute("data-markers", total)


def test_the_keyboard_alone_reaches_a_card_from_the_list(page: Page, live_server, report_data):
    page.goto(live_server.url + "/acteurs/?q=archipel")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Archipel":
            break
    else:
        pytest.fail("Tab never reached the Archipel link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laboratoire Archipel")


def test_a_name_with_markup_shows_as_text_in_the_popup(page: Page, live_server, report_data):
    evil = make_actor(name="<img src=x onerror=alert(1)>", slug="evil")
    make_relation(evil, Actor.objects.get(slug="archipel"), RelationType.COLLABORATION)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_map(page, live_server.url + "/?q=onerror")
    page.evaluate(
        "() => TIPS.explore.cluster.zoomToShowLayer(TIPS.explore.markers.evil, "
        "() => TIPS.explore.markers.evil.openPopup())"
    )
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("<img src=x onerror=alert(1)>")
    expect(popup.locator("img")).to_have_count(0)
    page.goto(live_server.url + "/acteurs/archipel/")
    page.wait_for_timeout(300)
    assert dialogs == []
