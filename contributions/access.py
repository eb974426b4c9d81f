"""Who may moderate: one rule for every moderator action, on the web and in the API.

Validating or refusing a proposal, restoring a version, importing a file: the permission
"contributions.moderate_contribution" (the group Modérateurs, created by a migration).
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

PERMISSION = "contributions.moderate_contribution"


def is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm(PERMISSION)


def moderators():
    """The active accounts that hold the permission: through the group, by hand, or as
    superusers (who hold every permission)."""
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


def moderator_required(view):
    """Anonymous people are sent to log in; signed-in people without the permission get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class IsModerator(BasePermission):
    """The same rule for the API (session or token): 401/403 with this message otherwise."""

    message = _("Réservé aux modérateurs (membres du groupe Modérateurs).")

    def has_permission(self, request, view):
        return is_moderator(request.user)
