"""Settings fail loudly on a bad environment instead of running half-configured."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

IMPORT_SETTINGS = "import tips_map.settings as s; print(s.DATABASES['default']['ENGINE'])"


def run_settings(
    code: str = IMPORT_SETTINGS, dropped=("DJANGO_", "DATABASE_URL"), **env
) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python that reads the settings from this environment, without the
    variables whose names start with `dropped`, and with `env`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
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


def test_the_production_environment_passes_check_deploy():
    """`check --deploy` is clean with the environment of docs/production.md; without HTTPS
    (TIPS_HTTPS, off for development and tests) it points at what is missing."""
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-production-key-of-fifty-characters-or-more-0123456789",
        "DJANGO_ALLOWED_HOSTS": "tips.example.org",
        "DATABASE_URL": "postgres://tips@127.0.0.1:5432/tips",
        "TIPS_HTTPS": "1",
        "TIPS_SITE_URL": "https://tips.example.org",
    }
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "TIPS_"))
    }

    def check_deploy(**env):
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            env={**environment, **env},
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )

    result = check_deploy(**production)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    plain_http = check_deploy(**{**production, "TIPS_HTTPS": "0"})
    assert plain_http.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in plain_http.stderr
    # Left on the local default, the site's address would start every published URI.
    production.pop("TIPS_SITE_URL")
    local_uris = check_deploy(**production)
    assert local_uris.returncode != 0 and "tips_map.W001" in local_uris.stderr
