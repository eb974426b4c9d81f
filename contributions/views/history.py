"""An actor's public history (its card's versions and its relations'), and the moderators'
restore buttons."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from actors.models import Actor
from relations.models import Relation

from ..access import is_moderator, moderator_required
from ..history import (
    SECONDARY_TYPES_ROWS,
    VERSION_DATE_FORMAT,
    NotRestored,
    credit_contributors,
    describe_relation,
    related_names,
    restore_actor,
    restore_relation,
    version_date,
    versions_of,
)
from . import merge


def relation_records_of(actor: Actor):
    """Every version of every relation that ever involved the actor, deleted ones included."""
    involved = Relation.history.filter(Q(source_id=actor.pk) | Q(target_id=actor.pk)).values("id")
    return Relation.history.filter(id__in=involved)


def history(request, slug):
    """Every version of an actor and of every relation that ever involved it, newest first."""
    # Actor.every: a merged actor keeps its history, linked to the actor it went into.
    actor = get_object_or_404(Actor.every.only("name", "short_name", "slug"), slug=slug)
    actor_records = list(
        actor.history.all().prefetch_related(SECONDARY_TYPES_ROWS).order_by("-history_date")
    )
    relation_records = list(relation_records_of(actor))
    names = related_names([*actor_records, *relation_records])
    names[(Actor, actor.pk)] = actor.display_name
    restorable = is_moderator(request.user)
    actor_versions = versions_of(
        actor_records,
        names,
        restore_url=(lambda r: reverse("contributions:restore", args=[actor.slug, r.history_id]))
        if restorable
        else None,
    )
    relation_versions = versions_of(
        relation_records,
        names,
        describe=lambda r: describe_relation(r, names),
        restore_url=(
            lambda r: reverse("contributions:restore_relation", args=[actor.slug, r.history_id])
        )
        if restorable
        else None,
    )
    credit_contributors([*actor_versions, *relation_versions])
    merge.annotate(actor_versions, actor, request)
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
        "contributions/history.html",
        {"actor": actor, "date_format": VERSION_DATE_FORMAT, "sections": sections},
    )


def restored(request, record, restore) -> None:
    """Restore, and tell the moderator how it went."""
    try:
        restore()
    except NotRestored as refusal:
        messages.error(
            request,
            gettext("Cette version n'a pas été restaurée : %(reason)s") % {"reason": refusal},
        )
    else:
        messages.success(
            request,
            gettext("La version du %(date)s a été restaurée.") % {"date": version_date(record)},
        )


@require_POST
@moderator_required
def restore_actor_version(request, slug, history_id):
    """Make an earlier version of the actor (and its secondary types) current again."""
    actor = get_object_or_404(Actor, slug=slug)
    record = get_object_or_404(
        actor.history.prefetch_related(SECONDARY_TYPES_ROWS), history_id=history_id
    )
    restored(request, record, lambda: restore_actor(actor, record))
    slug = Actor.every.filter(pk=actor.pk).values_list("slug", flat=True).get()
    return redirect("contributions:history", slug=slug)


@require_POST
@moderator_required
def restore_relation_version(request, slug, history_id):
    """Make an earlier version of one of the actor's relations current again, re-created if
    it was deleted."""
    actor = get_object_or_404(Actor.objects.only("slug"), slug=slug)
    record = get_object_or_404(relation_records_of(actor), history_id=history_id)
    restored(request, record, lambda: restore_relation(record))
    return redirect("contributions:history", slug=actor.slug)
