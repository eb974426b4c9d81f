"""GET /reseau/comparer/: the territories' figures side by side, as live numbers."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from network import bundle as network_bundle
from relations.models import Relation, RelationType
from tests.factories import make_actor, make_relation, pending_new_actor

pytestmark = pytest.mark.django_db

URL = "/reseau/comparer/"


def row_cells(page: str, slug: str) -> dict:
    """The cells of the relations table's row for `slug`, by class."""
    row = re.search(rf'<tr class="level-\w+" data-territory="{slug}">(.*?)</tr>', page, re.S)
    assert row, slug
    return dict(re.findall(r'<td class="(\w+)">([^<]*)</td>', row.group(1)))


def test_the_puy_de_dome_figures_equal_the_database(client):
    page = client.get(URL).content.decode()
    cells = row_cells(page, "puy-de-dome")
    visible = Actor.objects.visible()
    inside = visible.filter(territory__path__startswith="84/63/")
    live = Relation.objects.filter(source__in=visible, target__in=visible)
    involving = live.filter(Q(source__in=inside) | Q(target__in=inside))
    internal = live.filter(source__in=inside, target__in=inside)
    assert int(cells["relations"]) == involving.count()
    assert int(cells["internal"]) == internal.count()
    assert int(cells["links"]) == involving.count() - internal.count()
    n = inside.count()
    pairs = {frozenset(p) for p in internal.values_list("source", "target")}
    density = 2 * len(pairs) / (n * (n - 1))
    assert cells["density"] == f"{density:.3f}".replace(".", ",")  # French decimal comma
    share = involving.filter(type=RelationType.COLLABORATION).count() / involving.count()
    assert cells["collaboration"] == f"{round(100 * share)} %"
    # The actors table: the total and each type, in the order of the header.
    actors_row = re.search(
        r'<tr class="level-departement">\s*<th scope="row"><a href="/territoires/puy-de-dome/">'
        r"Puy-de-Dôme</a></th>(.*?)</tr>",
        page,
        re.S,
    )
    numbers = [int(x) for x in re.findall(r"<td>(\d+)</td>", actors_row.group(1))]
    assert numbers[0] == n
    assert numbers[1] == inside.filter(type="cellule_innovation").count()
    assert sum(numbers[1:]) == n


def test_the_region_and_its_departements_and_epci_with_actors(client):
    page = client.get(URL).content.decode()
    shown = set(re.findall(r'data-territory="([\w-]+)"', page))
    assert {"auvergne-rhone-alpes", "puy-de-dome", "clermont-auvergne-metropole"} <= shown
    assert "ile-de-france" not in shown and "paris" not in shown  # another région
    assert "cantal" not in shown or Actor.objects.filter(territory__path__startswith="84/15/")
    other = client.get(URL + "?region=ile-de-france").content.decode()
    assert 'data-territory="paris"' in other
    assert client.get(URL + "?region=puy-de-dome").status_code == 404


def test_the_tables_are_accessible_and_sortable(client):
    page = client.get(URL).content.decode()
    assert page.count("<caption>") == 2
    assert 'scope="col"' in page and 'scope="row"' in page
    assert 'aria-sort="ascending"' in page  # by name by default
    assert 'href="?tri=liens"' in page
    links_first = client.get(URL + "?tri=-liens").content.decode()
    order = re.findall(r'data-territory="([\w-]+)"', links_first)
    values = [int(row_cells(links_first, slug)["links"]) for slug in order]
    assert values == sorted(values, reverse=True)
    assert 'aria-sort="descending"' in links_first
    assert 'href="?tri=liens"' in links_first  # the link toggles back
    assert "Courtage" in page and "contrainte de Burt" in page  # definitions, in French


def test_english_numbers_use_a_point(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL).content.decode()
    density = row_cells(page, "puy-de-dome")["density"]
    assert "." in density and "," not in density


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_queries_stay_flat(client):
    network_bundle.clear_memo()  # as a process that has not read the network yet
    small = count_queries(client, URL)
    archipel = Actor.objects.get(slug="archipel")
    for n in range(60):
        actor = make_actor(name=f"Comparé {n}", latitude=45.7797, longitude=3.0863)
        make_relation(archipel, actor, RelationType.PRESTATION_SERVICE)
    assert count_queries(client, URL + "?tri=-densite") == small
    assert count_queries(client, URL) < small  # unchanged data: kept by the process


