from django.utils.functional import SimpleLazyObject

from .models import Contribution


def moderation(request):
    """The number of proposals waiting, on every page a moderator opens (queried only then)."""
    return {"pending_count": SimpleLazyObject(lambda: Contribution.objects.pending().count())}
