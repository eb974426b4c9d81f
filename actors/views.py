import json
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from network import bundle as network_bundle
from relations.models import DIRECTED_TYPES, Relation, RelationType
from relations.typology import DESCRIPTIONS as RELATION_DESCRIPTIONS
from territories.models import Territory
from tips_map import payloads

from .filters import ActorFilter
from .models import Actor, ActorType, ActorTypeEntry, Lifecycle
from .typology import DEFINITIONS

PAGE_SIZE = 50
# ?tri= values of the list; each ends with the name so that ties read alphabetically.
SORTS = {
    "nom": ["sort_name"],
    "-nom": ["-sort_name"],
    "type": ["type", "sort_name"],
    "-type": ["-type", "sort_name"],
    "commune": ["commune_name", "sort_name"],
    "-commune": ["-commune_name", "sort_name"],
    "cycle": ["lifecycle", "sort_name"],
    "-cycle": ["-lifecycle", "sort_name"],
}
MAP_FIELDS = ["slug", "name", "type", "lat", "lon", "commune", "flags"]
FLAG_DISAPPEARED, FLAG_ABROAD = 1, 2


def filtered(request) -> ActorFilter:
    return ActorFilter(request.GET or None, queryset=Actor.objects.all())


def type_counts(filterset: ActorFilter) -> list[tuple[ActorType, int]]:
    """Actors per main type under every filter but the type one: what ticking a type would give."""
    counts = dict(
        filterset.without("type").qs.order_by().values_list("type").annotate(n=Count("id"))
    )
    return [(t, counts.get(t, 0)) for t in ActorType]


def explore_context(request, filterset: ActorFilter) -> dict:
    return {
        "filter": filterset,
        "type_counts": type_counts(filterset),
        "query": request.GET.urlencode(),
        "explore_config": {
            "dataUrl": reverse("actors:map_data"),
            "boundariesUrl": reverse("territories:boundaries"),
            "embedUrl": reverse("actors:embed"),
            "types": {t.value: str(t.label) for t in ActorType},
            "labels": {
                "shown": gettext("Acteurs affichés : %(n)s"),
                "error": gettext("Les données de la carte n'ont pas pu être chargées."),
                "gone": gettext("Acteur disparu"),
            },
        },
    }


def home(request):
    """The map, with the filters it shares with the list."""
    filterset = filtered(request)
    return render(request, "actors/map.html", explore_context(request, filterset))


@xframe_options_exempt
def embed(request):
    """The map alone, for other sites' iframes; the filters come from the URL."""
    filterset = filtered(request)
    return render(request, "actors/embed.html", explore_context(request, filterset))


