"""Scale out: two gunicorn app servers on one PostgreSQL database and one shared cache.

Both serve the same thing at every moment: a proposal validated through one server is on the map,
the list and its card at the very next request through the other, and the per-IP limit of
proposals counts the requests sent to both. The servers run as in production (DJANGO_DEBUG=0,
gunicorn, static files from WhiteNoise), on the test database that pytest-django created; the
data they read is committed (transactional tests). See docs/production.md.
"""

import html
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from gunicorn.config import Config

from actors.models import Actor
from contributions.models import Contribution, Status

from ..contributions.helpers import actor_form_data
from ..factories import PASSWORD, pending_new_actor

GUNICORN = Path(sys.executable).parent / "gunicorn"
MAP = "/acteurs/carte.json"
NEW_NAME = "Atelier des communs publics de Riom"
LIMIT_MESSAGE = "la carte en limite le nombre par heure"
# gunicorn >= 25.1 opens a control socket at one path per user: two instances would share it.
NO_CONTROL_SOCKET = ["--no-control-socket"] if "control_socket_disable" in Config().settings else []
# In parallel, both tests in one worker (one pair of servers, not one per worker), never beside the
# benchmark: tests/conftest.py, SERVERS.
pytestmark = pytest.mark.xdist_group("servers")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database (not the configured one), as the app servers' DATABASE_URL."""
    db = connection.settings_dict
    quote = lambda value: urllib.parse.quote(str(value or ""), safe="")  # noqa: E731
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{host}{port}/{quote(db['NAME'])}"


def server_env() -> dict:
    """Production settings, as every app server gets them: only the port differs."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TIPS_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tips_map.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="scale-out-test-key-shared-by-every-app-server-0123456789",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url(),
        # No TIPS_CACHE_URL: the default cache, a table of the same database.
        TIPS_CONTRIBUTIONS_PER_IP="3/h",
        TIPS_CONTRIBUTIONS_PER_EMAIL="10/h",
        # As behind a load balancer: the client's address comes in a header it sets.
        TIPS_CLIENT_IP_HEADER="X-Real-IP",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    return env


def wait_until_serving(process, port, log: Path, deadline: float):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on port {port} exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
    pytest.fail(f"gunicorn on port {port} did not answer in time:\n{log.read_text()}")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two app servers, A and B, each `gunicorn --workers 1` on its own port."""
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", "the app servers share a PostgreSQL database"
        call_command("createcachetable")  # the shared cache; idempotent
        env = server_env()
    logs = tmp_path_factory.mktemp("gunicorn")
    started = []
    try:
        for name in "AB":
            port = free_port()
            log = logs / f"{name}.log"
            with log.open("w") as output:
                process = subprocess.Popen(
                    [GUNICORN, "tips_map.wsgi:application"]
                    + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"]
                    + NO_CONTROL_SOCKET,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, port, log))
        deadline = time.monotonic() + 30
        for process, port, log in started:
            wait_until_serving(process, port, log, deadline)
        yield [f"http://127.0.0.1:{port}" for _process, port, _log in started]
    finally:
        for process, _port, _log in started:
            process.terminate()
        for process, _port, _log in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def shared(servers, report_data):
    """The report's data, committed; the shared cache emptied (rate counters of earlier tests)."""
    cache.clear()
    return servers


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    def csrf_token(self) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text).group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is what the tests look at


