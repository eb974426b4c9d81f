"""A territory moderator's journey: the Puy-de-Dôme's proposals, not Lyon's, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from actors.models import Actor
from contributions.models import Status
from tests.browser.helpers import DESKTOP, both_sizes
from tests.browser.test_contribute import log_in
from tests.factories import pending_new_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_puy_de_dome_moderator_decides_clermont_and_is_refused_lyon(
    page: Page, live_server, report_data, territory_moderator
):
    base = live_server.url
    clermont = pending_new_actor(
        name="Atelier clermontois en attente", latitude=45.7797, longitude=3.0863
    )
    lyon = pending_new_actor(
        name="Atelier lyonnais en attente", latitude=45.764, longitude=4.8357, commune_name="Lyon"
    )
    page.set_viewport_size(DESKTOP)

    log_in(page, base, territory_moderator)
    expect(page.get_by_text("Vous modérez :")).to_contain_text("Puy-de-Dôme")
    expect(page.get_by_role("link", name="Atelier clermontois en attente")).to_be_visible()
    expect(page.get_by_role("link", name="Atelier lyonnais en attente")).to_have_count(0)
    expect(page.locator(".site-header .count-badge")).to_have_text("1")
    both_sizes(page, "queue-territory")

    page.get_by_role("link", name="Atelier clermontois en attente").click()
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.get_by_text("Proposition validée et publiée.")).to_be_visible()
    clermont.refresh_from_db()
    assert clermont.status == Status.VALIDATED
    assert Actor.objects.filter(name="Atelier clermontois en attente").exists()

    # Lyon's, opened by its address: refused, said in French, and still waiting.
    response = page.goto(base + lyon.get_absolute_url())
    assert response.status == 403
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    expect(page.get_by_text("hors des territoires que vous modérez")).to_be_visible()
    expect(page.get_by_text("Atelier lyonnais en attente")).to_have_count(0)
    both_sizes(page, "moderate-outside-territory")
    lyon.refresh_from_db()
    assert lyon.status == Status.PENDING
