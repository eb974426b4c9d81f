"""The moderators' pages: the queue, and one proposal with its diff, to validate or refuse."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from actors.models import PROPOSED_FIELDS, Actor

from .. import emails, proposals
from ..access import (
    MOVED_OUTSIDE,
    can_moderate,
    check_can_moderate,
    moderable,
    moderated_territories,
    queue_required,
)
from ..forms import ActorProposalForm
from ..models import Contribution, Kind, Status
from ..moderation import NotDecided, decide
from ..review import alongside, shown_diff, with_badges
from . import merge

EDITABLE = (Kind.NEW_ACTOR, Kind.CORRECTION)


@queue_required
def queue(request):
    status = request.GET.get("statut", Status.PENDING)
    kind = request.GET.get("nature", "")
    visible = moderable(request.user)  # a territory moderator's: their territories only
    contributions = visible.select_related("actor__territory").filter(status=status)
    if kind:
        contributions = contributions.filter(kind=kind)
    contributions = contributions.order_by(
        "created_at" if status == Status.PENDING else "-decided_at"
    )
    counts = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "contributions/queue.html",
        {
            "contributions": with_badges(contributions[:200]),
            "status": status,
            "kind": kind,
            "statuses": [(s, counts.get(s, 0)) for s in Status],
            "kinds": Kind.choices,
            "territories": moderated_territories(request.user),
        },
    )


@queue_required
def moderate(request, pk):
    contribution = get_object_or_404(
        Contribution.objects.select_related("actor__territory", "moderator"), pk=pk
    )
    check_can_moderate(request.user, contribution)
    context = review(request, contribution)
    if request.method == "POST":
        return decide_on(request, contribution, context)
    if contribution.kind in EDITABLE:
        context["edit_form"] = edit_form(contribution)
    return render(request, "contributions/moderate.html", context)


def review(request, contribution: Contribution) -> dict:
    """What the moderator reads: the diff, the contributor's reason, the relations, possible
    duplicates (published, or pending), the other pending proposals on the same target, the
    place."""
    proposed = contribution.proposed.get("actor", {})
    similar = []
    if contribution.kind == Kind.NEW_ACTOR:
        similar = Actor.objects.exclude(pk=contribution.actor_id).similar_to(
            proposed.get("name", ""), proposed.get("latitude"), proposed.get("longitude")
        )
    point = {
        "slug": "",
        "name": proposed.get("name") or contribution.actor_label,
        "type": proposed.get("type") or getattr(contribution.actor, "type", "autre"),
        "lat": proposed.get("latitude"),
        "lon": proposed.get("longitude"),
        "main": True,
    }
    return {
        "contribution": contribution,
        "diff": shown_diff(contribution),
        "reason": contribution.proposed.get("reason", ""),
        "alongside": alongside(contribution),
        "relations": contribution.relation_rows(),
        "similar": similar,
        "is_own": contribution.is_own(request.user),
        "location": proposed.get("latitude") is not None,
        "map_data": {"points": [point], "lines": []},
        # A reported duplicate: both actors side by side (templates/.../merge_review.html).
        "merge": merge.review(contribution) if contribution.kind == Kind.MERGE else None,
    }


def edit_form(contribution: Contribution, data=None) -> ActorProposalForm:
    """The proposed values, editable by the moderator before validating."""
    actor = contribution.actor
    base = Actor.objects.get(pk=actor.pk) if actor else Actor()
    published = actor.public_values(PROPOSED_FIELDS) if actor else {}
    initial = {**published, **contribution.proposed.get("actor", {})}
    if initial.get("parent"):
        parent = Actor.objects.filter(slug=initial["parent"]).first()
        initial["parent"] = parent.name if parent else ""
    return ActorProposalForm(data, instance=base, initial=initial, prefix="edition")


def decide_on(request, contribution: Contribution, context: dict):
    action = request.POST.get("action")
    if action not in ("valider", "refuser"):
        return redirect(contribution.get_absolute_url())
    edited = None
    if action == "valider" and request.POST.get("edited") and contribution.kind in EDITABLE:
        form = edit_form(contribution, request.POST)
        if not form.is_valid():
            context["edit_form"] = form
            return render(request, "contributions/moderate.html", context, status=400)
        values = form.proposed_values()
        if contribution.kind == Kind.CORRECTION:
            values = proposals.changes(contribution.actor, values)
        edited = {**contribution.proposed, "actor": values}
        if not can_moderate(request.user, contribution, edited):
            # Moved out of their territories by the edit: refused, with what they typed.
            messages.error(request, MOVED_OUTSIDE)
            context["edit_form"] = form
            return render(request, "contributions/moderate.html", context, status=403)
    if action == "valider" and contribution.kind == Kind.MERGE:
        edited = merge.decided(contribution, request.POST)
    try:
        decide(
            contribution,
            request.user,
            validate=action == "valider",
            message=request.POST.get("decision_message", ""),
            edited=edited,
            site_url=emails.site_url_of(request),
        )
    except NotDecided as refusal:
        if refusal.reason == "own":
            raise PermissionDenied from None
        messages.error(request, refusal.message)
        return redirect(contribution.get_absolute_url())
    messages.success(
        request,
        _("Proposition validée et publiée.")
        if action == "valider"
        else _("Proposition refusée ; le contributeur est prévenu."),
    )
    return redirect("contributions:queue")
