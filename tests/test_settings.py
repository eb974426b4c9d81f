"""Settings fail loudly on a bad environment instead of running half-configured."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

IMPORT_SETTINGS = "import tips_map.settings as s; print(s.DATABASES['default']['ENGINE'])"


def run_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", IMPORT_SETTINGS],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_sqlite_is_the_embedded_default():
    result = run_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_postgresql_when_configured():
    result = run_settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/tips")
    assert result.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be a boolean"),
        ({"DJANGO_DEBUG": "0"}, "The environment variable DJANGO_SECRET_KEY is required"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short"}, "at least 32 characters"),
        ({"DJANGO_DEBUG": "1", "DATABASE_CONN_MAX_AGE": "forever"}, "must be an integer"),
    ],
)
def test_a_bad_value_stops_the_start_with_a_clear_message(env, message):
    result = run_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_tests_run_against_the_configured_database():
    # CI must exercise PostgreSQL: ./dev test sets DATABASE_URL to its throwaway server.
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)
