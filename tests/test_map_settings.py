"""The maps' backgrounds come from the settings: Plan IGN then OpenStreetMap by default, one's
own tile server, or none at all (an offline kiosk); a bad name stops the start."""

import json
import subprocess

import pytest

from tests.test_settings import run_settings

SHOW_BACKGROUNDS = (
    "import json, tips_map.settings as s;"
    "print(json.dumps([[b['key'], b['url'], b['attribution'] if isinstance(b['attribution'], str)"
    " else ''] for b in s.MAP_BACKGROUNDS]))"
)


def backgrounds(**env) -> subprocess.CompletedProcess:
    return run_settings(
        SHOW_BACKGROUNDS, ("DJANGO_", "TIPS_TILES", "TIPS_MAP"), DJANGO_DEBUG="1", **env
    )


def keys(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [key for key, _url, _attribution in json.loads(result.stdout)]


def test_plan_ign_then_openstreetmap_by_default():
    result = backgrounds()
    assert keys(result) == ["ign", "osm"]
    ign = json.loads(result.stdout)[0]
    assert "data.geopf.fr/wmts" in ign[1] and "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in ign[1]
    assert "IGN" in ign[2]


def test_the_backgrounds_can_be_turned_off():
    assert keys(backgrounds(TIPS_MAP_BACKGROUNDS="none")) == []


def test_ones_own_tile_server_replaces_them_or_joins_them():
    own = {"TIPS_TILES_URL": "https://tiles.example.org/{z}/{x}/{y}.png"}
    assert keys(backgrounds(**own)) == ["custom"]
    assert keys(backgrounds(**own, TIPS_MAP_BACKGROUNDS="custom,osm")) == ["custom", "osm"]


def test_an_unknown_background_stops_the_start():
    result = backgrounds(TIPS_MAP_BACKGROUNDS="ign,googlemaps")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "googlemaps" in result.stderr


@pytest.mark.django_db
def test_a_map_page_passes_no_background_when_there_is_none(client, settings):
    settings.MAP_BACKGROUNDS = []
    page = client.get("/integrer/").content.decode()
    start = page.index('<script id="map-layers-config" type="application/json">')
    config = json.loads(page[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert config["backgrounds"] == []
    assert config["labels"]["none"] == "Sans fond de carte"
