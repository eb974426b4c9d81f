"""Above a few hundred actors, no request waits for the costly measures (issue 7, "Fast at any
size"): the current data shows at once, the measures follow from the background, dated."""

import io
import json
import subprocess

import pytest
from django.core.cache import cache
from django.core.management import call_command

from actors.models import Actor
from network import background, graph
from network import bundle as network_bundle
from relations.models import RelationType
from tests.factories import make_actor, make_relation

pytestmark = pytest.mark.django_db

URL = "/reseau/donnees.json"
GENERATED = 600  # with the report's 173 current actors, above network.bundle.SYNC_LIMIT


@pytest.fixture
def cold():
    """A process that has not read the network yet, and no measures stored anywhere."""
    network_bundle.clear_memo()
    cache.delete_many([network_bundle.STATUS_KEY, network_bundle.MEASURES_KEY, background.LOCK_KEY])
    yield
    network_bundle.clear_memo()


@pytest.fixture
def large(cold):
    call_command(
        "generate_data",
        "--actors",
        str(GENERATED),
        "--relations",
        str(3 * GENERATED),
        "--seed",
        "1",
        stdout=io.StringIO(),
    )


@pytest.fixture
def computed(monkeypatch):
    """Counts the computations of the measures (the costly part)."""
    calls = []
    compute = network_bundle.compute_measures

    def counted(*args, **kwargs):
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(network_bundle, "compute_measures", counted)
    return calls


