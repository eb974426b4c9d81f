"""The partner and parent fields take the names the map shows ("Archipel", "Dre'Lab", an
acronym, a slug), ignoring case, accents and punctuation; a name two actors share asks which
one; suggestions fill the field with a name that designates one actor alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from contributions.models import Contribution
from tests.factories import make_actor, pending_new_actor

from .helpers import actor_form_data, suggestions

pytestmark = pytest.mark.django_db

URL = "/acteurs/suggestions.json"
AMBIGUOUS = "Plusieurs acteurs de la carte portent ce nom"
UNKNOWN = "Aucun acteur de la carte ne porte ce nom"


def propose_with(client, partner: str = "", parent: str = ""):
    data = actor_form_data(
        **{
            "acteur-parent": parent,
            "relations-0-partner": partner,
            "relations-0-type": "collaboration" if partner else "",
            "relations-0-direction": "sortante",
        }
    )
    return client.post("/contribuer/", data)


def twin_fabriques():
    """Two actors known by the same usual name."""
    riom = make_actor(
        name="Ville de Riom - Fabrique zorglub", short_name="La Fabrique", commune_name="Riom"
    )
    thiers = make_actor(
        name="Ville de Thiers - Fabrique zorglub",
        short_name="La Fabrique",
        commune_name="Thiers",
        type="intermediation",
    )
    return riom, thiers


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Archipel", "archipel"),
        ("archipel", "archipel"),
        ("  ARCHIPEL ", "archipel"),
        ("Dre'Lab", "dre-lab"),
        ("dre lab", "dre-lab"),
        ("DRE-LAB", "dre-lab"),
        ("DITP", "ditp"),
        ("ditp", "ditp"),
        ("dre-lab", "dre-lab"),
        ("Préfecture de la région Auvergne-Rhône-Alpes - Laboratoire Archipel", "archipel"),
        ("prefecture de la region auvergne-rhone-alpes - laboratoire archipel", "archipel"),
        ("Archipel — Cellule publique d'innovation, Lyon", "archipel"),
    ],
)
def test_names_people_know_designate_the_actor(typed, slug):
    assert [actor.slug for actor in Actor.objects.named(typed)] == [slug]


def test_partner_and_parent_typed_as_the_map_shows_them(client):
    response = propose_with(client, partner="Dre'Lab", parent="archipel")
    assert response.status_code == 302
    proposed = Contribution.objects.get().proposed
    assert proposed["actor"]["parent"] == "archipel"
    assert proposed["relations"][0]["target"] == "dre-lab"


def test_a_shared_name_asks_which_one_listing_the_candidates(client):
    twin_fabriques()
    page = propose_with(client, partner="la fabrique").content.decode()
    assert AMBIGUOUS in page
    assert "La Fabrique — Cellule publique d&#x27;innovation, Riom" in page
    assert "La Fabrique — Faiseur d&#x27;intermédiation, Thiers" in page
    # What the person typed is kept, and nothing is proposed.
    assert 'value="la fabrique"' in page
    assert not Contribution.objects.exists()

    # The parent field asks the same way; a full name or a listed label settles it.
    page = propose_with(client, parent="La Fabrique").content.decode()
    assert AMBIGUOUS in page
    assert propose_with(client, parent="Ville de Thiers - Fabrique zorglub").status_code == 302
    assert (
        Contribution.objects.get().proposed["actor"]["parent"]
        == Actor.objects.get(name="Ville de Thiers - Fabrique zorglub").slug
    )
    assert (
        propose_with(
            client, partner="La Fabrique — Cellule publique d'innovation, Riom"
        ).status_code
        == 302
    )


def test_a_full_name_wins_over_another_actors_usual_name():
    real = make_actor(name="Quokkalab")
    make_actor(name="Ville de Vals - Quokkalab", short_name="Quokkalab")
    assert Actor.objects.named("quokkalab") == [real]


def test_an_unknown_name_is_explained_and_kept(client):
    page = propose_with(client, partner="Archip", parent="Zorglub inconnu").content.decode()
    assert page.count(f'<p class="field-error" role="alert">{UNKNOWN}') == 2  # each field
    assert 'value="Archip"' in page
    assert 'value="Zorglub inconnu"' in page
    assert not Contribution.objects.exists()


def test_proposed_actors_are_never_matched_nor_suggested(client):
    pending_new_actor(name="Quokka fantôme en attente", short_name="Quokka fantôme")
    assert Actor.objects.named("Quokka fantôme") == []
    assert UNKNOWN in propose_with(client, partner="Quokka fantôme").content.decode()
    assert suggestions(client, URL, "quokka fantome") == []


def test_suggestions_fill_a_name_that_designates_one_actor(client):
    results = suggestions(client, URL, "archipel")
    assert results[0]["value"] == "Archipel"
    assert results[0]["label"] == "Cellule publique d'innovation, Lyon"
    assert results[0]["slug"] == "archipel"
    # Written without its apostrophe, Dre'Lab comes first, under its usual name.
    first = suggestions(client, URL, "dre lab")[0]
    assert (first["value"], first["slug"]) == ("Dre'Lab", "dre-lab")
    assert suggestions(client, URL, "DITP")[0]["slug"] == "ditp"

    # A shared usual name: each suggestion fills its own label, which the form resolves.
    riom, thiers = twin_fabriques()
    shared = {r["slug"]: r for r in suggestions(client, URL, "la fabrique")}
    assert shared[riom.slug]["value"] == "La Fabrique — Cellule publique d'innovation, Riom"
    assert shared[thiers.slug]["value"] == "La Fabrique — Faiseur d'intermédiation, Thiers"
    for result in shared.values():
        assert [a.slug for a in Actor.objects.named(result["value"])] == [result["slug"]]


def test_query_counts_stay_flat(client):
    twin_fabriques()
    with CaptureQueriesContext(connection) as few:
        suggestions(client, URL, "fabrique zorglub")
    for n in range(30):
        make_actor(name=f"Fabrique zorglub {n}", short_name="La Fabrique")
    with CaptureQueriesContext(connection) as many:
        assert len(suggestions(client, URL, "fabrique zorglub")) == 20
    assert len(few) == len(many) == 2
    with CaptureQueriesContext(connection) as lookup:
        assert len(Actor.objects.named("la fabrique")) == 32
    assert len(lookup) == 2
