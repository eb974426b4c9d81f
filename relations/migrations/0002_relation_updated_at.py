# When a relation last changed, for ?modifie_depuis= and the feed of changes: indexed, and filled
# from the relation's latest version in the history rather than from whenever it was last saved.

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def from_history(apps, schema_editor):
    Relation = apps.get_model("relations", "Relation")
    HistoricalRelation = apps.get_model("relations", "HistoricalRelation")
    latest = HistoricalRelation.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    Relation._default_manager.update(
        updated_at=Coalesce(Subquery(latest.values("history_date")[:1]), F("updated_at"))
    )


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
