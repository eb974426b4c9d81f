"""The contributors' pages: propose a new actor, a correction, a disappearance; confirm the
email; follow the proposal."""

from dataclasses import replace

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from actors.models import Actor, ActorType
from actors.typology import DEFINITIONS

from .. import emails, proposals, signin, summary
from ..forms import ActorProposalForm, ContributorForm, RelationFormSet, RemovalForm
from ..limits import too_many
from ..models import NEW, AlreadyDecided, Contribution, Kind

ACTOR_PAGE = "contributions/propose_actor.html"
REMOVAL_PAGE = "contributions/propose_removal.html"


def submitted(request, contribution: Contribution, contributor: ContributorForm):
    """Submit the proposal, then show the contributor its follow page."""
    who = contributor.contributor(request.user)
    if who.account is None and signin.proves(request, who.email):
        who = replace(who, confirmed=True)  # this browser confirmed the address before
    proposals.submit(contribution, who, emails.site_url_of(request))
    request.session["just_submitted"] = contribution.pk
    return redirect(contribution.get_follow_url())


def refused_for_now(request, template: str, context: dict):
    """Too many proposals from this sender: said, with everything typed kept."""
    return render(request, template, {**context, "rate_limited": True}, status=429)


def contributor_form(request, data) -> ContributorForm:
    """Who proposes; the address this browser confirmed before is offered (contributions/
    signin.py): with it, the proposal needs no new confirmation."""
    proven = signin.proven_email(request)
    initial = {"contributor_email": proven} if proven else {}
    return ContributorForm(data, user=request.user, initial=initial, prefix="contributeur")


def actor_forms(request, actor: Actor | None = None) -> dict:
    data = request.POST if request.method == "POST" else None
    instance = Actor.objects.get(pk=actor.pk) if actor else None
    relations = RelationFormSet(data, prefix="relations")
    relations.actor = actor
    return {
        "actor_form": ActorProposalForm(data, instance=instance, prefix="acteur"),
        "relations": relations,
        "contributor": contributor_form(request, data),
        # The types to pick from, with the report's definitions. Actor names and communes are
        # suggested as one types, never listed in full: a national map has 35,000 communes.
        "definitions": [(t, DEFINITIONS[t]) for t in ActorType],
    }


def valid(context: dict) -> bool:
    forms = [context["actor_form"], context["relations"], context["contributor"]]
    results = [form.is_valid() for form in forms]  # each of them: every error shows at once
    return all(results)


def propose_actor(request):
    """A new actor together with its relations: one proposal, reviewed as a unit."""
    context = {**actor_forms(request), "kind": Kind.NEW_ACTOR}
    if request.method != "POST" or not valid(context):
        return render(request, ACTOR_PAGE, context)
    actor_form, contributor = context["actor_form"], context["contributor"]
    context["similar"] = proposals.similar(actor_form.cleaned_data)
    if context["similar"] and not request.POST.get("not_a_duplicate"):
        return render(request, ACTOR_PAGE, context)
    if too_many(request, contributor.cleaned_data.get("contributor_email", "")):
        return refused_for_now(request, ACTOR_PAGE, context)
    contribution = proposals.new_actor(
        actor_form.proposed_values(),
        context["relations"].proposed_relations(NEW),
        similar=context["similar"],
    )
    return submitted(request, contribution, contributor)


def propose_correction(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("parent"), slug=slug)
    context = {**actor_forms(request, actor), "actor": actor, "kind": Kind.CORRECTION}
    if request.method != "POST" or not valid(context):
        return render(request, ACTOR_PAGE, context)
    contribution = proposals.correction(
        actor,
        context["actor_form"].proposed_values(),
        context["relations"].proposed_relations(actor.slug),
    )
    if contribution is None:
        return render(request, ACTOR_PAGE, {**context, "nothing_changed": True})
    contributor = context["contributor"]
    if too_many(request, contributor.cleaned_data.get("contributor_email", "")):
        return refused_for_now(request, ACTOR_PAGE, context)
    return submitted(request, contribution, contributor)


def propose_removal(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    return report(request, actor, RemovalForm, REMOVAL_PAGE, prefix="signalement")


def report(request, actor: Actor, form_class, template: str, **form_options):
    """A report on a published actor (a disappearance, a duplicate): its form, and who
    reports; the form's `contribution(actor)` is the proposal."""
    data = request.POST if request.method == "POST" else None
    form = form_class(data, **form_options)
    contributor = contributor_form(request, data)
    context = {"form": form, "contributor": contributor, "actor": actor}
    if request.method != "POST" or not all([form.is_valid(), contributor.is_valid()]):
        return render(request, template, context)
    if too_many(request, contributor.cleaned_data.get("contributor_email", "")):
        return refused_for_now(request, template, context)
    return submitted(request, form.contribution(actor), contributor)


def confirm(request, token):
    contribution = emails.contribution_from_token(token)
    if contribution is None:
        return render(request, "contributions/confirm_failed.html", status=400)
    if contribution.confirm():
        emails.notify_moderators(contribution, emails.site_url_of(request))
        messages.success(
            request, _("Adresse confirmée : votre proposition est transmise aux modérateurs.")
        )
    response = redirect(contribution.get_follow_url())
    # The link proved the address: this browser's next proposals need no confirmation.
    signin.remember(request, response, contribution.contributor_email)
    return response


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
        {
            "contribution": contribution,
            "just_submitted": just_submitted,
            **summary.of(contribution),
        },
    )
