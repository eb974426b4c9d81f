"""The ecosystem as a network in a real browser: drawing, a territory and its partners outside,
the actors without relations left out, labels that never overlap, summary, filters, table,
exports, the card's ego network, and a phone's touch."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ARTIFACTS, open_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = "clermont-auvergne-metropole"
FOCUS_PAGE = f"territoire={FOCUS}&exterieurs=on"
PROVIDER = "Prestataire et cabinet spécialisé"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def endpoint(page: Page, live_server, query: str) -> dict:
    response = page.request.get(f"{live_server.url}/reseau/donnees.json?{query}")
    assert response.ok, (response.status, response.text()[:2000])
    return response.json()


def open_network(page: Page, url: str):
    return open_drawn(page, url, "#network[data-ready]")


def linked(data: dict) -> list[dict]:
    """The nodes the page draws by default: those with a relation in the data."""
    ends = {e["source"] for e in data["edges"]} | {e["target"] for e in data["edges"]}
    return [n for n in data["nodes"] if n["id"] in ends]


# The labels a person sees (a label, at a size Cytoscape draws at this zoom) and every pair of
# them whose boxes, as Cytoscape computes them, overlap. `target`: the page's drawing or a card's.
LABELS = """(target) => {
    const cy = target === "ego" ? document.querySelector(".ego-network").cy : TIPS.network.cy;
    const shown = cy.nodes().filter(n => n.visible() && n.style("label")
        && parseFloat(n.style("font-size")) * cy.zoom() >= parseFloat(n.style("min-zoomed-font-size")));
    const boxes = shown.map(n => [n.id(), n.boundingBox({includeLabels: true, includeNodes: false,
        includeEdges: false, includeOverlays: false, includeUnderlays: false})]);
    const overlaps = [];
    boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
        if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) overlaps.push([a, b]);
    }));
    const ext = cy.extent();
    const inView = cy.nodes().filter(n => { const p = n.position();
        return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2; });
    return {
        nodes: cy.nodes().length,
        inView: inView.length,
        // Well inside the view: a name beside such a node is never cut by the drawing's edge.
        central: inView.filter(n => { const p = n.position();
            return p.x >= ext.x1 + ext.w / 4 && p.x <= ext.x2 - ext.w / 4
                && p.y >= ext.y1 + ext.h / 5 && p.y <= ext.y2 - ext.h / 5; }).map(n => n.id()),
        shown: shown.map(n => n.id()),
        overlaps: overlaps,
        px: shown.length ? Math.min(...shown.map(n => parseFloat(n.style("font-size")) * cy.zoom())) : 0,
        insideBox: boxes.every(([id, b]) => b.w > 0 && b.h > 0),
    };
}"""


def labels(page: Page, target: str = "page") -> dict:
    shown = page.evaluate(LABELS, target)
    shown["px"] = round(shown["px"], 1)  # font size x zoom: 12.999999999999998 is 13
    return shown


def next_frames(page: Page):
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


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


def test_one_territory_control_with_its_partners_outside_and_the_older_links(
    page: Page, live_server, report_data
):
    data = endpoint(page, live_server, FOCUS_PAGE)
    assert data == endpoint(page, live_server, f"focus={FOCUS}")  # the older spelling
    inside = endpoint(page, live_server, f"territoire={FOCUS}")
    assert not any(n["external"] for n in inside["nodes"])
    assert data["counts"]["nodes"] > inside["counts"]["nodes"] > 5 and data["counts"]["edges"] > 5
    drawable = linked(data)
    # A link to the older menu "Centrer sur un territoire" opens the same drawing.
    open_network(page, f"{live_server.url}/reseau/?focus={FOCUS}&mesure=betweenness")
    assert page.url.endswith(f"/reseau/?mesure=betweenness&{FOCUS_PAGE}")
    expect(page.get_by_text("Centrer sur un territoire")).to_have_count(0)
    expect(page.get_by_label("Territoire", exact=True)).to_have_value(FOCUS)
    expect(page.get_by_label("Ajouter leurs partenaires hors du territoire")).to_be_checked()
    shown = drawn(page)
    assert shown["nodes"] == len(drawable)
    assert shown["edges"] == data["counts"]["edges"] == len(data["edges"])
    external = sorted(n["id"] for n in data["nodes"] if n["external"])
    assert external and shown["external"] == external
    expect(page.locator(".legend-external")).to_be_visible()
    expect(page.locator("#network-status")).to_have_text(
        f"Acteurs : {len(drawable)}, relations : {data['counts']['edges']}"
    )
    expect(page.locator("#network-measures tbody tr")).to_have_count(len(drawable))
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

    # Without the partners outside: the territory's actors only, as on the map; the option is
    # offered only with a territory chosen.
    drawing = page.locator("#network")
    page.get_by_label("Ajouter leurs partenaires hors du territoire").uncheck()
    expect(drawing).to_have_attribute("data-nodes", str(len(linked(inside))))
    expect(drawing).to_have_attribute("data-ready", "true")
    assert drawn(page)["external"] == []
    assert "exterieurs" not in page.url and f"territoire={FOCUS}" in page.url
    page.go_back()
    expect(drawing).to_have_attribute("data-nodes", str(len(drawable)))
    page.get_by_label("Territoire", exact=True).select_option("")
    expect(page.get_by_label("Ajouter leurs partenaires hors du territoire")).to_be_disabled()
    expect(drawing).to_have_attribute(
        "data-nodes", str(len(linked(endpoint(page, live_server, ""))))
    )
    assert "territoire" not in page.url and "exterieurs" not in page.url


def test_clicking_a_node_shows_its_summary_and_leads_to_its_card(
    page: Page, live_server, report_data
):
    data = endpoint(page, live_server, FOCUS_PAGE)
    busiest = max(data["nodes"], key=lambda n: n["degree"])
    open_network(page, f"{live_server.url}/reseau/?{FOCUS_PAGE}")
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
    assert drawn(page)["nodes"] == len(linked(everything))
    page.get_by_label(PROVIDER).check()
    drawing = page.locator("#network")
    expect(drawing).to_have_attribute("data-nodes", str(len(linked(providers))))
    expect(drawing).to_have_attribute("data-ready", "true")
    shown = drawn(page)
    assert shown["ids"] == sorted(n["id"] for n in linked(providers))
    assert shown["edges"] == providers["counts"]["edges"]
    assert "type=prestataire" in page.url

    # Back undoes the filter, forward redoes it.
    page.go_back()
    expect(page.get_by_label(PROVIDER)).not_to_be_checked()
    expect(drawing).to_have_attribute("data-nodes", str(len(linked(everything))))
    page.go_forward()
    expect(page.get_by_label(PROVIDER)).to_be_checked()
    expect(drawing).to_have_attribute("data-nodes", str(len(linked(providers))))

    page.locator(".view-switch").get_by_role("link", name="Carte").click()
    expect(page.locator("#explore-map[data-markers]")).to_be_attached()
    assert "type=prestataire" in page.url
    expect(page.get_by_label(PROVIDER)).to_be_checked()
    page.locator(".view-switch").get_by_role("link", name="Réseau").click()
    expect(page.locator("#network")).to_have_attribute("data-nodes", str(len(linked(providers))))
    expect(page.get_by_label(PROVIDER)).to_be_checked()
    page.locator(".view-switch").get_by_role("link", name="Liste").click()
    assert "type=prestataire" in page.url
    expect(page.get_by_label(PROVIDER)).to_be_checked()


def test_the_measures_table_sorts_and_writes_french_numbers(page: Page, live_server, report_data):
    data = endpoint(page, live_server, FOCUS_PAGE)
    open_network(page, f"{live_server.url}/reseau/?{FOCUS_PAGE}")
    table = page.locator("#network-measures")
    expect(table.locator("th[aria-sort]")).to_have_count(1)
    expect(table.locator("th[aria-sort='descending']")).to_contain_text("Degré")
    table.get_by_role("button", name="Intermédiarité").click()
    header = table.locator("th[data-sort='betweenness']")
    expect(header).to_have_attribute("aria-sort", "descending")
    top = max(n["betweenness"] for n in linked(data))
    first = table.locator("tbody tr").first
    expected = f"{top:.3f}".replace(".", ",")
    expect(first.locator("td").nth(5)).to_have_text(expected)
    table.get_by_role("button", name="Intermédiarité").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    table.get_by_role("button", name="Nom").click()
    expect(table.locator("th[data-sort='name']")).to_have_attribute("aria-sort", "ascending")
    names = table.locator("tbody th").all_inner_texts()
    assert len(names) == len(linked(data))
    # The measure select resizes the nodes and stays in the URL.
    page.get_by_label("Taille des acteurs selon").select_option("betweenness")
    assert "mesure=betweenness" in page.url


def test_the_drawing_exports_as_png_and_svg_with_its_legend_and_date(
    page: Page, live_server, report_data
):
    data = endpoint(page, live_server, FOCUS_PAGE)
    open_network(page, f"{live_server.url}/reseau/?{FOCUS_PAGE}")
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


def ego_is_readable(page: Page, one: dict) -> dict:
    """Archipel at the centre, every partner named around it, no two names overlapping, the
    report's line styles."""
    shown = labels(page, "ego")
    assert shown["nodes"] == one["counts"]["nodes"]
    assert sorted(shown["shown"]) == sorted(n["id"] for n in one["nodes"]), shown
    assert shown["overlaps"] == [] and shown["insideBox"], shown
    assert shown["px"] >= 12
    layout = page.evaluate(
        """() => {
        const cy = document.querySelector(".ego-network").cy;
        const c = cy.getElementById("archipel").renderedPosition();
        const others = cy.nodes().not("#archipel").map(n => n.renderedPosition());
        const d = others.map(p => Math.hypot(p.x - c.x, p.y - c.y));
        const ring = Math.min(...d) / Math.max(...d);
        const styles = cy.edges().map(e => [e.data("type"), e.style("line-style"),
            e.style("width"), e.style("target-arrow-shape")]);
        return {ring, styles, inView: cy.nodes().every(n => { const p = n.renderedPosition();
            return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(); })};
    }"""
    )
    assert layout["ring"] > 0.95 and layout["inView"], layout  # partners on one ring around it
    for kind, line, width, arrow in layout["styles"]:
        assert line == ("dashed" if kind == "prestation_service" else "solid")
        assert (arrow == "triangle") == (kind == "prestation_service")
        assert (width == "5px") == (kind == "collaboration")
    return shown


