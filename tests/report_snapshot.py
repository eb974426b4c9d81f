"""The report's data for tests that flush the database (live server, threads): loaded once,
then copied back in a fraction of a second before each of them.

Loading the report through `load_report` takes seconds (every actor is published with its
history); the browser journeys need it forty times. On PostgreSQL the first load is kept in a
schema of its own and later tests get the same rows back with `INSERT … SELECT`; elsewhere
(SQLite) the command runs each time.

In parallel (pytest-xdist) the schema needs no worker's name: a schema lives inside one
database, and every worker has a test database of its own (test_tips_gw0, test_tips_gw1…), so
each worker keeps its own copy, made by its first test that needs it.
"""

import io
import uuid

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from tips_map.models import ROW_ID, DataVersion

SCHEMA = "test_report_snapshot"


def tables() -> list[str]:
    """Every table Django manages (history and many-to-many tables included)."""
    return sorted(connection.introspection.django_table_names(only_existing=True))


def saved() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
        return cursor.fetchone() is not None


def save() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{SCHEMA}"')
        for table in tables():
            cursor.execute(f'CREATE TABLE "{SCHEMA}"."{table}" AS TABLE "{table}"')


def restore() -> None:
    names = tables()
    quoted = ", ".join(f'"{table}"' for table in names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} CASCADE")
        # Django's foreign keys are deferred to the commit: the order of the copies is free.
        for table in names:
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{SCHEMA}"."{table}"')
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        # A new epoch: no payload cached by an earlier test may be served from this copy.
        DataVersion.objects.filter(pk=ROW_ID).update(epoch=uuid.uuid4())
    ContentType.objects.clear_cache()  # the flush's post_migrate cached other ids


def load() -> None:
    if connection.vendor != "postgresql":
        call_command("load_report", stdout=io.StringIO())
        return
    if not saved():
        call_command("load_report", stdout=io.StringIO())
        save()
    restore()
