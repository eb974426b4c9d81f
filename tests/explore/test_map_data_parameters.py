"""GET /acteurs/carte.json, the home map's data: `?disparus=` read as the API reads it (one
parser, actors/filters.py), and a value it cannot read is a 400 in French, not a silent default."""

import json

import pytest

from actors.filters import FALSE_WORDS, TRUE_WORDS
from actors.models import Actor

pytestmark = pytest.mark.django_db
URL = "/acteurs/carte.json"


def shown(client, **params) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    return {row[0] for row in json.loads(response.content)["actors"]}


def test_disparus_takes_the_apis_words_and_anything_else_is_a_400_in_french(client):
    gone = set(
        Actor.objects.exclude(latitude=None)
        .exclude(pk__in=Actor.objects.visible())
        .values_list("slug", flat=True)
    )
    assert "labo-63" in gone
    hidden, every = shown(client), shown(client, disparus="true")
    assert gone <= every and not gone & hidden
    for word in (*TRUE_WORDS, "TRUE", " Oui "):
        assert shown(client, disparus=word) == every, word
    for word in (*FALSE_WORDS, "False"):
        assert shown(client, disparus=word) == hidden, word
    for word in ("peut-etre", "peut-être", "2"):
        response = client.get(URL, {"disparus": word})
        assert response.status_code == 400, word
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["detail"] == "Paramètres invalides."
        [message] = body["errors"]["disparus"]
        assert f"« {word} » n'est pas une valeur possible" in message
        assert "1, true, oui ou on pour afficher ; 0, false, non ou off pour masquer" in message
        # The API answers the same word with the same message.
        api = client.get("/api/actors/", {"disparus": word})
        assert api.status_code == 400 and api.json()["errors"]["disparus"] == [message]
    # A bad value is not kept as if it were a map: the next good request is served as before.
    assert shown(client, disparus="oui") == every
    # The map's page says why beside the filter.
    page = client.get("/", {"disparus": "peut-etre"}).content.decode()
    assert "« peut-etre » n&#x27;est pas une valeur possible" in page