def test_a_card_draws_its_ego_network_at_one_or_two_steps(page: Page, live_server, report_data):
    one = endpoint(page, live_server, "ego=archipel&profondeur=1")
    two = endpoint(page, live_server, "ego=archipel&profondeur=2")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/acteurs/archipel/")
    ego = page.locator(".ego-network")
    expect(ego).to_have_attribute("data-ready", "true")
    expect(ego).to_have_attribute("data-nodes", str(one["counts"]["nodes"]))
    expect(ego).to_have_attribute("data-edges", str(one["counts"]["edges"]))
    assert one["counts"]["nodes"] >= 6
    ego_is_readable(page, one)
    ARTIFACTS.mkdir(exist_ok=True)
    ego.scroll_into_view_if_needed()
    ego.screenshot(path=ARTIFACTS / "issue12-card-ego-desktop.png")
    page.get_by_label("Et leurs partenaires (2 pas)").check()
    expect(ego).to_have_attribute("data-nodes", str(two["counts"]["nodes"]))
    expect(ego).to_have_attribute("data-edges", str(two["counts"]["edges"]))
    assert two["counts"]["nodes"] >= one["counts"]["nodes"]
    deeper = labels(page, "ego")
    assert deeper["overlaps"] == [] and "archipel" in deeper["shown"], deeper
    ego.screenshot(path=ARTIFACTS / "network-ego.png")


