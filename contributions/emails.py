"""The messages a contribution sends: confirmation, receipt, notification, decision, digest."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import signin
from .access import moderators, moderators_of, territory_moderators
from .models import Contribution

CONFIRMATION_SALT = "contributions.confirm"
CONFIRMATION_MAX_AGE = 3 * 24 * 3600  # seconds: the link expires after three days


def confirmation_token(contribution) -> str:
    return signing.dumps(contribution.pk, salt=CONFIRMATION_SALT)


def contribution_from_token(token: str):
    """The contribution a confirmation link names, or None if forged or expired."""
    try:
        pk = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return Contribution.objects.filter(pk=pk).first()


def site_url_of(request) -> str:
    """ "https://host" as the person reached the site: the start of the links we send them."""
    return request.build_absolute_uri("/").rstrip("/")


def absolute(site_url: str | None, path: str) -> str:
    return (site_url or settings.SITE_URL) + path


def _send(template: str, context: dict, recipients: list[str]) -> None:
    # Contributors and moderators read French first, as the site does.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"contributions/emails/{template}_subject.txt", context)
        body = render_to_string(f"contributions/emails/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)


def to_contributor(template: str, contribution, site_url: str | None, **context) -> None:
    """A message to the contributor, with the private link to follow the proposal."""
    follow_url = absolute(site_url, contribution.get_follow_url())
    context = {"contribution": contribution, "follow_url": follow_url, **context}
    _send(template, context, [contribution.contributor_email])


def send_confirmation(contribution, site_url: str | None = None) -> None:
    token = confirmation_token(contribution)
    confirm_url = absolute(site_url, reverse("contributions:confirm", args=[token]))
    to_contributor("confirmation", contribution, site_url, confirm_url=confirm_url)


def send_receipt(contribution, site_url: str | None = None) -> None:
    to_contributor("receipt", contribution, site_url)


def send_decision(contribution, site_url: str | None = None) -> None:
    to_contributor("decision", contribution, site_url)


def emails_of(users) -> list[str]:
    return sorted(users.exclude(email="").values_list("email", flat=True))


def send_signin_link(email: str, site_url: str | None = None) -> bool:
    """The one-time link to "Mes propositions", sent only to an address that made proposals:
    the page says the same to everyone, so that nobody learns who contributed."""
    if not Contribution.objects.sent_from(email).exists():
        return False
    path = reverse("contributions:signin", args=[signin.link_token(email)])
    _send("signin", {"signin_url": absolute(site_url, path)}, [email])
    return True


def notify_moderators(contribution, site_url: str | None = None) -> None:
    """The chair admins, and the territory moderators of where the proposal is."""
    recipients = emails_of(moderators_of(contribution))
    if recipients:
        url = absolute(site_url, contribution.get_absolute_url())
        _send("new_proposal", {"contribution": contribution, "url": url}, recipients)


def send_digest(contributions) -> int:
    """Every pending proposal to the chair admins; to each territory moderator, those of their
    territories (`contributions` with their places and their actor's territory at hand)."""
    queue_url = settings.SITE_URL + reverse("contributions:queue")
    sent = [(emails_of(moderators()), list(contributions))]
    for user in territory_moderators().exclude(email=""):
        territories = list(user.moderation_scope.territories.all())
        sent.append(([user.email], [c for c in contributions if c.is_within(territories)]))
    sent = [(recipients, listed) for recipients, listed in sent if recipients and listed]
    for recipients, listed in sent:
        _send("digest", {"contributions": listed, "queue_url": queue_url}, recipients)
    return sum(len(recipients) for recipients, _listed in sent)
