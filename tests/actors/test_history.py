"""Every change is recorded (who, when, what, why) and any version can be restored."""

import pytest

from actors.models import Actor
from relations.models import Relation, RelationType
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db


def edit_in_admin(client, actor, **changes):
    """Post the admin change form as a chair admin would, with only `changes` altered."""
    data = {
        "name": actor.name,
        "short_name": actor.short_name,
        "slug": actor.slug,
        "acronym": actor.acronym,
        "type": actor.type,
        "status": actor.status,
        "scope": actor.scope,
        "missions": actor.missions,
        "commune_name": actor.commune_name,
        "address": actor.address,
        "country": actor.country,
        "latitude": actor.latitude,
        "longitude": actor.longitude,
        "location_precision": actor.location_precision,
        "website": actor.website,
        "lifecycle": actor.lifecycle,
        "provenance": actor.provenance,
        "provenance_detail": actor.provenance_detail,
        "report_lines": actor.report_lines,
    }
    for prefix in ("contacts", "relations_as_source", "relations_as_target"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return client.post(f"/admin/actors/actor/{actor.pk}/change/", data)


def test_an_admin_edit_records_who_changed_what(superuser_client, superuser):
    actor = make_actor(name="Labo des territoires", missions="Accompagner")
    response = edit_in_admin(
        superuser_client,
        actor,
        missions="Accompagner et former",
        lifecycle="disparu",
        ended_year=2022,
        change_reason="Fermeture annoncée par l'acteur",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest, previous = actor.history.all()[:2]
    assert latest.history_user == superuser
    assert latest.history_change_reason == "Fermeture annoncée par l'acteur"
    delta = latest.diff_against(previous)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    assert changed["missions"] == ("Accompagner", "Accompagner et former")
    assert changed["lifecycle"] == ("actif", "disparu")
    assert "name" not in changed


def test_the_history_page_lists_the_changes(superuser_client):
    actor = make_actor(name="Labo historique")
    edit_in_admin(superuser_client, actor, name="Labo historique renommé")
    page = superuser_client.get(f"/admin/actors/actor/{actor.pk}/history/").content.decode()
    assert "Labo historique renommé" in page
    assert "Modification dans l&#x27;administration" in page
    assert actor.history.count() == 2


def test_a_chair_admin_restores_an_earlier_version(superuser_client):
    actor = make_actor(name="Nom d'origine", website="https://exemple.fr/")
    edit_in_admin(superuser_client, actor, name="Nom erroné", website="")
    original = actor.history.earliest()
    form = superuser_client.get(f"/admin/actors/actor/{actor.pk}/history/{original.pk}/")
    assert form.status_code == 200
    data = dict(form.context["adminform"].form.initial)
    data = {k: ("" if v is None else v) for k, v in data.items() if k != "secondary_types"}
    for prefix in ("contacts", "relations_as_source", "relations_as_target"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = superuser_client.post(f"/admin/actors/actor/{actor.pk}/history/{original.pk}/", data)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.website) == ("Nom d'origine", "https://exemple.fr/")
    # The restoration is itself a change in the history, never a rewrite of it.
    assert actor.history.count() == 3


def test_relations_are_versioned_including_their_deletion():
    first, second = make_actor(), make_actor()
    relation = make_relation(first, second, RelationType.COLLABORATION, description="Projet A")
    relation.description = "Projet A puis B"
    relation._change_reason = "Précision apportée par l'acteur"
    relation.save()
    relation_id = relation.pk
    relation.delete()
    records = Relation.history.filter(id=relation_id).order_by("history_date")
    assert [r.history_type for r in records] == ["+", "~", "-"]
    assert records[1].history_change_reason == "Précision apportée par l'acteur"
    assert records[1].description == "Projet A puis B"


def test_loading_the_report_records_its_reason():
    archipel = Actor.objects.get(slug="archipel")
    assert archipel.history.earliest().history_change_reason.startswith(
        "Chargement des données du rapport"
    )
