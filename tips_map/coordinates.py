"""Coordinates in degrees (WGS 84), as actors and territories keep them: plain columns, no GDAL."""

from django.db.models import CheckConstraint, Q
from django.utils.translation import gettext_lazy as _

LATITUDE_RANGE = _("La latitude doit être comprise entre -90 et 90.")
LONGITUDE_RANGE = _("La longitude doit être comprise entre -180 et 180.")


def in_range(prefix: str, latitude: str, longitude: str) -> list[CheckConstraint]:
    """The database's guarantee that two columns hold degrees, or nothing: constraints named
    "<prefix>_<column>_in_range", with the messages the forms give."""
    return [
        CheckConstraint(
            condition=Q(**{f"{column}__isnull": True})
            | Q(**{f"{column}__gte": -limit, f"{column}__lte": limit}),
            name=f"{prefix}_{column}_in_range",
            violation_error_message=message,
        )
        for column, limit, message in [
            (latitude, 90, LATITUDE_RANGE),
            (longitude, 180, LONGITUDE_RANGE),
        ]
    ]
