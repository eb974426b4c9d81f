"""Communes suggested as a contributor types in the form's commune picker, instead of a list of
every commune in the form: the form stays small at any size (35,000 communes in France)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from territories.models import Level, Territory
from territories.names import name_pattern
from tests.contributions.helpers import suggestions

pytestmark = pytest.mark.django_db

URL = "/territoires/communes.json"
CLERMONT = {
    "name": "Clermont-Ferrand",
    "code": "63113",
    "lat": 45.779493,
    "lon": 3.086121,
    "label": "Clermont-Ferrand (63113)",
}


def suggest(client, text: str) -> list[dict]:
    return suggestions(client, URL, text)


def labels(results: list[dict]) -> list[str]:
    return [r["label"] for r in results]


def commune(name: str, code: str, **fields) -> Territory:
    values = {"slug": f"commune-{code.lower()}", "center_latitude": 45.0, "center_longitude": 3.0}
    values.update(fields)
    return Territory.objects.create(level=Level.COMMUNE, name=name, code=code, **values)


def test_a_commune_comes_with_its_centre_and_label(client):
    assert suggest(client, "clermont") == [CLERMONT]


@pytest.mark.parametrize("text", ["clermont", "CLERMONT", "ClérMont", "  clermont-fer", "Cler"])
def test_accents_case_and_spaces_do_not_matter(client, text):
    assert suggest(client, text) == [CLERMONT]


def test_accented_names_and_separators(client):
    commune("Cœuvres-et-Valsery", "02209")
    assert labels(suggest(client, "ecully")) == ["Écully (69081)"]
    assert labels(suggest(client, "ÉCULLY")) == ["Écully (69081)"]
    # Hyphens, spaces and apostrophes are alike; a ligature is its two letters.
    assert labels(suggest(client, "saint etienne")) == ["Saint-Étienne (42218)"]
    assert labels(suggest(client, "coeuvres")) == ["Cœuvres-et-Valsery (02209)"]


def test_names_that_start_with_the_text_come_first(client):
    commune("Pont-Saint-Esprit", "30202")
    commune("Saint-Amant-Tallende", "63315")
    results = labels(suggest(client, "saint"))
    starting = {"Saint-Amant-Tallende (63315)", "Saint-Gervais-sous-Meymont (63355)"}
    starting.add("Saint-Étienne (42218)")
    assert set(results[:3]) == starting
    assert results[3:] == ["Pont-Saint-Esprit (30202)"]
    # A word inside the name matches too ("ferrand"), not the middle of a word ("mont").
    assert labels(suggest(client, "ferrand")) == ["Clermont-Ferrand (63113)"]
    assert suggest(client, "ermont") == []


def test_the_insee_code_prefix_matches(client):
    assert suggest(client, "63113") == [CLERMONT]
    assert labels(suggest(client, "63")) == [
        "Aydat (63026)",
        "Clermont-Ferrand (63113)",
        "Saint-Gervais-sous-Meymont (63355)",
    ]
    commune("Ajaccio", "2A004")
    assert labels(suggest(client, "2a0")) == ["Ajaccio (2A004)"]
    # A picked label, edited, still finds its commune.
    assert suggest(client, "Clermont-Ferrand (631") == [CLERMONT]
    assert suggest(client, "Clermont-Ferrand (63113)") == [CLERMONT]
    assert suggest(client, "Clermont-Ferrand (69") == []


def test_at_most_twenty(client):
    for n in range(30):
        commune(f"Zéphyrville-{n:02}", f"99{n:03}")
    results = suggest(client, "zephyrville")
    assert len(results) == 20
    assert labels(results) == [f"Zéphyrville-{n:02} (99{n:03})" for n in range(20)]


@pytest.mark.parametrize("text", ["", "a", " é ", "-", "6", "--", "(6"])
def test_less_than_two_characters_suggests_nothing(client, text):
    assert suggest(client, text) == []


def test_a_commune_without_a_centre_is_not_suggested(client):
    commune("Zéphyrville-sans-centre", "99999", center_latitude=None, center_longitude=None)
    assert suggest(client, "zephyrville") == []


def test_one_query_whatever_the_number_of_matches(client):
    commune("Quokkaville 1", "98001")
    with CaptureQueriesContext(connection) as few:
        assert len(suggest(client, "quokkaville")) == 1
    for n in range(2, 41):
        commune(f"Quokkaville {n}", f"98{n:03}")
    with CaptureQueriesContext(connection) as many:
        assert len(suggest(client, "quokkaville")) == 20
    with CaptureQueriesContext(connection) as by_code:
        assert len(suggest(client, "98")) == 20
    assert len(few) == len(many) == len(by_code) == 1


@pytest.mark.parametrize(
    "folded, name",
    [
        ("clermont", "Clermont-Ferrand"),
        ("saint genes c", "Saint-Genès-Champanelle"),
        ("l isle", "L'Isle-d'Abeau"),
        ("l isle", "L’Isle-d’Abeau"),
        ("coeur", "Cœur de Causse"),
        ("oyonnax", "Oyonnax"),
        ("ecully", "ÉCULLY"),
    ],
)
def test_the_pattern_reads_the_same_in_python(folded, name):
    """SQLite's REGEXP is Python's `re`: the same expression matches there."""
    assert re.match(name_pattern(folded), name)


def test_the_form_does_not_list_every_commune(client):
    before = client.get("/contribuer/").content.decode()
    assert "Clermont-Ferrand (63113)" not in before
    assert 'data-communes-url="/static/data/communes.json"' in before
    Territory.objects.bulk_create(
        Territory(
            level=Level.COMMUNE,
            name=f"Commune ajoutée pour la taille {n}",
            slug=f"commune-ajoutee-{n}",
            code=f"97{n:03}",
            path=f"97{n:03}/",
            center_latitude=45.0,
            center_longitude=3.0,
        )
        for n in range(500)
    )
    after = client.get("/contribuer/").content.decode()
    assert "Commune ajoutée pour la taille" not in after
    assert abs(len(after.encode()) - len(before.encode())) < 100
    assert len(suggest(client, "commune ajoutee pour la taille")) == 20
