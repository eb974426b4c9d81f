"""A person follows what changed: the list filtered to the actors changed since a day, then the
data page's feeds of published changes."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from actors.models import Actor
from relations.models import Relation
from tests.browser.helpers import ARTIFACTS, DESKTOP, PHONE
from tests.factories import make_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_AGO = datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC)


def screenshots(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=ARTIFACTS / f"issue14-{name}-{size}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_the_changes_since_a_day_in_the_list_and_the_feeds(page: Page, live_server, report_data):
    Actor.objects.update(updated_at=LONG_AGO)
    Relation.objects.update(updated_at=LONG_AGO)
    name = "Œuvre d'innovation de novembre"
    make_actor(name=name, slug=Actor.objects.free_slug(name), commune_name="Lyon")

    page.goto(live_server.url + "/acteurs/")
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Modifiés depuis").fill("2026-11-01")
    page.get_by_role("button", name="Filtrer").click()
    assert "modifie_depuis=2026-11-01" in page.url
    expect(page.get_by_role("heading", level=2, name="1 acteur")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("link", name="Œuvre d'innovation de novembre")).to_have_attribute(
        "href", "/acteurs/oeuvre-dinnovation-de-novembre/"
    )
    expect(page.get_by_label("Modifiés depuis")).to_have_value("2026-11-01")  # kept
    screenshots(page, "list-changed-since")

    page.goto(live_server.url + "/acteurs/?modifie_depuis=hier")
    expect(page.get_by_role("alert")).to_contain_text("« hier » n'est pas une date")

    page.goto(live_server.url + "/donnees/")
    section = page.get_by_role("heading", name="Changements")
    expect(section).to_be_visible()
    atom = page.get_by_role("link", name="Flux Atom des changements")
    expect(atom).to_have_attribute("href", "/donnees/changements.atom")
    feed = page.request.get(live_server.url + "/donnees/changements.json").json()
    assert feed["changes"][0]["name"] == "Œuvre d'innovation de novembre"
    assert feed["changes"][0]["kind"] == "created"
    screenshots(page, "data")
