import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """When the data version last moved, for the API's Last-Modified. The triggers that set it
    are installed again after every migrate (tips_map.models.install, on post_migrate)."""

    dependencies = [
        ("tips_map", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="modifiée le"
            ),
        ),
    ]
