"""An actor's slug is its card's address: made once, from its name, readable, and never changed."""

import pytest

from actors.models import Actor
from tests.factories import make_moderator, pending_new_actor

pytestmark = pytest.mark.django_db


def test_a_slug_keeps_the_ligatures_of_its_name():
    assert Actor.objects.free_slug("Œuvre sociale") == "oeuvre-sociale"
    assert Actor.objects.free_slug("Cœur de ville ex æquo") == "coeur-de-ville-ex-aequo"


def test_a_validated_new_actor_named_with_a_ligature_has_a_readable_address(client):
    proposal = pending_new_actor(name="Œuvre sociale du Puy")
    proposal.decide(make_moderator(), validate=True)
    actor = Actor.objects.get(name="Œuvre sociale du Puy")
    assert actor.slug == "oeuvre-sociale-du-puy"
    assert client.get("/acteurs/oeuvre-sociale-du-puy/").status_code == 200


def test_an_actor_renamed_keeps_its_slug():
    archipel = Actor.objects.get(slug="archipel")
    archipel.publish({"name": "Œuvre Archipel"}, reason="test")
    archipel.refresh_from_db()
    assert archipel.slug == "archipel"
