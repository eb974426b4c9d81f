from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Relation


@admin.register(Relation)
class RelationAdmin(SimpleHistoryAdmin):
    list_display = ["source", "type", "target", "start_year", "end_year", "report_lines"]
    list_filter = ["type"]
    list_select_related = ["source", "target"]
    autocomplete_fields = ["source", "target"]
    search_fields = ["source__name", "target__name", "description"]
