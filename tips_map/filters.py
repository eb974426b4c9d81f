"""What the data apps' filters share: `?modifie_depuis=`, the records changed since a moment."""

import datetime
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .sources import current_year

# "2026-11-01T10:00:00+01:00" typed in an address without encoding its "+" arrives with a
# space instead: read it as the offset it was.
_UNENCODED_OFFSET = re.compile(r"(?<=\d\d:\d\d) (?=\d\d(:?\d\d)?$)")


def moment_of(text: str) -> datetime.datetime | None:
    """The moment an ISO 8601 date ("2026-11-01": its midnight, French time) or date and time
    ("2026-11-01T14:30", "2026-11-01T13:30:00Z", "…+01:00") names; None if it names none."""
    text = _UNENCODED_OFFSET.sub("+", text.strip())
    try:
        moment = parse_datetime(text)
    except ValueError:  # well formed, but no such day or hour (2026-02-30)
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class MomentField(forms.CharField):
    """A date or a date and time, in ISO 8601, as an aware datetime."""

    default_error_messages = {
        "invalid": _(
            "« %(value)s » n'est pas une date : écrivez-la au format ISO 8601, par exemple "
            "2026-11-01 ou 2026-11-01T14:30:00+01:00."
        ),
    }

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        moment = moment_of(text)
        if moment is None:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            )
        return moment


class ChangedSinceFilter(django_filters.Filter):
    """`?modifie_depuis=`: the records whose last change (`updated_at`) is at or after the
    moment given; a value that is no date answers the French message of MomentField."""

    field_class = MomentField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Modifiés depuis"))
        kwargs.setdefault(
            "widget",
            forms.DateInput(attrs={"type": "date", "aria-describedby": "modifie-depuis-hint"}),
        )
        super().__init__(field_name="updated_at", lookup_expr="gte", **kwargs)


# The time control's first year: the oldest founding in the report's data is far later.
FIRST_YEAR = 1900


class YearFilter(django_filters.NumberFilter):
    """`?annee=`: a whole year between FIRST_YEAR and this one, said in French otherwise."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("En"))
        kwargs.setdefault(
            "help_text",
            _("L'écosystème tel qu'il était cette année-là : acteurs et relations en activité."),
        )
        super().__init__(min_value=FIRST_YEAR, max_value=current_year, **kwargs)
