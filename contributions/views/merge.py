"""Duplicates: anyone reports one from a card; a moderator reviews the merge side by side and
decides it on the moderation page; a merge is undone from the kept actor's history."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actors.models import Actor, Contact
from relations.models import Relation

from .. import merge
from ..access import is_moderator, moderator_required
from ..display import EMPTY, proposed_value, slug_names
from ..forms import DuplicateForm
from ..models import AlreadyDecided, Contribution, Kind, Status
from .proposals import report

REPORT_PAGE = "contributions/propose_duplicate.html"
# Read for display only: flags and the derived territory say nothing a moderator chooses on.
NOT_SHOWN = {"type_inferred", "territory", "territory_set_by_hand"}


def report_duplicate(request, slug):
    """ "Signaler un doublon" from a card: the actor it duplicates, a reason, who reports."""
    actor = get_object_or_404(Actor, slug=slug)
    return report(request, actor, DuplicateForm, REPORT_PAGE, prefix="doublon", reported=actor)


# The moderator's review --------------------------------------------------------------------


def shown(actor: Actor, row: str) -> str:
    """A row's values as a moderator reads them: labels, not keys, " · " between fields."""
    values = merge.row_values(actor, row)
    names = slug_names([values.get("parent")])
    parts = [
        proposed_value(name, value, names)
        for name, value in values.items()
        if name not in NOT_SHOWN
    ]
    return " · ".join(part for part in parts if part != EMPTY)


def relation_text(relation: Relation) -> str:
    arrow = "→" if relation.is_directed else "—"
    type_label = relation.get_type_display()
    return f"{relation.source.display_name} {arrow} {relation.target.display_name} ({type_label})"


def review(contribution: Contribution) -> dict:
    """Both actors side by side, a row per choice (A's value by default, B's where A has none),
    what is combined, and what becomes of B's relations."""
    chosen = contribution.proposed["merge"]
    if contribution.status != Status.PENDING:
        both = Actor.every.in_bulk([chosen["kept"], chosen["merged"]])
        return {
            "decided": True,
            "kept": both.get(chosen["kept"]),
            "merged": both.get(chosen["merged"]),
        }
    found = Actor.objects.prefetch_related("contacts", "secondary_types").in_bulk(
        [chosen["kept"], chosen["merged"]]
    )
    if len(found) != 2 or chosen["kept"] == chosen["merged"]:
        return {"gone": True}
    kept, merged = found[chosen["kept"]], found[chosen["merged"]]
    taken = merge.default_taken(kept, merged)
    rows = []
    for row in merge.ROWS:
        ours, theirs = shown(kept, row), shown(merged, row)
        rows.append(
            {
                "name": row,
                "label": merge.row_label(row),
                "a": ours,
                "b": theirs,
                "same": merge.row_values(kept, row) == merge.row_values(merged, row),
                "fixed": row == "commune_name" and merge.fixed_position(kept, merged),
                "take": row in taken,
            }
        )
    contacts = merge.joined_contacts(kept, merged)
    combined = [
        {
            "label": Contact._meta.verbose_name_plural,
            "a": "; ".join(n for n, _f in merge.contact_pairs(kept)),
            "b": "; ".join(n for n, _f in merge.contact_pairs(merged)),
            "result": "; ".join(n for n, _f in contacts),
        },
        {
            "label": Actor._meta.get_field("provenance_detail").verbose_name,
            "a": kept.provenance_detail,
            "b": merged.provenance_detail,
            "result": merge.joined_text(kept.provenance_detail, merged.provenance_detail),
        },
        {
            "label": Actor._meta.get_field("report_lines").verbose_name,
            "a": kept.report_lines,
            "b": merged.report_lines,
            "result": merge.joined_lines(kept.report_lines, merged.report_lines),
        },
    ]
    plan = merge.plan(kept, merged)
    return {
        "kept": kept,
        "merged": merged,
        "rows": rows,
        "combined": combined,
        "moved": [relation_text(relation) for relation, _s, _t in plan.moved],
        "collapsed": [
            (relation_text(theirs), relation_text(twin)) for theirs, twin in plan.collapsed
        ],
        "removed": [relation_text(relation) for relation in plan.removed],
    }


