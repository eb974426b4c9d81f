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
