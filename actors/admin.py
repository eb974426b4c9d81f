from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from relations.models import Relation
from territories.models import Level, Territory
from tips_map.admin import VersionedAdmin

from .identifiers import IDENTIFIER_FIELDS
from .models import LOCATION_FIELDS, Actor, Contact


class TerritoryListFilter(admin.SimpleListFilter):
    """Any level: choosing a département keeps every actor of its EPCI and communes."""

    title = _("territoire")
    parameter_name = "territoire"

    def lookups(self, request, model_admin):
        territories = Territory.objects.exclude(level=Level.COMMUNE).only("id", "name", "level")
        return [(t.pk, str(t)) for t in territories]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        territory = Territory.objects.filter(pk=self.value()).first()
        return queryset.in_territory(territory) if territory else queryset.none()


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class RelationAsSourceInline(admin.TabularInline):
    model = Relation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["type", "target", "description", "start_year", "end_year", "report_lines"]
    verbose_name = _("relation (cet acteur en source ou prestataire)")
    verbose_name_plural = _("relations (cet acteur en source ou prestataire)")


class RelationAsTargetInline(RelationAsSourceInline):
    fk_name = "target"
    autocomplete_fields = ["source"]
    fields = ["type", "source", "description", "start_year", "end_year", "report_lines"]
    verbose_name = _("relation (cet acteur en cible ou bénéficiaire)")
    verbose_name_plural = _("relations (cet acteur en cible ou bénéficiaire)")


@admin.register(Actor)
class ActorAdmin(VersionedAdmin):
    list_display = [
        "name",
        "acronym",
        "type",
        "type_inferred",
        "lifecycle",
        "commune_name",
        "territory",
        "relation_count",
    ]
    list_filter = [
        "type",
        "secondary_types",
        TerritoryListFilter,
        "lifecycle",
        "scope",
        "status",
        "type_inferred",
    ]
    search_fields = ["name", "acronym"]
    list_select_related = ["territory"]
    autocomplete_fields = ["parent", "territory"]
    filter_horizontal = ["secondary_types"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContactInline, RelationAsSourceInline, RelationAsTargetInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "acronym", "parent"]}),
        (
            _("Typologie"),
            {"fields": ["type", "type_inferred", "secondary_types", "status", "scope", "missions"]},
        ),
        (
            _("Localisation"),
            {
                "fields": [
                    *LOCATION_FIELDS,
                    "location_precision",
                    "territory",
                    "territory_set_by_hand",
                ]
            },
        ),
        (_("Cycle de vie"), {"fields": ["lifecycle", "founded_year", "ended_year"]}),
        (_("Identifiants"), {"fields": IDENTIFIER_FIELDS}),
        (
            _("Contact et sources"),
            {
                "fields": [
                    "website",
                    "provenance",
                    "provenance_detail",
                    "report_lines",
                    "checked_on",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                relation_total=Count("relations_as_source", distinct=True)
                + Count("relations_as_target", distinct=True)
            )
        )

    @admin.display(description=_("relations"), ordering="relation_total")
    def relation_count(self, actor):
        return actor.relation_total

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive: "metropole" finds "Métropole" (see tips_map.text.fold).
        return queryset.search(search_term), False
