"""The report's ecosystem as data: complete, located, typed and cited line by line."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from actors.models import Actor, ActorType
from relations.models import Relation, RelationType
from territories.models import Level
from tips_map.text import fold

pytestmark = pytest.mark.django_db

REPORT_DIR = Path(settings.BASE_DIR) / "fixtures" / "report"
REPORT = (REPORT_DIR / "rapport-tips-2023.txt").read_text(encoding="utf-8").splitlines()
ACTORS = yaml.safe_load((REPORT_DIR / "actors.yaml").read_text(encoding="utf-8"))
RELATIONS = yaml.safe_load((REPORT_DIR / "relations.yaml").read_text(encoding="utf-8"))

# The annex's actors file of Clermont-Ferrand: "N. Type<TAB>Organisation - Service<TAB>...".
ANNEX_TYPES = {
    "1": ActorType.CELLULE_INNOVATION,
    "2": ActorType.PROMOTION_ACCOMPAGNEMENT,
    "3": ActorType.INTERMEDIATION,
    "4": ActorType.FORMATION_RECHERCHE,
    "5": ActorType.PRESTATAIRE,
    "6": ActorType.RESEAU_COMMUNAUTE,
    "7": ActorType.AUTRE,
}
ANNEX_ROWS = [
    (number, line)
    for number, line in enumerate(REPORT, start=1)
    if number > 2300 and re.match(r"^[1-7]\. [^\t]+\t[^\t]+\t", line)
]


def test_the_report_file_is_the_one_the_lines_refer_to():
    assert len(REPORT) == 2413  # the last line has no newline
    assert REPORT[764].startswith("2.2.1. Une typologie des acteurs organisés")


def test_every_actor_of_the_report_is_loaded_once():
    slugs = [entry["slug"] for entry in ACTORS]
    assert len(slugs) == len(set(slugs))
    assert set(Actor.objects.filter(slug__in=slugs).values_list("slug", flat=True)) == set(slugs)


def test_all_seven_types_are_present():
    assert set(Actor.objects.values_list("type", flat=True)) == set(ActorType.values)


def test_the_clermont_annex_rows_are_all_there_with_their_type():
    assert len(ANNEX_ROWS) == 17
    actors = list(Actor.objects.all())
    for number, line in ANNEX_ROWS:
        expected = ANNEX_TYPES[line[0]]
        citing = [a for a in actors if number in a.cited_lines()]
        assert any(a.type == expected and not a.type_inferred for a in citing), (number, line)


def test_every_actor_is_located_and_inside_france_unless_abroad():
    for actor in Actor.objects.select_related("territory"):
        assert actor.latitude is not None and actor.longitude is not None, actor.slug
        if actor.country == "FR":
            assert actor.territory is not None, f"{actor.slug} is outside every French commune"
            assert actor.territory.level == Level.COMMUNE, actor.slug
        else:
            assert actor.territory is None, actor.slug


def test_each_actor_sits_in_the_commune_the_data_gives():
    territories = dict(Actor.objects.values_list("slug", "territory__code"))
    for entry in ACTORS:
        if entry.get("commune"):
            assert territories[entry["slug"]] == str(entry["commune"]), entry["slug"]


def test_national_actors_sit_outside_the_region_and_say_so(client):
    ditp = Actor.objects.select_related("territory").get(slug="ditp")
    assert not ditp.territory.path.startswith("84/")
    assert "Île-de-France" in client.get(ditp.get_absolute_url()).content.decode()


def test_every_actor_cites_lines_of_the_report_that_name_it():
    for actor in Actor.objects.all():
        lines = actor.cited_lines()
        assert lines, f"{actor.slug} cites no line"
        assert all(1 <= n <= len(REPORT) for n in lines), actor.slug
        cited_text = fold(" ".join(REPORT[n - 1] for n in lines))
        names = {actor.name, actor.short_name, actor.acronym} - {""}
        words = {w for name in names for w in re.findall(r"[\w']{4,}", fold(name))}
        assert any(fold(n) in cited_text for n in names) or any(w in cited_text for w in words), (
            f"{actor.slug}: none of lines {actor.report_lines} names it"
        )


def test_every_relation_joins_two_actors_and_cites_its_lines():
    assert Relation.objects.count() == len(RELATIONS)
    for relation in Relation.objects.all():
        assert relation.source_id != relation.target_id
        assert relation.cited_lines(), relation
        assert all(1 <= n <= len(REPORT) for n in relation.cited_lines())


def test_all_three_relation_types_are_present():
    assert set(Relation.objects.values_list("type", flat=True)) == set(RelationType.values)


def test_inferred_types_and_approximate_locations_are_marked():
    inferred = Actor.objects.filter(type_inferred=True)
    assert inferred.exists()
    labo_63 = Actor.objects.get(slug="labo-63")
    assert labo_63.lifecycle == "disparu"
    assert labo_63.location_precision != "adresse"


def test_the_report_network_memberships_are_collaborations():
    la_piste = Actor.objects.get(slug="la-piste")
    members = Relation.objects.involving(la_piste).filter(type=RelationType.COLLABORATION)
    assert members.count() >= 4