def map_payload(filterset: ActorFilter) -> bytes:
    """Every filtered actor in one compact JSON payload: a row per actor, fields named once."""
    rows = filterset.qs.order_by("sort_name").values_list(
        "slug",
        "short_name",
        "name",
        "type",
        "latitude",
        "longitude",
        "commune_name",
        "lifecycle",
        "country",
    )
    type_index = {t: i for i, t in enumerate(ActorType.values)}
    actors = [
        [
            slug,
            short_name or name,
            type_index[actor_type],
            round(latitude, 5),
            round(longitude, 5),
            commune,
            (FLAG_DISAPPEARED if lifecycle == Lifecycle.DISPARU else 0)
            | (FLAG_ABROAD if country != "FR" else 0),
        ]
        for slug, short_name, name, actor_type, latitude, longitude, commune, lifecycle, country in rows
        if latitude is not None
    ]
    payload = {
        "fields": MAP_FIELDS,
        "types": ActorType.values,
        "counts": {t.value: n for t, n in type_counts(filterset)},
        "actors": actors,
    }
    return json.dumps(
        payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode()


@payloads.served_early
def map_data(request):
    """The map's payload, built once per query string and data version, with an ETag.

    Any validated change moves the data version: the next request in every process rebuilds.
    A client that has the payload gets a 304.
    """
    payload = payloads.current(payloads.name_of(request), lambda: map_payload(filtered(request)))
    return payloads.response(request, payload, "application/json")


def actor_list(request):
    """The filtered actors as a sortable, paginated table: the map's accessible equivalent."""
    filterset = filtered(request)
    sort = request.GET.get("tri", "nom")
    actors = (
        filterset.qs.order_by(*SORTS.get(sort, SORTS["nom"]))
        .select_related("territory")
        .only(
            "name",
            "short_name",
            "slug",
            "acronym",
            "type",
            "commune_name",
            "lifecycle",
            "scope",
            "territory__name",
            "territory__slug",
        )
    )
    page = Paginator(actors, PAGE_SIZE).get_page(request.GET.get("page"))
    context = explore_context(request, filterset)
    context.update(
        {
            "page": page,
            "sort": sort if sort in SORTS else "nom",
            "columns": [
                ("nom", _("Nom")),
                ("type", _("Type")),
                ("commune", _("Commune")),
                ("cycle", _("Cycle de vie")),
            ],
        }
    )
    return render(request, "actors/list.html", context)


def detail(request, slug):
    """An actor's card: every public field, its relations by type, and a mini-map."""
    relation_qs = Relation.objects.select_related("source", "target")
    actor = get_object_or_404(
        Actor.objects.select_related("parent", "territory").prefetch_related(
            "secondary_types",
            "contacts",
            Prefetch(
                "services", queryset=Actor.objects.only("name", "short_name", "slug", "parent_id")
            ),
            Prefetch("relations_as_source", queryset=relation_qs),
            Prefetch("relations_as_target", queryset=relation_qs),
        ),
        slug=slug,
    )
    relations = sorted(
        [*actor.relations_as_source.all(), *actor.relations_as_target.all()],
        key=lambda r: (r.type, r.other(actor).sort_name),
    )
    by_type = {}
    for relation in relations:
        by_type.setdefault(relation.get_type_display(), []).append(
            {
                "relation": relation,
                "partner": relation.other(actor),
                "provides": relation.is_directed and relation.source_id == actor.pk,
            }
        )
    return render(
        request,
        "actors/detail.html",
        {
            "actor": actor,
            "definition": DEFINITIONS[ActorType(actor.type)],
            "relations_by_type": by_type.items(),
            "territories": actor.territory.ancestors() + [actor.territory]
            if actor.territory
            else [],
            "mini_map": mini_map_data(actor, relations),
            # Where the actor stands in the network: kept per data version, one query on a hit.
            "standing": network_bundle.standing(actor),
        },
    )


def mini_map_data(actor: Actor, relations: list[Relation]) -> dict:
    """The actor, its partners and one line per relation, for the card's map."""
    partners = {}
    lines = []
    for relation in relations:
        partner = relation.other(actor)
        if partner.latitude is None:
            continue
        partners[partner.slug] = partner.map_point()
        lines.append(
            {"type": relation.type, "from": relation.source.slug, "to": relation.target.slug}
        )
    return {"actor": actor.map_point(), "partners": list(partners.values()), "lines": lines}


def typology(request):
    """The report's typology of actors and relations, and what this map is."""
    actors = Actor.objects.only("name", "short_name", "slug", "report_lines")
    examples = {t: [] for t in ActorType}
    for actor in actors:
        cited = set(actor.cited_lines())
        for actor_type, definition in DEFINITIONS.items():
            if definition.examples_line in cited:
                examples[actor_type].append(actor)
    return render(
        request,
        "actors/typology.html",
        {
            "types": [(t, DEFINITIONS[t], examples[t]) for t in ActorType],
            "relation_types": [(t, RELATION_DESCRIPTIONS[t]) for t in RelationType],
        },
    )


# Public history ----------------------------------------------------------------------------

# Translators: Django date format of a version in the public history ("12 mars 2023 à 14 h 05").
VERSION_DATE_FORMAT = _(r"j F Y \à G \h i")
HISTORY_KINDS = {"+": _("création"), "~": _("modification"), "-": _("suppression")}
HISTORY_CLASSES = {"+": "created", "~": "changed", "-": "deleted"}
# The reverse accessor from a historical actor to its secondary types at that version.
SECONDARY_TYPES_ROWS = "historicalactor_secondary_types_set"


@dataclass
class Version:
    """One historical record, ready for the public page: never who, only "la chaire"."""

    record: object
    kind: str
    by_chair: bool
    reason: str
    changes: list = field(default_factory=list)
    subject: str = ""
    restore_url: str = ""
    contribution_id: int | None = None
    contributor: str = ""

    @property
    def css_class(self) -> str:
        return HISTORY_CLASSES.get(self.record.history_type, "changed")


def version_date(record) -> str:
    """The record's date as the public history writes it, in the active language."""
    return formats.date_format(timezone.localtime(record.history_date), str(VERSION_DATE_FORMAT))


def shown_value(model_field, value, names: dict) -> str:
    """A field's value as the public reads it: labels, names, localised numbers, "—" if empty."""
    if value is None or value == "":
        return "—"
    if model_field.many_to_one:
        return names.get((model_field.related_model, value)) or gettext("élément supprimé")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("oui") if value else gettext("non")
    return str(formats.localize(value))


def secondary_type_keys(record) -> list[str]:
    return sorted(row.actortypeentry_id for row in getattr(record, SECONDARY_TYPES_ROWS).all())


def secondary_type_labels(keys: list[str]) -> str:
    return ", ".join(str(ActorTypeEntry(key=key)) for key in keys) or "—"


def field_changes(record, previous, names: dict) -> list[tuple[str, str, str]]:
    """(verbose name, old, new) for each field `record` changed since `previous`.

    The secondary types are compared on their prefetched rows, so that the page's queries do not
    grow with the number of versions (diff_against would query them for each version).
    """
    model = record.instance_type
    m2m_names = [f.name for f in record._history_m2m_fields]
    delta = record.diff_against(previous, excluded_fields=m2m_names)
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        changes.append(
            (
                model_field.verbose_name,
                shown_value(model_field, change.old, names),
                shown_value(model_field, change.new, names),
            )
        )
    if "secondary_types" in m2m_names:
        old, new = secondary_type_keys(previous), secondary_type_keys(record)
        if old != new:
            changes.append(
                (
                    model._meta.get_field("secondary_types").verbose_name,
                    secondary_type_labels(old),
                    secondary_type_labels(new),
                )
            )
    return changes


def related_names(records) -> dict:
    """{(model, pk): name} for every actor and territory the records point to: two queries."""
    wanted = {Actor: set(), Territory: set()}
    for record in records:
        for tracked in record.tracked_fields:
            value = getattr(record, tracked.attname)
            if tracked.many_to_one and value is not None and tracked.related_model in wanted:
                wanted[tracked.related_model].add(value)
    names = {}
    if wanted[Actor]:
        for actor in Actor.objects.filter(pk__in=wanted[Actor]).only("name", "short_name"):
            names[(Actor, actor.pk)] = actor.display_name
    if wanted[Territory]:
        for pk, name in Territory.objects.filter(pk__in=wanted[Territory]).values_list(
            "pk", "name"
        ):
            names[(Territory, pk)] = name
    return names


def versions_of(records, names: dict, describe=None, restore_url=None) -> list[Version]:
    """Versions newest first; each modification compared with the previous version of its object.

    The previous version is found among `records` (all versions of each object are loaded at
    once) rather than through `record.prev_record`, which would cost a query per version.
    """
    chronological = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_of = {}
    last_by_object = {}
    for record in chronological:
        previous_of[record.history_id] = last_by_object.get(record.id)
        last_by_object[record.id] = record
    versions = []
    for record in reversed(chronological):
        previous = previous_of[record.history_id]
        versions.append(
            Version(
                record=record,
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                by_chair=record.history_user_id is not None,
                reason=record.history_change_reason or "",
                changes=field_changes(record, previous, names)
                if record.history_type == "~" and previous is not None
                else [],
                subject=describe(record) if describe else "",
                restore_url=restore_url(record) if restore_url else "",
            )
        )
    return versions


def describe_relation(record, names: dict) -> str:
    """ "Source — Target (Collaboration)" as the relation was at that version."""
    unknown = gettext("acteur supprimé")
    source = names.get((Actor, record.source_id)) or unknown
    target = names.get((Actor, record.target_id)) or unknown
    arrow = "→" if record.type in DIRECTED_TYPES else "—"
    return f"{source} {arrow} {target} ({record.get_type_display()})"


CONTRIBUTION_REASON = re.compile(r"^Contribution n° (\d+)$")


def credit_contributors(versions: list[Version]) -> None:
    """Name the contributor behind a version, only if they consented; one query in all."""
    from contributions.models import Contribution

    for version in versions:
        match = CONTRIBUTION_REASON.match(version.reason)
        version.contribution_id = int(match.group(1)) if match else None
    ids = {v.contribution_id for v in versions if v.contribution_id}
    names = (
        dict(
            Contribution.objects.filter(pk__in=ids, show_name=True).values_list(
                "pk", "contributor_name"
            )
        )
        if ids
        else {}
    )
    for version in versions:
        version.contributor = names.get(version.contribution_id, "")


def history(request, slug):
    """Every version of an actor and of every relation that ever involved it, newest first."""
    actor = get_object_or_404(Actor.objects.only("name", "short_name", "slug"), slug=slug)
    actor_records = list(
        actor.history.all().prefetch_related(SECONDARY_TYPES_ROWS).order_by("-history_date")
    )
    involved = Relation.history.filter(Q(source_id=actor.pk) | Q(target_id=actor.pk)).values("id")
    relation_records = list(Relation.history.filter(id__in=involved))
    names = related_names([*actor_records, *relation_records])
    names[(Actor, actor.pk)] = actor.display_name
    actor_versions = versions_of(
        actor_records,
        names,
        restore_url=(lambda r: reverse("actors:restore", args=[actor.slug, r.history_id]))
        if request.user.has_perm("actors.change_actor")
        else None,
    )
    relation_versions = versions_of(
        relation_records,
        names,
        describe=lambda r: describe_relation(r, names),
        restore_url=(lambda r: reverse("actors:restore_relation", args=[actor.slug, r.history_id]))
        if request.user.has_perm("relations.change_relation")
        else None,
    )
    credit_contributors([*actor_versions, *relation_versions])
    sections = [
        {
            "id": "actor-versions",
            "title": _("La fiche de l'acteur"),
            "versions": actor_versions,
            "empty": _("Aucune version enregistrée."),
        },
        {
            "id": "relation-versions",
            "title": _("Ses relations"),
            "versions": relation_versions,
            "empty": _("Aucune relation enregistrée."),
        },
    ]
    return render(
        request,
        "actors/history.html",
        {"actor": actor, "date_format": VERSION_DATE_FORMAT, "sections": sections},
    )


def restoration_reason(record) -> str:
    # Reasons are stored data, written in French like every other reason of the history.
    with translation.override("fr"):
        return f"Restauration de la version du {version_date(record)}"


def missing_links(instance) -> list[str]:
    """Verbose names of the foreign keys whose target no longer exists."""
    missing = []
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname)
        if (
            model_field.many_to_one
            and value is not None
            and not model_field.related_model._base_manager.filter(pk=value).exists()
        ):
            missing.append(str(model_field.verbose_name))
    return missing


