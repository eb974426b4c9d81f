"""A moderator publishes an import, in a real browser (issue 14): the page asks for the
source's licence, holds a row whose name is one letter away from an actor of the map until it
is accepted, keeps the curated values of the actors it updates and says so row by row."""

import pytest
from playwright.sync_api import Page, expect

from actors.models import Actor
from tests.browser.helpers import ARTIFACTS, DESKTOP, PHONE
from tests.browser.test_contribute import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page: Page, content: bytes, licence: str = "", accept: str = "") -> None:
    page.locator("#id_file").set_input_files(
        {"name": "acteurs.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.locator("#id_licence").fill(licence)
    page.locator("#id_accept_similar").fill(accept)
    page.get_by_role("button", name="Lancer l'essai à blanc").click()


def screenshots(page: Page, name: str) -> None:
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=ARTIFACTS / f"issue14-{name}-{size}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_an_import_holds_close_names_and_keeps_curated_values(
    page: Page, live_server, report_data, moderator
):
    ARTIFACTS.mkdir(exist_ok=True)
    archipel = Actor.objects.get(slug="archipel")
    curated_type = archipel.type
    content = (
        "Organisation - Service;Type d'acteur;Site\n"
        f"{archipel.name}l;1;\n"
        f"{archipel.name};5;https://autre.example.org/\n"
    ).encode()
    log_in(page, live_server.url, moderator)
    page.goto(live_server.url + "/donnees/import/")

    upload(page, content)
    expect(page.get_by_role("main")).to_contain_text("licence de la source non indiquée")
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)

    upload(page, content, licence="ODbL")
    expect(page.get_by_role("main")).to_contain_text("incompatible avec la Licence Ouverte")

    upload(page, content, licence="etalab-2.0")
    report = page.locator(".actor-table")
    held = report.get_by_role("row").filter(has_text="ligne 2")
    expect(held).to_contain_text("non importé : relancez avec --accept-similar 2")
    expect(held.get_by_role("link", name=archipel.name)).to_have_attribute(
        "href", "/acteurs/archipel/"
    )
    kept = report.get_by_role("row").filter(has_text="ligne 3")
    expect(kept).to_contain_text("conflit, valeur publiée conservée : type d'acteur")
    screenshots(page, "import-report")

    upload(page, content, licence="etalab-2.0", accept="2")
    expect(report.get_by_role("row").filter(has_text="ligne 2")).to_contain_text("création")
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé.")).to_be_visible()
    assert Actor.objects.filter(name=archipel.name + "l").exists()
    archipel.refresh_from_db()
    assert archipel.type == curated_type  # kept, reported as a conflict
    assert archipel.website == "https://autre.example.org/"  # was empty: filled
    assert archipel.provenance == "import"
