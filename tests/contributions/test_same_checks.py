"""Every way in checks a proposal the same way: the web form, the API and an import with
--to-moderation refuse the same bad value with the same message, and a new actor that looks
like one already on the map (or, in a file, like a row above it) reaches the moderators flagged
"Acteur proche déjà sur la carte"."""

import html
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from actors.models import Actor
from contributions.models import Contribution, Status
from tests.contributions.helpers import actor_form_data, api_new_actor, api_proposal

pytestmark = pytest.mark.django_db

LONG_NAME = "Laboratoire " + "x" * 289  # 301 signs: one too many
ARCHIPEL = "Préfecture de la région Auvergne-Rhône-Alpes - Laboratoire Archipel"
CSV_HEADER = "Organisation - Service;Type d'acteur;Latitude;Longitude\n"

# (what is wrong, the fields as the form and the API name them, the CSV row, the message)
BAD_VALUES = {
    "coordinates out of range": (
        {"latitude": "95", "longitude": "3"},
        "Lab hors du globe;1. Cellule d'innovation;95;3",
        "La latitude doit être comprise entre -90 et 90.",
    ),
    "unknown type": (
        {"type": "licorne"},
        "Lab sans type;licorne;;",
        "Sélectionnez un choix valide. licorne n’en fait pas partie.",
    ),
    "over-long name": (
        {"name": LONG_NAME},
        f"{LONG_NAME};1. Cellule d'innovation;;",
        "Assurez-vous que cette valeur comporte au plus 300 caractères (actuellement 301).",
    ),
    # An import file has no parent column: only the form and the API can say it.
    "own parent": ({"parent": ARCHIPEL}, None, "Un acteur ne peut pas être sa propre"),
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def refused_by_the_form(client, fields: dict) -> str:
    data = actor_form_data(**{f"acteur-{name}": value for name, value in fields.items()})
    url = "/contribuer/correction/archipel/" if "parent" in fields else "/contribuer/"
    if "parent" in fields:
        data["acteur-name"] = ARCHIPEL
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its errors
    return html.unescape(response.content.decode())


def refused_by_the_api(client, fields: dict) -> str:
    if "parent" in fields:
        body = api_proposal("correction", actor="archipel", **fields)
    else:
        body = api_new_actor(**fields)
    response = client.post("/api/contributions/", body, content_type="application/json")
    assert response.status_code == 400
    return response.content.decode()


def imported(tmp_path, rows: list[str], *options, header=CSV_HEADER, out=None) -> str:
    """What `import_actors_csv --to-moderation` says of a file of these rows."""
    path = tmp_path / "acteurs.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    out = out or io.StringIO()
    call_command(
        "import_actors_csv",
        str(path),
        "--to-moderation",
        "--licence",
        "etalab-2.0",
        *options,
        stdout=out,
    )
    return out.getvalue()


def refused_by_the_import(tmp_path, rows: list[str], header=CSV_HEADER) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError):
        imported(tmp_path, rows, header=header, out=out)
    return out.getvalue()


# Every way in for every bad value it can carry (no import row names a parent).
WAYS = [
    (way, wrong)
    for wrong, (_, row, _) in BAD_VALUES.items()
    for way in ("form", "api", "import")
    if way != "import" or row is not None
]


@pytest.mark.parametrize(("way", "wrong"), WAYS)
def test_the_same_bad_value_is_refused_with_the_same_message(client, tmp_path, way, wrong):
    fields, row, message = BAD_VALUES[wrong]
    before = (Actor.objects.count(), Contribution.objects.count())
    if way == "form":
        said = refused_by_the_form(client, fields)
    elif way == "api":
        said = refused_by_the_api(client, fields)
    else:
        said = refused_by_the_import(tmp_path, [row])
    assert message in said
    assert (Actor.objects.count(), Contribution.objects.count()) == before


def test_an_import_keeps_a_long_value_whole_or_refuses_it(tmp_path):
    """Nothing typed is cut: an acronym one sign too long is refused, not shortened."""
    header = "Organisation - Service;Type d'acteur;Sigle\n"
    said = refused_by_the_import(tmp_path, ["Lab du sigle;1;" + "S" * 41], header=header)
    assert "sigle : Assurez-vous que cette valeur comporte au plus 40 caractères" in said
    assert not Contribution.objects.exists()


def test_an_imported_row_like_a_published_actor_or_a_row_above_is_flagged(
    tmp_path, client, moderator, settings
):
    settings.SITE_URL = "https://tips.example"
    rows = [
        "LABORATOIRE ARCHIPEL;1. Cellule d'innovation;45.76;4.83",
        "Fabrique des transitions de Riom;2;45.894;3.113",
        "La Fabrique des transitions à Riom;2;45.895;3.114",
        "Collectif sans pareil;6;;",
    ]
    out = imported(tmp_path, rows, "--user", moderator.username)
    assert (
        "acteur proche déjà sur la carte : "
        f"{ARCHIPEL} (https://tips.example/acteurs/archipel/)" in out
    )
    assert "ligne proche plus haut dans le fichier : ligne 3, Fabrique des transitions" in out
    lab, first, second, alone = Contribution.objects.order_by("pk")
    assert {c.status for c in (lab, first, second, alone)} == {Status.PENDING}
    assert [flag["slug"] for flag in lab.proposed["similar"]] == ["archipel"]
    assert second.proposed["similar"] == [
        {
            "name": "Fabrique des transitions de Riom",
            "slug": "",
            "commune_name": "",
            "where": "ligne 3",
            "contribution": first.pk,
        }
    ]
    assert "similar" not in first.proposed and "similar" not in alone.proposed

    # What the moderator reads: the published actor, or the row above and its proposal.
    client.force_login(moderator)
    page = html.unescape(client.get(f"/moderation/{lab.pk}/").content.decode())
    assert "Acteur proche déjà sur la carte :" in page
    assert 'href="/acteurs/archipel/"' in page
    page = html.unescape(client.get(f"/moderation/{second.pk}/").content.decode())
    assert "Ligne proche plus haut dans le même fichier : ligne 3," in page
    assert f'href="/moderation/{first.pk}/"' in page


def test_the_upload_page_flags_the_rows_before_anything_is_written(tmp_path, client, moderator):
    client.force_login(moderator)
    content = CSV_HEADER + "LABORATOIRE ARCHIPEL;1;45.76;4.83\n"
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = "acteurs.csv"
    response = client.post(
        "/donnees/import/",
        {"format": "csv", "file": upload, "mode": "moderation", "licence": "etalab-2.0"},
    )
    page = html.unescape(response.content.decode())
    assert "Acteur proche déjà sur la carte :" in page
    assert 'href="/acteurs/archipel/"' in page
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("way", ["form", "api"])
def test_a_new_actor_sent_despite_a_similar_one_keeps_the_flag(client, way):
    if way == "form":
        data = actor_form_data(**{"acteur-name": "LABORATOIRE ARCHIPEL", "not_a_duplicate": "1"})
        assert client.post("/contribuer/", data).status_code == 302
    else:
        body = api_new_actor(name="LABORATOIRE ARCHIPEL", not_a_duplicate=True)
        response = client.post("/api/contributions/", body, content_type="application/json")
        assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert [flag["slug"] for flag in contribution.proposed["similar"]] == ["archipel"]
    assert contribution.proposed["actor"]["name"] == "LABORATOIRE ARCHIPEL"
