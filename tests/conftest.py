import io
import os

import pytest
from django.core.management import call_command

from bench.chromium import ARGS, CHROMIUM

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside
# one unless told it is safe, which it is here (one thread drives the browser, the server is apart).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The report's ecosystem, loaded once into the test database (PostgreSQL in CI)."""
    with django_db_blocker.unblock():
        call_command("load_report", stdout=io.StringIO())


@pytest.fixture
def report_data(transactional_db):
    """For live-server tests: they flush the database afterwards, so they load it themselves."""
    call_command("load_report", stdout=io.StringIO())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded one; no background traffic on this closed network.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ARGS,
    }
