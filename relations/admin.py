from django.contrib import admin
from django.db.models import Q

from tips_map.admin import VersionedAdmin
from tips_map.text import fold

from .models import Relation


@admin.register(Relation)
class RelationAdmin(VersionedAdmin):
    list_display = ["source", "type", "target", "start_year", "end_year", "report_lines"]
    list_filter = ["type"]
    list_select_related = ["source", "target"]
    autocomplete_fields = ["source", "target"]
    search_fields = ["source__name", "target__name"]

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive on either end's name, acronym or commune.
        folded = fold(search_term)
        if not folded:
            return queryset, False
        matches = Q(source__search_text__contains=folded) | Q(target__search_text__contains=folded)
        return queryset.filter(matches), False
