"""What the browser journeys share: where screenshots go, and opening a page until its script
says it is drawn."""

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def open_drawn(page: Page, url: str, drawn: str) -> Locator:
    """Go to `url` and wait for `drawn`, the selector of what its script marks once drawn
    ("#explore-map[data-markers]", "#network[data-ready]")."""
    page.goto(url)
    element = page.locator(drawn)
    expect(element).to_be_attached()
    return element


DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def both_sizes(page: Page, name: str, show: Locator | None = None, issue: int = 13) -> None:
    """Screenshots of the page at desktop and phone sizes, test-results/issue<issue>-<name>-….png,
    to look at: the whole page, or the part `show` scrolled into view."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        if show is not None:
            show.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"issue{issue}-{name}-{size}.png", full_page=show is None)
    page.set_viewport_size(DESKTOP)
