from django import template
from django.utils import formats
from django.utils.translation import get_language

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
