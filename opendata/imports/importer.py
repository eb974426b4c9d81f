"""Writing what a parser read: published at once through the model's `publish`, or sent to
the moderators through `contributions.proposals` (--to-moderation), in one transaction."""

import base64
from difflib import SequenceMatcher
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actors.models import PROPOSED_FIELDS, Actor, ActorType, ActorTypeEntry
from contributions import proposals
from contributions.models import NEW, Status
from contributions.proposals import Contributor
from relations.models import Relation, RelationType
from tips_map.sources import ProvenanceKind
from tips_map.text import fold

from ..models import ImportSource, ImportSystem
from .csv_file import CsvParser
from .gogocarto import GogocartoParser
from .merge import merged
from .report import (
    CREATE,
    ERROR,
    MODERATION,
    SKIP,
    UPDATE,
    VALID,
    BadFile,
    Candidate,
    ImportReport,
    RowReport,
)

# Writing ------------------------------------------------------------------------------------


def contributor_email(user) -> str:
    if user is not None and getattr(user, "email", ""):
        return user.email
    configured = getattr(settings, "TIPS_IMPORT_CONTRIBUTOR_EMAIL", "")
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "import@localhost"


class Importer:
    """Runs a parser's candidates into the database: publish, or send to moderation."""

    def __init__(
        self,
        parser,
        *,
        dry_run=False,
        to_moderation=False,
        user=None,
        email="",
        today=None,
        accept_similar=(),
    ):
        self.parser = parser
        # The rows (line numbers, element ids) published although like a published actor.
        self.accept_similar = {str(a).strip() for a in accept_similar if str(a).strip()}
        self.dry_run = dry_run
        self.to_moderation = to_moderation
        self.user = user
        self.email = email or contributor_email(user)
        self.today = today or timezone.localdate()
        self.contributions = []
        # The rows proposed as new actors so far: a later row like one of them is flagged.
        self.proposed_rows: list[proposals.Proposed] = []

    def run(self, content: bytes) -> ImportReport:
        report = ImportReport(self.parser.system, self.dry_run, self.to_moderation)
        try:
            candidates = self.parser.parse(content, report)
        except BadFile as error:
            report.file_errors.append(str(error))
            return report
        seen = {}
        for candidate in candidates:
            if candidate.key in seen and not candidate.errors:
                candidate.errors.append(f"doublon de {seen[candidate.key]} (même clé)")
            seen.setdefault(candidate.key, candidate.where)
        if any(c.errors for c in candidates):
            # A bad file is reported whole, and nothing is written.
            for candidate in candidates:
                row = self.row(candidate)
                row.action = VALID
                if candidate.errors:
                    row.action, row.errors = ERROR, list(candidate.errors)
                report.rows.append(row)
            return report
        with transaction.atomic():
            self.write(candidates, report)
            if self.dry_run or not report.ok:
                transaction.set_rollback(True)
            else:
                report.applied = True
        return report

    @staticmethod
    def row(candidate: Candidate) -> RowReport:
        return RowReport(candidate.where, candidate.name, warnings=list(candidate.warnings))

    def write(self, candidates: list, report: ImportReport) -> None:
        for key in ActorType.values:
            ActorTypeEntry.objects.get_or_create(key=key)
        sources = {
            s.key: s
            for s in ImportSource.objects.filter(system=self.parser.system).select_related(
                "actor", "contribution__actor"
            )
        }
        actors = {}  # key -> published actor, for the relations
        rows = {}
        for candidate in candidates:
            row = self.row(candidate)
            rows[candidate.key] = row
            report.rows.append(row)
            source = sources.get(candidate.key)
            actor = self.known_actor(source)
            try:
                if candidate.skip_reason and not (self.to_moderation and candidate.pending):
                    row.action = SKIP
                    row.reasons.append(candidate.skip_reason)
                    continue
                if self.to_moderation:
                    self.propose(candidate, actor, source, row, sources)
                else:
                    actor = self.publish(candidate, actor, source, row)
            except ValidationError as error:
                row.action = ERROR
                row.errors += [
                    f"{name} : {message}" if name != "__all__" else message
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
                continue
            if actor is not None:
                actors[candidate.key] = actor
                row.actor_slug = actor.slug
        if not self.to_moderation and report.ok:
            self.publish_relations(candidates, actors, sources, rows, report)
        report.relations_proposed = sum(
            len(c.proposed.get("relations", [])) for c in self.contributions
        )

    @staticmethod
    def known_actor(source: ImportSource | None) -> Actor | None:
        if source is None:
            return None
        if source.actor is not None:
            return source.actor
        # Sent to moderation earlier, and validated since: the contribution made the actor.
        if source.contribution and source.contribution.status == Status.VALIDATED:
            return source.contribution.actor
        return None

    # Publishing ------------------------------------------------------------------------------

    @staticmethod
    def published_values(candidate: Candidate) -> dict:
        """What a candidate writes: an import never erases, an empty cell leaves a value be."""
        return {k: v for k, v in candidate.values.items() if v not in ("", None)}

    def publish(self, candidate, actor, source, row) -> Actor | None:
        digest = candidate.digest()
        if actor is not None and source is not None and source.digest == digest:
            row.action = SKIP
            row.reasons.append("inchangé depuis l'import précédent")
            return actor
        if actor is None:
            actor = Actor.objects.same_name(candidate.name)
            if actor is not None:
                row.reasons.append("rattaché à l'acteur publié de même nom")
        if actor is None and self.is_held_as_similar(candidate, row):
            return None
        row.action = UPDATE
        created = (
            source is not None and source.created and source.actor_id == getattr(actor, "pk", None)
        )
        if actor is None:
            actor = Actor(slug=Actor.objects.free_slug(candidate.name))
            row.action, created = CREATE, True
        merge = merged(actor, candidate, self.published_values(candidate), curated=not created)
        row.warnings += merge.conflicts
        changed = []
        if merge.values or merge.secondary_types is not None or merge.contacts is not None:
            # Where the record's facts now come from: this source, its row and its licence.
            provenance = {
                "provenance": ProvenanceKind.IMPORT,
                "provenance_detail": self.parser.provenance(candidate),
            }
            changed = actor.publish(
                {**merge.values, **provenance},
                reason=self.parser.reason(candidate, self.today),
                secondary_types=merge.secondary_types,
                contacts=merge.contacts,
                checked_on=self.today,
            )
            changed = [name for name in changed if name not in provenance]
        if row.action == UPDATE and not changed:
            row.action = SKIP
            row.reasons.append("aucune différence avec la fiche publiée")
        elif row.action == UPDATE:
            row.reasons.append("modifié : " + ", ".join(map(field_label, changed)))
        if row.action == CREATE and "latitude" not in candidate.values:
            row.reasons.append("sans coordonnées")
        ImportSource.objects.update_or_create(
            system=self.parser.system,
            key=candidate.key,
            defaults={
                "actor": actor,
                "digest": digest,
                "label": candidate.name[:300],
                "licence": self.parser.licence.key,
                "created": bool(created),
            },
        )
        return actor

    def is_held_as_similar(self, candidate, row) -> bool:
        """A new actor whose name is close to a published one's is not published unless its
        row is accepted (--accept-similar): held, and reported.

        The flags are the form's (contributions.proposals.similar, all shown on the row); a
        row is held for those whose full name is close (difflib ratio at least 0.8, the
        form's "close name": "Laboratoire Archipell" for "Laboratoire Archipel"), a typo
        that would otherwise make a duplicate. A name merely inside the other ("Cabinet"
        holds "INET", a city's lab holds the city) is most often another organisation: it
        is flagged, not held, or most rows of a real file would wait."""
        found = proposals.similar(candidate.values)
        row.similar = found
        folded = fold(candidate.name)
        close = [f for f in found if SequenceMatcher(None, folded, fold(f.name)).ratio() >= 0.8]
        number = candidate.where.rsplit(" ", 1)[-1]
        if not close or {candidate.where, number, candidate.key} & self.accept_similar:
            return False
        row.action = SKIP
        names = ", ".join(f"« {flag.name} »" for flag in close[:3])
        row.reasons.append(
            f"proche de {names}, non importé : relancez avec --accept-similar {number} "
            "(ou « Lignes à publier malgré un nom proche » sur la page d'import), "
            "ou envoyez-le en modération"
        )
        return True

    def publish_relations(self, candidates, actors, sources, rows, report) -> None:
        done = set()
        for candidate in candidates:
            actor = actors.get(candidate.key)
            if actor is None:
                continue
            row = rows[candidate.key]
            for link in candidate.links:
                partner = actors.get(link.key) or self.known_actor(sources.get(link.key))
                label = f"{RelationType(link.type).label} avec « {link.name} »"
                if partner is None:
                    row.warnings.append(
                        f"relation {label} (élément {link.key}) ignorée : "
                        "élément absent du fichier ou non publié"
                    )
                    continue
                if partner.pk == actor.pk:
                    row.warnings.append(
                        f"relation {label} ignorée : l'élément {link.key} désigne le même acteur"
                    )
                    continue
                source, target = (partner, actor) if link.inverse else (actor, partner)
                probe = Relation.objects.stored_or_new(source, target, link.type)
                signature = (probe.source_id, probe.target_id, probe.type)
                if signature in done:
                    continue
                done.add(signature)
                if probe.pk is not None:
                    report.relations_existing += 1
                    continue
                try:
                    probe.publish(
                        {
                            "provenance": ProvenanceKind.IMPORT,
                            "provenance_detail": self.parser.provenance(candidate),
                        },
                        reason=self.parser.reason(candidate, self.today),
                        checked_on=self.today,
                    )
                except ValidationError as error:
                    row.action = ERROR
                    row.errors += [f"relation {label} : {m}" for m in error.messages]
                    continue
                report.relations_created += 1
                row.reasons.append(f"relation créée : {label}")

    # Moderation ------------------------------------------------------------------------------

    def propose(self, candidate, actor, source, row, sources) -> None:
        digest = candidate.digest()
        contribution = source.contribution if source else None
        if (
            contribution is not None
            and contribution.status == Status.PENDING
            and source.pending_digest == digest
        ):
            row.action = SKIP
            row.reasons.append(f"déjà en attente de modération (proposition n° {contribution.pk})")
            return
        if actor is not None and source is not None and source.digest == digest:
            row.action = SKIP
            row.reasons.append("inchangé depuis l'import précédent")
            return
        if actor is None:
            actor = Actor.objects.same_name(candidate.name)
        values = self.proposed_values(candidate, actor)
        relations = self.proposed_relations(candidate, actor, sources, row)
        if actor is None:
            # Checked now, so that a moderator never gets a proposal that cannot be applied.
            probe = Actor(slug=Actor.objects.free_slug(candidate.name), **candidate.values)
            probe.full_clean(validate_unique=False, validate_constraints=False)
            row.similar = proposals.similar(values, self.proposed_rows)
            contribution = proposals.new_actor(values, relations, similar=row.similar)
        else:
            contribution = proposals.correction(actor, values, relations)
        if contribution is None:
            row.action = SKIP
            row.reasons.append("aucune différence avec la fiche publiée")
            return
        reason = self.parser.reason(candidate, self.today)
        contributor = Contributor(
            name=self.parser.contributor_name, email=self.email, message=reason, imported=True
        )
        proposals.submit(contribution, contributor)
        self.contributions.append(contribution)
        if actor is None:
            self.proposed_rows.append(
                proposals.Proposed(
                    candidate.name,
                    values.get("latitude"),
                    values.get("longitude"),
                    candidate.where,
                    contribution.pk,
                )
            )
        ImportSource.objects.update_or_create(
            system=self.parser.system,
            key=candidate.key,
            defaults={
                "actor": actor,
                "contribution": contribution,
                "pending_digest": digest,
                "label": candidate.name[:300],
            },
        )
        row.action = MODERATION
        row.reasons.append(
            f"proposition n° {contribution.pk} : "
            + ("nouvel acteur" if actor is None else "correction")
        )

    def proposed_values(self, candidate: Candidate, actor: Actor | None) -> dict:
        """A candidate's values as a proposal: the proposable fields and the position's
        precision (a GoGoCarto position would otherwise read "town hall" on the card); for a
        published actor, only non-empty values and no position less precise than its own."""
        proposable = {*PROPOSED_FIELDS, "location_precision"}
        values = {k: v for k, v in candidate.values.items() if k in proposable}
        if candidate.secondary_types is not None:
            values["secondary_types"] = sorted(
                set(candidate.secondary_types) - {values.get("type")}
            )
        if actor is None:
            return values
        values = {k: v for k, v in values.items() if v not in ("", None)}
        if actor.is_placed_better_than(values):
            for name in ("latitude", "longitude", "location_precision"):
                values.pop(name, None)
        return values

    def proposed_relations(self, candidate, actor, sources, row) -> list:
        relations = []
        for link in candidate.links:
            partner = self.known_actor(sources.get(link.key))
            label = f"{RelationType(link.type).label} avec « {link.name} »"
            if partner is None:
                row.warnings.append(
                    f"relation {label} non proposée : l'élément {link.key} n'est pas encore "
                    "publié (réimportez après sa validation)"
                )
                continue
            if actor is not None:
                if partner.pk == actor.pk:
                    continue
                if Relation.objects.stored_or_new(actor, partner, link.type).pk is not None:
                    continue
            me = actor.slug if actor is not None else NEW
            source, target = (partner.slug, me) if link.inverse else (me, partner.slug)
            relations.append(
                {
                    "source": source,
                    "target": target,
                    "type": link.type,
                    "description": "",
                    "source_detail": self.parser.provenance(candidate),
                }
            )
        return relations


# Helpers for the upload page ----------------------------------------------------------------


def field_label(name: str) -> str:
    """How the report names a changed field: its French verbose name."""
    return "contacts" if name == "contacts" else str(Actor._meta.get_field(name).verbose_name)


def make_parser(kind: str, options: dict):
    if kind == ImportSystem.CSV:
        return CsvParser(
            columns=options.get("map"),
            delimiter=options.get("delimiter", ""),
            encoding=options.get("encoding", ""),
            licence=options.get("licence") or "",
        )
    return GogocartoParser(
        categories=options.get("category"),
        links=options.get("link"),
        fields=options.get("map"),
        licence=options.get("licence") or "",
    )


def encode_content(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def decode_content(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
