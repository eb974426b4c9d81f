"""One set of filters for the map, the list and (later) the API: same parameters, same results."""

import functools

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from relations.models import Origin, Relation, RelationType
from territories.models import Level, Territory
from tips_map.filters import ChangedSinceFilter, YearFilter
from tips_map.text import fold

from .models import Actor, ActorType, AdministrativeStatus, Lifecycle, Scope, relations_in

# --- Yes/no parameters (?disparus=): the words a person or a program writes, nothing else ---
TRUE_WORDS = {"1", "true", "oui", "on", "yes"}
FALSE_WORDS = {"0", "false", "non", "off", "no", ""}


def parse_yes_no(value) -> bool | None:
    """True, False, None when absent; ValueError for anything else ("peut-être", "2")."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(value)


class YesNoCheckbox(forms.CheckboxInput):
    """A checkbox that hands the field the word as written (CheckboxInput turns "0" into True)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=self.ticked)

    @staticmethod
    def ticked(value) -> bool:
        try:
            return parse_yes_no(value) is True
        except ValueError:
            return False

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class YesNoField(forms.Field):
    widget = YesNoCheckbox

    def to_python(self, value):
        try:
            return parse_yes_no(value)
        except ValueError:
            raise forms.ValidationError(
                _(
                    "« %(value)s » n'est pas une valeur possible : 1, true, oui ou on pour "
                    "afficher ; 0, false, non ou off pour masquer."
                ),
                code="invalid",
                params={"value": value},
            ) from None


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


def ticked(**options) -> django_filters.MultipleChoiceFilter:
    """Several values to tick (they add up): types, scopes, statuses, life cycles…"""
    return django_filters.MultipleChoiceFilter(widget=forms.CheckboxSelectMultiple, **options)


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("nom, sigle, ville…")}),
    )
    type = ticked(
        label=_("Type d'acteur"),
        choices=ActorType.choices,
        method="filter_type",
        help_text=_("Type principal ou secondaire."),
    )
    territoire = django_filters.ModelChoiceFilter(
        label=_("Territoire"),
        queryset=Territory.objects.only("id", "name", "slug", "level", "path"),
        to_field_name="slug",
        method="filter_territory",
        empty_label=_("Tous les territoires"),
    )
    portee = ticked(label=_("Portée"), field_name="scope", choices=Scope.choices)
    statut = ticked(
        label=_("Statut administratif"), field_name="status", choices=AdministrativeStatus.choices
    )
    cycle = ticked(label=_("Cycle de vie"), field_name="lifecycle", choices=Lifecycle.choices)
    disparus = YesNoFilter(
        label=_("Afficher les acteurs disparus"),
        method="filter_disappeared",
    )
    relation = ticked(
        label=_("A des relations de type"),
        choices=RelationType.choices,
        method="filter_relation",
    )
    origine = ticked(
        label=_("A des relations d'origine"),
        choices=Origin.choices,
        method="filter_origin",
        help_text=_("Par exemple : seulement les relations déclarées par les deux parties."),
    )
    annee = YearFilter(method="filter_year")
    modifie_depuis = ChangedSinceFilter()

    class Meta:
        model = Actor
        fields = [
            "q",
            "type",
            "territoire",
            "portee",
            "statut",
            "cycle",
            "disparus",
            "relation",
            "origine",
            "annee",
            "modifie_depuis",
        ]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # Lazy: only a rendered form needs the menu, not the map data or the API.
            selected = self.data.get("territoire")
            menu = functools.cache(lambda: territory_choices(selected))
            form.fields["territoire"].widget.choices = CallableChoiceIterator(menu)
        return self._form

    @property
    def qs(self):
        queryset = super().qs
        # Disappeared actors are hidden unless asked for, by the toggle or by the lifecycle filter.
        data = getattr(self.form, "cleaned_data", {})
        if self.year() is not None:
            return queryset  # the year says who was alive (filter_year)
        if not data.get("disparus") and Lifecycle.DISPARU not in (data.get("cycle") or []):
            queryset = queryset.visible()
        return queryset

    def chosen(self, name: str):
        """A filter's value as read (None when not given, or the filters are not bound)."""
        return getattr(self.form, "cleaned_data", {}).get(name)

    def year(self) -> int | None:
        """The time control's year (?annee=), None for today."""
        return self.chosen("annee")

    def relations(self):
        """The relations the filters read: those standing in the chosen year, or all."""
        year = self.year()
        return Relation.objects.all() if year is None else relations_in(year)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_type(self, queryset, name, values):
        if not values:
            return queryset
        has_secondary = Actor.secondary_types.through.objects.filter(
            actor=OuterRef("pk"), actortypeentry__in=values
        )
        return queryset.filter(Q(type__in=values) | Q(Exists(has_secondary)))

    def filter_territory(self, queryset, name, territory):
        return queryset.in_territory(territory) if territory else queryset

    def filter_disappeared(self, queryset, name, value):
        return queryset  # applied in qs, together with the lifecycle filter

    def filter_relation(self, queryset, name, values):
        return having(queryset, self.relations().filter(type__in=values)) if values else queryset

    def filter_origin(self, queryset, name, values):
        return having(queryset, self.relations().of_origin(values)) if values else queryset

    def filter_year(self, queryset, name, value):
        return queryset if value is None else queryset.alive_in(value)

    def without(self, name: str):
        """The same filters minus one, for facet counts ("how many if I add this type?")."""
        data = self.data.copy()
        data.pop(name, None)
        return type(self)(data, queryset=self.queryset)


def having(actors, relations):
    """The actors at one end or the other of some of `relations`."""
    return actors.filter(
        Q(Exists(relations.filter(source=OuterRef("pk"))))
        | Q(Exists(relations.filter(target=OuterRef("pk"))))
    )


# Communes are the thousands of a national map (35,000 in France): the menu offers the wider
# levels, grouped; a commune is still a valid filter (from its territory page or a link) and shows
# in the menu when selected.
MENU_LEVELS = [Level.REGION, Level.DEPARTEMENT, Level.EPCI]


def territory_choices(selected: str | None) -> list:
    territories = Territory.objects.filter(level__in=MENU_LEVELS).only("name", "slug", "level")
    groups = {level: [] for level in MENU_LEVELS}
    for territory in sorted(territories, key=lambda t: (fold(t.name), t.slug)):
        groups[territory.level].append((territory.slug, territory.name))
    choices = [("", _("Tous les territoires"))]
    choices += [(Level(level).label, items) for level, items in groups.items() if items]
    if selected and not any(selected == slug for items in groups.values() for slug, _n in items):
        commune = Territory.objects.filter(slug=selected).only("name", "slug", "level").first()
        if commune:
            choices.append((Level(commune.level).label, [(commune.slug, commune.name)]))
    return choices
