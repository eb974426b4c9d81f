"""The ecosystem as a network in a real browser: drawing, focus, summary, filters, table, exports."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ARTIFACTS, open_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = "clermont-auvergne-metropole"
PROVIDER = "Prestataire et cabinet spécialisé"


def endpoint(page: Page, live_server, query: str) -> dict:
    response = page.request.get(f"{live_server.url}/reseau/donnees.json?{query}")
    assert response.ok, (response.status, response.text()[:2000])
    return response.json()


def open_network(page: Page, url: str):
    return open_drawn(page, url, "#network[data-ready]")


def drawn(page: Page) -> dict:
    return page.evaluate(
        """() => {
        const cy = TIPS.network.cy;
        return {
            nodes: cy.nodes().length,
            edges: cy.edges().length,
            external: cy.nodes('.external').map(n => n.id()).sort(),
            ids: cy.nodes().map(n => n.id()).sort(),
        };
    }"""
    )


def test_the_network_of_a_territory_draws_every_node_and_edge(page: Page, live_server, report_data):
    data = endpoint(page, live_server, f"focus={FOCUS}")
    assert data["counts"]["nodes"] > 5 and data["counts"]["edges"] > 5
    open_network(page, f"{live_server.url}/reseau/?focus={FOCUS}")
    shown = drawn(page)
    assert shown["nodes"] == data["counts"]["nodes"] == len(data["nodes"])
    assert shown["edges"] == data["counts"]["edges"] == len(data["edges"])
    external = sorted(n["id"] for n in data["nodes"] if n["external"])
    assert external and shown["external"] == external
    expect(page.locator("#focus")).to_have_value(FOCUS)
    expect(page.locator(".legend-external")).to_be_visible()
    expect(page.locator("#network-status")).to_have_text(
        f"Acteurs : {data['counts']['nodes']}, relations : {data['counts']['edges']}"
    )
    expect(page.locator("#network-measures tbody tr")).to_have_count(data["counts"]["nodes"])
    # Edges as the report draws them: services dashed with an arrow, collaboration bold.
    styles = page.evaluate(
        """() => {
        const cy = TIPS.network.cy;
        const pick = (sel) => cy.edges(sel).map(e => [e.style('line-style'), e.style('width'),
            e.style('target-arrow-shape')])[0];
        return {
            service: pick('[type = "prestation_service"][?directed]'),
            collaboration: pick('[type = "collaboration"]'),
            information: pick('[type = "partage_information"]'),
        };
    }"""
    )
    if styles["service"]:
        assert styles["service"][0] == "dashed" and styles["service"][2] == "triangle"
    if styles["collaboration"]:
        assert styles["collaboration"][1] == "5px" and styles["collaboration"][2] == "none"
    if styles["information"]:
        assert styles["information"][0] == "solid"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "network.png", full_page=False)
    page.locator("#network-measures").screenshot(path=ARTIFACTS / "network-table.png")


def test_clicking_a_node_shows_its_summary_and_leads_to_its_card(
    page: Page, live_server, report_data
):
    data = endpoint(page, live_server, f"focus={FOCUS}")
    busiest = max(data["nodes"], key=lambda n: n["degree"])
    open_network(page, f"{live_server.url}/reseau/?focus={FOCUS}")
    page.evaluate("(id) => TIPS.network.cy.getElementById(id).emit('tap')", busiest["id"])
    summary = page.locator("#network-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=3)).to_have_text(busiest["name"])
    expect(summary).to_contain_text(f"Relations{busiest['degree']}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "network-summary.png")
    summary.get_by_role("link", name="Voir la fiche").click()
    expect(page).to_have_url(f"{live_server.url}/acteurs/{busiest['id']}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_filtering_by_type_changes_the_nodes_and_the_views_keep_the_filters(
    page: Page, live_server, report_data
):
    everything = endpoint(page, live_server, "")
    providers = endpoint(page, live_server, "type=prestataire")
    assert providers["counts"]["nodes"] < everything["counts"]["nodes"]
    open_network(page, f"{live_server.url}/reseau/")
    assert drawn(page)["nodes"] == everything["counts"]["nodes"]
    page.get_by_label(PROVIDER).check()
    drawing = page.locator("#network")
    expect(drawing).to_have_attribute("data-nodes", str(providers["counts"]["nodes"]))
    expect(drawing).to_have_attribute("data-ready", "true")
    shown = drawn(page)
    assert shown["ids"] == sorted(n["id"] for n in providers["nodes"])
    assert shown["edges"] == providers["counts"]["edges"]
    assert "type=prestataire" in page.url

    # Back undoes the filter, forward redoes it.
    page.go_back()
    expect(page.get_by_label(PROVIDER)).not_to_be_checked()
    expect(drawing).to_have_attribute("data-nodes", str(everything["counts"]["nodes"]))
    page.go_forward()
    expect(page.get_by_label(PROVIDER)).to_be_checked()
    expect(drawing).to_have_attribute("data-nodes", str(providers["counts"]["nodes"]))

    page.locator(".view-switch").get_by_role("link", name="Carte").click()
    expect(page.locator("#explore-map[data-markers]")).to_be_attached()
    assert "type=prestataire" in page.url
    expect(page.get_by_label(PROVIDER)).to_be_checked()
    page.locator(".view-switch").get_by_role("link", name="Réseau").click()
    expect(page.locator("#network")).to_have_attribute(
        "data-nodes", str(providers["counts"]["nodes"])
    )
    expect(page.get_by_label(PROVIDER)).to_be_checked()
    page.locator(".view-switch").get_by_role("link", name="Liste").click()
    assert "type=prestataire" in page.url
    expect(page.get_by_label(PROVIDER)).to_be_checked()


def test_the_measures_table_sorts_and_writes_french_numbers(page: Page, live_server, report_data):
    data = endpoint(page, live_server, f"focus={FOCUS}")
    open_network(page, f"{live_server.url}/reseau/?focus={FOCUS}")
    table = page.locator("#network-measures")
    expect(table.locator("th[aria-sort]")).to_have_count(1)
    expect(table.locator("th[aria-sort='descending']")).to_contain_text("Degré")
    table.get_by_role("button", name="Intermédiarité").click()
    header = table.locator("th[data-sort='betweenness']")
    expect(header).to_have_attribute("aria-sort", "descending")
    top = max(n["betweenness"] for n in data["nodes"])
    first = table.locator("tbody tr").first
    expected = f"{top:.3f}".replace(".", ",")
    expect(first.locator("td").nth(5)).to_have_text(expected)
    table.get_by_role("button", name="Intermédiarité").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    table.get_by_role("button", name="Nom").click()
    expect(table.locator("th[data-sort='name']")).to_have_attribute("aria-sort", "ascending")
    names = table.locator("tbody th").all_inner_texts()
    assert len(names) == len(data["nodes"])
    # The measure select resizes the nodes and stays in the URL.
    page.get_by_label("Taille des acteurs selon").select_option("betweenness")
    assert "mesure=betweenness" in page.url


def test_the_drawing_exports_as_png_and_svg_with_its_legend_and_date(
    page: Page, live_server, report_data
):
    data = endpoint(page, live_server, f"focus={FOCUS}")
    open_network(page, f"{live_server.url}/reseau/?focus={FOCUS}")
    with page.expect_download() as svg_download:
        page.get_by_role("button", name="Exporter en SVG").click()
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg_download.value.suggested_filename == f"reseau-{data['date']}.svg"
    assert "<svg" in svg and 'class="network-legend"' in svg
    assert "Type d'acteur" in svg and "Acteur extérieur au territoire" in svg
    assert "Prestation de service" in svg and "Données au" in svg
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Exporter en PNG").click()
    png = Path(png_download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "network-export.png").write_bytes(png)
    (ARTIFACTS / "network-export.svg").write_text(svg, encoding="utf-8")


def test_a_card_draws_its_ego_network_at_one_or_two_steps(page: Page, live_server, report_data):
    one = endpoint(page, live_server, "ego=archipel&profondeur=1")
    two = endpoint(page, live_server, "ego=archipel&profondeur=2")
    page.goto(f"{live_server.url}/acteurs/archipel/")
    ego = page.locator(".ego-network")
    expect(ego).to_have_attribute("data-ready", "true")
    expect(ego).to_have_attribute("data-nodes", str(one["counts"]["nodes"]))
    expect(ego).to_have_attribute("data-edges", str(one["counts"]["edges"]))
    page.get_by_label("Et leurs partenaires (2 pas)").check()
    expect(ego).to_have_attribute("data-nodes", str(two["counts"]["nodes"]))
    expect(ego).to_have_attribute("data-edges", str(two["counts"]["edges"]))
    assert two["counts"]["nodes"] >= one["counts"]["nodes"]
    ARTIFACTS.mkdir(exist_ok=True)
    ego.screenshot(path=ARTIFACTS / "network-ego.png")
