"""One FilterSet serves the map and the list: each filter with a matching and a non-matching case."""

import pytest

from actors.filters import ActorFilter
from actors.models import Actor
from relations.models import RelationType
from territories.models import Territory
from tests.factories import make_actor, make_metropole_lab, make_relation

pytestmark = pytest.mark.django_db


def slugs(**params) -> set[str]:
    return set(ActorFilter(params, queryset=Actor.objects.all()).qs.values_list("slug", flat=True))


@pytest.fixture
def lab():
    return make_metropole_lab()


def test_search_ignores_accents_and_case(lab):
    assert lab.slug in slugs(q="METROPOLE test")
    assert lab.slug in slugs(q="expérimenter")
    assert lab.slug in slugs(q="limt")
    assert lab.slug in slugs(q="clermont-ferrand")
    assert lab.slug not in slugs(q="grenoble")


def test_search_finds_archipel():
    assert "archipel" in slugs(q="archipel")


def test_a_search_of_several_words_finds_the_actors_having_each_of_them():
    # The report's data: "lyon" and "innovation" are never side by side in one name.
    found = slugs(q="lyon innovation")
    assert {"fabrique-innovation-udl", "rectorat-de-lyon-die"} <= found
    both = {
        actor.slug
        for actor in Actor.objects.visible()
        if "lyon" in actor.search_text and "innovation" in actor.search_text
    }
    assert found == both
    assert found < slugs(q="lyon") and found < slugs(q="innovation")
    assert slugs(q="INNOVATION   Lyon") == found  # any order, case and spaces


def test_every_word_of_a_search_must_match(lab):
    assert lab.slug in slugs(q="limt clermont")  # acronym and commune
    assert lab.slug in slugs(q="numériques métropole")  # missions and name, accents
    assert lab.slug not in slugs(q="limt grenoble")


@pytest.mark.parametrize(
    "value, matches",
    [("cellule_innovation", True), ("intermediation", True), ("prestataire", False)],
)
def test_type_filter_matches_main_or_secondary_type(lab, value, matches):
    assert (lab.slug in slugs(type=[value])) is matches


@pytest.mark.parametrize(
    "territory, matches",
    [
        ("puy-de-dome", True),
        ("clermont-auvergne-metropole", True),
        ("auvergne-rhone-alpes", True),
        ("isere", False),
        ("lyon", False),
    ],
)
def test_territory_filter_works_at_every_level(lab, territory, matches):
    assert Territory.objects.filter(slug=territory).exists()
    assert (lab.slug in slugs(territoire=territory)) is matches


@pytest.mark.parametrize(
    "field, value, other",
    [
        ("portee", "local", "national"),
        ("statut", "collectivite_territoriale", "association"),
        ("cycle", "actif", "naissant"),
    ],
)
def test_choice_filters(lab, field, value, other):
    assert lab.slug in slugs(**{field: [value]})
    assert lab.slug not in slugs(**{field: [other]})


def test_disappeared_actors_are_hidden_unless_asked_for():
    gone = make_actor(slug="labo-disparu-test", lifecycle="disparu")
    assert gone.slug not in slugs()
    assert gone.slug in slugs(disparus="true")
    assert gone.slug in slugs(cycle=["disparu"])
    assert "labo-63" in slugs(disparus="true") and "labo-63" not in slugs()


def test_relation_type_filter(lab):
    partner = make_actor(slug="partenaire-test")
    make_relation(partner, lab, RelationType.PRESTATION_SERVICE)
    assert lab.slug in slugs(relation=["prestation_service"])
    assert partner.slug in slugs(relation=["prestation_service"])
    assert lab.slug not in slugs(relation=["partage_information"])


def test_filters_combine(lab):
    assert lab.slug in slugs(q="metropole", type=["cellule_innovation"], territoire="puy-de-dome")
    assert lab.slug not in slugs(q="metropole", type=["prestataire"], territoire="puy-de-dome")


def test_an_unknown_territory_is_explained_not_ignored(client):
    page = client.get("/acteurs/?territoire=atlantide").content.decode()
    assert "Sélectionnez un choix valide" in page or "Select a valid choice" in page
