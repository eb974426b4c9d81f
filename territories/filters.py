"""The filters of the territories' list (the API's ?niveau= and ?parent=)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Level, Territory


class TerritoryFilter(django_filters.FilterSet):
    niveau = django_filters.MultipleChoiceFilter(
        label=_("Niveau"), field_name="level", choices=Level.choices
    )
    parent = django_filters.CharFilter(
        label=_("Territoire parent (identifiant)"), field_name="parent__slug"
    )

    class Meta:
        model = Territory
        fields = ["niveau", "parent"]