def test_actors_without_relations_are_left_out_until_asked_for(
    page: Page, live_server, report_data
):
    data = endpoint(page, live_server, "")
    drawable = linked(data)
    alone = len(data["nodes"]) - len(drawable)
    assert alone > 20
    open_network(page, f"{live_server.url}/reseau/")
    count = page.locator("#isolated-count")
    expect(count).to_have_text(f"Acteurs sans relation masqués : {alone}")
    shown = drawn(page)
    assert shown["nodes"] == len(data["nodes"]) - alone
    assert shown["ids"] == sorted(n["id"] for n in drawable)
    assert page.evaluate("() => TIPS.network.cy.nodes().every(n => n.degree() > 0)")
    expect(page.locator("#network-status")).to_have_text(
        f"Acteurs : {len(drawable)}, relations : {data['counts']['edges']}"
    )
    expect(page.locator("#network-measures tbody tr")).to_have_count(len(drawable))
    legend = page.locator("[data-type-count]")
    assert sum(int(n) for n in legend.all_inner_texts()) == len(drawable)

    # The toggle draws them, lists them, counts them, and the URL keeps it.
    drawing = page.locator("#network")
    page.get_by_label("Montrer les acteurs sans relation").check()
    expect(drawing).to_have_attribute("data-nodes", str(len(data["nodes"])))
    expect(count).to_have_text(f"Acteurs sans relation montrés : {alone}")
    expect(page.locator("#network-measures tbody tr")).to_have_count(len(data["nodes"]))
    assert "isoles=on" in page.url
    page.reload()
    expect(drawing).to_have_attribute("data-ready", "true")
    expect(page.get_by_label("Montrer les acteurs sans relation")).to_be_checked()
    assert drawn(page)["nodes"] == len(data["nodes"])
    page.go_back()
    expect(drawing).to_have_attribute("data-nodes", str(len(drawable)))
    expect(page.get_by_label("Montrer les acteurs sans relation")).not_to_be_checked()