def chart_row(page: str, chart: str, slug: str) -> str:
    """The markup of `slug`'s row in the chart whose figure has the id `chart`."""
    figure = re.search(rf'<figure class="chart[^"]*" id="{chart}">(.*?)</figure>', page, re.S)
    assert figure, chart
    row = re.search(
        rf'<li class="chart-row level-\w+" data-slug="{slug}">(.*?)</li>', figure.group(1), re.S
    )
    assert row, slug
    return row.group(1)


def bar_segments(row: str, bar_class: str = "chart-bar") -> dict:
    """{key: (count, width in %)} of the coloured segments of the first bar of class `bar_class`."""
    bar = re.search(rf'<svg class="[^"]*{bar_class}[^"]*"(.*?)</svg>', row, re.S).group(1)
    return {
        key: (int(count), float(width))
        for key, width, count in re.findall(
            r'<rect class="fill-(\w+)"[^>]* width="([\d.]+)%"[^>]*data-count="(\d+)"', bar
        )
    }


def test_the_puy_de_dome_type_bar_is_as_wide_as_its_counts(client):
    pending_new_actor()  # a Clermont cellule waiting for moderation: never counted
    page = client.get(URL).content.decode()
    inside = Actor.objects.visible().filter(territory__path__startswith="84/63/")
    counts = {t: inside.filter(type=t).count() for t in inside.values_list("type", flat=True)}
    row = chart_row(page, "chart-types", "puy-de-dome")
    segments = bar_segments(row)
    assert {key: count for key, (count, _) in segments.items()} == counts
    for key, (count, width) in segments.items():
        assert width == pytest.approx(100 * count / inside.count(), abs=0.01), key
    assert sum(width for _, width in segments.values()) == pytest.approx(100, abs=0.05)
    assert f'<span class="chart-value">{inside.count()}</span>' in row
    # The bar's text alternative says the same in words.
    label = re.search(r'aria-label="([^"]*)"', row).group(1)
    assert label.startswith(f"Puy-de-Dôme, {inside.count()} acteurs :")
    assert f"Cellule publique d&#x27;innovation {counts['cellule_innovation']}" in label


def test_the_relation_bars_show_the_mix_density_and_collaboration(client):
    page = client.get(URL).content.decode()
    cells = row_cells(page, "puy-de-dome")
    row = chart_row(page, "chart-relations", "puy-de-dome")
    mix = bar_segments(row, "chart-relation-mix")
    assert sum(count for count, _ in mix.values()) == int(cells["relations"])
    assert re.search(r'class="fill-prestation_service" fill="url\(#chart-hatch\)"', row) or (
        "prestation_service" not in mix
    )
    values = re.findall(r'<span class="chart-value">([^<]*)</span>', row)
    assert values == [cells["relations"], cells["density"], cells["collaboration"]]
    share = re.search(r'<rect class="fill-collaboration" width="([\d.]+)%"', row).group(1)
    assert float(share) == pytest.approx(int(cells["collaboration"].rstrip(" %")), abs=0.5)
    # The densest territory fills its bar; the others in proportion.
    widths = re.findall(r'<rect class="fill-measure" width="([\d.]+)%"', page)
    assert max(float(w) for w in widths) == 100
    # Without figures, a bar says so in words.
    assert "Haute-Savoie : aucune relation" in page


def test_the_sort_menu_orders_the_charts_too(client):
    page = client.get(URL + "?tri=-acteurs").content.decode()
    figure = re.search(r'id="chart-types">(.*?)</figure>', page, re.S).group(1)
    counts = [int(n) for n in re.findall(r'<span class="chart-value">(\d+)</span>', figure)]
    assert counts == sorted(counts, reverse=True)
    assert '<option value="-acteurs" selected>' in page
    reversed_names = client.get(URL + "?tri=-nom").content.decode()
    assert '<option value="-nom" selected>Territoire, ordre inverse</option>' in reversed_names
