"""Every map has a background (Plan IGN, then OpenStreetMap), says so discreetly when its tiles
cannot load, and shows the actors as a person expects: clusters ringed by their types, a legend on
the map, actors of one spot spread when asked.

The machine has no network, and tiles are blocked here anyway: each test records the browser's
tile requests and aborts them (or answers them with a grey tile, to see the layering)."""

import re
import struct
import zlib

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ARTIFACTS, open_drawn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IGN = "**/data.geopf.fr/**"
OSM = "**/tile.openstreetmap.org/**"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
NOTE = "Fond de carte indisponible : seuls les contours sont affichés"


def grey_tile() -> bytes:
    """A 256 px light grey PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes((226, 229, 222)) * 256 for _ in range(256))
    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def block_tiles(page: Page) -> list[str]:
    """Abort every tile request; the list fills with their addresses."""
    asked: list[str] = []

    def abort(route):
        asked.append(route.request.url)
        route.abort()

    page.route(IGN, abort)
    page.route(OSM, abort)
    return asked


def open_map(page: Page, url: str):
    return open_drawn(page, url, "#explore-map[data-markers]")


def test_the_home_map_has_plan_ign_a_switcher_and_a_discreet_note_offline(
    page: Page, live_server, report_data
):
    asked = block_tiles(page)
    page.set_viewport_size(DESKTOP)
    home = open_map(page, live_server.url + "/")
    # The browser asks Plan IGN's WMTS for tiles of the view, from the settings' URL template.
    expect(home.locator(".map-tiles-note")).to_be_visible()
    expect(home.locator(".map-tiles-note")).to_have_text(NOTE)
    ign = [url for url in asked if "data.geopf.fr/wmts" in url]
    assert ign and all("LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in url for url in ign)
    assert re.search(r"TILEMATRIX=\d+&TILEROW=\d+&TILECOL=\d+", ign[0])
    assert not [url for url in asked if "openstreetmap" in url]
    expect(home.locator(".leaflet-control-attribution")).to_contain_text("© IGN")
    # Offline, the département outlines stay as the background.
    expect(home.locator("path.map-outline").first).to_be_attached()
    assert home.locator("path.map-outline").count() >= 12
    # The layer switcher offers both backgrounds, and none.
    home.locator(".leaflet-control-layers").hover()
    switcher = home.locator(".leaflet-control-layers-list")
    for name in ("Plan IGN", "OpenStreetMap", "Sans fond de carte"):
        expect(switcher.get_by_text(name, exact=True)).to_be_visible()
    switcher.get_by_text("OpenStreetMap", exact=True).click()
    expect(home).to_have_attribute("data-background", "osm")
    expect(home.locator(".leaflet-control-attribution")).to_contain_text(
        "© les contributeurs d'OpenStreetMap"
    )
    assert any(re.search(r"tile\.openstreetmap\.org/\d+/\d+/\d+\.png", url) for url in asked)
    # The legend is on the map with the counts, open on a desktop; fullscreen is offered.
    legend = home.locator(".map-legend")
    expect(legend.get_by_role("button", name="Légende")).to_have_attribute("aria-expanded", "true")
    expect(legend.locator('[data-type-count="cellule_innovation"]')).not_to_have_text("0")
    assert page.locator("[data-type-count]").count() == 7  # one legend on the page
    expect(home.get_by_role("button", name="Afficher la carte en plein écran")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "issue12-home-desktop.png")

    # On a phone the legend starts folded; its button opens it.
    page.set_viewport_size(PHONE)
    home = open_map(page, live_server.url + "/")
    toggle = home.locator(".map-legend").get_by_role("button", name="Légende")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(home.locator('[data-type-count="prestataire"]')).to_be_hidden()
    home.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "issue12-home-phone.png")
    toggle.click()
    expect(home.locator('[data-type-count="prestataire"]')).to_be_visible()

    # With tiles, the note goes and the outlines step back (a grey tile stands for Plan IGN).
    page.unroute(IGN)
    page.route(IGN, lambda route: route.fulfill(content_type="image/png", body=grey_tile()))
    page.set_viewport_size(DESKTOP)
    home = open_map(page, live_server.url + "/?fond=ign")
    expect(home).to_have_class(re.compile(r"\bhas-tiles\b"))
    expect(home.locator(".map-tiles-note")).to_be_hidden()
    page.screenshot(path=ARTIFACTS / "issue12-home-tiles-desktop.png")


def biggest_cluster(page: Page) -> dict:
    """What the biggest cluster's ring draws: the count written in it, its label, and per segment
    its type, its share of the ring (dash length, of 100) and its colour as the browser paints it."""
    return page.evaluate(
        """() => {
        const read = (el) => ({
            count: Number(el.querySelector('.cluster-count').textContent),
            label: el.getAttribute('title'),
            segments: [...el.querySelectorAll('.cluster-segment')].map((s) => ({
                type: s.dataset.type,
                share: parseFloat(s.getAttribute('stroke-dasharray')),
                stroke: getComputedStyle(s).stroke,
                expected: getComputedStyle(document.documentElement)
                    .getPropertyValue('--type-' + s.dataset.type).trim(),
            })),
        });
        const all = [...document.querySelectorAll('#explore-map .marker-cluster')].map(read);
        return all.sort((a, b) => b.count - a.count)[0];
    }"""
    )


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_the_embed_honours_its_background_and_legend_and_clusters_show_their_types(
    page: Page, live_server, report_data
):
    asked = block_tiles(page)
    page.set_viewport_size(DESKTOP)
    embed = open_map(page, live_server.url + "/integrer/?fond=aucun&legende=0")
    expect(embed.locator(".marker-cluster").first).to_be_visible()
    page.wait_for_timeout(300)
    assert asked == []  # no background: not one tile asked for, and nothing to apologise for
    expect(embed).to_have_attribute("data-background", "aucun")
    expect(embed.locator(".map-tiles-note")).to_be_hidden()
    expect(page.locator(".map-legend")).to_have_count(0)
    expect(page.locator("[data-type-count]")).to_have_count(0)

    # Two types chosen: each cluster's ring holds a segment per type present, in its colour,
    # its share in proportion to the count its label gives.
    embed = open_map(page, live_server.url + "/integrer/?type=cellule_innovation&type=prestataire")
    expect(embed.locator(".map-legend")).to_be_visible()
    expect(embed.locator(".marker-cluster").first).to_be_visible()
    biggest = biggest_cluster(page)
    types = {s["type"] for s in biggest["segments"]}
    assert {"cellule_innovation", "prestataire"} <= types
    said = biggest["label"].split(":")[1]
    label_counts = {name: int(n) for n, name in re.findall(r"(\d+) ([^,]+)", said)}
    assert biggest["label"].startswith(f"{biggest['count']} acteurs : ")
    assert label_counts["Cellule publique d'innovation"] >= 1
    assert label_counts["Prestataire et cabinet spécialisé"] >= 1
    assert sum(label_counts.values()) == biggest["count"]
    for segment in biggest["segments"]:
        assert segment["stroke"] == rgb(segment["expected"])
    assert sum(s["share"] for s in biggest["segments"]) == pytest.approx(100, abs=0.01)
    page.screenshot(path=ARTIFACTS / "issue12-embed-desktop.png")
    page.set_viewport_size(PHONE)
    open_map(page, live_server.url + "/integrer/?type=cellule_innovation&type=prestataire")
    page.screenshot(path=ARTIFACTS / "issue12-embed-phone.png")

    # Searching "archipel": the hits sharing Lyon's town hall form one cluster; a click spreads
    # them at once, without zooming to the street first.
    page.set_viewport_size(DESKTOP)
    embed = open_map(page, live_server.url + "/integrer/?q=archipel")
    zoom = page.evaluate("() => TIPS.explore.map.getZoom()")
    cluster = embed.locator(".marker-cluster").first
    hidden = int(cluster.locator(".cluster-count").text_content())
    alone = embed.locator(".actor-marker").count()
    cluster.click()
    expect(embed.locator(".actor-marker")).to_have_count(alone + hidden)
    page.wait_for_timeout(400)  # the spreading's animation
    spread = centres(embed.locator(".actor-marker"))
    assert len(set(spread)) == len(spread)
    assert page.evaluate("() => TIPS.explore.map.getZoom()") == zoom


def centres(locator) -> list[tuple[float, float]]:
    return [
        (round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2))
        for box in (element.bounding_box() for element in locator.all())
    ]


def test_actors_of_one_spot_stand_there_and_spread_on_click(page: Page, live_server, report_data):
    block_tiles(page)
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        card = open_drawn(page, live_server.url + "/acteurs/archipel/", "#card-map[data-markers]")
        # Archipel and seven partners sit at Lyon's town hall: all drawn there, under one ring.
        page.locator("#card-map").scroll_into_view_if_needed()
        lyon = card.locator(".actor-cluster")
        expect(lyon).to_have_attribute("title", re.compile(r"^8 acteurs : "))
        expect(page.get_by_role("button", name=re.compile(r"^8 acteurs : "))).to_have_count(1)
        partners = card.locator(".actor-marker:not(.is-main)")
        main = centres(card.locator(".actor-marker.is-main"))[0]
        at_lyon = [c for c in centres(partners) if c == main]
        assert len(at_lyon) == 7  # not offset before anyone asks
        expect(card.locator(".relation-arrow:not(.is-hidden)")).to_have_count(1)  # from Paris
        page.screenshot(path=ARTIFACTS / f"issue12-card-{size}.png")

        lyon.click()
        expect(lyon).to_have_attribute("aria-expanded", "true")
        spread = centres(partners)
        assert len(set(spread)) == len(spread)  # each partner on a spot of its own
        # Archipel stays on its spot, amid its partners (the map may move to show the whole fan).
        main = centres(card.locator(".actor-marker.is-main"))[0]
        assert centres(lyon)[0] == main
        assert sum(1 for c in spread if c == main) == 0
        # Their relation lines show now, arrows included, towards the beneficiaries.
        for line in card.locator(".relation-line").all():
            box = line.bounding_box()
            assert box and max(box["width"], box["height"]) > 20
        expect(card.locator(".relation-arrow:not(.is-hidden)")).to_have_count(3)
        page.screenshot(path=ARTIFACTS / f"issue12-card-{size}-spread.png")
        page.keyboard.press("Escape")
        expect(lyon).to_have_attribute("aria-expanded", "false")
        assert len([c for c in centres(partners) if c == main]) == 7

        # The Puy-de-Dôme: its 28 Clermont-Ferrand actors where they are, under one ring of 28.
        territory = open_drawn(
            page, live_server.url + "/territoires/puy-de-dome/", "#territory-map[data-markers]"
        )
        page.locator("#territory-map").scroll_into_view_if_needed()
        clermont = territory.locator('.actor-cluster[title^="28 acteurs : "]')
        expect(clermont).to_have_count(1)
        ring = centres(clermont)[0]
        markers = centres(territory.locator(".actor-marker"))
        assert (
            sum(1 for c in markers if abs(c[0] - ring[0]) <= 1 and abs(c[1] - ring[1]) <= 1) == 28
        )
        page.screenshot(path=ARTIFACTS / f"issue12-territory-{size}.png")
