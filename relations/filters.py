"""The filters of the relations' list (the API's ?type=, ?acteur= and ?modifie_depuis=)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tips_map.filters import ChangedSinceFilter

from .models import Origin, Relation, RelationType


class RelationFilter(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(
        label=_("Type de relation"), choices=RelationType.choices
    )
    acteur = django_filters.CharFilter(label=_("Acteur (identifiant)"), method="filter_actor")
    origine = django_filters.MultipleChoiceFilter(
        label=_("Origine"), field_name="origin", choices=Origin.choices
    )
    modifie_depuis = ChangedSinceFilter()

    class Meta:
        model = Relation
        fields = ["type", "acteur", "origine", "modifie_depuis"]

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(source__slug=value) | Q(target__slug=value)) if value else queryset
