from django.contrib import admin

from .models import Contribution, ModerationScope


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
        "places",
    ]


@admin.register(ModerationScope)
class ModerationScopeAdmin(admin.ModelAdmin):
    """A chair admin gives a person the proposals of territories (contributions/access.py):
    no group to join, the territories are the right; deleting the line takes it back."""

    list_display = ["user", "territory_names"]
    search_fields = ["user__username", "user__email", "territories__name"]
    autocomplete_fields = ["user", "territories"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("territories")

    @admin.display(description=ModerationScope._meta.get_field("territories").verbose_name)
    def territory_names(self, scope) -> str:
        return ", ".join(territory.name for territory in scope.territories.all())