def get_json(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return json.loads(response.content)


def started_in_background(scheduled) -> bool:
    """Whether the request had the bundle's measures computed in the background once committed."""
    return any(
        callback.func is background.start_background_refresh
        and callback.args == (network_bundle.refresh_if_stale,)
        for callback in scheduled
    )


def start_refresh() -> bool:
    """What a request's callback runs once committed."""
    return background.start_background_refresh(network_bundle.refresh_if_stale)


def compute_network(*args) -> str:
    out = io.StringIO()
    call_command("compute_network", *args, stdout=out)
    return out.getvalue()


def test_a_large_network_answers_at_once_and_shows_a_change_at_once(
    client, large, computed, django_capture_on_commit_callbacks
):
    slug = Actor.objects.filter(slug__startswith="gen-", lifecycle="actif").order_by("id")[0].slug
    with django_capture_on_commit_callbacks(execute=False) as scheduled:
        data = get_json(client)
        card = client.get(f"/acteurs/{slug}/").content.decode()
        compare = client.get("/reseau/comparer/").content.decode()
        page = client.get("/reseau/").content.decode()
    # Nothing costly was computed by the requests: they answered with the data and said so.
    assert computed == []
    assert data["counts"]["nodes"] > network_bundle.sync_limit()
    status = data["measures_status"]
    assert status["pending"] is True and status["date"] is None
    assert status["missing"] == sum(1 for n in data["nodes"] if not n["gone"])
    node = next(n for n in data["nodes"] if n["id"] == slug)
    assert node["degree"] == sum(node["degree_by_type"].values())
    assert node["betweenness"] is None and node["brokerage"] is None and node["community"] is None
    assert card.count("<dd>en cours de calcul</dd>") == 2  # betweenness and brokerage
    assert "Intermédiarité, courtage et rangs : calcul en cours." in card
    assert "ses communautés sont en cours de calcul" in compare
    assert "Intermédiarité, courtage et communautés : calcul en cours." in page
    # ... and they had the computation started in the background, once committed.
    assert started_in_background(scheduled)

    assert "Measures stored for every process" in compute_network()
    assert computed == [1]
    data = get_json(client)
    assert data["measures_status"] == {
        "pending": False,
        "date": data["date"],
        "missing": 0,
        "unavailable": False,
    }
    node = next(n for n in data["nodes"] if n["id"] == slug)
    assert isinstance(node["betweenness"], float) and isinstance(node["community"], int)
    card = client.get(f"/acteurs/{slug}/").content.decode()
    assert "acteur le plus central (sur " in card and "en cours de calcul" not in card

    # A validated change: the new actor and its relation show on the next request, with its
    # degree; the measures are those of before, dated, and it has none yet.
    measured = {n["id"]: n["betweenness"] for n in data["nodes"]}
    partner = Actor.objects.get(slug=slug)
    newcomer = make_actor(name="Tout nouveau lab", slug="tout-nouveau-lab")
    relation = make_relation(newcomer, partner, RelationType.COLLABORATION)
    with django_capture_on_commit_callbacks(execute=False) as scheduled:
        after = get_json(client)
        card = client.get("/acteurs/tout-nouveau-lab/").content.decode()
        compare = client.get("/reseau/comparer/").content.decode()
        page = client.get("/reseau/").content.decode()
    assert computed == [1]
    assert started_in_background(scheduled)
    new = next(n for n in after["nodes"] if n["id"] == "tout-nouveau-lab")
    assert new["degree"] == 1 and new["isolated"] is False and new["betweenness"] is None
    assert relation.pk in {e["id"] for e in after["edges"]}
    assert after["counts"]["nodes"] == data["counts"]["nodes"] + 1
    partner_node = next(n for n in after["nodes"] if n["id"] == slug)
    assert partner_node["degree"] == node["degree"] + 1  # degrees are always current
    assert partner_node["betweenness"] == measured[slug]  # betweenness: of the dated measures
    assert after["measures_status"] == {
        "pending": True,
        "date": data["date"],
        "missing": 1,
        "unavailable": False,
    }
    assert "en cours de calcul" in card and "calculés sur les données du" in card
    assert "Communautés calculées sur les données du" in compare
    assert "Intermédiarité, courtage et communautés calculés sur les données du" in page

    compute_network("--if-stale")
    assert computed == [1, 1]
    assert "those of the current data" in compute_network("--if-stale")
    assert computed == [1, 1]
    final = get_json(client)
    assert final["measures_status"]["pending"] is False
    assert next(n for n in final["nodes"] if n["id"] == "tout-nouveau-lab")["betweenness"] == 0.0


def reference_figures(bundle: dict) -> tuple[dict, dict]:
    """The territories' figures and rankings as first written: a full `measure()` of each."""
    actors = bundle["actors"]
    current = {s for s, a in actors.items() if not a["gone"]}
    live = [r for r in bundle["relations"] if r[1] in current and r[2] in current]
    names = {s: a["sort_name"] for s, a in actors.items()}
    figures, rankings = {}, {}
    for slug, territory in bundle["territories"].items():
        if territory["level"] not in network_bundle.RANKED_LEVELS:
            continue
        inside = {s for s in current if actors[s]["path"].startswith(territory["path"])}
        if not inside:
            continue
        sub = graph.measure(inside, live, RelationType.values, with_communities=False)
        involving = [r for r in live if r[1] in inside or r[2] in inside]
        internal = [r for r in involving if r[1] in inside and r[2] in inside]
        figures[slug] = {
            "actors": len(inside),
            "relations": len(involving),
            "internal_relations": len(internal),
            "density": sub.density,
            "isolated": sum(1 for s in inside if sub.degree[s] == 0),
        }
        rankings[slug] = sub.ranking(names)
    return figures, rankings


def test_the_figures_and_rankings_equal_a_full_measure_of_each_territory(large):
    bundle = network_bundle.compute()
    figures, rankings = reference_figures(bundle)
    assert list(bundle["figures"]) == list(figures)
    for slug, expected in figures.items():
        assert {k: bundle["figures"][slug][k] for k in expected} == expected, slug
        assert bundle["rankings"][slug]["ranking"] == rankings[slug], slug
    whole = graph.measure(
        [s for s, a in bundle["actors"].items() if not a["gone"]],
        bundle["relations"],
        RelationType.values,
    )
    assert bundle["whole"]["density"] == whole.density
    assert bundle["whole"]["edges"] == whole.edges
    assert bundle["whole"]["density_by_relation_type"] == whole.density_by_relation_type
    for slug, value in whole.brokerage.items():
        assert bundle["actors"][slug]["brokerage"] == value


def test_the_small_report_is_measured_by_the_request_itself(client, cold, computed):
    data = get_json(client)
    assert data["measures_status"]["pending"] is False and computed == [1]
    make_relation(
        make_actor(name="Lab du jour", slug="lab-du-jour"), Actor.objects.get(slug="archipel")
    )
    data = get_json(client)
    assert data["measures_status"]["pending"] is False and computed == [1, 1]
    node = next(n for n in data["nodes"] if n["id"] == "lab-du-jour")
    assert node["degree"] == 1 and node["betweenness"] == 0.0


def test_the_data_endpoint_revalidates_and_never_serves_stale_bytes(client, cold):
    first = client.get(URL)
    assert client.get(URL, headers={"If-None-Match": first["ETag"]}).status_code == 304
    make_actor(name="Lab suivant", slug="lab-suivant")
    again = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "lab-suivant" in {n["id"] for n in json.loads(again.content)["nodes"]}


class FakePopen:
    started = []

    def __init__(self, command, **kwargs):
        self.command, self.kwargs, self.done = command, kwargs, False
        FakePopen.started.append(self)

    def poll(self):
        return 0 if self.done else None


def test_one_background_computation_at_a_time(monkeypatch, cold, settings):
    settings.TIPS_NETWORK_BACKGROUND = "process"
    FakePopen.started = []
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    assert start_refresh() is True
    child = FakePopen.started[0]
    assert child.command[-3:] == ["compute_network", "--lock", cache.get(background.LOCK_KEY)]
    assert child.kwargs["start_new_session"] is True
    # While it runs, neither this process nor another one starts a second.
    assert start_refresh() is False
    child.done = True
    network_bundle.clear_memo()  # as another process: the lock in the shared cache stops it
    assert start_refresh() is False
    assert len(FakePopen.started) == 1

    # The child computes, stores and unlocks.
    compute_network("--lock", cache.get(background.LOCK_KEY))
    assert cache.get(background.LOCK_KEY) is None
    assert cache.get(network_bundle.STATUS_KEY)["version"] == network_bundle.current_key()
    network_bundle.clear_memo()
    assert start_refresh() is True  # the lock is free again


def test_the_thread_mode_computes_and_unlocks(cold, settings, monkeypatch):
    settings.TIPS_NETWORK_BACKGROUND = "thread"
    assert cache.add(background.LOCK_KEY, "token", background.LOCK_TIMEOUT)
    with monkeypatch.context() as patched:
        patched.setattr(network_bundle, "compute_measures", lambda *a, **k: 1 / 0)
        # What the thread runs, here in the test.
        background.background_refresh("token", network_bundle.refresh_if_stale)
    # A failure keeps the lock until it expires: no new attempt at every request.
    assert cache.get(background.LOCK_KEY) == "token"
    background.background_refresh("token", network_bundle.refresh_if_stale)
    assert cache.get(background.LOCK_KEY) is None
    assert network_bundle.latest_measures()["version"] == network_bundle.current_key()
    settings.TIPS_NETWORK_BACKGROUND = ""
    assert start_refresh() is False  # off: cron runs compute_network