def restore(request, instance, record, save) -> bool:
    """Save `instance` as `record` had it, as a new version; False (and a message) if refused.

    Constraints are checked before saving so that the visitor reads why; the transaction undoes
    everything if the database refuses it anyway.
    """
    model = type(instance)
    instance._state.adding = not model._base_manager.filter(pk=instance.pk).exists()
    instance._change_reason = restoration_reason(record)
    try:
        missing = missing_links(instance)
        if missing:
            raise ValidationError(
                gettext("ce qu'elle désigne n'existe plus (%(fields)s).")
                % {"fields": ", ".join(missing)}
            )
        instance.validate_constraints()
        with transaction.atomic():
            save(instance)
    except ValidationError as error:
        messages.error(
            request,
            gettext("Cette version n'a pas été restaurée : %(reason)s")
            % {"reason": " ".join(error.messages)},
        )
        return False
    except IntegrityError:
        messages.error(
            request,
            gettext("Cette version n'a pas été restaurée : elle contredit les données actuelles."),
        )
        return False
    messages.success(
        request,
        gettext("La version du %(date)s a été restaurée.") % {"date": version_date(record)},
    )
    return True


@require_POST
def restore_actor(request, slug, history_id):
    """Moderators: make an earlier version of the actor (and its secondary types) current."""
    if not request.user.has_perm("actors.change_actor"):
        raise PermissionDenied
    actor = get_object_or_404(Actor, slug=slug)
    record = get_object_or_404(
        actor.history.prefetch_related(SECONDARY_TYPES_ROWS), history_id=history_id
    )
    instance = record.instance

    def save(instance):
        # The secondary types first, without a version of their own, so that the save below
        # records the whole restored state as a single new version.
        instance.skip_history_when_saving = True
        try:
            instance.secondary_types.set(secondary_type_keys(record))
        finally:
            del instance.skip_history_when_saving
        instance.save()

    restore(request, instance, record, save)
    slug = Actor.objects.filter(pk=actor.pk).values_list("slug", flat=True).get()
    return redirect("actors:history", slug=slug)


