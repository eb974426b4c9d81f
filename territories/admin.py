from django.contrib import admin

from tips_map.admin import VersionedAdmin
from tips_map.text import fold

from .models import Level, Territory


class LevelFilter(admin.SimpleListFilter):
    title = Territory._meta.get_field("level").verbose_name
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        return queryset.filter(level=self.value()) if self.value() else queryset


@admin.register(Territory)
class TerritoryAdmin(VersionedAdmin):
    list_display = ["name", "level", "code", "parent"]
    list_filter = [LevelFilter]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        # Territory names carry accents ("Saint-Étienne"); compare both sides folded.
        if not search_term:
            return queryset, False
        folded = fold(search_term)
        matches = [
            pk
            for pk, name, code in queryset.values_list("pk", "name", "code")
            if folded in fold(name) or folded in code
        ]
        return queryset.filter(pk__in=matches), False