def decided(contribution: Contribution, post) -> dict:
    """The proposal as the moderator decided it: which actor is kept (swapped when asked) and,
    for each row chosen, whose value it keeps (columns "a" and "b" of the review)."""
    chosen = contribution.proposed["merge"]
    columns = {"a": chosen["kept"], "b": chosen["merged"]}
    kept, merged = (
        (columns["b"], columns["a"]) if post.get("inverser") else (columns["a"], columns["b"])
    )
    choices = {}
    for row in merge.ROWS:
        column = columns.get(post.get(f"garder-{row}"))
        if column is not None:
            choices[row] = "kept" if column == kept else "merged"
    return {**contribution.proposed, "merge": {"kept": kept, "merged": merged, "choices": choices}}


# The history, and undoing ------------------------------------------------------------------

UNDO_REASON = re.compile(r"^Annulation de la fusion \(contribution n° (\d+)\)$")


def annotate(versions, actor: Actor, request) -> None:
    """Mark the actor's versions written by a merge or its undoing ("fusionné dans A", "a absorbé
    B", with links), and offer the undo on the kept actor's version: two queries in all."""
    undone_ids = {}
    for version in versions:
        match = UNDO_REASON.match(version.reason)
        if match:
            undone_ids[version.record.history_id] = int(match.group(1))
    ids = {v.contribution_id for v in versions if v.contribution_id} | set(undone_ids.values())
    merges = (
        {c.pk: c for c in Contribution.objects.filter(pk__in=ids, kind=Kind.MERGE)} if ids else {}
    )
    done = {pk: c.proposed["merge"].get("done") for pk, c in merges.items()}
    pks = {d[key] for d in done.values() if d for key in ("kept", "merged")}
    names = Actor.every.only("name", "short_name", "slug").in_bulk(pks) if pks else {}
    may_undo = is_moderator(request.user)
    for version in versions:
        undo_of = undone_ids.get(version.record.history_id)
        contribution = merges.get(undo_of or version.contribution_id)
        if contribution is None or not done.get(contribution.pk):
            continue
        kept = names.get(done[contribution.pk]["kept"])
        merged = names.get(done[contribution.pk]["merged"])
        is_kept = actor.pk == done[contribution.pk]["kept"]
        version.merge = {
            "kept": kept,
            "merged": merged,
            "is_kept": is_kept,
            "undo": bool(undo_of),
            "undo_url": reverse("contributions:undo_merge", args=[contribution.pk])
            if may_undo and is_kept and not undo_of and contribution.can_be_undone
            else "",
        }


@require_http_methods(["GET", "POST"])
@moderator_required
def undo_merge(request, pk):
    """Undo a merge, after a confirmation page that says what comes back."""
    contribution = get_object_or_404(Contribution, pk=pk, kind=Kind.MERGE, status=Status.VALIDATED)
    done = contribution.proposed["merge"].get("done") or {}
    both = Actor.every.in_bulk([done.get("kept"), done.get("merged")])
    kept, merged = both.get(done.get("kept")), both.get(done.get("merged"))
    if request.method == "POST":
        try:
            contribution.undo_merge(request.user)
        except AlreadyDecided:
            messages.error(request, _("Cette fusion a déjà été annulée : rien n'a été modifié."))
        except (ValidationError, IntegrityError) as error:
            reason = " ".join(getattr(error, "messages", [])) or _(
                "elle contredit les données actuelles."
            )
            messages.error(
                request, _("La fusion n'a pas été annulée : %(reason)s") % {"reason": reason}
            )
        else:
            messages.success(
                request,
                _("La fusion est annulée : %(name)s est de retour, avec ses relations.")
                % {"name": merged.display_name},
            )
            return redirect(merged.get_absolute_url())
        return redirect("contributions:history", slug=kept.slug if kept else merged.slug)
    return render(
        request,
        "contributions/undo_merge.html",
        {"contribution": contribution, "kept": kept, "merged": merged, "done": done},
    )
