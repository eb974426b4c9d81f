"""A person reads an actor's identifiers on its card, with their registers' pages, and corrects
one: a SIRET typed with a wrong digit is explained in the form, nothing typed is lost; the data
page leads harvesters to the catalogue."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import both_sizes
from tests.factories import make_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_card_shows_the_identifiers_and_the_form_explains_a_wrong_one(
    page: Page, live_server, report_data, settings
):
    actor = make_actor(
        name="Laboratoire des registres publics",
        missions="Relier les fiches aux registres.",
        commune_name="Clermont-Ferrand",
        latitude=45.7772,
        longitude=3.087,
        siren="732829320",
        siret="73282932000074",
        wikidata="Q90",
    )
    page.goto(live_server.url + actor.get_absolute_url())
    identifiers = page.locator("ul.identifiers")
    expect(identifiers).to_contain_text("SIREN : 732829320")
    expect(page.get_by_role("link", name="73282932000074")).to_have_attribute(
        "href", "https://annuaire-entreprises.data.gouv.fr/etablissement/73282932000074"
    )
    expect(page.get_by_role("link", name="Q90")).to_have_attribute(
        "href", "https://www.wikidata.org/wiki/Q90"
    )
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@id"] == f"{settings.SITE_URL}/acteurs/{actor.slug}/"
    assert data["@type"] == "Organization"
    both_sizes(page, "card", show=identifiers, issue=14)

    page.goto(live_server.url + f"/contribuer/correction/{actor.slug}/")
    group = page.get_by_role("group", name="Identifiants (facultatif)")
    expect(group.get_by_label("SIRET")).to_have_value("73282932000074")
    group.get_by_label("SIRET").fill("732 829 320 00075")
    group.get_by_label("Wikidata").fill("https://www.wikidata.org/wiki/Q42")
    page.get_by_label("Votre nom").fill("Camille Martin")
    page.get_by_label("Votre adresse électronique").fill("camille@example.org")
    page.get_by_role("button", name="Envoyer la proposition").click()
    group = page.get_by_role("group", name="Identifiants (facultatif)")
    expect(group.get_by_role("alert")).to_have_text(
        "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."
    )
    expect(group.get_by_label("SIRET")).to_have_value("732 829 320 00075")  # as typed
    expect(group.get_by_label("Wikidata")).to_have_value("https://www.wikidata.org/wiki/Q42")
    both_sizes(page, "correction-identifiers", show=group, issue=14)

    # The data page points harvesters to the DCAT catalogue of the files.
    page.goto(live_server.url + "/donnees/")
    catalogue = page.get_by_role("link", name="catalogue.jsonld")
    expect(catalogue).to_have_attribute("href", "/donnees/catalogue.jsonld")
    assert page.locator('link[rel="alternate"][type="application/ld+json"]').count() == 1
    both_sizes(page, "data-catalogue", show=catalogue, issue=14)
