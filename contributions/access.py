"""Who may moderate: one rule for every moderator action, on the web and in the API.

Chair admins hold the permission "contributions.moderate_contribution" (the group Modérateurs,
created by a migration, or superusers): they decide every proposal, restore versions and import
files. A territory moderator is an active account with a ModerationScope (given in the admin)
and without that permission: they see, decide and are told of the proposals located in their
territories (Contribution.find_places), and nothing else; restore and imports stay the chair
admins'. The moderation pages, the API, the header's count and the emails all ask here.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from territories.models import Territory

from .models import Contribution

PERMISSION = "contributions.moderate_contribution"
OUTSIDE = _(
    "Cette proposition est située hors des territoires que vous modérez : un administrateur "
    "de la chaire la traitera."
)
MOVED_OUTSIDE = _(
    "Ainsi modifiée, la proposition sortirait des territoires que vous modérez : rien n'a été "
    "enregistré."
)


def is_moderator(user) -> bool:
    """A chair admin: every proposal, restore, imports."""
    return user.is_authenticated and user.has_perm(PERMISSION)


def moderated_territories(user) -> list[Territory] | None:
    """None for a chair admin (everywhere); the territories of a territory moderator; an empty
    list for everyone else. Read once per request (kept on the user object)."""
    if is_moderator(user):
        return None
    if not (user.is_authenticated and user.is_active):
        return []
    if not hasattr(user, "_moderated_territories"):
        user._moderated_territories = list(
            Territory.objects.filter(moderation_scopes__user=user).order_by("path")
        )
    return user._moderated_territories


def moderates(user) -> bool:
    """Whether `user` has a moderation queue: a chair admin or a territory moderator."""
    return moderated_territories(user) != []


def moderable(user):
    """The proposals `user` may see and decide, of every status."""
    territories = moderated_territories(user)
    if territories is None:
        return Contribution.objects.all()
    return Contribution.objects.within(territories)


def can_moderate(user, contribution, proposed: dict | None = None) -> bool:
    """Whether `user` may see and decide `contribution` (with `proposed` as a moderator's edit
    would make it)."""
    territories = moderated_territories(user)
    if territories is None:
        return True
    return bool(territories) and contribution.is_within(territories, proposed)


def moderators():
    """The chair admins: the active accounts that hold the permission, through the group, by
    hand, or as superusers (who hold every permission)."""
    app_label, codename = PERMISSION.split(".")
    granted = Q(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=Permission.objects.filter(granted))
            | Q(user_permissions__in=Permission.objects.filter(granted))
        )
        .distinct()
    )


def territory_moderators():
    """The active territory moderators, their territories prefetched."""
    return (
        get_user_model()
        .objects.filter(is_active=True, moderation_scope__territories__isnull=False)
        .exclude(pk__in=moderators())
        .distinct()
        .prefetch_related("moderation_scope__territories")
    )


def moderators_of(contribution):
    """Who is told of `contribution`: the chair admins, and the territory moderators of one of
    its places or of a territory containing one. Two queries."""
    places = list(contribution.places.all())
    if contribution.actor_id and contribution.actor.territory_id:
        places.append(contribution.actor.territory)
    # "84/63/246300701/63113/" is in "84/", "84/63/", "84/63/246300701/" and itself.
    paths = {place.path[: i + 1] for place in places for i, c in enumerate(place.path) if c == "/"}
    scoped = get_user_model().objects.filter(
        is_active=True, moderation_scope__territories__path__in=paths
    )
    return get_user_model().objects.filter(
        Q(pk__in=moderators().values("pk")) | Q(pk__in=scoped.values("pk"))
    )


def _requiring(allowed):
    """A decorator: anonymous people are sent to log in; signed-in people for whom
    `allowed(user)` is false get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


moderator_required = _requiring(is_moderator)  # chair admins: restore, imports
queue_required = _requiring(moderates)  # the queue and a proposal's page: territories too


def check_can_moderate(user, contribution) -> None:
    """403, saying why, unless `user` may moderate `contribution`."""
    if not can_moderate(user, contribution):
        raise PermissionDenied(OUTSIDE)


class IsModerator(BasePermission):
    """The same rule for the API (session or token): 401/403 with this message otherwise; a
    territory moderator gets 403 on a proposal outside their territories."""

    message = _("Réservé aux modérateurs (membres du groupe Modérateurs).")

    def has_permission(self, request, view):
        return moderates(request.user)

    def has_object_permission(self, request, view, obj):
        if not can_moderate(request.user, obj):
            raise exceptions.PermissionDenied(OUTSIDE)
        return True
