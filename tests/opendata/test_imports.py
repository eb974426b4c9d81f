"""Imports of the report's CSV actors file and of GoGoCarto maps: commands, dry run, idempotence,
bad files, moderation, and the moderators' upload page (who may use it: tests/test_permissions.py)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actors.models import Actor, LocationPrecision
from contributions.models import Contribution, Kind, Status
from opendata.imports.csv_file import CsvParser
from opendata.imports.gogocarto import GogocartoParser
from opendata.imports.importer import Importer
from opendata.models import ImportSource
from relations.models import Relation, RelationType
from tests.factories import make_moderator
from tips_map.sources import ProvenanceKind

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
# Every source declares its licence; the test files' producers agree to the Licence Ouverte
# (the licence rules themselves: test_imports_safety.py).
LICENCE = ("--licence", "etalab-2.0")


def csv_import(name, *args):
    out = io.StringIO()
    call_command("import_actors_csv", str(FILES / name), *LICENCE, *args, stdout=out)
    return out.getvalue()


def gogo_import(name, *args):
    out = io.StringIO()
    call_command("import_gogocarto", str(FILES / name), *LICENCE, *args, stdout=out)
    return out.getvalue()


def failing(command, name, *args) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(command, str(FILES / name), *LICENCE, *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (Actor.objects.count(), Relation.objects.count(), Contribution.objects.count())


# CSV ----------------------------------------------------------------------------------------


def test_csv_dry_run_reports_each_row_and_writes_nothing():
    before = snapshot()
    out = csv_import("acteurs.tsv", "--dry-run")
    assert snapshot() == before
    assert not ImportSource.objects.exists()
    assert "séparateur : tabulation" in out
    assert "ligne 2 — Ville de Testville - Laboratoire d'essai : création" in out
    assert "ligne 4 — Collectif Nulle Part : création" in out
    assert "aucune commune connue dans « NI, Trifouilly-les-Oies »" in out
    assert "3 créé(s), 0 mis à jour, 0 ignoré(s)" in out
    assert "Essai à blanc : rien n'a été écrit." in out


def test_csv_import_maps_the_annex_columns():
    count = Actor.objects.count()
    csv_import("acteurs.tsv")
    assert Actor.objects.count() == count + 3

    lab = Actor.objects.get(name="Ville de Testville - Laboratoire d'essai")
    assert lab.type == "cellule_innovation"
    assert lab.lifecycle == "naissant"  # "(naissant)" read and removed from the name
    assert lab.status == "collectivite_territoriale"
    assert lab.website == "https://labo-essai.example.org/"
    assert lab.provenance == ProvenanceKind.IMPORT
    # "Ville de Clermont Ferrand": the commune, accent- and hyphen-insensitive, at its town hall.
    assert lab.commune_name == "Clermont-Ferrand"
    assert (lab.latitude, lab.longitude) == (45.779493, 3.086121)
    assert lab.location_precision == LocationPrecision.COMMUNE
    assert lab.territory.name == "Clermont-Ferrand"
    assert [(c.name, c.function) for c in lab.contacts.all()] == [
        ("Camille Martin", "Responsable du laboratoire")
    ]

    cabinet = Actor.objects.get(name="Cabinet Essai Conseil")
    assert cabinet.type == "prestataire"
    assert cabinet.scope == "regional"
    assert cabinet.commune_name == "Lyon"

    nowhere = Actor.objects.get(name="Collectif Nulle Part")
    assert nowhere.lifecycle == "disparu"
    assert nowhere.status == "groupement_collectivites"  # "PETIR", the annex's OCR of PETR
    assert nowhere.latitude is None and nowhere.longitude is None


def test_csv_second_import_creates_nothing():
    csv_import("acteurs.tsv")
    before = snapshot()
    history = Actor.history.count()
    out = csv_import("acteurs.tsv")
    assert snapshot() == before
    assert Actor.history.count() == history
    assert "0 créé(s), 0 mis à jour, 3 ignoré(s)" in out
    assert "inchangé depuis l'import précédent" in out


def test_csv_changed_row_updates_the_actor_with_its_source_in_the_history():
    csv_import("acteurs.tsv")
    count = Actor.objects.count()
    out = csv_import("acteurs-modifie.tsv")
    assert Actor.objects.count() == count
    assert "0 créé(s), 1 mis à jour, 2 ignoré(s)" in out
    cabinet = Actor.objects.get(name="Cabinet Essai Conseil")
    assert cabinet.website == "https://cabinet-essai.example.org/"
    reasons = list(cabinet.history.values_list("history_change_reason", flat=True))
    assert len(reasons) == 2
    assert all(r.startswith("Import CSV du ") and r.endswith("(ligne 3)") for r in reasons)


def test_csv_matches_a_published_actor_by_name_instead_of_duplicating_it():
    archipel = Actor.objects.get(slug="archipel")
    archipel.name = "Cabinet Essai Conseil"
    archipel.save()
    count = Actor.objects.count()
    out = csv_import("acteurs.tsv")
    assert Actor.objects.count() == count + 2
    assert "rattaché à l'acteur publié de même nom" in out
    assert ImportSource.objects.get(key="cabinet essai conseil").actor.slug == "archipel"


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("acteurs-latin1.csv", "cp1252", "point-virgule"),
        ("acteurs-bom-virgule.csv", "utf-8-sig", "virgule"),
    ],
)
def test_csv_encoding_and_delimiter_are_detected(name, encoding, delimiter):
    out = csv_import(name)
    assert f"Fichier lu en {encoding}, séparateur : {delimiter}" in out
    assert "1 créé(s)" in out


def test_latin1_accents_are_read_right():
    csv_import("acteurs-latin1.csv")
    school = Actor.objects.get(name="École supérieure d'Essai - Département Innovation")
    assert school.type == "formation_recherche"
    assert school.scope == "departemental"
    assert school.commune_name == "Saint-Étienne"
    assert school.contacts.get().name == "Amélie Öst"


def test_quoted_commas_and_several_contacts():
    csv_import("acteurs-bom-virgule.csv")
    actor = Actor.objects.get(name="Maison Virgule, Innovation sociale")
    assert actor.type == "promotion_accompagnement"
    assert [(c.name, c.function) for c in actor.contacts.all()] == [
        ("Dominique Point", "Directrice"),
        ("Alex Tiret", "Animateur"),
    ]


def test_column_mapping_option():
    out = failing("import_actors_csv", "colonnes-perso.csv")
    assert "colonne(s) manquante(s)" in out
    csv_import("colonnes-perso.csv", "--map", "Structure=name", "--map", "Catégorie=type")
    actor = Actor.objects.get(name="Réseau Perso des Labs")
    assert actor.type == "reseau_communaute"
    assert actor.commune_name == "Grenoble"  # "Ville" is a default alias of the commune


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("colonne-manquante.csv", "colonne(s) manquante(s) : « Type d'acteur »"),
        (
            "type-inconnu.csv",
            "ligne 3 — Agence Martienne : erreur (type d'acteur : Sélectionnez un choix valide. "
            "8. Martiens n’en fait pas partie. (attendu : 1 à 7",
        ),
        (
            "latitude-hors-limites.csv",
            "ligne 2 — Cabinet Essai Conseil : erreur (latitude « 123 » : La latitude doit être "
            "comprise entre -90 et 90.)",
        ),
        ("acteurs-utf16.csv", "encodage non reconnu"),
    ],
)
def test_bad_csv_files_name_the_problem_and_import_nothing(name, problem):
    before = snapshot()
    out = failing("import_actors_csv", name)
    assert problem in out
    assert "Import annulé : rien n'a été écrit." in out
    assert snapshot() == before
    assert not ImportSource.objects.exists()


def test_forced_wrong_encoding_names_the_line():
    out = failing("import_actors_csv", "acteurs-latin1.csv", "--encoding", "utf-8")
    assert "ligne 1 : octets illisibles en utf-8" in out  # "portée" in the header


def test_csv_to_moderation_creates_pending_contributions_and_publishes_nothing(moderator):
    count = Actor.objects.count()
    out = csv_import("acteurs.tsv", "--to-moderation", "--user", moderator.username)
    assert Actor.objects.count() == count
    contributions = Contribution.objects.order_by("pk")
    assert [c.kind for c in contributions] == [Kind.NEW_ACTOR] * 3
    assert {c.status for c in contributions} == {Status.PENDING}
    assert {c.contributor_name for c in contributions} == {"Import CSV"}
    assert {c.contributor_email for c in contributions} == {moderator.email}
    assert contributions[0].proposed["actor"]["name"] == "Ville de Testville - Laboratoire d'essai"
    assert "3 envoyé(s) en modération" in out
    # Sent again: already waiting, nothing new.
    csv_import("acteurs.tsv", "--to-moderation", "--user", moderator.username)
    assert Contribution.objects.count() == 3

    # Another moderator validates one: the actor exists, and the next import knows it.
    other = make_moderator("modo2", "modo2@chaire.example")
    contributions[1].decide(other, validate=True)
    actor = Actor.objects.get(name="Cabinet Essai Conseil")
    assert actor.history.first().history_change_reason == f"Contribution n° {contributions[1].pk}"
    out = csv_import("acteurs.tsv")
    assert Actor.objects.filter(name="Cabinet Essai Conseil").count() == 1
    assert "2 créé(s), 0 mis à jour, 1 ignoré(s)" in out
    assert "aucune différence avec la fiche publiée" in out


# GoGoCarto ----------------------------------------------------------------------------------


def test_gogocarto_import_brings_actors_and_relations():
    count, relations, _ = snapshot()
    out = gogo_import("gogocarto.json")
    assert "3 créé(s), 0 mis à jour, 3 ignoré(s)" in out
    assert Actor.objects.count() == count + 3
    one = Actor.objects.get(name="Laboratoire GoGo Un")
    two = Actor.objects.get(name="Cabinet GoGo Deux")
    three = Actor.objects.get(name="Réseau GoGo Trois")
    assert (one.type, two.type, three.type) == (
        "cellule_innovation",
        "prestataire",
        "reseau_communaute",
    )
    assert [t.key for t in three.secondary_types.all()] == ["intermediation"]
    assert one.missions == "Un laboratoire d'essai."
    assert one.website == "https://gogo-un.example.org/"
    assert (one.latitude, one.longitude) == (45.779, 3.087)
    assert one.location_precision == LocationPrecision.APPROXIMATE  # no street address
    assert "licence" in one.provenance_detail

    # Link fields: partage_infos and collaboration from one, prestations from two (provider).
    assert Relation.objects.count() == relations + 3
    assert Relation.objects.between(one, two).get(type=RelationType.PARTAGE_INFORMATION)
    assert Relation.objects.between(one, three).get(type=RelationType.COLLABORATION)
    service = Relation.objects.get(type=RelationType.PRESTATION_SERVICE, target=one)
    assert service.source == two
    assert "élément zzz9" in out  # a link to an element outside the file is reported

    reason = one.history.get().history_change_reason
    assert reason.startswith("Import GoGoCarto du ") and reason.endswith("(élément aaa1)")
    assert service.history.get().history_change_reason.endswith("(élément bbb2)")


def test_gogocarto_negative_and_pending_statuses_are_not_published():
    out = gogo_import("gogocarto.json")
    assert not Actor.objects.filter(name__startswith="Élément").exists()
    assert not Actor.objects.filter(name__contains="version en attente").exists()
    assert "statut GoGoCarto -2 (refusé par un administrateur) : jamais importé" in out
    assert "statut GoGoCarto 0 (ajout en attente de validation) : non publié" in out
    assert "statut GoGoCarto -5" in out


def test_gogocarto_emails_are_never_stored(moderator):
    gogo_import("gogocarto.json")
    gogo_import("gogocarto-modifie.json", "--to-moderation", "--user", moderator.username)
    secret = "secret.contributeur"
    one = Actor.objects.get(name="Laboratoire GoGo Un")
    stored = [
        json.dumps(list(Actor.objects.values()), default=str),
        json.dumps(list(Actor.history.values()), default=str),
        json.dumps(list(Contribution.objects.values()), default=str),
        json.dumps(list(ImportSource.objects.values()), default=str),
    ]
    assert not any(secret in text for text in stored)
    assert secret not in one.provenance_detail


def test_gogocarto_second_import_creates_nothing_and_a_change_updates():
    gogo_import("gogocarto.json")
    before = snapshot()
    out = gogo_import("gogocarto.json")
    assert snapshot() == before
    assert "0 créé(s), 0 mis à jour, 6 ignoré(s)" in out
    assert "Relations : 0 créée(s), 3 déjà connue(s)" in out

    out = gogo_import("gogocarto-modifie.json")
    assert snapshot() == before
    assert "élément aaa1 — Laboratoire GoGo Un : mise à jour (modifié : missions)" in out
    one = Actor.objects.get(name="Laboratoire GoGo Un")
    assert one.missions == "Un laboratoire d'essai, agrandi."
    assert one.history.count() == 2


def test_gogocarto_category_and_link_options():
    out = failing("import_gogocarto", "gogocarto-categorie-inconnue.json")
    assert "catégorie(s) « Licorne »" in out
    gogo_import("gogocarto-categorie-inconnue.json", "--category", "Licorne=autre")
    assert Actor.objects.get(name="Catégorie folle").type == "autre"

    # A link field read the other way round: the linked element is the provider.
    gogo_import("gogocarto.json", "--link", "prestations=prestation_service:inverse")
    one = Actor.objects.get(name="Laboratoire GoGo Un")
    service = Relation.objects.get(type=RelationType.PRESTATION_SERVICE, source=one)
    assert service.target.name == "Cabinet GoGo Deux"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("gogocarto-casse.json", "JSON invalide, ligne"),
        (
            "gogocarto-lat123.json",
            "élément lat1 — Latitude folle : erreur (latitude « 123 » : La latitude doit",
        ),
    ],
)
def test_bad_gogocarto_files_import_nothing(name, problem):
    before = snapshot()
    out = failing("import_gogocarto", name)
    assert problem in out
    assert snapshot() == before


def test_gogocarto_to_moderation(moderator):
    gogo_import("gogocarto.json")  # aaa1, bbb2, ccc3 published
    count, relations, _ = snapshot()
    out = gogo_import(
        "gogocarto-modifie.json", "--to-moderation", "--email", "equipe@chaire.example"
    )
    assert (Actor.objects.count(), Relation.objects.count()) == (count, relations)
    correction = Contribution.objects.get(kind=Kind.CORRECTION)
    assert correction.status == Status.PENDING
    assert correction.actor.name == "Laboratoire GoGo Un"
    assert correction.proposed["actor"] == {"missions": "Un laboratoire d'essai, agrandi."}
    assert correction.contributor_name == "Import GoGoCarto"
    assert correction.contributor_email == "equipe@chaire.example"
    # The pending element eee5 goes to moderation as a new actor, with its relation to aaa1.
    new = Contribution.objects.get(kind=Kind.NEW_ACTOR)
    assert new.proposed["actor"]["name"] == "Élément en attente"
    assert new.proposed["relations"][0]["type"] == "collaboration"
    assert "2 envoyé(s) en modération" in out
    assert not Actor.objects.filter(name="Élément en attente").exists()

    new.decide(moderator, validate=True)
    created = Actor.objects.get(name="Élément en attente")
    assert Relation.objects.between(created, correction.actor).exists()


# Both formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name", "option", "problem"),
    [
        (
            "import_actors_csv",
            "acteurs.tsv",
            ["--map", "Site=nom_inconnu"],
            "champ « nom_inconnu » inconnu",
        ),
        (
            "import_gogocarto",
            "gogocarto.json",
            ["--link", "x=amitie"],
            "type de relation « amitie » inconnu",
        ),
    ],
)
def test_a_bad_option_is_refused(command, name, option, problem):
    with pytest.raises(CommandError, match=problem):
        call_command(command, str(FILES / name), *option)


# The upload page ----------------------------------------------------------------------------


def upload(client, name, fmt, mode="publish", **extra):
    with open(FILES / name, "rb") as handle:
        return client.post(
            "/donnees/import/",
            {"format": fmt, "file": handle, "mode": mode, "licence": "etalab-2.0", **extra},
        )


def test_upload_dry_run_then_confirm(moderator_client):
    client = moderator_client
    before = snapshot()
    response = upload(client, "gogocarto.json", "gogocarto")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Essai à blanc" in page
    assert "Laboratoire GoGo Un" in page and "création" in page
    assert snapshot() == before
    token = response.context["token"]

    response = client.post("/donnees/import/confirmer/", {"token": token})
    assert response.status_code == 200
    assert response.context["report"].applied
    assert Actor.objects.filter(name="Laboratoire GoGo Un").exists()
    assert Relation.objects.count() == before[1] + 3
    # The token is used up: confirming twice imports nothing more.
    again = client.post("/donnees/import/confirmer/", {"token": token})
    assert again.status_code == 302


def test_upload_bad_file_offers_no_confirmation(moderator_client):
    response = upload(moderator_client, "type-inconnu.csv", "csv")
    page = response.content.decode()
    assert "8. Martiens" in page
    assert "Confirmer l'import" not in page
    assert not response.context["report"].ok


def test_upload_to_moderation_with_mapping(client, moderator):
    client.force_login(moderator)
    response = upload(
        client,
        "colonnes-perso.csv",
        "csv",
        mode="moderation",
        columns="Structure=name\nCatégorie=type",
    )
    assert response.context["report"].ok
    client.post("/donnees/import/confirmer/", {"token": response.context["token"]})
    contribution = Contribution.objects.get()
    assert contribution.status == Status.PENDING
    assert contribution.contributor_email == moderator.email
    assert contribution.proposed["actor"]["name"] == "Réseau Perso des Labs"
    assert not Actor.objects.filter(name="Réseau Perso des Labs").exists()
    # Another moderator reviews it in the usual queue.
    client.force_login(make_moderator("modo2", "modo2@chaire.example"))
    assert "Réseau Perso des Labs" in client.get("/moderation/").content.decode()
    assert client.get(contribution.get_absolute_url()).status_code == 200


def test_importer_api_dry_run_matches_the_real_run():
    dry = Importer(CsvParser(licence="etalab-2.0"), dry_run=True).run(
        (FILES / "acteurs.tsv").read_bytes()
    )
    real = Importer(CsvParser(licence="etalab-2.0")).run((FILES / "acteurs.tsv").read_bytes())
    assert dry.counts == real.counts and real.applied and not dry.applied
    again = Importer(GogocartoParser(licence="etalab-2.0")).run(
        (FILES / "gogocarto.json").read_bytes()
    )
    assert again.counts["create"] == 3
