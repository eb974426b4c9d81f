"""The map's published data as downloadable files: CSV, GeoJSON, GEXF, GraphML and a full dump.

Only the published tables are read (actors, relations, territories): they hold validated data
only, contributions stay in their own table and never reach an export. Each export lists its
fields explicitly, so that internal fields (search_text, sort_name, timestamps, history users,
contributors' emails) cannot slip in when a model gains a column.

Every builder makes a fixed number of queries whatever the number of actors (select_related,
prefetch_related, one query for the départements), and returns bytes. Labels are always French,
whatever the visitor's language: the files are the dataset, not a page.
"""

import csv
import datetime
import functools
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from actors.identifiers import IDENTIFIER_FIELDS, actor_uri
from actors.models import PUBLIC_FIELDS, Actor, Contact, data_date, data_datetime
from relations.models import PUBLIC_FIELDS as RELATION_FIELDS
from relations.models import Relation
from territories.models import Level, Territory

from . import network_files

DUMP_FORMAT = "tips-map-dump"
DUMP_VERSION = 1
CREATOR = "Chaire Transformations de l'action publique, Sciences Po Lyon — TIPs map"
DEFAULT_LICENCE_NAME = "Licence Ouverte 2.0 (Etalab)"
DEFAULT_LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


# --- Date, licence, citation -------------------------------------------------------------


def licence() -> dict:
    return {
        "name": getattr(settings, "DATA_LICENCE_NAME", "") or DEFAULT_LICENCE_NAME,
        "url": getattr(settings, "DATA_LICENCE_URL", "") or DEFAULT_LICENCE_URL,
    }


def citation(date: datetime.date) -> str:
    """How to cite the data, e.g. "… — TIPs map, données du 27/11/2025"."""
    return f"{CREATOR}, données du {date:%d/%m/%Y}"


def description(date: datetime.date) -> str:
    """One paragraph for the files' metadata: what, who, when, under which licence."""
    terms = licence()
    return (
        "Acteurs organisés de l'innovation publique et leurs relations (TIPs map). "
        f"Citer : {citation(date)}. Licence : {terms['name']} ({terms['url']})."
    )


# --- Reading the published data, in a fixed number of queries ---------------------------


# What an export reads of an actor's parent, territory, or of a relation's ends: loading whole
# rows decoded every territory's boundary (GeoJSON) for every actor.
TERRITORY_READ = ["slug", "name", "level", "code", "path"]
END_READ = ["slug", "name", "short_name"]


def published_actors():
    """Every published actor (disappeared ones too: the lifecycle column says so), by id."""
    return (
        Actor.objects.select_related("parent", "territory")
        .defer(
            *(
                f"parent__{f.name}"
                for f in Actor._meta.concrete_fields
                if f.name not in ("id", *END_READ)
            )
        )
        .defer(
            *(
                f"territory__{f.name}"
                for f in Territory._meta.concrete_fields
                if f.name not in ("id", *TERRITORY_READ)
            )
        )
        .prefetch_related(
            "secondary_types",
            Prefetch("contacts", queryset=Contact.objects.order_by("position", "id")),
        )
        .order_by("pk")
    )


def published_relations():
    return (
        Relation.objects.select_related("source", "target")
        .only(*RELATION_FIELDS, *(f"{end}__{f}" for end in ("source", "target") for f in END_READ))
        .order_by("pk")
    )


def departements_by_code() -> dict[str, Territory]:
    return {t.code: t for t in Territory.objects.filter(level=Level.DEPARTEMENT)}


def departement_of(territory: Territory | None, departements: dict) -> Territory | None:
    """The département above (or equal to) a territory, read from its path "84/63/…/"."""
    if territory is None:
        return None
    codes = territory.path.strip("/").split("/")
    return departements.get(codes[1]) if len(codes) > 1 else None


@functools.cache
def french_choices(model, field: str) -> dict[str, str]:
    """A choice field's labels in French, by key: read once, not translated again per cell
    (get_FOO_display under translation.override was most of a CSV's time)."""
    with translation.override("fr"):
        return {key: str(text) for key, text in model._meta.get_field(field).flatchoices}


def label(instance, field: str) -> str:
    """The French label of a choice field ("" when empty)."""
    value = getattr(instance, field)
    if not value:
        return ""
    return french_choices(type(instance), field).get(value, str(value))


