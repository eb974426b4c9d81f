"""The messages a contribution sends: confirmation, receipt, notification, decision, digest."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import signin
from .access import moderators
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


def send_signin_link(email: str, site_url: str | None = None) -> bool:
    """The one-time link to "Mes propositions", sent only to an address that made proposals:
    the page says the same to everyone, so that nobody learns who contributed."""
    if not Contribution.objects.sent_from(email).exists():
        return False
    path = reverse("contributions:signin", args=[signin.link_token(email)])
    _send("signin", {"signin_url": absolute(site_url, path)}, [email])
    return True


def moderator_emails() -> list[str]:
    return sorted(moderators().exclude(email="").values_list("email", flat=True))


def notify_moderators(contribution, site_url: str | None = None) -> None:
    recipients = moderator_emails()
    if recipients:
        url = absolute(site_url, contribution.get_absolute_url())
        _send("new_proposal", {"contribution": contribution, "url": url}, recipients)


def send_digest(contributions) -> int:
    recipients = moderator_emails()
    if recipients and contributions:
        _send(
            "digest",
            {
                "contributions": contributions,
                "queue_url": settings.SITE_URL + reverse("contributions:queue"),
            },
            recipients,
        )
    return len(recipients)
