"""What contributors send: the proposed lab of Vichy as the web form posts it and as the API
takes it, and the links of the emails they receive."""

import re

from django.core import mail

from actors.models import Actor
from tests.factories import PROPOSER, PROPOSER_EMAIL

# The actor the tests propose, in its own values; each way in writes them its own way.
VICHY_LAB = {
    "name": "Laboratoire citoyen de Vichy",
    "short_name": "LabVichy",
    "type": "cellule_innovation",
    "status": "collectivite_territoriale",
    "scope": "local",
    "missions": "Expérimenter des services publics avec les habitants.",
    "commune_name": "Vichy",
    "latitude": 46.1277,
    "longitude": 3.4259,
    "website": "https://www.ville-vichy.fr/",
    "founded_year": 2021,
    "provenance_detail": "Site de la ville",
}
CONTRIBUTOR_MESSAGE = "Vu sur le site de la ville."


def actor_form_data(**overrides) -> dict:
    """The form of /contribuer/ filled in for VICHY_LAB by Camille Martin; an override of None
    leaves a field out."""
    data = {
        **{f"acteur-{name}": str(value) for name, value in VICHY_LAB.items()},
        "acteur-acronym": "",
        "acteur-address": "",
        "acteur-country": "FR",
        "acteur-lifecycle": "actif",
        "acteur-ended_year": "",
        "relations-TOTAL_FORMS": "3",
        "relations-INITIAL_FORMS": "0",
        "relations-MIN_NUM_FORMS": "0",
        "relations-MAX_NUM_FORMS": "20",
        "contributeur-contributor_name": PROPOSER,
        "contributeur-contributor_email": PROPOSER_EMAIL,
        "contributeur-email_consent": "on",
        "contributeur-message": CONTRIBUTOR_MESSAGE,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def correction_data(client, slug, **changes) -> dict:
    """The correction form of the actor `slug` as it opens (its published values), sent by
    Camille Martin with `changes`."""
    form = client.get(f"/contribuer/correction/{slug}/").context["actor_form"]
    data = {
        f"acteur-{k}": v
        for k, v in form.initial.items()
        if v is not None and k not in ("id", "secondary_types")
    }
    data["acteur-secondary_types"] = form.initial["secondary_types"]
    data.update(
        {
            k: v
            for k, v in actor_form_data().items()
            if k.startswith(("relations-", "contributeur-"))
        }
    )
    data.update(changes)
    return data


def api_proposal(kind: str, **fields) -> dict:
    """A body for POST /api/contributions/, sent by Camille Martin."""
    return {
        "kind": kind,
        **fields,
        "contributor_name": PROPOSER,
        "contributor_email": PROPOSER_EMAIL,
        "email_consent": True,
    }


def api_new_actor(**overrides) -> dict:
    """VICHY_LAB, partner of Archipel, as the API takes it; an override of None leaves it out."""
    data = {
        **api_proposal("nouvel_acteur", **VICHY_LAB),
        "relations": [{"partner": "archipel", "type": "collaboration", "description": "Ateliers"}],
        "message": CONTRIBUTOR_MESSAGE,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def with_relation(
    data: dict, partner: Actor, kind="collaboration", direction="sortante", index=0, description=""
) -> dict:
    data = dict(data)
    data.update(
        {
            f"relations-{index}-partner": partner.name,
            f"relations-{index}-type": kind,
            f"relations-{index}-direction": direction,
            f"relations-{index}-description": description,
        }
    )
    return data


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/contribuer/confirmer/\S+/", message.body).group(0)


def follow_link(message) -> str:
    return re.search(r"https?://\S+/contribuer/suivi/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def last_mail_to(address: str):
    return [m for m in mail.outbox if address in m.to][-1]


def suggestions(client, url: str, text: str) -> list[dict]:
    """What the form suggests as one types `text` in a field that asks `url`."""
    response = client.get(url, {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]
