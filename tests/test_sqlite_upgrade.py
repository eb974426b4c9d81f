"""The embedded default keeps working across versions: a SQLite database made by an earlier
version (`./dev run` yesterday) migrates to today's, its data-version triggers included.

SQLite adds a column by rebuilding the table; while the old table is gone, renaming the new
one checks every trigger's body, and the data-version triggers of the public tables name
tips_map_dataversion: adding `changed_at` to it failed with "no such table" on every database
made before (fresh databases, migrated before any trigger exists, never showed it)."""

import os
import subprocess
import sys

from django.conf import settings

# In a fresh Python on a SQLite file: every app migrated but tips_map's second migration, and
# the triggers as the first version installed them (their body moved only `number`); then
# today's `migrate`.
UPGRADE = """
import uuid
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tips_map.models import ROW_ID, WATCHED_TABLES

executor = MigrationExecutor(connection)
targets = [key for key in executor.loader.graph.leaf_nodes() if key[0] != "tips_map"]
executor.migrate(targets + [("tips_map", "0001_initial")])
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO tips_map_dataversion (id, epoch, number) VALUES (%s, %s, 1)",
        [ROW_ID, uuid.uuid4().hex],
    )
    for table in WATCHED_TABLES:
        cursor.execute(
            f"CREATE TRIGGER tips_map_data_version_{table}_insert AFTER INSERT ON {table}"
            f" BEGIN UPDATE tips_map_dataversion SET number = random() WHERE id = {ROW_ID}; END"
        )
call_command("migrate", verbosity=0)
from tips_map.models import DataVersion
before = DataVersion.objects.values_list("number", "changed_at").get()
from territories.models import Territory
Territory.objects.create(name="Commune ajoutée", slug="commune-ajoutee", level="commune", code="99999")
after = DataVersion.objects.values_list("number", "changed_at").get()
print("moved" if after[0] != before[0] and after[1] >= before[1] else "still")
"""


def test_a_database_of_the_previous_version_migrates_and_its_triggers_still_move(tmp_path):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="tips_map.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", UPGRADE],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=300,  # a hang guard, not a speed check
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "moved"
