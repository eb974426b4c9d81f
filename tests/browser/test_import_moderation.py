"""A moderator imports a file to moderation, in a real browser: the dry run flags the rows like
an actor of the map or a row above them, and each proposal says so in the moderation page."""

import pytest
from playwright.sync_api import Page, expect

from contributions.models import Contribution
from tests.browser.helpers import ARTIFACTS, both_sizes
from tests.browser.test_contribute import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILE = (
    "Organisation - Service;Type d'acteur;Latitude;Longitude\n"
    "LABORATOIRE ARCHIPEL;1. Cellule d'innovation;45.76;4.83\n"
    "Fabrique des transitions de Riom;2;45.894;3.113\n"
    "La Fabrique des transitions à Riom;2;45.895;3.114\n"
).encode()


def test_an_import_to_moderation_flags_possible_duplicates(
    page: Page, live_server, report_data, moderator
):
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, base, moderator)
    page.goto(base + "/donnees/import/")
    page.locator("#id_file").set_input_files(
        {"name": "acteurs.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    page.locator("#id_licence").fill("etalab-2.0")  # issue 14: each source declares its licence
    page.get_by_label("Les envoyer dans la file de modération").check()
    page.get_by_role("button", name="Lancer l'essai à blanc").click()

    report = page.locator(".actor-table")
    expect(report).to_contain_text("Acteur proche déjà sur la carte : Préfecture de la région")
    expect(report).to_contain_text("Ligne proche plus haut dans le même fichier : ligne 3")
    expect(report.get_by_role("link", name="Laboratoire Archipel")).to_have_attribute(
        "href", "/acteurs/archipel/"
    )
    assert not Contribution.objects.exists()  # a dry run
    both_sizes(page, "import-report")

    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import terminé.")).to_be_visible()
    first, second = Contribution.objects.order_by("pk")[1:]

    # The other moderator's view of the queue (an importer may not decide on its own import).
    page.goto(base + f"/moderation/{second.pk}/")
    flags = page.locator(".similar-actors")
    expect(flags).to_contain_text("Ligne proche plus haut dans le même fichier : ligne 3")
    flags.get_by_role("link", name="Fabrique des transitions de Riom").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fabrique des transitions de Riom")
    assert page.url.endswith(f"/moderation/{first.pk}/")
    page.goto(base + f"/moderation/{Contribution.objects.order_by('pk').first().pk}/")
    expect(page.locator(".similar-actors")).to_contain_text(
        "Acteur proche déjà sur la carte : Préfecture de la région Auvergne-Rhône-Alpes"
    )
    both_sizes(page, "moderation-similar")
