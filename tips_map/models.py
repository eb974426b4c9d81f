"""The version of the validated data: one number that moves with every change, in every process.

Every cache of data built from the validated records (the map's payload, the exports, the network
measures) is keyed by this version, so nothing stale is ever served: the database itself moves the
number, with triggers on the tables the public sees, in the same transaction as the change. No
code path can forget it, bulk inserts, raw SQL and `QuerySet.update()` included. Reading it is a
primary-key lookup.

The same triggers record when the number last moved (`changed_at`): the API's Last-Modified. The
data's own dates (`updated_at`) cannot give it: a deletion or a territory's edit leaves no date
behind, and a reloaded dump brings older ones back.
"""

import uuid

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The tables whose rows appear in public pages, payloads and exports.
WATCHED_TABLES = [
    "actors_actor",
    "actors_actor_secondary_types",
    "actors_contact",
    "relations_relation",
    "territories_territory",
]
ROW_ID = 1


class DataVersion(models.Model):
    """A single row. `epoch` changes when the row is created again (a flushed database), so a
    number counted again from zero cannot meet a key cached before the flush."""

    epoch = models.UUIDField(default=uuid.uuid4)
    number = models.BigIntegerField(default=0)
    # When `number` last moved, by the database's clock; never earlier than the time it held.
    changed_at = models.DateTimeField(_("modifiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version des données")

    def __str__(self) -> str:
        return f"{self.epoch.hex[:8]}:{self.number}"

    @classmethod
    def key(cls) -> str:
        """The current version as a string, for cache keys. One query."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT epoch, number FROM {table} WHERE id = %s", [ROW_ID])
            row = cursor.fetchone()
        if row is None:  # between a flush and post_migrate: never reuse a cached payload
            return f"missing:{uuid.uuid4().hex}"
        epoch, number = row
        return f"{uuid.UUID(str(epoch)).hex}:{number}"


def trigger_sql(vendor: str, tables: list[str]) -> list[str]:
    """Statements creating (idempotently) the triggers that move the version.

    The new number is never one the row held before, even after a rolled-back transaction (a
    payload built inside it must never match a later version): a sequence on PostgreSQL, which
    rollbacks do not rewind, a random 64-bit number on SQLite (development). Its moment is the
    clock's at the change (PostgreSQL's now() would be the transaction's start, the same for a
    whole test), and never goes back, whatever the clock does.
    """
    if vendor == "postgresql":
        bump = (
            f"UPDATE tips_map_dataversion SET number = nextval('tips_map_data_version_seq'),"
            f" changed_at = GREATEST(changed_at, clock_timestamp()) WHERE id = {ROW_ID}"
        )
        statements = [
            "CREATE SEQUENCE IF NOT EXISTS tips_map_data_version_seq",
            "CREATE OR REPLACE FUNCTION tips_map_bump_data_version() RETURNS trigger AS $$"
            f" BEGIN {bump}; RETURN NULL; END; $$ LANGUAGE plpgsql",
        ]
        statements += [
            f"CREATE OR REPLACE TRIGGER tips_map_data_version AFTER INSERT OR UPDATE OR DELETE"
            f" OR TRUNCATE ON {table} FOR EACH STATEMENT"
            " EXECUTE FUNCTION tips_map_bump_data_version()"
            for table in tables
        ]
        return statements
    if vendor == "sqlite":  # row-level only; SQLite drops a table's triggers when it rebuilds it
        # The moment as Django writes it on SQLite (UTC, "2026-12-02 05:58:00.123"), so that
        # max() compares texts of one form.
        moment = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
        bump = (
            f"UPDATE tips_map_dataversion SET number = random(),"
            f" changed_at = max(changed_at, {moment}) WHERE id = {ROW_ID}"
        )
        statements = []
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"tips_map_data_version_{table}_{event.lower()}"
                # Dropped first: a database made before a change of `bump` keeps the old body.
                statements += [
                    f"DROP TRIGGER IF EXISTS {name}",
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {bump}; END",
                ]
        return statements
    raise NotImplementedError(f"no data version triggers for {vendor}")


def install(using: str = "default") -> None:
    """Ensure the row and the triggers; run after every migrate and flush (post_migrate), since
    SQLite loses a table's triggers when a migration rebuilds the table."""
    from django.db import connections

    conn = connections[using]
    DataVersion.objects.using(using).get_or_create(id=ROW_ID)
    existing = set(conn.introspection.table_names())
    tables = [t for t in WATCHED_TABLES if t in existing]  # all but in a partial migrate
    with conn.cursor() as cursor:
        for statement in trigger_sql(conn.vendor, tables):
            cursor.execute(statement)
