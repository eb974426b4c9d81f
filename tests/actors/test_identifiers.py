"""An actor's identifiers in the public registers (SIREN, SIRET, RNA, Wikidata): optional, checked
by the model's one rule whichever way they come in (form, API, import, dump), normalised from
what a person types, and carried by every file."""

import csv
import io
import json

import networkx
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation

from actors.identifiers import actor_uri
from actors.models import Actor
from contributions.models import Contribution
from opendata import exports
from opendata.imports.csv_file import CsvParser
from opendata.imports.importer import Importer
from tests.contributions.helpers import actor_form_data, api_new_actor, correction_data
from tests.factories import make_actor, make_moderator
from tests.opendata.test_datapackage import local_package, problems, rewrite

pytestmark = pytest.mark.django_db

# Numbers whose check digits are right (python-stdnum's own examples): a SIREN, one of its
# establishments, and a SIRET of La Poste, whose digits sum to a multiple of 5 instead.
SIREN, SIRET, LA_POSTE = "732829320", "73282932000074", "35600000049837"
WRONG_SIRET = "73282932000075"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def checked(**values) -> Actor:
    actor = Actor(name="Lab des registres", slug="lab-des-registres", type="autre", **values)
    actor.full_clean(validate_constraints=False)
    return actor


def errors_of(**values) -> dict:
    with pytest.raises(ValidationError) as raised:
        checked(**values)
    return raised.value.message_dict


# --- The model's rules ------------------------------------------------------------------------


def test_spaces_and_dots_typed_by_a_person_are_accepted_and_removed():
    actor = checked(siren="732 829 320", siret="732.829.320\u00a000074", rna=" w632001234 ")
    assert (actor.siren, actor.siret, actor.rna) == (SIREN, SIRET, "W632001234")


def test_a_wikidata_address_pasted_whole_is_reduced_to_its_item():
    for pasted in (
        "https://www.wikidata.org/wiki/Q90",
        "http://www.wikidata.org/entity/Q90",
        "q90",
    ):
        assert checked(wikidata=pasted).wikidata == "Q90"


def test_every_identifier_is_optional_and_blank_by_default():
    actor = checked()
    assert (actor.siren, actor.siret, actor.rna, actor.wikidata) == ("", "", "", "")
    assert not Actor.objects.exclude(siren="", siret="", rna="", wikidata="").exists()


def test_a_wrong_check_digit_is_refused_with_a_clear_message():
    assert errors_of(siret=WRONG_SIRET)["siret"] == [
        "Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."
    ]
    assert errors_of(siren="732829321")["siren"] == [
        "Ce numéro SIREN n'est pas valide : vérifiez les 9 chiffres."
    ]
    assert "siret" in errors_of(siret="7328293200007")  # 13 digits
    assert "rna" in errors_of(rna="W63200123")
    assert "wikidata" in errors_of(wikidata="https://fr.wikipedia.org/wiki/Clermont-Ferrand")


def test_la_postes_siret_follows_its_own_rule():
    assert checked(siret=LA_POSTE).siret == LA_POSTE


def test_a_siret_of_another_siren_is_refused():
    message = errors_of(siren="356000000", siret=SIRET)["siret"][0]
    assert message.startswith("Ce SIRET n'est pas celui d'un établissement du SIREN indiqué")
    assert checked(siren=SIREN, siret=SIRET).siret == SIRET


def test_the_messages_have_their_english():
    with translation.override("en"):
        assert errors_of(siret=WRONG_SIRET)["siret"] == [
            "This SIRET number is not valid: check its 14 digits."
        ]


# --- Ways in: the form, the correction, the API, the import, the dump ----------------------------


