# When an actor last changed, for ?modifie_depuis= and the feed of changes: indexed, and filled
# from the actor's latest version in the history rather than from whenever a row was last saved.

from django.db import migrations, models

from tips_map.sources import dated_by_history

from_history = dated_by_history("actors", "Actor")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0003_actor_merged_into"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="actor",
            index=models.Index(fields=["updated_at"], name="actor_updated_at_idx"),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
