"""The database itself refuses an actor that must never exist; forms explain why, in French."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint

from actors.models import Actor
from tests.factories import actor_values, make_actor

pytestmark = pytest.mark.django_db


def refused_by_database(**fields):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make_actor(**fields)
    return str(error.value)


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"latitude": 90.5}, "actor_latitude_in_range"),
        ({"latitude": -91}, "actor_latitude_in_range"),
        ({"longitude": 180.01}, "actor_longitude_in_range"),
        ({"longitude": -200}, "actor_longitude_in_range"),
        ({"latitude": None}, "actor_coordinates_together"),
        ({"founded_year": 2020, "ended_year": 2019}, "actor_ended_after_founded"),
    ],
)
def test_the_database_refuses_an_impossible_actor(fields, constraint):
    assert constraint in refused_by_database(**fields)


def test_the_database_refuses_an_actor_as_its_own_parent():
    actor = make_actor()
    with pytest.raises(IntegrityError, match="actor_not_its_own_parent"), transaction.atomic():
        Actor.objects.filter(pk=actor.pk).update(parent=actor)


def test_the_database_refuses_two_actors_with_one_slug():
    make_actor(slug="archipel-bis")
    assert "actor_unique_slug" in refused_by_database(slug="archipel-bis")


def test_an_actor_at_the_poles_and_the_antimeridian_is_accepted():
    actor = make_actor(latitude=-90, longitude=180, country="AQ")
    assert actor.pk


def test_validation_explains_the_refusal_in_french():
    actor = Actor(
        **actor_values(latitude=123, founded_year=2021, ended_year=2018, lifecycle="disparu")
    )
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    messages = " ".join(error.value.messages)
    assert "La latitude doit être comprise entre -90 et 90." in messages
    assert "L'année de disparition ne peut pas précéder l'année de création." in messages


def test_an_active_actor_cannot_have_an_end_year():
    actor = Actor(**actor_values(ended_year=2020))
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert error.value.message_dict["ended_year"] == [
        "Un acteur actif n'a pas d'année de disparition."
    ]


def test_an_unknown_type_is_refused_by_validation():
    actor = Actor(**actor_values(type="laboratoire"))
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert "type" in error.value.message_dict


# Each check constraint, broken, and the field its rule is said on by Actor.clean.
BROKEN = [
    ({"latitude": 90.5}, "actor_latitude_in_range", "latitude"),
    ({"longitude": -200}, "actor_longitude_in_range", "longitude"),
    ({"latitude": None}, "actor_coordinates_together", "longitude"),
    ({"founded_year": 2020, "ended_year": 2019}, "actor_ended_after_founded", "ended_year"),
    ({"parent": "itself"}, "actor_not_its_own_parent", "parent"),
]


@pytest.mark.parametrize("fields, constraint, field", BROKEN)
def test_clean_says_each_constraint_on_its_field_before_the_database(fields, constraint, field):
    # publish() checks with clean() and leaves the check constraints to the database.
    if fields.get("parent") == "itself":
        actor = make_actor()
        actor.parent = actor
    else:
        actor = Actor(**actor_values(lifecycle="disparu", **fields))
    said = next(c for c in Actor._meta.constraints if c.name == constraint)
    with pytest.raises(ValidationError) as error:
        actor.full_clean(validate_constraints=False)
    assert error.value.message_dict[field] == [str(said.violation_error_message)]


def test_every_check_constraint_of_an_actor_is_said_by_clean():
    checks = {c.name for c in Actor._meta.constraints if isinstance(c, CheckConstraint)}
    assert checks == {constraint for _fields, constraint, _field in BROKEN}
