from difflib import SequenceMatcher

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from actors.models import Actor, ActorType
from actors.typology import DEFINITIONS
from tips_map.text import fold

from . import emails
from .forms import (
    ActorProposalForm,
    ContributorForm,
    RelationFormSet,
    RemovalForm,
    actor_public_values,
)
from .models import NEW, AlreadyDecided, Contribution, Kind, Status

PERMISSION = "contributions.moderate_contribution"


def is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm(PERMISSION)


# Contributors -------------------------------------------------------------------------------


def too_many(request, email: str) -> bool:
    """Per IP and per email address, counted across app processes through the cache."""
    by_ip = is_ratelimited(
        request,
        group="contributions-ip",
        key="ip",
        rate=settings.TIPS_CONTRIBUTIONS_PER_IP,
        increment=True,
    )
    by_email = bool(email) and is_ratelimited(
        request,
        group="contributions-email",
        key=lambda group, req: email.lower(),
        rate=settings.TIPS_CONTRIBUTIONS_PER_EMAIL,
        increment=True,
    )
    return by_ip or by_email


def similar_actors(name: str, exclude=None, latitude=None, longitude=None) -> list[Actor]:
    """Published actors that may be the proposed one: the same name ignoring case and accents,
    one name inside the other, or a close name (difflib ratio) — closer still if nearby."""
    folded = fold(name)
    if len(folded) < 3:
        return []
    candidates = Actor.objects.only(
        "name", "short_name", "slug", "commune_name", "sort_name", "latitude", "longitude"
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    scored = []
    for actor in candidates:
        names = {fold(actor.name), actor.sort_name}
        if any(folded == n or (len(n) >= 4 and (n in folded or folded in n)) for n in names):
            scored.append((1.0, actor))
            continue
        ratio = max(SequenceMatcher(None, folded, n).ratio() for n in names)
        nearby = (
            latitude is not None
            and actor.latitude is not None
            and abs(actor.latitude - latitude) < 0.05
            and abs(actor.longitude - longitude) < 0.07
        )
        if ratio >= 0.8 or (nearby and ratio >= 0.6):
            scored.append((ratio, actor))
    return [actor for _score, actor in sorted(scored, key=lambda pair: -pair[0])[:10]]


def choices() -> dict:
    """What the form offers to pick from: the types. Actor names (partners, parent) and
    communes are suggested as the person types (actors:suggestions, territories:communes),
    never listed in full: a national map has 35,000 communes."""
    return {"definitions": [(t, DEFINITIONS[t]) for t in ActorType]}


def submit(request, contribution: Contribution, contributor_form: ContributorForm):
    """Record who proposes, then confirmation (anonymous) or straight to the queue (account)."""
    data = contributor_form.cleaned_data
    contribution.message = data.get("message", "")
    contribution.show_name = data.get("show_name", False)
    if request.user.is_authenticated:
        contribution.contributor = request.user
        contribution.contributor_name = request.user.get_full_name() or request.user.username
        contribution.contributor_email = request.user.email
        contribution.status = Status.PENDING
        contribution.save()
        if contribution.contributor_email:
            emails.send_receipt(request, contribution)
        emails.notify_moderators(request, contribution)
    else:
        contribution.contributor_name = data["contributor_name"]
        contribution.contributor_email = data["contributor_email"]
        contribution.status = Status.AWAITING_CONFIRMATION
        contribution.save()
        emails.send_confirmation(request, contribution)
    request.session["just_submitted"] = contribution.pk
    return redirect(contribution.get_follow_url())


def rate_limited(request, template: str, context: dict):
    context["rate_limited"] = True
    return render(request, template, context, status=429)


def propose_actor(request):
    """A new actor together with its relations: one proposal, reviewed as a unit."""
    data = request.POST if request.method == "POST" else None
    actor_form = ActorProposalForm(data, prefix="acteur")
    relations = RelationFormSet(data, prefix="relations")
    contributor = ContributorForm(data, user=request.user, prefix="contributeur")
    context = {
        "actor_form": actor_form,
        "relations": relations,
        "contributor": contributor,
        "kind": Kind.NEW_ACTOR,
        **choices(),
    }
    if request.method == "POST":
        valid = all([actor_form.is_valid(), relations.is_valid(), contributor.is_valid()])
        if valid:
            name = actor_form.cleaned_data["name"]
            context["similar"] = similar_actors(
                name,
                latitude=actor_form.cleaned_data.get("latitude"),
                longitude=actor_form.cleaned_data.get("longitude"),
            )
            if context["similar"] and not request.POST.get("not_a_duplicate"):
                return render(request, "contributions/propose_actor.html", context)
            email = contributor.cleaned_data.get("contributor_email", "")
            if too_many(request, email):
                return rate_limited(request, "contributions/propose_actor.html", context)
            contribution = Contribution(
                kind=Kind.NEW_ACTOR,
                actor_label=name,
                proposed={
                    "actor": actor_form.proposed_values(),
                    "relations": relations.proposed_relations(NEW),
                },
            )
            return submit(request, contribution, contributor)
    return render(request, "contributions/propose_actor.html", context)


def propose_correction(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("parent"), slug=slug)
    data = request.POST if request.method == "POST" else None
    actor_form = ActorProposalForm(data, instance=Actor.objects.get(pk=actor.pk), prefix="acteur")
    relations = RelationFormSet(data, prefix="relations")
    relations.actor = actor
    contributor = ContributorForm(data, user=request.user, prefix="contributeur")
    context = {
        "actor_form": actor_form,
        "relations": relations,
        "contributor": contributor,
        "actor": actor,
        "kind": Kind.CORRECTION,
        **choices(),
    }
    if request.method == "POST" and all(
        [actor_form.is_valid(), relations.is_valid(), contributor.is_valid()]
    ):
        changed = actor_form.changed_values()
        new_relations = relations.proposed_relations(actor.slug)
        if not changed and not new_relations:
            context["nothing_changed"] = True
            return render(request, "contributions/propose_actor.html", context)
        if too_many(request, contributor.cleaned_data.get("contributor_email", "")):
            return rate_limited(request, "contributions/propose_actor.html", context)
        snapshot = actor_public_values(actor)
        contribution = Contribution(
            kind=Kind.CORRECTION if changed else Kind.RELATION,
            actor=actor,
            actor_label=actor.name,
            proposed={"actor": changed, "relations": new_relations},
            snapshot={k: snapshot[k] for k in changed},
        )
        return submit(request, contribution, contributor)
    return render(request, "contributions/propose_actor.html", context)


def propose_removal(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    data = request.POST if request.method == "POST" else None
    form = RemovalForm(data, prefix="signalement")
    contributor = ContributorForm(data, user=request.user, prefix="contributeur")
    context = {"form": form, "contributor": contributor, "actor": actor}
    if request.method == "POST" and form.is_valid() and contributor.is_valid():
        if too_many(request, contributor.cleaned_data.get("contributor_email", "")):
            return rate_limited(request, "contributions/propose_removal.html", context)
        proposed = form.proposed_values(actor)
        kind = Kind.REMOVAL if form.cleaned_data["what"] == "suppression" else Kind.DISAPPEARANCE
        snapshot = actor_public_values(actor)
        contribution = Contribution(
            kind=kind,
            actor=actor,
            actor_label=actor.name,
            proposed=proposed,
            snapshot={k: snapshot[k] for k in proposed.get("actor", {})},
        )
        contribution.message = proposed["reason"]
        return submit(request, contribution, contributor)
    return render(request, "contributions/propose_removal.html", context)


def confirm(request, token):
    contribution = emails.contribution_from_token(token)
    if contribution is None:
        return render(request, "contributions/confirm_failed.html", status=400)
    if contribution.confirm():
        emails.notify_moderators(request, contribution)
    return redirect(contribution.get_follow_url())


def follow(request, token):
    """The contributor's private page: the status, and a way to withdraw while pending."""
    contribution = Contribution.objects.for_follow_token(token)
    if contribution is None:
        return render(request, "contributions/follow_unknown.html", status=404)
    if request.method == "POST":
        try:
            contribution.withdraw()
            messages.success(request, _("Votre proposition est retirée."))
        except AlreadyDecided:
            messages.error(
                request, _("Cette proposition a déjà été traitée : elle ne peut plus être retirée.")
            )
        return redirect(contribution.get_follow_url())
    just_submitted = request.session.pop("just_submitted", None) == contribution.pk
    return render(
        request,
        "contributions/follow.html",
        {"contribution": contribution, "just_submitted": just_submitted},
    )


# Moderators ---------------------------------------------------------------------------------


def moderator_required(view):
    """Anonymous people are sent to log in; logged-in people without the permission get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@moderator_required
def queue(request):
    status = request.GET.get("statut", Status.PENDING)
    kind = request.GET.get("nature", "")
    contributions = Contribution.objects.select_related("actor__territory").filter(status=status)
    if kind:
        contributions = contributions.filter(kind=kind)
    contributions = contributions.order_by(
        "created_at" if status == Status.PENDING else "-decided_at"
    )
    counts = dict(Contribution.objects.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "contributions/queue.html",
        {
            "contributions": contributions[:200],
            "status": status,
            "kind": kind,
            "statuses": [(s, counts.get(s, 0)) for s in Status],
            "kinds": Kind.choices,
        },
    )


@moderator_required
def moderate(request, pk):
    contribution = get_object_or_404(
        Contribution.objects.select_related("actor", "moderator"), pk=pk
    )
    proposed_actor = contribution.proposed.get("actor", {})
    context = {
        "contribution": contribution,
        "diff": contribution.diff(),
        "relations": contribution.relation_rows(),
        "similar": similar_actors(
            proposed_actor.get("name", ""),
            exclude=contribution.actor,
            latitude=proposed_actor.get("latitude"),
            longitude=proposed_actor.get("longitude"),
        )
        if contribution.kind == Kind.NEW_ACTOR
        else [],
        "is_own": contribution.is_own(request.user),
        "location": proposed_actor.get("latitude") is not None,
        "map_data": {
            "points": [
                {
                    "slug": "",
                    "name": proposed_actor.get("name") or contribution.actor_label,
                    "type": proposed_actor.get("type")
                    or getattr(contribution.actor, "type", "autre"),
                    "lat": proposed_actor.get("latitude"),
                    "lon": proposed_actor.get("longitude"),
                    "main": True,
                }
            ],
            "lines": [],
        },
    }
    if request.method == "POST":
        return decide(request, contribution, context)
    if contribution.kind in (Kind.NEW_ACTOR, Kind.CORRECTION):
        context["edit_form"] = edit_form(contribution)
    return render(request, "contributions/moderate.html", context)


def edit_form(contribution, data=None):
    """The proposed values, editable by the moderator before validating."""
    base = Actor.objects.get(pk=contribution.actor_id) if contribution.actor_id else Actor()
    initial = {**actor_public_values(contribution.actor), **contribution.proposed.get("actor", {})}
    if initial.get("parent"):
        parent = Actor.objects.filter(slug=initial["parent"]).first()
        initial["parent"] = parent.name if parent else ""
    return ActorProposalForm(data, instance=base, initial=initial, prefix="edition")


def decide(request, contribution, context):
    action = request.POST.get("action")
    message = request.POST.get("decision_message", "").strip()
    if action not in ("valider", "refuser"):
        return redirect(contribution.get_absolute_url())
    if action == "refuser" and not message:
        messages.error(
            request, _("Expliquez le refus au contributeur : le message est obligatoire.")
        )
        return redirect(contribution.get_absolute_url())
    edited = None
    if (
        action == "valider"
        and request.POST.get("edited")
        and contribution.kind in (Kind.NEW_ACTOR, Kind.CORRECTION)
    ):
        form = edit_form(contribution, request.POST)
        if not form.is_valid():
            context["edit_form"] = form
            return render(request, "contributions/moderate.html", context, status=400)
        values = (
            form.proposed_values() if contribution.kind == Kind.NEW_ACTOR else form.changed_values()
        )
        edited = {**contribution.proposed, "actor": values}
    try:
        contribution.decide(
            request.user, validate=action == "valider", message=message, edited=edited
        )
    except AlreadyDecided:
        messages.error(
            request,
            _("Un autre modérateur a déjà traité cette proposition : rien n'a été modifié."),
        )
        return redirect(contribution.get_absolute_url())
    except PermissionError:
        raise PermissionDenied from None
    except ValidationError as error:
        messages.error(
            request,
            _("La proposition ne peut pas être appliquée telle quelle : %s")
            % " ".join(error.messages),
        )
        return redirect(contribution.get_absolute_url())
    emails.send_decision(request, contribution)
    messages.success(
        request,
        _("Proposition validée et publiée.")
        if action == "valider"
        else _("Proposition refusée ; le contributeur est prévenu."),
    )
    return redirect("contributions:queue")
