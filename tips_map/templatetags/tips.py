from datetime import timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def long_date(value):
    """A date as French writes it ("1er mars 2023", "12 mars 2023"); English "1 March 2023"."""
    if not value:
        return ""
    text = formats.date_format(value, "j F Y")
    if value.day == 1 and (get_language() or "fr").startswith("fr"):
        text = "1er" + text[1:]
    return text


@register.filter
def ago(value):
    """How long ago, as people say it: "à l'instant" under a minute, then Django's own
    "il y a 3 minutes", "il y a une heure" (never "il y a 0 minute")."""
    if not value:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return gettext("à l'instant")
    return naturaltime(value)


@register.simple_tag
def query_replace(request, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def sort_toggle(column: str, current: str) -> str:
    """Clicking the sorted column reverses it; another column sorts ascending."""
    return f"-{column}" if current == column else column