class Browser:
    """One person's browser. Its cookies go to both servers (one host, as behind a load
    balancer); `client_ip` is the address the load balancer passes on in X-Real-IP."""

    def __init__(self, client_ip="198.51.100.1"):
        self.client_ip = client_ip
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, server, path, data=None, headers=None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            server + path, data=body, headers={"X-Real-IP": self.client_ip, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return Response(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode())

    def get(self, server, path, **headers) -> Response:
        return self.request(server, path, headers=headers)

    def submit(self, server, form_path, data, action=None) -> Response:
        """Fill in the form found at form_path and send it, with its CSRF token."""
        token = self.get(server, form_path).csrf_token()
        return self.request(server, action or form_path, {**data, "csrfmiddlewaretoken": token})


def map_names(response: Response) -> dict:
    assert response.status == 200
    return {row[0]: row[1] for row in json.loads(response.text)["actors"]}


def new_actor_proposal() -> Contribution:
    return pending_new_actor(name=NEW_NAME, latitude=45.894, longitude=3.113, commune_name="Riom")


@pytest.mark.django_db(transaction=True)
def test_a_validation_through_one_server_shows_at_once_through_the_other(shared, moderator):
    a, b = shared
    proposal = new_actor_proposal()
    archipel = Actor.objects.get(slug="archipel")
    visitor = Browser()

    # Both servers serve the map data, a card and the static files.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', visitor.get(b, "/").text).group(1)
    for server in (a, b):
        assert map_names(visitor.get(server, MAP))["archipel"] == archipel.short_name
        card = visitor.get(server, "/acteurs/archipel/")
        assert card.status == 200 and archipel.name in html.unescape(card.text)
        css = visitor.get(server, stylesheet)
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")

    # B has built and cached the map data; it answers a revalidation with 304.
    before = visitor.get(b, MAP)
    assert NEW_NAME not in map_names(before).values()
    assert visitor.get(b, MAP, **{"If-None-Match": before.headers["ETag"]}).status == 304
    assert NEW_NAME not in visitor.get(b, "/acteurs/?q=Riom").text

    # The moderator logs in through A; the session holds on B as well.
    moderating = Browser("198.51.100.2")
    login = moderating.submit(
        a, "/connexion/", {"username": moderator.username, "password": PASSWORD}
    )
    assert login.status == 302 and login.headers["Location"] == "/moderation/"
    assert NEW_NAME in moderating.get(b, "/moderation/").text

    # Validated through A...
    decision = moderating.submit(a, f"/moderation/{proposal.pk}/", {"action": "valider"})
    assert decision.status == 302
    assert "Proposition validée et publiée." in moderating.get(a, "/moderation/").text

    # ...it is what B answers at the very next request: no stale 304, a new ETag, the new actor.
    after = visitor.get(b, MAP, **{"If-None-Match": before.headers["ETag"]})
    assert after.status == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    slug = next(slug for slug, name in map_names(after).items() if name == NEW_NAME)
    card = visitor.get(b, f"/acteurs/{slug}/")
    assert card.status == 200 and NEW_NAME in html.unescape(card.text)
    assert NEW_NAME in html.unescape(visitor.get(b, "/acteurs/?q=Riom").text)
    # Both servers now give the same payload.
    assert visitor.get(a, MAP).headers["ETag"] == after.headers["ETag"]
    proposal.refresh_from_db()
    assert proposal.status == Status.VALIDATED
    assert Actor.objects.filter(name=NEW_NAME).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_limit_of_proposals_per_ip_holds_across_both_servers(shared):
    a, b = shared
    someone = Browser("203.0.113.7")

    def propose(browser, server, n):
        data = actor_form_data(
            **{
                "acteur-name": f"Tiers-lieu d'essai numéro {n}",
                "contributeur-contributor_email": f"personne{n}@example.org",
            }
        )
        return browser.submit(server, "/contribuer/", {**data, "not_a_duplicate": "on"})

    # TIPS_CONTRIBUTIONS_PER_IP=3/h: three accepted, alternately through A and B...
    assert [propose(someone, server, n).status for n, server in enumerate([a, b, a])] == [
        302,
        302,
        302,
    ]
    # ...the fourth is refused whichever server gets it, explained, the input kept.
    for n, server in [(3, b), (4, a)]:
        refused = propose(someone, server, n)
        assert refused.status == 429
        assert LIMIT_MESSAGE in html.unescape(refused.text)
        assert f"Tiers-lieu d'essai numéro {n}" in html.unescape(refused.text)
    names = set(Contribution.objects.values_list("actor_label", flat=True))
    assert names == {f"Tiers-lieu d'essai numéro {n}" for n in range(3)}

    # Someone else behind the same load balancer is not blocked by it.
    assert propose(Browser("203.0.113.8"), b, 5).status == 302
    assert Contribution.objects.count() == 4
