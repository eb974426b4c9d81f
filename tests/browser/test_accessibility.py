"""axe-core finds no accessibility violation on any public page nor on the moderators' pages,
on a desktop screen and on a phone. Each page is also saved as a screenshot to look at.

axe-core is vendored for the tests only (static/vendor/axe-core-*/): the test injects it into
the page it checks; no page of the site loads it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.helpers import ARTIFACTS
from tests.factories import PASSWORD, pending_new_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = next((Path(settings.BASE_DIR) / "static" / "vendor").glob("axe-core-*/axe.min.js"))

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

# (name in the screenshot's file, path, what the page's script marks once drawn, if any).
PUBLIC_PAGES = [
    ("home", "/", "#explore-map[data-markers]"),
    ("list", "/acteurs/", None),
    ("card", "/acteurs/archipel/", "#card-map .leaflet-marker-icon"),
    ("network", "/reseau/", "#network[data-ready]"),
    ("territories", "/territoires/", None),
    ("territory", "/territoires/puy-de-dome/", "#territory-map .leaflet-marker-icon"),
    ("compare", "/reseau/comparer/", None),
    ("typology", "/typologie/", None),
    ("data", "/donnees/", None),
    ("contribute", "/contribuer/", "#location-map.leaflet-container"),
    (
        "contribute-correction",
        "/contribuer/correction/archipel/",
        "#location-map.leaflet-container",
    ),
    (
        "contribute-relation",
        "/contribuer/correction/archipel/#relations-proposees",
        "#location-map.leaflet-container",
    ),
    ("contribute-removal", "/contribuer/disparition/archipel/", None),
    ("my-proposals", "/contribuer/mes-propositions/", None),
    ("embed", "/integrer/", "#explore-map[data-markers]"),
    ("embed-builder", "/integrer-la-carte/", "#embed-preview"),
    # The home map with a search, its results, and an actor's card open in the side panel.
    ("home-panel", "/?q=archipel&sel=archipel", "#map-panel-body article"),
]

# The script that runs axe in the page and keeps what a person fixing it needs to read.
RUN_AXE = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    count: v.nodes.length,
  }));
}"""


def check(page: Page, base: str, viewport: str, name: str, path: str, drawn: str | None):
    """Open the page, wait for its drawing, save its screenshot, return axe's violations."""
    page.goto(base + path)
    if drawn:
        expect(page.locator(drawn).first).to_be_attached()
    page.screenshot(path=ARTIFACTS / f"issue12-{name}-{viewport}.png", full_page=True)
    page.add_script_tag(path=str(AXE))
    return [dict(v, page=name) for v in page.evaluate(RUN_AXE)]


def report(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['page']}: {v['id']} ({v['impact']}, {v['count']}×) {v['help']} — {v['targets']}"
        for v in violations
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_page_has_an_accessibility_violation(
    page: Page, live_server, report_data, moderator, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    # Map tiles and anything else off this server: the tests run without network.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    base = live_server.url
    proposal = pending_new_actor()
    violations = []
    pages = PUBLIC_PAGES + [
        ("follow", proposal.get_follow_url(), None),
        ("login", "/connexion/", None),
    ]
    for name, path, drawn in pages:
        violations += check(page, base, viewport, name, path, drawn)
        if name == "home" and viewport == "phone":
            # The filters, in their drawer.
            page.get_by_role("button", name=re.compile("^Filtres")).click()
            expect(page.get_by_role("button", name="Fermer")).to_be_focused()
            page.screenshot(path=ARTIFACTS / "issue12-home-filters-phone.png")
            violations += [dict(v, page="home-filters") for v in page.evaluate(RUN_AXE)]

    page.get_by_label("Nom d'utilisateur").fill(moderator.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Modération des propositions")).to_be_visible()
    moderation_pages = [
        ("moderation-queue", "/moderation/", None),
        ("moderation-review", proposal.get_absolute_url(), None),
        ("history", "/acteurs/archipel/historique/", None),
        ("import", "/donnees/import/", None),
    ]
    for name, path, drawn in moderation_pages:
        violations += check(page, base, viewport, name, path, drawn)

    assert not violations, f"{len(violations)} axe violations:\n{report(violations)}"
