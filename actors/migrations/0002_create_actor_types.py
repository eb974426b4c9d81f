"""One row per actor type of the report's typology, so secondary types can point at them."""

from django.db import migrations

TYPES = [
    "cellule_innovation",
    "promotion_accompagnement",
    "intermediation",
    "formation_recherche",
    "prestataire",
    "reseau_communaute",
    "autre",
]


def create_types(apps, schema_editor):
    ActorTypeEntry = apps.get_model("actors", "ActorTypeEntry")
    for key in TYPES:
        ActorTypeEntry.objects.get_or_create(key=key)


def delete_types(apps, schema_editor):
    apps.get_model("actors", "ActorTypeEntry").objects.filter(key__in=TYPES).delete()


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(create_types, delete_types)]
