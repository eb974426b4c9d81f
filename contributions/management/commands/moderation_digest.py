"""Email the moderators the list of proposals waiting for a decision (run daily, e.g. by cron)."""

from django.core.management.base import BaseCommand

from contributions import emails
from contributions.models import Contribution


class Command(BaseCommand):
    help = "Send moderators a digest of the pending proposals (nothing is sent if none waits)."

    def handle(self, *args, **options):
        pending = list(
            Contribution.objects.pending()
            .select_related("actor__territory")
            .prefetch_related("places")
            .order_by("created_at")
        )
        if not pending:
            self.stdout.write("No pending proposal: nothing sent.")
            return
        recipients = emails.send_digest(pending)
        self.stdout.write(f"{len(pending)} pending proposal(s) sent to {recipients} moderator(s).")