@require_POST
def restore_relation(request, slug, history_id):
    """Moderators: make an earlier version of one of the actor's relations current again,
    re-creating it if it was deleted."""
    if not request.user.has_perm("relations.change_relation"):
        raise PermissionDenied
    actor = get_object_or_404(Actor.objects.only("slug"), slug=slug)
    involved = Relation.history.filter(Q(source_id=actor.pk) | Q(target_id=actor.pk)).values("id")
    record = get_object_or_404(Relation.history.filter(id__in=involved), history_id=history_id)
    instance = record.instance
    instance.normalize()
    restore(request, instance, record, lambda relation: relation.save())
    return redirect("actors:history", slug=actor.slug)


# Suggestions for the contribution form -----------------------------------------------------

SUGGESTIONS_MAX = 20
SUGGESTIONS_MIN_LENGTH = 2


def suggestions(request):
    """Actors matching what a contributor types in a partner or parent field, as JSON.

    The public search (`Actor.objects.search`: folded name, acronym, commune, missions, so
    "metropole" finds "Métropole"), at most 20 results, in one query: names (usual or full)
    that start with the text first, then names that contain it, then the other matches, each
    group alphabetically. Disappeared actors are included and flagged: a relation to one can be
    legitimate. Only public fields of published actors: proposals wait in contributions until
    validated, and contacts or emails are not in this table.
    """
    # Imported here: this section is appended to a module other work is editing at the top.
    from django.db.models import Case, Value, When
    from django.http import JsonResponse

    from tips_map.text import fold

    text = request.GET.get("q", "")[:100].strip()
    folded = fold(text)
    if len(folded) < SUGGESTIONS_MIN_LENGTH:
        return JsonResponse({"results": []})
    rank = Case(
        # search_text begins with the folded full name (see Actor.save).
        When(Q(sort_name__startswith=folded) | Q(search_text__startswith=folded), then=Value(0)),
        When(Q(sort_name__contains=folded) | Q(name__icontains=text), then=Value(1)),
        default=Value(2),
    )
    rows = (
        Actor.objects.search(folded)
        .annotate(rank=rank)
        .order_by("rank", "sort_name", "slug")
        .values_list("name", "slug", "commune_name", "type", "lifecycle")[:SUGGESTIONS_MAX]
    )
    labels = dict(ActorType.choices)
    results = [
        {
            "name": name,
            "slug": slug,
            "commune": commune,
            "type_label": str(labels.get(actor_type, "")),
            "disappeared": lifecycle == Lifecycle.DISPARU,
        }
        for name, slug, commune, actor_type, lifecycle in rows
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
