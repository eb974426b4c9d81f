import django.utils.timezone
from django.db import migrations, models


def drop_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilds tips_map_dataversion to add the column; while the old table is gone, the
    rename checks every trigger's body, and the data-version triggers name that table: drop them
    first (a database made before this migration has them). PostgreSQL adds the column in place."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE 'tips\\_map\\_data\\_version\\_%' ESCAPE '\\'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')


class Migration(migrations.Migration):
    """When the data version last moved, for the API's Last-Modified. The triggers that set it
    are installed again after every migrate (tips_map.models.install, on post_migrate)."""

    dependencies = [
        ("tips_map", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="dataversion",
            name="changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="modifiée le"
            ),
        ),
        # The same before the column is removed, when migrating back.
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_triggers, elidable=True),
    ]