def contacts_text(actor: Actor) -> str:
    """ "Name — function; Name" as one cell."""
    return "; ".join(
        f"{c.name} — {c.function}" if c.function else c.name for c in actor.contacts.all()
    )


def secondary_type_keys(actor: Actor) -> list[str]:
    return sorted(entry.key for entry in actor.secondary_types.all())


def territory_key(territory: Territory | None) -> list[str] | None:
    """Natural key of a territory: [level, code] (codes repeat across levels)."""
    return [territory.level, territory.code] if territory else None


# --- CSV ----------------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Text for a spreadsheet: numbers with a decimal point, formulas neutralised with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# How the CSVs are written, said once for the writer and for datapackage.json's dialect.
CSV_DIALECT = {"delimiter": ";", "lineterminator": "\r\n", "quotechar": '"', "doublequote": True}


def csv_bytes(header: list[str], rows) -> bytes:
    """UTF-8 with a byte order mark, ";" and CRLF: what French Excel and LibreOffice expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, **CSV_DIALECT)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# Column headers that are not the field's French name (kept as the first exports wrote them).
CSV_HEADERS = {
    "type": "type",
    "parent": "organisation parente (identifiant)",
    "territory": "territoire (identifiant)",
    "contacts": "contacts",
    "updated_at": "modifie_le",
    # The registers' identifiers under their own short names: siren, siret, rna, wikidata.
    **{key: key for key in IDENTIFIER_FIELDS},
}
RELATION_HEADERS = {"updated_at": CSV_HEADERS["updated_at"]}


@dataclass(frozen=True)
class Column:
    """A column of a CSV: its header, how a row's cell is read, and what it shows: the model
    `field` and which `part` of it ("value"; "label": a choice's French label; "name": the
    linked record's name; "departement": the département of the territory; "directed": whether
    the relation type has a direction). The data dictionary and the Table Schemas of
    datapackage.json derive from these (opendata/dictionary.py)."""

    header: str
    value: Callable
    field: str | None = None
    part: str = "value"


def actor_columns() -> list[Column]:
    """The actors' CSV: a column per public field (Actor's PUBLIC_FIELDS), headed by its French
    name, choices as their labels; the type's key and label, the territory's name and
    département beside their keys, for a spreadsheet reader."""
    columns = []
    with translation.override("fr"):
        for name in PUBLIC_FIELDS:
            header = CSV_HEADERS.get(name) or str(Actor._meta.get_field(name).verbose_name)
            if name == "type":
                columns += [
                    Column(header, lambda a, d: a.type, name),
                    Column("type (libellé)", choice("type"), name, "label"),
                ]
            elif name == "secondary_types":
                columns.append(Column(header, lambda a, d: ", ".join(secondary_type_keys(a)), name))
            elif name == "parent":
                columns.append(Column(header, lambda a, d: a.parent.slug if a.parent else "", name))
            elif name == "territory":
                columns += [
                    Column(header, lambda a, d: a.territory.slug if a.territory else "", name),
                    Column(
                        "territoire",
                        lambda a, d: a.territory.name if a.territory else "",
                        name,
                        "name",
                    ),
                    Column(
                        "département",
                        lambda a, d: departement_name(a.territory, d),
                        name,
                        "departement",
                    ),
                ]
            elif name == "contacts":
                columns.append(Column(header, lambda a, d: contacts_text(a), name))
            elif Actor._meta.get_field(name).choices:
                columns.append(Column(header, choice(name), name, "label"))
            else:
                columns.append(Column(header, lambda a, d, name=name: getattr(a, name), name))
    return columns


def choice(field: str) -> Callable:
    return lambda instance, departements: label(instance, field)


def departement_name(territory, departements: dict) -> str:
    departement = departement_of(territory, departements)
    return departement.name if departement else ""


def relation_columns() -> list[Column]:
    """The relations' CSV: its id, then a column per public field (relations' PUBLIC_FIELDS);
    each end's identifier beside its name, the type's key beside its label and direction."""
    columns = [Column("identifiant", lambda r, d: r.pk, "id")]
    with translation.override("fr"):
        for name in RELATION_FIELDS:
            header = RELATION_HEADERS.get(name) or str(Relation._meta.get_field(name).verbose_name)
            if name in ("source", "target"):
                columns += [
                    Column(
                        f"{header} (identifiant)", lambda r, d, n=name: getattr(r, n).slug, name
                    ),
                    Column(header, lambda r, d, n=name: getattr(r, n).display_name, name, "name"),
                ]
            elif name == "type":
                columns += [
                    Column(header, lambda r, d: r.type, name),
                    Column(f"{header} (libellé)", choice("type"), name, "label"),
                    Column("orientée", lambda r, d: r.is_directed, name, "directed"),
                ]
            elif Relation._meta.get_field(name).choices:
                columns.append(Column(header, choice(name), name, "label"))
            else:
                columns.append(Column(header, lambda r, d, name=name: getattr(r, name), name))
    return columns


def actors_csv() -> bytes:
    departements = departements_by_code()
    columns = actor_columns()
    rows = [
        [column.value(actor, departements) for column in columns] for actor in published_actors()
    ]
    return csv_bytes([column.header for column in columns], rows)


def relations_csv() -> bytes:
    columns = relation_columns()
    rows = [
        [column.value(relation, None) for column in columns] for relation in published_relations()
    ]
    return csv_bytes([column.header for column in columns], rows)


# --- Records shared by the GeoJSON and the dump --------------------------------------------


def actor_record(actor: Actor, contacts=None, secondary_types=None) -> dict:
    """The public fields of an actor, keys and natural keys only: what the dump reloads.

    `contacts` and `secondary_types`, when given, replace the actor's prefetched ones (see
    `related_of_every_actor`)."""
    record = {}
    values = actor.public_values(contacts=contacts, secondary_types=secondary_types)
    for name, value in values.items():
        if name == "parent":
            value = value or None
        elif name == "territory":
            value = territory_key(actor.territory)
        record[name] = value
        if name == "territory":  # the dump restores it as it was, derived or not
            record["territory_set_by_hand"] = actor.territory_set_by_hand
    return record


def territory_record(territory: Territory, by_id: dict) -> dict:
    parent = by_id.get(territory.parent_id)
    return {
        "level": territory.level,
        "code": territory.code,
        "name": territory.name,
        "slug": territory.slug,
        "parent": territory_key(parent),
        "center": [territory.center_latitude, territory.center_longitude],
        "population": territory.population,
        "boundary": territory.boundary,
    }


def to_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- GeoJSON ---------------------------------------------------------------------------------


def related_of_every_actor() -> tuple[dict, dict]:
    """Contacts and secondary types of every actor as plain rows, in two queries: with them,
    actors can be read in chunks (constant memory) without a prefetch per chunk."""
    contacts, secondary_types = defaultdict(list), defaultdict(list)
    for actor_id, name, function in Contact.objects.order_by("position", "id").values_list(
        "actor_id", "name", "function"
    ):
        contacts[actor_id].append({"name": name, "function": function})
    through = Actor.secondary_types.through.objects.values_list("actor_id", "actortypeentry_id")
    for actor_id, key in through:
        secondary_types[actor_id].append(key)
    return contacts, secondary_types


def actors_geojson() -> bytes:
    return b"".join(actors_geojson_chunks())


def actors_geojson_chunks() -> Iterator[bytes]:
    """The GeoJSON in pieces, a feature at a time: 50,000 actors are 48 MB of JSON, which the
    download compresses as it goes (tips_map.payloads) instead of holding every record."""
    moment = data_datetime()
    departements = departements_by_code()
    head = to_json(
        {
            "type": "FeatureCollection",
            "name": "tips-map-acteurs",
            "licence": licence(),
            "attribution": citation(data_date(moment)),
            "date": moment.isoformat(),
            "features": [],
        }
    )
    opening, closing = head[: -len(b"]}")], b"]}"
    contacts, secondary_types = related_of_every_actor()
    actors = Actor.objects.select_related("parent", "territory").order_by("pk")
    yield opening
    for n, actor in enumerate(actors.iterator(chunk_size=2000)):
        properties = actor_record(actor, contacts[actor.pk], sorted(secondary_types[actor.pk]))
        latitude, longitude = properties.pop("latitude"), properties.pop("longitude")
        departement = departement_of(actor.territory, departements)
        properties.update(
            {
                "type_label": label(actor, "type"),
                "territory": actor.territory.slug if actor.territory else None,
                "territory_name": actor.territory.name if actor.territory else None,
                "departement": departement.name if departement else None,
                "url": actor_uri(actor.slug),
            }
        )
        del properties["territory_set_by_hand"]
        geometry = (
            {"type": "Point", "coordinates": [longitude, latitude]}
            if latitude is not None
            else None
        )
        feature = {"type": "Feature", "id": actor.slug, "geometry": geometry}
        yield (b"," if n else b"") + to_json({**feature, "properties": properties})
    yield closing


# --- Network (GEXF, GraphML): written by opendata/network_files.py -------------------------


def network_metadata() -> dict:
    """What the network files say of themselves: date, creator, description, licence."""
    moment = data_datetime()
    date, terms = data_date(moment), licence()
    graph = {
        "description": description(date),
        "creator": CREATOR,
        "date": moment.isoformat(),
        "licence": terms["name"],
        "licence_url": terms["url"],
    }
    return {"date": date, "creator": CREATOR, "description": graph["description"], "graph": graph}


def network_gexf(part: str | None = None) -> bytes:
    """The mixed network, or one of its parts (network_files.PARTS) for networkx and igraph."""
    return network_files.gexf(network_metadata(), part)


def network_graphml(part: str | None = None) -> bytes:
    return network_files.graphml(network_metadata(), part)


# --- Full dump -------------------------------------------------------------------------------


def dump() -> bytes:
    """Everything published, with natural keys, in a file that `manage.py load_dump` reloads."""
    moment = data_datetime()
    territories = list(Territory.objects.order_by("path"))  # parents before their children
    by_id = {t.pk: t for t in territories}
    return to_json(
        {
            "format": DUMP_FORMAT,
            "version": DUMP_VERSION,
            "date": moment.isoformat(),
            "licence": licence(),
            "attribution": citation(data_date(moment)),
            "territories": [territory_record(t, by_id) for t in territories],
            "actors": [actor_record(actor) for actor in published_actors()],
            # With their ids: load_dump keeps them (the API's, the CSV's and the network's).
            "relations": [{"id": r.pk, **r.public_values()} for r in published_relations()],
        }
    )


# --- The catalogue the data page, the download routes and their view share ------------------


@dataclass(frozen=True)
class Export:
    key: str
    path: str  # under /donnees/, where opendata/urls.py serves it
    filename: str  # without date and extension
    extension: str
    content_type: str
    build: Callable[[], bytes]
    # The same bytes in pieces, for the download (held compressed, never whole).
    stream: Callable[[], Iterable[bytes]] | None = None

    def filename_for(self, date: datetime.date) -> str:
        return f"tips-map-{self.filename}-{date.isoformat()}.{self.extension}"


EXPORTS = {
    export.key: export
    for export in [
        Export(
            "actors-csv",
            "acteurs.csv",
            "acteurs",
            "csv",
            "text/csv; charset=utf-8",
            actors_csv,
        ),
        Export(
            "relations-csv",
            "relations.csv",
            "relations",
            "csv",
            "text/csv; charset=utf-8",
            relations_csv,
        ),
        Export(
            "actors-geojson",
            "acteurs.geojson",
            "acteurs",
            "geojson",
            "application/geo+json",
            actors_geojson,
            actors_geojson_chunks,
        ),
        Export(
            "network-gexf",
            "reseau.gexf",
            "reseau",
            "gexf",
            "application/xml; charset=utf-8",
            network_gexf,
        ),
        Export(
            "network-graphml",
            "reseau.graphml",
            "reseau",
            "graphml",
            "application/xml; charset=utf-8",
            network_graphml,
        ),
        # The network in two graphs of one directedness each, for networkx, igraph and R.
        *(
            Export(
                f"network-{part}-{extension}",
                f"{name}.{extension}",
                name,
                extension,
                "application/xml; charset=utf-8",
                functools.partial(build, part),
            )
            for part, name in [("directed", "reseau-oriente"), ("undirected", "reseau-non-oriente")]
            for extension, build in [("gexf", network_gexf), ("graphml", network_graphml)]
        ),
        Export(
            "dump",
            "tips-map.json",
            "export-complet",
            "json",
            "application/json",
            dump,
        ),
    ]
}
