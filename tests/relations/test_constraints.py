"""A relation to oneself, or the same relation twice, can never be stored."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from relations.models import Relation, RelationType
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return make_actor(name="Archipel test"), make_actor(name="Dre'Lab test")


def test_the_database_refuses_a_relation_to_oneself(pair):
    actor, _ = pair
    with pytest.raises(IntegrityError, match="relation_not_to_itself"), transaction.atomic():
        Relation.objects.bulk_create(
            [Relation(source=actor, target=actor, type=RelationType.PRESTATION_SERVICE)]
        )


def test_the_database_refuses_the_same_relation_twice(pair):
    first, second = pair
    make_relation(first, second, RelationType.PRESTATION_SERVICE)
    with (
        pytest.raises(IntegrityError, match="relation_unique_per_pair_and_type"),
        transaction.atomic(),
    ):
        Relation.objects.bulk_create(
            [Relation(source=first, target=second, type=RelationType.PRESTATION_SERVICE)]
        )


@pytest.mark.parametrize("kind", [RelationType.COLLABORATION, RelationType.PARTAGE_INFORMATION])
def test_the_database_refuses_a_symmetric_relation_stored_in_both_directions(pair, kind):
    first, second = sorted(pair, key=lambda a: a.pk)
    make_relation(first, second, kind)
    # Written behind the model's back, B–A would duplicate A–B: the database says no.
    with (
        pytest.raises(IntegrityError, match="relation_symmetric_stored_once"),
        transaction.atomic(),
    ):
        Relation.objects.bulk_create([Relation(source=second, target=first, type=kind)])


def test_a_symmetric_relation_is_stored_once_whichever_way_it_is_entered(pair):
    first, second = sorted(pair, key=lambda a: a.pk)
    relation = make_relation(second, first, RelationType.COLLABORATION)
    assert (relation.source, relation.target) == (first, second)
    duplicate = Relation(source=first, target=second, type=RelationType.COLLABORATION)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Cette relation existe déjà entre ces deux acteurs, avec ce type." in str(error.value)


def test_service_provision_keeps_its_direction_and_may_go_both_ways(pair):
    provider, beneficiary = pair
    there = make_relation(provider, beneficiary, RelationType.PRESTATION_SERVICE)
    back = make_relation(beneficiary, provider, RelationType.PRESTATION_SERVICE)
    assert (there.source, there.target) == (provider, beneficiary)
    assert (back.source, back.target) == (beneficiary, provider)


def test_two_types_between_the_same_pair_are_two_relations(pair):
    first, second = pair
    make_relation(first, second, RelationType.COLLABORATION)
    make_relation(first, second, RelationType.PARTAGE_INFORMATION)
    assert Relation.objects.between(first, second).count() == 2


def test_the_database_refuses_a_relation_ending_before_it_starts(pair):
    first, second = sorted(pair, key=lambda a: a.pk)
    with pytest.raises(IntegrityError, match="relation_ends_after_start"), transaction.atomic():
        make_relation(first, second, start_year=2021, end_year=2019)


def test_validation_explains_a_relation_to_oneself_in_french(pair):
    actor, _ = pair
    relation = Relation(source=actor, target=actor, type=RelationType.COLLABORATION)
    with pytest.raises(ValidationError) as error:
        relation.full_clean()
    assert "Un acteur ne peut pas être en relation avec lui-même." in str(error.value)


def test_the_admin_form_shows_why_a_relation_is_refused_and_keeps_the_input(superuser_client, pair):
    actor, _ = pair
    response = superuser_client.post(
        "/admin/relations/relation/add/",
        {
            "source": actor.pk,
            "target": actor.pk,
            "type": "collaboration",
            "description": "Un texte saisi",
            "provenance": "rapport",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un acteur ne peut pas être en relation avec lui-même." in page
    assert "Un texte saisi" in page
    assert not Relation.objects.filter(source=actor, target=actor).exists()


@pytest.mark.parametrize(
    "ends, years, constraint, field",
    [
        ("same", {}, "relation_not_to_itself", "target"),
        ("pair", {"start_year": 2021, "end_year": 2020}, "relation_ends_after_start", "end_year"),
    ],
)
def test_clean_says_each_constraint_on_its_field_before_the_database(
    pair, ends, years, constraint, field
):
    # publish() checks with clean() and leaves the check constraints to the database; the
    # symmetric order is not refused but set right by clean (normalize).
    source, target = pair if ends == "pair" else (pair[0], pair[0])
    relation = Relation(source=source, target=target, type=RelationType.COLLABORATION, **years)
    said = next(c for c in Relation._meta.constraints if c.name == constraint)
    with pytest.raises(ValidationError) as error:
        relation.full_clean(validate_constraints=False)
    assert error.value.message_dict[field] == [str(said.violation_error_message)]


def test_clean_puts_a_symmetric_relation_in_the_order_the_database_requires(pair):
    first, second = sorted(pair, key=lambda a: a.pk)
    relation = Relation(source=second, target=first, type=RelationType.COLLABORATION)
    relation.full_clean(validate_constraints=False)
    assert (relation.source, relation.target) == (first, second)
