"""Builders for proposals as the web form posts them, and the personas of the permission table."""

import re
from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core import mail

from actors.models import Actor
from contributions.models import NEW, Contribution, Kind, Status


def actor_form_data(**overrides) -> dict:
    data = {
        "acteur-name": "Laboratoire citoyen de Vichy",
        "acteur-short_name": "LabVichy",
        "acteur-acronym": "",
        "acteur-type": "cellule_innovation",
        "acteur-status": "collectivite_territoriale",
        "acteur-scope": "local",
        "acteur-missions": "Expérimenter des services publics avec les habitants.",
        "acteur-commune_name": "Vichy",
        "acteur-address": "",
        "acteur-latitude": "46.1277",
        "acteur-longitude": "3.4259",
        "acteur-country": "FR",
        "acteur-website": "https://www.ville-vichy.fr/",
        "acteur-lifecycle": "actif",
        "acteur-founded_year": "2021",
        "acteur-ended_year": "",
        "acteur-provenance_detail": "Site de la ville",
        "relations-TOTAL_FORMS": "3",
        "relations-INITIAL_FORMS": "0",
        "relations-MIN_NUM_FORMS": "0",
        "relations-MAX_NUM_FORMS": "20",
        "contributeur-contributor_name": "Camille Martin",
        "contributeur-contributor_email": "camille.martin@example.org",
        "contributeur-email_consent": "on",
        "contributeur-message": "Vu sur le site de la ville.",
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


def moderators_group() -> Group:
    """The group of the data migration; live-server tests flush it away, so rebuild it then."""
    group = Group.objects.filter(name="Modérateurs").first()
    if group is None:
        migration = import_module("contributions.migrations.0002_create_moderators_group")
        migration.create_group(apps, None)
        group = Group.objects.get(name="Modérateurs")
    return group


def make_moderator(username="modo", email="modo@chaire.example") -> User:
    user = User.objects.create_user(username, email, "mot-de-passe-solide-42")
    user.groups.add(moderators_group())
    return user


def last_mail_to(address: str):
    return [m for m in mail.outbox if address in m.to][-1]


def pending_new_actor(
    email: str = "camille.martin@example.org", contributor: str = "Camille Martin", **actor
) -> Contribution:
    """A new actor proposed and not yet decided (by default "Lab secret en attente", Clermont),
    partner of Archipel: what must never show in a public page, API or export."""
    values = {
        "name": "Lab secret en attente",
        "type": "cellule_innovation",
        "latitude": 45.77,
        "longitude": 3.08,
        "commune_name": "Clermont-Ferrand",
        "lifecycle": "actif",
        "country": "FR",
        **actor,
    }
    return Contribution.objects.create(
        kind=Kind.NEW_ACTOR,
        status=Status.PENDING,
        actor_label=values["name"],
        contributor_name=contributor,
        contributor_email=email,
        proposed={
            "actor": values,
            "relations": [{"source": NEW, "target": "archipel", "type": "collaboration"}],
        },
    )
