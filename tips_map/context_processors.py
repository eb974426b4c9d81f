from django.utils.functional import SimpleLazyObject


def moderation(request):
    """The number of proposals waiting, on every page a moderator opens (queried only then)."""

    def pending_count():
        from contributions.models import Contribution

        return Contribution.objects.pending().count()

    return {"pending_count": SimpleLazyObject(pending_count)}
