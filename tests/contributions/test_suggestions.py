"""Actor names suggested as a contributor types (partner and parent fields), instead of a list of
every actor in the form: the form stays small at any size, the suggestions stay public-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, Lifecycle
from contributions.models import Contribution
from tests.factories import make_actor, pending_new_actor

from .helpers import actor_form_data, suggestions, with_relation

pytestmark = pytest.mark.django_db

URL = "/acteurs/suggestions.json"
ARCHIPEL = "Préfecture de la région Auvergne-Rhône-Alpes - Laboratoire Archipel"
PUBLIC_KEYS = {
    "value",
    "label",
    "name",
    "short_name",
    "slug",
    "commune",
    "type_label",
    "disappeared",
}


def suggest(client, text: str) -> list[dict]:
    return suggestions(client, URL, text)


def names(results: list[dict]) -> list[str]:
    return [r["name"] for r in results]


def test_names_that_start_with_the_text_come_first(client):
    results = suggest(client, "archip")
    assert results[0] == {
        "value": "Archipel",
        "label": "Cellule publique d'innovation, Lyon",
        "name": ARCHIPEL,
        "short_name": "Archipel",
        "slug": "archipel",
        "commune": Actor.objects.get(slug="archipel").commune_name,
        "type_label": str(Actor.objects.get(slug="archipel").get_type_display()),
        "disappeared": False,
    }
    # A disappeared actor is suggested too (a relation to it can be legitimate), flagged.
    gone = [r for r in results if r["slug"] == "reseau-facilitateurs-archipel"]
    assert gone and gone[0]["disappeared"] is True
    assert all(set(r) == PUBLIC_KEYS for r in results)


def test_order_is_name_start_then_name_inside_then_other_matches(client):
    make_actor(name="Atelier des abeilles", missions="Anime la Zorglubière du quartier.")
    make_actor(name="La Zorglubière numérique")
    make_actor(name="Zorglubière de Vénissieux")
    make_actor(name="Ville de Givors - Zorglub", short_name="Zorglub de Givors")
    results = names(suggest(client, "zorglub"))
    assert results == [
        # Its usual name, "Zorglub de Givors", starts with the text (and sorts first).
        "Ville de Givors - Zorglub",
        "Zorglubière de Vénissieux",
        "La Zorglubière numérique",
        "Atelier des abeilles",
    ]


def test_accents_and_case_do_not_matter(client):
    make_actor(name="École des territoires innovants")
    assert "École des territoires innovants" in names(suggest(client, "ecole des terr"))
    assert names(suggest(client, "PRÉFECTURE")) == names(suggest(client, "prefecture"))
    assert ARCHIPEL in names(suggest(client, "prefecture de la region auvergne"))


def test_at_most_twenty(client):
    for n in range(30):
        make_actor(name=f"Fabrique zéphyrine {n:02}")
    results = suggest(client, "fabrique zephyrine")
    assert len(results) == 20
    assert names(results) == [f"Fabrique zéphyrine {n:02}" for n in range(20)]


@pytest.mark.parametrize("text", ["", "a", " é ", "-"])
def test_less_than_two_characters_suggests_nothing(client, text):
    assert suggest(client, text) == []


def test_pending_proposals_and_emails_are_never_suggested(client):
    pending_new_actor(name="Archipel clandestin en attente", type="autre")
    for text in ("clandestin", "archipel", "camille", "example.org"):
        response = client.get(URL, {"q": text}).content.decode()
        assert "clandestin" not in response
        assert "@" not in response


def test_two_queries_whatever_the_number_of_matches(client):
    """The matches, and the names of the map (what each suggestion fills: actors.names)."""
    make_actor(name="Maison quokka 1")
    with CaptureQueriesContext(connection) as few:
        assert len(suggest(client, "maison quokka")) == 1
    for n in range(2, 41):
        make_actor(name=f"Maison quokka {n}", lifecycle=Lifecycle.DISPARU)
    with CaptureQueriesContext(connection) as many:
        assert len(suggest(client, "maison quokka")) == 20
    assert len(few) == len(many) == 2


def test_the_form_does_not_list_every_actor(client):
    before = client.get("/contribuer/").content.decode()
    assert ARCHIPEL not in before
    for n in range(500):
        make_actor(name=f"Acteur ajouté pour la taille {n}", latitude=None, longitude=None)
    after = client.get("/contribuer/").content.decode()
    assert "Acteur ajouté pour la taille" not in after
    assert abs(len(after.encode()) - len(before.encode())) < 100


def test_each_actor_field_has_its_own_list_and_the_suggestions_address(client):
    page = client.get("/contribuer/").content.decode()
    for field_id in [
        "id_acteur-parent",
        "id_relations-0-partner",
        "id_relations-1-partner",
        "id_relations-2-partner",
    ]:
        assert f'list="{field_id}-suggestions"' in page
        assert f'<datalist id="{field_id}-suggestions"></datalist>' in page
    assert page.count(f'data-suggest-url="{URL}"') == 4
    assert "js/actor_suggest" in page


def test_typed_names_are_still_resolved_without_javascript(client):
    """What a browser without the script sends: the partner's and parent's names as typed."""
    archipel = Actor.objects.get(slug="archipel")
    data = with_relation(actor_form_data(**{"acteur-parent": ARCHIPEL}), archipel)
    assert client.post("/contribuer/", data).status_code == 302
    proposed = Contribution.objects.get().proposed
    assert proposed["actor"]["parent"] == "archipel"
    assert proposed["relations"][0]["target"] == "archipel"

    # The slug is accepted too; an unknown name is explained.
    data = actor_form_data(
        **{"acteur-name": "Collectif zorglub de Moulins", "acteur-parent": "Archip"}
    )
    page = client.post("/contribuer/", data).content.decode()
    assert "Aucun acteur de la carte ne porte ce nom" in page
    data = actor_form_data(
        **{"acteur-name": "Collectif zorglub de Moulins", "acteur-parent": "archipel"}
    )
    assert client.post("/contribuer/", data).status_code == 302
