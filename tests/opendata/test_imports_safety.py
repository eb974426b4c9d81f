"""Imports that never erase and say where their data comes from (issue 14, defect 5): names
close to a published actor, curated values, licences and provenance, swapped coordinates, and
the malformed cells and links that used to pass silently."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from actors.models import Actor
from contributions.models import Contribution
from opendata.models import ImportSource
from relations.models import Relation
from tests.factories import make_metropole_lab
from tips_map.sources import ProvenanceKind

pytestmark = pytest.mark.django_db

HEADER = "Type d'acteur;Organisation - Service;Site;Nom usuel;Latitude;Longitude\n"
LAB = "Laboratoire d'innovation de la Métropole test"


def write(tmp_path, text: str, name="acteurs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(command: str, path: str, *args) -> str:
    out = io.StringIO()
    call_command(command, path, *args, stdout=out)
    return out.getvalue()


def refused(command: str, path: str, *args) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(command, path, *args, stdout=out)
    return out.getvalue()


def csv_rows(tmp_path, *rows: str) -> str:
    return write(tmp_path, HEADER + "".join(row + "\n" for row in rows))


def gogo_file(tmp_path, elements: list, **top) -> str:
    return write(tmp_path, json.dumps({**top, "data": elements}), "carte.json")


def element(id_, name, **fields) -> dict:
    return {
        "id": id_,
        "name": name,
        "status": 1,
        "geo": {"latitude": 45.77, "longitude": 3.08},
        "categories": ["Cellule d'innovation"],
        **fields,
    }


def counts():
    return Actor.objects.count(), Relation.objects.count(), Contribution.objects.count()


# 1. A name one letter away from a published actor -------------------------------------------


def test_a_name_one_letter_away_is_held_until_accepted(tmp_path):
    archipel = Actor.objects.get(slug="archipel")
    path = csv_rows(tmp_path, f"1;{archipel.name}l;;;;", "7;Collectif Sans Pareil Nulle Part;;;;")
    before = Actor.objects.count()
    out = run("import_actors_csv", path, "--licence", "etalab-2.0")
    assert f"ligne 2 — {archipel.name}l : ignoré (proche de « {archipel.name} », non importé" in (
        out
    )
    assert "relancez avec --accept-similar 2" in out
    assert "acteur proche déjà sur la carte : " + archipel.name in out
    # The other row is published; the close one is not.
    assert Actor.objects.count() == before + 1
    assert not Actor.objects.filter(name=archipel.name + "l").exists()

    out = run("import_actors_csv", path, "--licence", "etalab-2.0", "--accept-similar", "2")
    assert f"ligne 2 — {archipel.name}l : création" in out
    assert Actor.objects.filter(name=archipel.name + "l").exists()


# 2. Never erase: curated values, secondary types; provenance per updated record -------------


def test_an_import_keeps_curated_values_fills_empty_ones_and_records_its_source(tmp_path):
    lab = make_metropole_lab()
    assert not lab.type_inferred and lab.provenance == ProvenanceKind.REPORT
    path = csv_rows(
        tmp_path,
        f"5. Les prestataires et cabinets spécialisés;{LAB};https://autre.example.org/;Labo;;",
    )
    history = lab.history.count()
    out = run("import_actors_csv", path, "--licence", "etalab-2.0")
    lab.refresh_from_db()
    assert lab.type == "cellule_innovation"  # curated: kept
    assert lab.website == "https://lab.example.org/"  # curated: kept
    assert lab.short_name == "Labo"  # empty: filled
    assert (
        "conflit, valeur publiée conservée : type d'acteur « Cellule publique d'innovation »" in out
    )
    assert "(le fichier dit « Prestataire et cabinet spécialisé »)" in out
    assert "site internet « https://lab.example.org/ » (le fichier dit « https://autre" in out
    assert "modifié : nom usuel" in out
    # The updated record says where its facts now come from, and when they were checked.
    assert lab.provenance == ProvenanceKind.IMPORT
    assert lab.provenance_detail == (
        "Fichier d'acteurs (CSV), ligne 2, licence : Licence Ouverte 2.0 (Etalab)"
    )
    assert lab.checked_on == timezone.localdate()
    assert lab.history.count() == history + 1
    source = ImportSource.objects.get(actor=lab)
    assert source.licence == "etalab-2.0" and not source.created


def test_an_import_adds_secondary_types_and_never_removes_any(tmp_path):
    lab = make_metropole_lab()  # secondary type: intermediation
    path = gogo_file(
        tmp_path,
        [
            element(
                "x1", LAB, categories=["Cellule d'innovation", "Prestataire et cabinet spécialisé"]
            )
        ],
    )
    out = run("import_gogocarto", path, "--licence", "etalab-2.0")
    assert "modifié : types secondaires" in out
    keys = sorted(e.key for e in lab.secondary_types.all())
    assert keys == ["intermediation", "prestataire"]
    assert Actor.objects.get(pk=lab.pk).type == "cellule_innovation"


def test_an_inferred_type_is_replaced_by_the_source(tmp_path):
    lab = make_metropole_lab(type_inferred=True)
    path = csv_rows(tmp_path, f"5;{LAB};;;;")
    run("import_actors_csv", path, "--licence", "etalab-2.0")
    lab.refresh_from_db()
    assert (lab.type, lab.type_inferred) == ("prestataire", False)


# 3. Licences per source ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "licence de la source non indiquée"),
        (("--licence", "ODbL"), "ODbL 1.0 (option --licence), licence à partage à l'identique"),
        (("--licence", "CC-BY-SA"), "CC-BY-SA 4.0 (option --licence), licence à partage"),
        (("--licence", "maison"), "licence « maison » (option --licence) non reconnue"),
    ],
)
def test_a_csv_source_declares_a_licence_compatible_with_ours(tmp_path, args, message):
    before = counts()
    out = refused("import_actors_csv", csv_rows(tmp_path, "7;Collectif Libre;;;;"), *args)
    assert message in out
    assert counts() == before and not ImportSource.objects.exists()


@pytest.mark.parametrize(
    ("top", "message"),
    [
        # GoGoCarto's own API says ODbL.
        (
            {"licence": "https://opendatacommons.org/licenses/odbl/summary/"},
            "ODbL 1.0 (clé « licence » du fichier), licence à partage à l'identique",
        ),
        # A map that says nothing is a GoGoCarto map: ODbL.
        ({}, "ODbL 1.0 (GoGoCarto, faute de licence dans le fichier)"),
    ],
)
def test_a_gogocarto_map_under_odbl_is_refused(tmp_path, top, message):
    before = counts()
    out = refused("import_gogocarto", gogo_file(tmp_path, [element("a", "Labo Gogo")], **top))
    assert message in out
    assert "incompatible avec la Licence Ouverte" in out
    assert "rien n'a été importé" in out
    assert counts() == before


def test_a_gogocarto_map_whose_producer_agreed_is_imported_with_its_licence(tmp_path):
    path = gogo_file(
        tmp_path, [element("a", "Labo Gogo Libre")], licence="https://opendatacommons.org/"
    )
    refused("import_gogocarto", path)  # not a licence we know
    run("import_gogocarto", path, "--licence", "cc-by-4.0")
    actor = Actor.objects.get(name="Labo Gogo Libre")
    assert actor.provenance_detail == "Carte GoGoCarto, élément a, licence : CC-BY 4.0"
    assert ImportSource.objects.get(actor=actor).licence == "cc-by-4.0"


# 4. Swapped latitude and longitude ----------------------------------------------------------


def test_swapped_coordinates_are_refused_with_the_swap_suggested(tmp_path):
    before = counts()
    out = refused(
        "import_actors_csv",
        csv_rows(tmp_path, "7;Collectif Ici;;;45.76;4.83", "7;Collectif Inversé;;;4.83;45.76"),
        "--licence",
        "etalab-2.0",
    )
    assert "ligne 3 — Collectif Inversé : erreur (latitude 4.83 et longitude 45.76 : ce point" in (
        out
    )
    assert "semblent inversées" in out and "échangez les deux colonnes" in out
    assert "ligne 2 — Collectif Ici : valide, non importé" in out
    assert counts() == before
    # La Réunion is France too.
    run(
        "import_actors_csv",
        csv_rows(tmp_path, "7;Collectif Réunion;;;-21.11;55.53"),
        "--licence",
        "etalab-2.0",
    )
    assert Actor.objects.get(name="Collectif Réunion").latitude == -21.11


def test_swapped_coordinates_in_a_gogocarto_map_are_refused(tmp_path):
    path = gogo_file(
        tmp_path, [element("z", "Labo Inversé", geo={"latitude": 3.08, "longitude": 45.77})]
    )
    out = refused("import_gogocarto", path, "--licence", "etalab-2.0")
    assert "élément z — Labo Inversé : erreur (latitude 3.08 et longitude 45.77" in out


# 5. Self-links, cells beyond the header, unterminated quotes, names too long ----------------


def test_an_element_linked_to_itself_is_refused(tmp_path):
    path = gogo_file(
        tmp_path,
        [
            element("a", "Labo Soi", collaboration={"a": "Labo Soi", "b": "Labo Autre"}),
            element("b", "Labo Autre"),
        ],
    )
    before = counts()
    out = refused("import_gogocarto", path, "--licence", "etalab-2.0")
    assert (
        "élément a — Labo Soi : erreur (champ de liens « collaboration » : l'élément est lié "
        "à lui-même (collaboration) ; retirez ce lien)" in out
    )
    assert counts() == before


def test_cells_beyond_the_header_are_refused(tmp_path):
    path = csv_rows(tmp_path, "7;Collectif Un;;;;", "7;Collectif Deux; et trois;;;;;en trop")
    out = refused("import_actors_csv", path, "--licence", "etalab-2.0")
    assert "ligne 3 — Collectif Deux : erreur (8 cellules pour 6 colonnes d'en-tête" in out
    assert "« en trop »" in out


def test_an_unterminated_quote_is_refused_with_the_line_it_opens(tmp_path):
    path = csv_rows(
        tmp_path, "7;Collectif Un;;;;", '7;"Collectif Deux;;;;', "7;Collectif Trois;;;;"
    )
    out = refused("import_actors_csv", path, "--licence", "etalab-2.0")
    assert (
        "ERREUR (fichier) : ligne 3 : guillemet ouvert et jamais fermé : la cellule court "
        "jusqu'à la fin du fichier" in out
    )
    assert not Actor.objects.filter(name="Collectif Un").exists()


def test_a_name_over_300_characters_is_refused_not_cut(tmp_path):
    out = refused(
        "import_actors_csv", csv_rows(tmp_path, "7;" + "N" * 301 + ";;;;"), "--licence", "lo"
    )
    assert "ligne 2" in out and "nom : " in out and "300 caractères" in out
    assert not Actor.objects.filter(name__startswith="NNNN").exists()


# 6. The upload page says it too -------------------------------------------------------------


def test_the_upload_page_shows_the_refused_licence_and_the_held_row(tmp_path, moderator_client):
    gogo = tmp_path / "carte.json"
    gogo.write_text(json.dumps({"data": [element("a", "Labo Gogo")]}), encoding="utf-8")
    with open(gogo, "rb") as handle:
        response = moderator_client.post(
            "/donnees/import/", {"format": "gogocarto", "file": handle, "mode": "publish"}
        )
    page = response.content.decode()
    assert "ODbL 1.0 (GoGoCarto, faute de licence dans le fichier)" in page
    assert "Confirmer l&#x27;import" not in page

    archipel = Actor.objects.get(slug="archipel")
    with open(csv_rows(tmp_path, f"1;{archipel.name}l;;;;"), "rb") as handle:
        response = moderator_client.post(
            "/donnees/import/",
            {"format": "csv", "file": handle, "mode": "publish", "licence": "etalab-2.0"},
        )
    page = response.content.decode()
    assert "non importé : relancez avec --accept-similar 2" in page
    assert 'href="/acteurs/archipel/"' in page
