"""The published releases in the admin: read-only, but for the DOI once DataCite registered one
(the citation files of the release carry it from then on)."""

from django.contrib import admin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published_at", "actor_count", "relation_count", "doi"]
    fields = ["version", "title", "notes", "published_at", "data_date", "previous", "doi"]
    readonly_fields = [f for f in fields if f != "doi"]

    def has_add_permission(self, request) -> bool:
        return False  # publishing is /donnees/versions/publier/ or manage.py publish_release

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a release is downloadable forever