def test_the_new_actor_form_takes_them_typed_with_spaces(client):
    data = actor_form_data(**{"acteur-siren": "732 829 320", "acteur-wikidata": "Q90"})
    response = client.post("/contribuer/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposed = Contribution.objects.get().proposed["actor"]
    assert proposed["siren"] == SIREN and proposed["wikidata"] == "Q90"


def test_a_wrong_siret_in_the_form_is_explained_and_nothing_is_lost(client):
    page = client.post(
        "/contribuer/", actor_form_data(**{"acteur-siret": WRONG_SIRET})
    ).content.decode()
    assert "Identifiants (facultatif)" in page
    assert "Ce numéro SIRET n&#x27;est pas valide : vérifiez les 14 chiffres." in page
    assert f'value="{WRONG_SIRET}"' in page and 'value="LabVichy"' in page
    assert not Contribution.objects.exists()


def test_a_correction_of_the_siren_shows_in_the_moderators_diff(client):
    actor = make_actor(name="Lab à identifier")
    data = correction_data(client, actor.slug, **{"acteur-siren": "732 829 320"})
    assert client.post(f"/contribuer/correction/{actor.slug}/", data).status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.proposed["actor"]["siren"] == SIREN
    contribution.confirm()  # as the emailed link does
    client.force_login(make_moderator())
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "SIREN" in page and SIREN in page


def test_the_api_takes_them_and_refuses_a_wrong_one(client):
    body = api_new_actor(siren="732 829 320", rna="W632001234")
    response = client.post("/api/contributions/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    values = Contribution.objects.get().proposed["actor"]
    assert (values["siren"], values["rna"]) == (SIREN, "W632001234")
    wrong = client.post(
        "/api/contributions/", api_new_actor(siret=WRONG_SIRET), content_type="application/json"
    )
    assert wrong.status_code == 400
    assert "vérifiez les 14 chiffres" in json.dumps(wrong.json(), ensure_ascii=False)
    # The schema promises what the API takes: no length that the typed separators would exceed.
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    proposal = schema["components"]["schemas"]["ContributionProposal"]["properties"]
    assert all(
        "maxLength" not in proposal[field] for field in ("siren", "siret", "rna", "wikidata")
    )


def csv_file(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_the_import_reads_the_columns_and_reports_a_wrong_number_on_its_row():
    good = {"Organisation": "Lab importé", "Type": "1", "siren": "732 829 320", "wikidata": "Q90"}
    bad = {"Organisation": "Lab mal numéroté", "Type": "1", "siren": "123456789", "wikidata": ""}
    report = Importer(CsvParser(licence="etalab-2.0")).run(csv_file([good, bad]))
    text = "\n".join(report.lines())
    assert "ligne 3 — Lab mal numéroté : erreur (SIREN « 123456789 » : Ce numéro SIREN" in text
    assert not Actor.objects.filter(name__in=["Lab importé", "Lab mal numéroté"]).exists()

    Importer(CsvParser(licence="etalab-2.0")).run(csv_file([good]))
    imported = Actor.objects.get(name="Lab importé")
    assert (imported.siren, imported.wikidata) == (SIREN, "Q90")


def test_every_file_carries_them_and_the_dump_reloads_them():
    actor = make_actor(
        name="Lab numéroté", siren=SIREN, siret=SIRET, rna="W632001234", wikidata="Q90"
    )
    rows = list(
        csv.DictReader(io.StringIO(exports.actors_csv().decode("utf-8-sig")), delimiter=";")
    )
    row = next(r for r in rows if r["nom"] == "Lab numéroté")
    assert (row["siren"], row["siret"], row["rna"], row["wikidata"]) == (
        SIREN,
        SIRET,
        "W632001234",
        "Q90",
    )
    features = json.loads(exports.actors_geojson())["features"]
    properties = next(
        f["properties"] for f in features if f["properties"]["name"] == "Lab numéroté"
    )
    assert properties["siret"] == SIRET and properties["wikidata"] == "Q90"
    record = next(a for a in json.loads(exports.dump())["actors"] if a["name"] == "Lab numéroté")
    assert record["rna"] == "W632001234"
    # The network files too, as networkx reads them: the identifiers the actor has, and its URI.
    for graph in (
        networkx.read_gexf(io.BytesIO(exports.network_gexf("undirected"))),
        networkx.read_graphml(io.BytesIO(exports.network_graphml("directed"))),
    ):
        node = graph.nodes[actor.slug]
        assert (node["siren"], node["siret"], node["rna"], node["wikidata"]) == (
            SIREN,
            SIRET,
            "W632001234",
            "Q90",
        )
        assert node["uri"] == actor_uri(actor.slug)


def test_the_api_gives_them(client):
    actor = make_actor(name="Lab de l'API", siren=SIREN, wikidata="Q90")
    data = client.get(f"/api/actors/{actor.slug}/").json()
    assert (data["siren"], data["siret"], data["rna"], data["wikidata"]) == (SIREN, "", "", "Q90")


def test_the_package_constrains_them_and_frictionless_checks_it(tmp_path):
    make_actor(name="Lab numéroté", siren=SIREN, siret=SIRET, rna="W632001234", wikidata="Q90")
    path = local_package(tmp_path)
    assert problems(path) == []
    fields = {
        f["name"]: f
        for f in json.loads(path.read_text())["resources"][0]["schema"]["fields"]
        if f["name"] in ("siren", "siret", "rna", "wikidata")
    }
    assert fields["siren"]["constraints"]["pattern"] == "^[0-9]{9}$"
    assert fields["wikidata"]["constraints"]["pattern"] == "^Q[1-9][0-9]*$"
    rewrite(tmp_path / "acteurs.csv", "siren", "12345")
    assert any("constraint" in problem and "siren" in problem for problem in problems(path))


def test_the_admin_edits_them_in_their_own_group(superuser_client):
    actor = make_actor(name="Lab de l'admin", siren=SIREN)
    page = superuser_client.get(f"/admin/actors/actor/{actor.pk}/change/").content.decode()
    assert "<h2>Identifiants</h2>" in page or ">Identifiants<" in page
    assert f'name="siren" value="{SIREN}"' in page and 'name="wikidata"' in page
