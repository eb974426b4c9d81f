"""The "Modérateurs" group: chair admins who validate proposals and edit the published data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Modérateurs"
PERMISSIONS = [
    ("contributions", "moderate_contribution"),
    ("contributions", "view_contribution"),
    ("actors", "view_actor"),
    ("actors", "change_actor"),
    ("actors", "add_actor"),
    ("actors", "delete_actor"),
    ("actors", "view_contact"),
    ("actors", "change_contact"),
    ("actors", "add_contact"),
    ("actors", "delete_contact"),
    ("relations", "view_relation"),
    ("relations", "change_relation"),
    ("relations", "add_relation"),
    ("relations", "delete_relation"),
    ("territories", "view_territory"),
    ("territories", "change_territory"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_contribution"),
        ("actors", "0002_create_actor_types"),
        ("relations", "0001_initial"),
        ("territories", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
