# When a relation last changed, for ?modifie_depuis= and the feed of changes: indexed, and filled
# from the relation's latest version in the history rather than from whenever it was last saved.

from django.db import migrations, models

from tips_map.sources import dated_by_history

from_history = dated_by_history("relations", "Relation")


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="relation",
            index=models.Index(fields=["updated_at"], name="relation_updated_at_idx"),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
