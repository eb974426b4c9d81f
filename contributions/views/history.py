"""An actor's public history (its card's versions and its relations'), and the moderators'
restore: a confirmation page that shows what it would change (GET), then the restore (POST)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

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
    restore_preview,
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


def confirmation(request, actor: Actor, preview) -> HttpResponse:
    """GET of a restore: what it would change, and the button that does it (a POST)."""
    return render(
        request,
        "contributions/history_restore.html",
        {"actor": actor, "preview": preview, "date_format": VERSION_DATE_FORMAT},
    )


@require_http_methods(["GET", "POST"])
@moderator_required
def restore_actor_version(request, slug, history_id):
    """Make an earlier version of the actor (and its secondary types) current again, once the
    moderator has seen what it changes."""
    actor = get_object_or_404(Actor, slug=slug)
    versions = actor.history.prefetch_related(SECONDARY_TYPES_ROWS)
    record = get_object_or_404(versions, history_id=history_id)
    if request.method == "GET":
        return confirmation(request, actor, restore_preview(record, versions))
    restored(request, record, lambda: restore_actor(actor, record))
    slug = Actor.every.filter(pk=actor.pk).values_list("slug", flat=True).get()
    return redirect("contributions:history", slug=slug)


@require_http_methods(["GET", "POST"])
@moderator_required
def restore_relation_version(request, slug, history_id):
    """Make an earlier version of one of the actor's relations current again, re-created if
    it was deleted, once the moderator has seen what it changes."""
    actor = get_object_or_404(Actor.objects.only("name", "short_name", "slug"), slug=slug)
    record = get_object_or_404(relation_records_of(actor), history_id=history_id)
    if request.method == "GET":
        preview = restore_preview(record, Relation.history, describe=describe_relation)
        return confirmation(request, actor, preview)
    restored(request, record, lambda: restore_relation(record))
    return redirect("contributions:history", slug=actor.slug)
