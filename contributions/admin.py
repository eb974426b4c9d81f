from django.contrib import admin

from .models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "contributor_name", "created_at", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["actor_label", "contributor_name", "contributor_email"]
    readonly_fields = [
        "proposed",
        "snapshot",
        "follow_token",
        "created_at",
        "confirmed_at",
        "decided_at",
        "moderator",
        "status",
    ]
