"""The Django admin as a chair admin uses it: search, filters, relations from the actor."""

import pytest

from actors.models import Actor
from relations.models import Relation, RelationType
from tests.factories import make_actor

pytestmark = pytest.mark.django_db


def listed(response) -> set[str]:
    return {a.slug for a in response.context["cl"].result_list}


def test_search_ignores_accents_and_case(superuser_client):
    make_actor(name="Métropole de Test - Laboratoire", slug="metropole-de-test-labo")
    assert "metropole-de-test-labo" in listed(
        superuser_client.get("/admin/actors/actor/?q=METROPOLE de")
    )
    assert "metropole-de-test-labo" not in listed(
        superuser_client.get("/admin/actors/actor/?q=metro-x")
    )


def test_filters_by_type_lifecycle_and_territory(superuser_client):
    clermont = make_actor(latitude=45.7797, longitude=3.0863, type="intermediation")
    lyon = make_actor(
        latitude=45.7677, longitude=4.8354, type="intermediation", lifecycle="naissant"
    )
    puy_de_dome = clermont.territory.ancestors()[1]
    by_territory = listed(superuser_client.get(f"/admin/actors/actor/?territoire={puy_de_dome.pk}"))
    assert clermont.slug in by_territory and lyon.slug not in by_territory
    by_type = listed(superuser_client.get("/admin/actors/actor/?type__exact=intermediation"))
    assert {clermont.slug, lyon.slug} <= by_type
    assert "archipel" not in by_type
    nascent = listed(superuser_client.get("/admin/actors/actor/?lifecycle__exact=naissant"))
    assert lyon.slug in nascent and clermont.slug not in nascent


def test_a_relation_is_added_from_the_actor_page(superuser_client):
    actor = make_actor(name="Lab de départ")
    partner = make_actor(name="Partenaire")
    data = {
        "name": actor.name,
        "slug": actor.slug,
        "type": actor.type,
        "country": "FR",
        "latitude": actor.latitude,
        "longitude": actor.longitude,
        "location_precision": "commune",
        "lifecycle": "actif",
        "provenance": "rapport",
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
        "contacts-0-name": "Camille Exemple",
        "contacts-0-function": "Cheffe de projet",
        "contacts-0-position": 0,
        "relations_as_source-TOTAL_FORMS": 1,
        "relations_as_source-INITIAL_FORMS": 0,
        "relations_as_source-0-type": RelationType.PRESTATION_SERVICE,
        "relations_as_source-0-target": partner.pk,
        "relations_as_target-TOTAL_FORMS": 0,
        "relations_as_target-INITIAL_FORMS": 0,
    }
    response = superuser_client.post(f"/admin/actors/actor/{actor.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    relation = Relation.objects.get(source=actor, target=partner)
    assert relation.type == RelationType.PRESTATION_SERVICE
    assert actor.contacts.get().name == "Camille Exemple"


def test_every_admin_page_opens(superuser_client):
    actor = Actor.objects.get(slug="archipel")
    for url in [
        "/admin/",
        "/admin/actors/actor/",
        f"/admin/actors/actor/{actor.pk}/change/",
        f"/admin/actors/actor/{actor.pk}/history/",
        "/admin/relations/relation/",
        "/admin/relations/relation/?q=archipel",
        "/admin/territories/territory/",
        "/admin/territories/territory/?q=saint-etienne",
    ]:
        assert superuser_client.get(url).status_code == 200, url
