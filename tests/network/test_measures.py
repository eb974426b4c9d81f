"""Network measures of the data: cached per data version, figures, ranks on the card (the graph
mathematics by hand: test_graph.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from network import bundle as network_bundle
from network import graph
from relations.models import Relation, RelationType
from tests.factories import make_actor, make_relation
from tests.network.test_graph import RELATION_TYPES, SMALL_NODES, SMALL_RELATIONS
from tips_map.models import DataVersion

pytestmark = pytest.mark.django_db

COLLABORATION = RelationType.COLLABORATION
INFORMATION = RelationType.PARTAGE_INFORMATION
SERVICE = RelationType.PRESTATION_SERVICE


def test_the_bundle_relations_measure_as_the_hand_made_graph():
    """The small graph of tests/network/test_graph.py, made in the database: its relations, as
    the bundle reads them, give the measures checked there by hand."""
    a, b, c, d, e, f = (make_actor(name=f"Petit {x}", slug=f"petit-{x}") for x in "abcdef")
    make_relation(a, b, COLLABORATION)
    make_relation(a, b, INFORMATION)
    make_relation(a, c, COLLABORATION)
    make_relation(b, c, INFORMATION)
    make_relation(c, d, SERVICE)
    make_relation(d, e, COLLABORATION)
    slugs = [x.slug for x in (a, b, c, d, e, f)]
    measured = graph.measure(slugs, network_bundle.current()["relations"], RelationType.values)
    assert measured == graph.measure(SMALL_NODES, SMALL_RELATIONS, RELATION_TYPES)


def test_the_whole_graph_flags_isolated_actors_and_is_deterministic():
    lonely = make_actor(name="Acteur sans relation", slug="acteur-sans-relation")
    first = network_bundle.compute()
    assert first["actors"][lonely.slug]["isolated"] is True
    assert first["actors"][lonely.slug]["degree"] == 0
    second = network_bundle.compute()
    assert [a["community"] for a in first["actors"].values()] == [
        a["community"] for a in second["actors"].values()
    ]
    archipel = first["actors"]["archipel"]
    assert (
        archipel["degree"] == Relation.objects.involving(Actor.objects.get(slug="archipel")).count()
    )
    assert archipel["isolated"] is False


def test_disappeared_actors_are_outside_the_measured_graph():
    bundle = network_bundle.current()
    gone = Actor.objects.filter(lifecycle="disparu").values_list("slug", flat=True)
    assert gone
    for slug in gone:
        assert bundle["actors"][slug]["community"] == -1
        assert bundle["actors"][slug]["betweenness"] == 0.0
    assert bundle["whole"]["nodes"] == Actor.objects.visible().count()


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return result, len(queries)


def test_the_measures_are_cached_until_a_validated_change(monkeypatch):
    network_bundle.clear_memo()
    first, _ = count_queries(network_bundle.current)
    again, queries = count_queries(network_bundle.current)
    assert queries == 1  # the data version: this process keeps the bundle, no recomputation
    assert again == first
    assert first["measures"]["pending"] is False  # small data: computed by the request itself

    # Another process reads the measures stored in the shared cache instead of computing them.
    network_bundle.clear_memo()
    with monkeypatch.context() as patched:
        patched.setattr(network_bundle, "compute_measures", lambda *a, **k: pytest.fail("computed"))
        assert network_bundle.current() == first
    archipel = Actor.objects.get(slug="archipel")
    lonely = make_actor(name="Nouveau lab", slug="nouveau-lab")
    assert network_bundle.current()["actors"]["nouveau-lab"]["isolated"] is True
    relation = make_relation(lonely, archipel, COLLABORATION)
    after = network_bundle.current()
    assert after["actors"]["nouveau-lab"]["degree"] == 1
    assert after["actors"]["archipel"]["degree"] == first["actors"]["archipel"]["degree"] + 1
    assert relation.pk in {r[0] for r in after["relations"]}
    relation.type = INFORMATION
    relation.save()
    changed = network_bundle.current()
    assert changed["actors"]["nouveau-lab"]["degree_by_type"]["partage_information"] == 1
    relation.delete()
    assert network_bundle.current()["actors"]["nouveau-lab"]["degree"] == 0


def test_a_pending_contribution_does_not_move_the_measures():
    from tests.contributions.test_never import pending

    before = DataVersion.key()
    bundle = network_bundle.current()
    pending()
    assert DataVersion.key() == before
    assert network_bundle.current() is bundle  # kept, not rebuilt


def test_territory_figures_match_the_database():
    bundle = network_bundle.current()
    figures = bundle["figures"]["puy-de-dome"]
    inside = Actor.objects.visible().filter(territory__path__startswith="84/63/")
    assert figures["actors"] == inside.count()
    assert (
        figures["actors_by_type"]["cellule_innovation"]
        == inside.filter(type="cellule_innovation").count()
    )
    live = Relation.objects.filter(source__in=Actor.objects.visible()).filter(
        target__in=Actor.objects.visible()
    )
    involving = live.filter(source__in=inside) | live.filter(target__in=inside)
    internal = live.filter(source__in=inside, target__in=inside)
    assert figures["relations"] == involving.distinct().count()
    assert figures["internal_relations"] == internal.count()
    assert figures["external_links"] == involving.distinct().count() - internal.count()
    pairs = {frozenset(p) for p in internal.values_list("source", "target")}
    n = inside.count()
    assert figures["density"] == round(2 * len(pairs) / (n * (n - 1)), 6)


def test_ranks_follow_betweenness_then_degree_then_name():
    bundle = network_bundle.current()
    ranked = bundle["rankings"]["auvergne-rhone-alpes"]
    keys = [
        (-ranked["betweenness"][s], -ranked["degree"][s], bundle["actors"][s]["sort_name"])
        for s in ranked["ranking"]
    ]
    assert keys == sorted(keys)
    assert len(ranked["ranking"]) == bundle["figures"]["auvergne-rhone-alpes"]["actors"]


def test_the_card_says_where_the_actor_stands(client):
    bundle = network_bundle.current()
    archipel = Actor.objects.select_related("territory").get(slug="archipel")
    standing = network_bundle.standing(archipel, bundle)
    levels = [rank["level"] for rank in standing["ranks"]]
    assert levels[-1] == "region"
    local = standing["ranks"][0]
    ranking = bundle["rankings"][local["territory"]["slug"]]["ranking"]
    assert local["rank"] == ranking.index("archipel") + 1
    assert local["total"] == len(ranking)
    page = client.get("/acteurs/archipel/").content.decode()
    assert "Place dans le réseau" in page
    name = local["territory"]["name"]
    if local["rank"] == 1:
        expected = f"{name}</a> : acteur le plus central (sur {local['total']})"
    else:
        expected = f"{name}</a> : {local['rank']}e acteur le plus central (sur {local['total']})"
    assert expected in page
    assert "Auvergne-Rhône-Alpes</a> : " in page


def test_a_hand_made_territory_ranking():
    """Three new actors in Clermont-Ferrand: the one in the middle of a chain ranks first."""
    clermont = {"latitude": 45.7797, "longitude": 3.0863}
    a = make_actor(name="Zz chaîne A", slug="zz-chaine-a", **clermont)
    b = make_actor(name="Zz chaîne B", slug="zz-chaine-b", **clermont)
    c = make_actor(name="Zz chaîne C", slug="zz-chaine-c", **clermont)
    make_relation(a, b)
    make_relation(b, c)
    bundle = network_bundle.current()
    territory = network_bundle.territory_of_level(
        bundle["actors"]["zz-chaine-b"]["path"], "epci", bundle["by_path"]
    )
    ranking = bundle["rankings"][territory["slug"]]["ranking"]
    assert ranking.index("zz-chaine-b") < ranking.index("zz-chaine-a")
    assert ranking.index("zz-chaine-a") < ranking.index("zz-chaine-c")  # tie: by name
