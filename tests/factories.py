"""Small builders for test data; names say what the test needs, defaults fill the rest."""

import itertools

from actors.models import Actor, ActorType
from relations.models import Relation, RelationType

_sequence = itertools.count(1)


def make_actor(**fields) -> Actor:
    n = next(_sequence)
    values = {
        "name": f"Acteur de test {n}",
        "slug": f"acteur-de-test-{n}",
        "type": ActorType.CELLULE_INNOVATION,
        "latitude": 45.7677,
        "longitude": 4.8354,
    }
    values.update(fields)
    return Actor.objects.create(**values)


def make_relation(source: Actor, target: Actor, type=RelationType.COLLABORATION, **fields):
    return Relation.objects.create(source=source, target=target, type=type, **fields)
