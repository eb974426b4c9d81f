# When an actor last changed, for ?modifie_depuis= and the feed of changes: indexed, and filled
# from the actor's latest version in the history rather than from whenever a row was last saved.

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def from_history(apps, schema_editor):
    Actor = apps.get_model("actors", "Actor")
    HistoricalActor = apps.get_model("actors", "HistoricalActor")
    latest = HistoricalActor.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    Actor._default_manager.update(
        updated_at=Coalesce(Subquery(latest.values("history_date")[:1]), F("updated_at"))
    )


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
