"""Lint and migrations are checked like any other behaviour."""

import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        raise AssertionError(f"Missing migrations:\n{out.getvalue()}") from exit_


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_runs_without_gdal():
    # django-leaflet's admin module needs GDAL; the project must not import it anywhere.
    code = (
        "import django, os; os.environ['DJANGO_DEBUG']='1'; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tips_map.settings'); django.setup(); "
        "import tips_map.urls, sys; print('leaflet.admin' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