def test_labels_go_by_importance_and_never_overlap(page: Page, live_server, report_data):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    # The Puy-de-Dôme's own network names every actor; with its actors without relations (the
    # drawing where names piled up) only the important ones.
    focus = "territoire=puy-de-dome&exterieurs=on"
    open_network(page, f"{live_server.url}/reseau/?{focus}")
    own = labels(page)
    assert own["nodes"] >= 8 and own["overlaps"] == [] and own["px"] >= 13, own
    page.screenshot(path=ARTIFACTS / "issue12-network-puy-de-dome-desktop.png")
    for query, name in [("", "network"), (f"{focus}&isoles=on", "network-puy-de-dome-isolated")]:
        open_network(page, f"{live_server.url}/reseau/?{query}")
        first = labels(page)
        assert 8 <= len(first["shown"]) < first["nodes"], first
        assert first["overlaps"] == [] and first["insideBox"], first
        assert first["px"] >= 13
        # The busiest actors are named first.
        degrees = page.evaluate("() => TIPS.network.cy.nodes().map(n => [n.id(), n.degree()])")
        busiest = max(degrees, key=lambda d: d[1])[0]
        assert busiest in first["shown"]
        page.screenshot(path=ARTIFACTS / f"issue12-{name}-desktop.png")
        # Zoomed in, every actor on screen is a candidate: more of them are named, still apart.
        page.evaluate(
            """() => { const cy = TIPS.network.cy;
            cy.zoom({level: cy.zoom() * 3, renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}}); }"""
        )
        next_frames(page)
        zoomed = labels(page)
        assert zoomed["overlaps"] == [] and zoomed["px"] >= 13, zoomed
        # Zoomed in, names on screen are at least as large a share of the actors on screen as
        # at the fitted view.
        assert len(zoomed["shown"]) / zoomed["inView"] >= len(first["shown"]) / first["nodes"], (
            first,
            zoomed,
        )
        # A hovered actor shows its name.
        nameless = page.evaluate(
            """() => { const cy = TIPS.network.cy; const ext = cy.extent();
            const n = cy.nodes(":not(.label-shown)").filter(n => { const p = n.position();
                return p.x > ext.x1 && p.x < ext.x2 && p.y > ext.y1 && p.y < ext.y2; })[0];
            n.emit("mouseover"); return n.id(); }"""
        )
        hovered = labels(page)
        assert nameless in hovered["shown"] and hovered["overlaps"] == []


def test_on_a_phone_a_tap_names_an_actor_and_the_labels_stay_apart(
    browser, live_server, report_data
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    for query, name in [
        ("", "network"),
        ("territoire=puy-de-dome&exterieurs=on", "network-puy-de-dome"),
    ]:
        open_network(page, f"{live_server.url}/reseau/?{query}")
        shown = labels(page)
        assert shown["shown"] and shown["overlaps"] == [], shown
        if not query:  # a phone names fewer actors at once than a desktop
            assert len(shown["shown"]) < shown["nodes"]
        assert shown["px"] >= 13
        assert page.evaluate(
            "() => TIPS.network.cy.userZoomingEnabled() && TIPS.network.cy.userPanningEnabled()"
        )
        page.locator("#network").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"issue12-{name}-phone.png")
    # A finger beside a small node, within 22 pixels of its edge, picks it: its name and its card.
    target = page.evaluate(
        """() => { const cy = TIPS.network.cy; const box = cy.container().getBoundingClientRect();
        const far = (n) => Math.min(...cy.nodes().not(n).map(o => Math.hypot(
            o.renderedPosition().x - n.renderedPosition().x, o.renderedPosition().y - n.renderedPosition().y)));
        const node = cy.nodes().filter(n => n.renderedWidth() < 30 && far(n) > 45
            && n.renderedPosition().y > 40 && n.renderedPosition().x > 40)[0];
        const p = node.renderedPosition();
        return {id: node.id(), size: node.renderedWidth(), x: box.left + p.x + node.renderedWidth() / 2 + 12,
            y: box.top + p.y}; }"""
    )
    page.touchscreen.tap(target["x"], target["y"])
    summary = page.locator("#network-summary")
    expect(summary).to_be_visible()
    name = page.evaluate("(id) => TIPS.network.cy.getElementById(id).data('name')", target["id"])
    expect(summary.get_by_role("heading", level=3)).to_have_text(name)
    expect(summary.get_by_role("link", name="Voir la fiche")).to_be_visible()
    next_frames(page)
    assert target["id"] in labels(page)["shown"]  # the picked actor is named on the drawing
    page.screenshot(path=ARTIFACTS / "issue12-network-tap-phone.png")

    # The card's ego network, on the phone too.
    one = endpoint(page, live_server, "ego=archipel&profondeur=1")
    page.goto(f"{live_server.url}/acteurs/archipel/")
    ego = page.locator(".ego-network")
    expect(ego).to_have_attribute("data-ready", "true")
    ego_is_readable(page, one)
    ego.scroll_into_view_if_needed()
    ego.screenshot(path=ARTIFACTS / "issue12-card-ego-phone.png")
    context.close()
