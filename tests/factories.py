"""Builders for test data, in one place: actors, relations, proposals, users and API tokens.

Names say what a test needs, defaults fill the rest. The personas built from these (contributor,
staff, moderator, superuser) are fixtures in tests/conftest.py.
"""

import itertools
from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.authtoken.models import Token

from actors.models import Actor, ActorType, ActorTypeEntry, Contact
from contributions.models import NEW, Contribution, Kind, ModerationScope, Status
from relations.models import Relation, RelationType
from territories.models import Level, Territory

_sequence = itertools.count(1)

# Actors and relations ------------------------------------------------------------------------


def actor_values(**fields) -> dict:
    """An actor's fields, unique name and slug, in Lyon: for an Actor not saved yet."""
    n = next(_sequence)
    values = {
        "name": f"Acteur de test {n}",
        "slug": f"acteur-de-test-{n}",
        "type": ActorType.CELLULE_INNOVATION,
        "latitude": 45.7677,
        "longitude": 4.8354,
    }
    values.update(fields)
    return values


def make_actor(**fields) -> Actor:
    return Actor.objects.create(**actor_values(**fields))


def make_relation(source: Actor, target: Actor, type=RelationType.COLLABORATION, **fields):
    return Relation.objects.create(source=source, target=target, type=type, **fields)


def make_metropole_lab(**fields) -> Actor:
    """A lab of Clermont-Ferrand with a value in every filtered field: cellule d'innovation (and
    intermediation as secondary type), local, collectivité territoriale, active, "LIMT"."""
    actor = make_actor(
        name="Laboratoire d'innovation de la Métropole test",
        slug="labo-metropole-test",
        acronym="LIMT",
        type="cellule_innovation",
        scope="local",
        status="collectivite_territoriale",
        missions="Expérimenter des services publics numériques",
        commune_name="Clermont-Ferrand",
        latitude=45.7797,
        longitude=3.0863,
        website="https://lab.example.org/",
        founded_year=2019,
        report_lines="798, 1540",
        **fields,
    )
    actor.secondary_types.add(ActorTypeEntry.objects.get(key="intermediation"))
    Contact.objects.create(actor=actor, name="Dominique Durand", function="Cheffe de projet")
    return actor


# Users ---------------------------------------------------------------------------------------

PASSWORD = "mot-de-passe-solide-42"  # every user's here, for the tests that log in by the form


def make_user(username: str, email: str, **fields) -> User:
    return User.objects.create_user(username, email, PASSWORD, **fields)


def moderators_group() -> Group:
    """The group of the data migration; live-server tests flush it away, so rebuild it then."""
    group = Group.objects.filter(name="Modérateurs").first()
    if group is None:
        migration = import_module("contributions.migrations.0002_create_moderators_group")
        migration.create_group(apps, None)
        group = Group.objects.get(name="Modérateurs")
    return group


def make_moderator(username="modo", email="modo@chaire.example") -> User:
    """A member of Modérateurs. The `moderator` persona is this one; name another for a test
    that needs two moderators, or a moderator with a given address."""
    user = make_user(username, email)
    user.groups.add(moderators_group())
    return user


def make_territory_moderator(
    username="dominique", email="dominique@puy-de-dome.example", departement="63"
) -> User:
    """A territory moderator, of the Puy-de-Dôme by default: the `territory_moderator` persona
    (no group, no permission, a ModerationScope)."""
    user = make_user(username, email)
    scope = ModerationScope.objects.create(user=user)
    scope.territories.add(Territory.objects.get(level=Level.DEPARTEMENT, code=departement))
    return user


def token_for(user) -> Token:
    """The API token of `user` (Authorization: Token …)."""
    return Token.objects.create(user=user)


# Proposals -----------------------------------------------------------------------------------

PROPOSER = "Camille Martin"
PROPOSER_EMAIL = "camille.martin@example.org"
# Every stage of a proposal that publishes nothing: what no public page, API or export may show.
UNPUBLISHED = [Status.AWAITING_CONFIRMATION, Status.PENDING, Status.REFUSED, Status.WITHDRAWN]


def pending_new_actor(
    email: str = PROPOSER_EMAIL,
    contributor: str = PROPOSER,
    contribution_status: Status = Status.PENDING,
    **actor,
) -> Contribution:
    """A new actor proposed and not yet decided (by default "Lab secret en attente", Clermont),
    partner of Archipel: what must never show in a public page, API or export.
    `contribution_status` gives another stage (UNPUBLISHED), dated when refused or withdrawn;
    `actor` overrides the proposed actor's values."""
    values = {
        "name": "Lab secret en attente",
        "type": "cellule_innovation",
        "latitude": 45.77,
        "longitude": 3.08,
        "commune_name": "Clermont-Ferrand",
        "lifecycle": "actif",
        "country": "FR",
        **actor,
    }
    decided = contribution_status in (Status.VALIDATED, Status.REFUSED, Status.WITHDRAWN)
    return Contribution.objects.create(
        kind=Kind.NEW_ACTOR,
        status=contribution_status,
        decided_at=timezone.now() if decided else None,
        actor_label=values["name"],
        contributor_name=contributor,
        contributor_email=email,
        proposed={
            "actor": values,
            "relations": [{"source": NEW, "target": "archipel", "type": "collaboration"}],
        },
    )


def pending_correction(
    actor: Actor, email: str = PROPOSER_EMAIL, contributor: str = PROPOSER, **values
) -> Contribution:
    """A correction of the published `actor` to `values`, waiting for a moderator."""
    return Contribution.objects.create(
        kind=Kind.CORRECTION,
        status=Status.PENDING,
        actor=actor,
        actor_label=actor.name,
        contributor_name=contributor,
        contributor_email=email,
        proposed={"actor": values},
        snapshot=actor.public_values(list(values)),
    )
