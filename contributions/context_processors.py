from django.utils.functional import SimpleLazyObject

from .access import moderable, moderates


def moderation(request):
    """Whether the header links to the moderation queue, and the number of proposals waiting
    there for this person (all of them, or their territories'): queried only when shown."""
    user = request.user
    return {
        "moderates": lambda: moderates(user),
        "pending_count": SimpleLazyObject(lambda: moderable(user).pending().count()),
    }
