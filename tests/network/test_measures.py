"""Network measures: by hand on a small graph, cached per data version, ranks on the card."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from network import measures
from relations.models import Relation, RelationType
from tests.factories import make_actor, make_relation
from tips_map.models import DataVersion

pytestmark = pytest.mark.django_db

COLLABORATION = RelationType.COLLABORATION
INFORMATION = RelationType.PARTAGE_INFORMATION
SERVICE = RelationType.PRESTATION_SERVICE


@pytest.fixture
def small_graph():
    """A–B (collaboration and information sharing), A–C, B–C (information), C→D (service),
    D–E, and F isolated:

        A ─ B
         \\ /
          C ─ D ─ E        F
    """
    a, b, c, d, e, f = (make_actor(name=f"Petit {x}", slug=f"petit-{x}") for x in "abcdef")
    make_relation(a, b, COLLABORATION)
    make_relation(a, b, INFORMATION)
    make_relation(a, c, COLLABORATION)
    make_relation(b, c, INFORMATION)
    make_relation(c, d, SERVICE)
    make_relation(d, e, COLLABORATION)
    slugs = [x.slug for x in (a, b, c, d, e, f)]
    return measures.measure(slugs, measures.current()["relations"])


def test_degrees_count_every_relation_by_type(small_graph):
    m = small_graph
    # A: A–B twice (collaboration, information) and A–C: 3. E: D–E only. F: none.
    assert m.degree == {
        "petit-a": 3,
        "petit-b": 3,
        "petit-c": 3,
        "petit-d": 2,
        "petit-e": 1,
        "petit-f": 0,
    }
    assert m.degree_by_type["petit-c"] == {
        "partage_information": 1,
        "prestation_service": 1,
        "collaboration": 1,
    }
    assert m.relations == 6 and m.edges == 5  # A–B is one edge of the simple graph


def test_betweenness_by_hand(small_graph):
    # Normalised by (n−1)(n−2)/2 = 10 pairs of other actors (n = 6).
    # C lies on the only shortest paths A–D, A–E, B–D, B–E: 4/10. D on A–E, B–E, C–E: 3/10.
    # A and B are on no shortest path (B–C is direct); E and F on none.
    assert small_graph.betweenness == {
        "petit-a": 0.0,
        "petit-b": 0.0,
        "petit-c": 0.4,
        "petit-d": 0.3,
        "petit-e": 0.0,
        "petit-f": 0.0,
    }


def test_brokerage_is_one_minus_burt_constraint(small_graph):
    b = small_graph.brokerage
    # D: partners C and E, 1/2 each, not linked to each other: constraint 1/4 + 1/4 = 1/2.
    assert b["petit-d"] == 0.5
    # C: partners A, B, D, 1/3 each; A and B are linked: (1/3 + 1/3 · 1/2)² twice + (1/3)²
    # = 1/4 + 1/4 + 1/9 = 11/18, so 7/18.
    assert b["petit-c"] == round(7 / 18, 6)
    # E has a single partner (constraint 1); A's constraint is 145/144 > 1, floored; F isolated.
    assert b["petit-e"] == b["petit-a"] == b["petit-f"] == 0.0


def test_communities_and_density_by_hand(small_graph):
    c = small_graph.community
    # Modularity of {A,B,C},{D,E},{F} with m = 5 edges: (3/5 − (7/10)²) + (1/5 − (3/10)²) = 0.22,
    # better than any other split (all in one: 0).
    assert c["petit-a"] == c["petit-b"] == c["petit-c"]
    assert c["petit-d"] == c["petit-e"] != c["petit-a"]
    assert c["petit-f"] not in {c["petit-a"], c["petit-d"]}
    # The largest community gets the smallest number.
    assert c["petit-a"] < c["petit-d"] < c["petit-f"]
    # 5 edges among 6 actors: 5 / 15.
    assert small_graph.density == round(5 / 15, 6)
    # Collaboration pairs A–B, A–C, D–E: 3 / 15; service C→D: 1 / 15.
    assert small_graph.density_by_relation_type == {
        "partage_information": round(2 / 15, 6),
        "prestation_service": round(1 / 15, 6),
        "collaboration": round(3 / 15, 6),
    }


def test_the_whole_graph_flags_isolated_actors_and_is_deterministic():
    lonely = make_actor(name="Acteur sans relation", slug="acteur-sans-relation")
    first = measures.compute()
    assert first["actors"][lonely.slug]["isolated"] is True
    assert first["actors"][lonely.slug]["degree"] == 0
    second = measures.compute()
    assert [a["community"] for a in first["actors"].values()] == [
        a["community"] for a in second["actors"].values()
    ]
    archipel = first["actors"]["archipel"]
    assert (
        archipel["degree"] == Relation.objects.involving(Actor.objects.get(slug="archipel")).count()
    )
    assert archipel["isolated"] is False


def test_disappeared_actors_are_outside_the_measured_graph():
    bundle = measures.current()
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
    measures.clear_memo()
    first, _ = count_queries(measures.current)
    again, queries = count_queries(measures.current)
    assert queries == 1  # the data version: this process keeps the bundle, no recomputation
    assert again == first
    assert first["measures"]["pending"] is False  # small data: computed by the request itself

    # Another process reads the measures stored in the shared cache instead of computing them.
    measures.clear_memo()
    with monkeypatch.context() as patched:
        patched.setattr(measures, "compute_measures", lambda *a, **k: pytest.fail("computed"))
        assert measures.current() == first
    archipel = Actor.objects.get(slug="archipel")
    lonely = make_actor(name="Nouveau lab", slug="nouveau-lab")
    assert measures.current()["actors"]["nouveau-lab"]["isolated"] is True
    relation = make_relation(lonely, archipel, COLLABORATION)
    after = measures.current()
    assert after["actors"]["nouveau-lab"]["degree"] == 1
    assert after["actors"]["archipel"]["degree"] == first["actors"]["archipel"]["degree"] + 1
    assert relation.pk in {r[0] for r in after["relations"]}
    relation.type = INFORMATION
    relation.save()
    changed = measures.current()
    assert changed["actors"]["nouveau-lab"]["degree_by_type"]["partage_information"] == 1
    relation.delete()
    assert measures.current()["actors"]["nouveau-lab"]["degree"] == 0


def test_a_pending_contribution_does_not_move_the_measures():
    from tests.contributions.test_never import pending

    before = DataVersion.key()
    bundle = measures.current()
    pending()
    assert DataVersion.key() == before
    assert measures.current() is bundle  # kept, not rebuilt


def test_territory_figures_match_the_database():
    bundle = measures.current()
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
    bundle = measures.current()
    ranked = bundle["rankings"]["auvergne-rhone-alpes"]
    keys = [
        (-ranked["betweenness"][s], -ranked["degree"][s], bundle["actors"][s]["sort_name"])
        for s in ranked["ranking"]
    ]
    assert keys == sorted(keys)
    assert len(ranked["ranking"]) == bundle["figures"]["auvergne-rhone-alpes"]["actors"]


def test_the_card_says_where_the_actor_stands(client):
    bundle = measures.current()
    archipel = Actor.objects.select_related("territory").get(slug="archipel")
    standing = measures.standing(archipel, bundle)
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
    bundle = measures.current()
    territory = measures.territory_of_level(
        bundle["actors"]["zz-chaine-b"]["path"], "epci", bundle["by_path"]
    )
    ranking = bundle["rankings"][territory["slug"]]["ranking"]
    assert ranking.index("zz-chaine-b") < ranking.index("zz-chaine-a")
    assert ranking.index("zz-chaine-a") < ranking.index("zz-chaine-c")  # tie: by name


def test_betweenness_is_estimated_deterministically_on_large_graphs(monkeypatch):
    import networkx as nx

    from network import measures

    graph = nx.path_graph(12)
    exact = measures.betweenness_centrality(graph)
    monkeypatch.setattr(measures, "EXACT_BETWEENNESS_LIMIT", 5)
    monkeypatch.setattr(measures, "BETWEENNESS_SAMPLE", 6)
    first, second = measures.betweenness_centrality(graph), measures.betweenness_centrality(graph)
    assert first == second  # the same sample every time
    assert first != exact  # a sample, not the exact figure
    assert max(first, key=first.get) in {5, 6}  # the middle of the path stays the most central
