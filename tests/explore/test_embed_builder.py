"""GET /integrer-la-carte/: the embed generator builds the address and the code of the options."""

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.django_db

URL = "/integrer-la-carte/"


def iframe_code(page: str) -> str:
    """The code to copy, as the textarea shows it."""
    return html.unescape(
        re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    )


def attributes(code: str) -> dict:
    """The attributes of the code's <iframe>, unescaped as a browser reads them."""
    assert code.startswith("<iframe ") and code.endswith("></iframe>")
    return {k: html.unescape(v) for k, v in re.findall(r'(\w+)="([^"]*)"', code)}


def test_the_default_code_is_the_whole_map_on_plan_ign(client):
    page = client.get(URL).content.decode()
    code = attributes(iframe_code(page))
    assert code["src"] == "http://testserver/integrer/?fond=ign"
    assert (code["width"], code["height"]) == ("100%", "520")
    assert code["loading"] == "lazy" and code["style"] == "border:0" and code["title"]
    preview = re.search(
        r'<iframe id="embed-preview" src="([^"]*)" width="([^"]*)" height="(\d+)"', page
    )
    assert html.unescape(preview.group(1)) == code["src"]


def test_the_code_has_exactly_the_chosen_options(client):
    query = (
        "q=lab&territoire=puy-de-dome&type=cellule_innovation&type=intermediation&disparus=on"
        "&fond=aucun&legende=0&largeur=fixe&largeur_px=640&hauteur=400&vue=45,3,9"
    )
    code = iframe_code(client.get(f"{URL}?{query}").content.decode())
    assert "&amp;" in code and "&type" not in code  # the address is escaped in the attribute
    src = attributes(code)["src"]
    assert urlsplit(src).path == "/integrer/"
    assert parse_qsl(urlsplit(src).query) == [
        ("q", "lab"),
        ("type", "cellule_innovation"),
        ("type", "intermediation"),
        ("territoire", "puy-de-dome"),
        ("disparus", "on"),
        ("fond", "aucun"),
        ("legende", "0"),
    ]  # the map's view, largeur and hauteur are not the embed's parameters
    assert (attributes(code)["width"], attributes(code)["height"]) == ("640", "400")
    shown = client.get(f"{URL}?fond=osm&legende=1").content.decode()
    assert parse_qsl(urlsplit(attributes(iframe_code(shown))["src"]).query) == [("fond", "osm")]


def test_a_search_cannot_break_out_of_the_code(client):
    search = '"><script>alert(1)</script>\' onload="x'
    page = client.get(URL, {"q": search}).content.decode()
    code = iframe_code(page)
    assert "<script" not in code and 'onload="' not in code
    src = attributes(code)["src"]
    assert dict(parse_qsl(urlsplit(src).query))["q"] == search
    assert "<script>alert" not in page  # nor out of the page


def test_wrong_options_are_told_and_the_code_keeps_valid_ones(client):
    page = client.get(
        URL, {"hauteur": "50", "fond": "satellite", "type": "licorne"}
    ).content.decode()
    assert page.count('class="field-error"') == 3
    assert 'value="50"' in page  # what was typed stays in its field
    code = attributes(iframe_code(page))
    assert code["height"] == "520" and code["src"].endswith("/integrer/?fond=ign")


def test_the_home_map_and_the_data_page_link_to_the_generator(client):
    home = client.get("/?type=prestataire").content.decode()
    assert 'href="/integrer-la-carte/?type=prestataire"' in home
    assert 'href="/integrer-la-carte/"' in client.get("/donnees/").content.decode()
