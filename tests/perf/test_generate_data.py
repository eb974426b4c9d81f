import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F, Q

from actors.management.commands.generate_data import RELATION_MIX, report_mix
from actors.models import Actor
from relations.models import DIRECTED_TYPES, Relation
from territories.models import Level

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


def shares(counter: Counter) -> dict:
    total = sum(counter.values())
    return {k: v / total for k, v in counter.items()}


def test_generates_the_reports_mix_with_the_constraints_held():
    before = Actor.objects.count(), Relation.objects.count()
    generate("--actors", "600", "--relations", "1200", "--seed", "7")
    actors = Actor.objects.filter(slug__startswith="gen-")
    assert actors.count() == 600
    relations = Relation.objects.filter(source__slug__startswith="gen-")
    assert relations.count() == 1200
    assert (Actor.objects.count(), Relation.objects.count()) == (before[0] + 600, before[1] + 1200)

    expected = shares(report_mix()["type"])
    got = shares(Counter(actors.values_list("type", flat=True)))
    for actor_type, share in expected.items():
        assert abs(got.get(actor_type, 0) - share) < 0.06, actor_type
    expected = shares(Counter({str(k): v for k, v in RELATION_MIX.items()}))
    got = shares(Counter(relations.values_list("type", flat=True)))
    for kind, share in expected.items():
        assert abs(got.get(kind, 0) - share) < 0.04, kind

    # Placed in communes, at their town hall give or take the jitter, with the derived fields.
    assert not actors.filter(Q(territory__isnull=True) | Q(latitude__isnull=True)).exists()
    assert set(actors.values_list("territory__level", flat=True)) == {Level.COMMUNE}
    assert not actors.filter(sort_name="").exists()
    for actor in actors.select_related("territory")[:50]:
        assert actor.territory.path.count("/") >= 3  # région/département/commune at least
        assert actor.territory.parent.level in (Level.DEPARTEMENT, Level.EPCI)
        assert actor.commune_name == actor.territory.name
    # Symmetric relations stored once, smaller id first; no (pair, type) twice; none to itself.
    symmetric = relations.exclude(type__in=DIRECTED_TYPES)
    assert not symmetric.filter(source__gte=F("target")).exists()
    pairs = [
        (min(s, t), max(s, t), k) for s, t, k in relations.values_list("source", "target", "type")
    ]
    assert len(pairs) == len(set(pairs))
    # With their history, so the caches' data version moves.
    assert Actor.history.filter(slug__startswith="gen-").count() == 600
    assert Relation.history.filter(id__in=relations.values("id")).count() == 1200


def test_is_deterministic_and_clear_removes_only_generated_data():
    report_actors = set(Actor.objects.values_list("slug", flat=True))
    report_relations = Relation.objects.count()
    history = Actor.history.count(), Relation.history.count()
    generate("--actors", "50", "--relations", "80", "--seed", "3")
    first = list(Actor.objects.filter(slug__startswith="gen-").values_list("slug", "latitude"))
    assert "Removed 50 generated actors, 80 relations" in generate("--clear")
    assert set(Actor.objects.values_list("slug", flat=True)) == report_actors
    assert Relation.objects.count() == report_relations
    assert (Actor.history.count(), Relation.history.count()) == history
    assert "Removed 0" in generate("--clear")  # idempotent
    generate("--clear", "--actors", "50", "--relations", "80", "--seed", "3")
    again = list(Actor.objects.filter(slug__startswith="gen-").values_list("slug", "latitude"))
    assert sorted(again) == sorted(first)


def test_generates_ten_thousand_actors_and_thirty_thousand_relations():
    # The time it takes is the benchmark's business (bench/README.md): here, that the generator
    # still finds enough distinct pairs and communes at the scale the benchmark uses.
    generate("--actors", "10000", "--relations", "30000", "--seed", "1")
    assert Actor.objects.filter(slug__startswith="gen-").count() == 10000
    assert Relation.objects.filter(source__slug__startswith="gen-").count() == 30000
