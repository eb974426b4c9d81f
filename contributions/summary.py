"""What a contributor reads of their own proposal on its follow page: what they proposed, in
the words the moderators read (`display.proposed_value`, `Contribution.relation_rows`), and its dated steps.

Only what the contributor sent and the decision addressed to them: no other person's address,
no moderator's name.
"""

from django.utils.translation import gettext_lazy as _

from actors.models import PROPOSED_FIELDS, Actor

from .display import EMPTY, proposed_value, slug_names
from .models import Contribution, Kind, Status


def proposed_values(contribution: Contribution) -> list[dict]:
    """Each proposed value of the actor with its field's label, and for a correction the
    published value it replaces (as it was when proposed). A new actor's empty fields are
    left out: the person did not fill them."""
    proposed = contribution.proposed.get("actor", {})
    new = contribution.kind == Kind.NEW_ACTOR
    names = slug_names([proposed.get("parent"), contribution.snapshot.get("parent")])
    rows = []
    for field in PROPOSED_FIELDS:
        if field not in proposed:
            continue
        value = proposed_value(field, proposed[field], names)
        if new and value == EMPTY:
            continue
        rows.append(
            {
                "label": Actor._meta.get_field(field).verbose_name,
                "value": value,
                "before": None
                if new
                else proposed_value(field, contribution.snapshot.get(field), names),
                "long": field == "missions",
            }
        )
    return rows


def steps(contribution: Contribution) -> list[dict]:
    """Proposed on, sent to the moderators on (the address confirmed), decided or withdrawn on,
    with the moderators' message when they wrote one."""
    done = [{"label": _("Proposée"), "on": contribution.created_at}]
    if contribution.confirmed_at:
        label = (
            _("Transmise aux modérateurs")
            if contribution.contributor_id
            else _("Adresse confirmée, transmise aux modérateurs")
        )
        done.append({"label": label, "on": contribution.confirmed_at})
    if contribution.decided_at:
        decided = contribution.status in (Status.VALIDATED, Status.REFUSED)
        done.append(
            {
                "label": contribution.get_status_display(),
                "on": contribution.decided_at,
                "message": contribution.decision_message if decided else "",
            }
        )
    return done


def of(contribution: Contribution) -> dict:
    """The follow page's account of the proposal."""
    return {
        "values": proposed_values(contribution),
        "relations": contribution.relation_rows(),
        "reason": contribution.proposed.get("reason", ""),
        "steps": steps(contribution),
    }
