import io
import os
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings

from bench.chromium import ARGS, CHROMIUM
from network import bundle as network_bundle
from tests import report_snapshot
from tests.factories import PASSWORD, make_moderator, make_territory_moderator, make_user
from tips_map import payloads

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside
# one unless told it is safe, which it is here (one thread drives the browser, the server is apart).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# In parallel (pytest-xdist, `./dev test` runs `-n auto`): each worker is a process of its own
# with its own test database (pytest-django names it test_tips_gw0, test_tips_gw1…), so what a
# worker's tests write there, the report snapshot's schema included, is theirs alone. What is
# shared between workers is handled here; docs/architecture.md, "Tests in parallel", says how to
# write a test that stays safe.

# Distribution modes that keep every worker's tests in the collection's order. pytest-django
# sorts the database tests first and the transactional ones (live server, threads) after them,
# because these flush the database, the report's data included: a worker that ran one of them
# first would give the next database test an empty database. `load` hands out tests in order;
# `loadgroup` too when its reordering of groups is off. `loadfile`, `loadscope` and `worksteal`
# move tests ahead of others.
ORDERED_DIST = {"no", "load", "each"}
# Tests that start servers of their own (SERVERS: the small benchmark's PostgreSQL, gunicorn,
# Chromium and wrk; the scale-out test's two gunicorns) are marked
# `pytest.mark.xdist_group("servers")`: one worker runs them one after the other, so that they
# never load the two cores at the same moment, and the scale-out module starts its pair of
# servers once. A group runs where its first test stands in the order: put in one group only
# tests of one kind (database, transactional, or no database).


def pytest_configure(config):
    dist = config.getoption("dist", "no")
    reorder = config.getoption("loadscopereorder", False)
    if dist == "loadgroup" and not reorder:
        return
    if dist not in ORDERED_DIST:
        hint = "--dist loadgroup --no-loadscope-reorder" if dist == "loadgroup" else "--dist load"
        raise pytest.UsageError(
            f"--dist {dist} runs a worker's tests out of the collection's order: a database "
            f"test could follow a transactional test's flush there. Use {hint}."
        )


def rename(item: pytest.Item, nodeid: str) -> None:
    if hasattr(item, "_id"):  # pytest 9 keeps a structured id
        from _pytest.nodes import coerce_node_id

        item._id = coerce_node_id(nodeid)
    else:
        item._nodeid = nodeid


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every test gets an id of its own. schemathesis gives its tests, one per API operation, the
    id of their function: serially they all run, but pytest-xdist hands out tests by id and would
    run one of the nine. Their names tell them apart (`…[GET /api/actors/]`)."""
    seen = {}
    for item in items:
        seen.setdefault(item.nodeid, []).append(item)
    for nodeid, same in seen.items():
        if len(same) > 1:
            for item in same:
                rename(item, f"{nodeid.rpartition('::')[0]}::{item.name}")
    ids = [item.nodeid for item in items]
    if len(set(ids)) != len(ids):
        raise pytest.UsageError("two tests share an id: pytest-xdist would run only one")


def pytest_sessionstart(session):
    """pytest-playwright empties its output folder (test-results/, where the screenshots go) when
    a session starts; every worker's session would delete what another worker had written
    already, or the folder a test is writing into. Here only the controller (or the only
    process when serial) empties it, once, before any worker starts."""
    if hasattr(session.config, "workerinput"):
        return
    output = session.config.getoption("--output", None)
    if output:
        shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def few_password_rounds():
    """tests/hashers.py: the personas' passwords hashed in a millisecond, not 0.4 s."""
    with override_settings(PASSWORD_HASHERS=["tests.hashers.FewRoundsPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir():
    """Replaces pytest-playwright's fixture of that name: see pytest_sessionstart."""


@pytest.fixture(autouse=True)
def forget_what_the_process_served():
    """Each test starts as a process that has served nothing yet. The payloads and the network
    kept in memory are keyed by the data version, and a test's rollback gives the next test the
    same version number again, with other data: without this, a test would read what an earlier
    test of its worker left, and pass or fail with the order (the two query-count tests of the
    card did, in parallel)."""
    payloads.STORE.clear()
    network_bundle.clear_memo()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The report's ecosystem, loaded once into the test database (PostgreSQL in CI)."""
    with django_db_blocker.unblock():
        call_command("load_report", stdout=io.StringIO())


@pytest.fixture
def report_data(transactional_db):
    """For live-server tests: they flush the database afterwards, so they load it themselves
    (a copy of the first load, tests/report_snapshot.py)."""
    report_snapshot.load()


# Personas: who may do what, each a user and a client logged in as that user. The anonymous
# visitor is pytest-django's plain `client`. tests/test_permissions.py says what each may do.


@pytest.fixture
def contributor(db) -> User:
    """Léa has an account and no permission: she proposes, nothing more."""
    return make_user("lea", "lea@example.org")


@pytest.fixture
def staff(db) -> User:
    """Sam is staff: he may enter the admin, with no permission there, and may not moderate."""
    return make_user("sam", "sam@chaire.example", is_staff=True)


@pytest.fixture
def moderator(db) -> User:
    """Modo is in the group Modérateurs (rebuilt when a live-server test flushed it away)."""
    return make_moderator()


@pytest.fixture
def territory_moderator(db) -> User:
    """Dominique moderates the Puy-de-Dôme: the proposals located there (Clermont-Ferrand's
    included) or whose relations touch it; not Lyon's, no restore, no import."""
    return make_territory_moderator()


@pytest.fixture
def superuser(db) -> User:
    """Every permission, the moderators' included, and the admin."""
    return User.objects.create_superuser("admin", "admin@chaire.example", PASSWORD)


def logged_in(persona: str):
    """The fixture `<persona>_client`: a client of its own, logged in as the persona."""

    @pytest.fixture(name=f"{persona}_client")
    def client_fixture(request) -> Client:
        client = Client()
        client.force_login(request.getfixturevalue(persona))
        return client

    return client_fixture


contributor_client = logged_in("contributor")
staff_client = logged_in("staff")
moderator_client = logged_in("moderator")
territory_moderator_client = logged_in("territory_moderator")
superuser_client = logged_in("superuser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded one; no background traffic on this closed network.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ARGS,
    }
