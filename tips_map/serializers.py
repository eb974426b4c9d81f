"""The base of the API's serializers: every field documented in the OpenAPI schema."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def linked_slug(label, help_text, *, nullable: bool = False) -> serializers.SlugRelatedField:
    """A linked record (a parent, an end of a relation…) as its slug, documented; `nullable`
    when the link may be missing (the schema then says null is a value)."""
    return serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=nullable, label=label, help_text=help_text
    )


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "enum": [""]}]}
)
class OptionalURLField(serializers.URLField):
    """An address the data may leave empty (""): the schema says so, "" is not a URI."""


class SiteIdentityField(serializers.HyperlinkedIdentityField):
    """A record's address in the API on settings.SITE_URL, whatever host the request named:
    the address names the record (the relation's URI), like the exports' URLs do."""

    def get_url(self, obj, view_name, request, format):
        return settings.SITE_URL + super().get_url(obj, view_name, None, None)


def api_url(view_name: str, help_text, lookup_field: str = "pk"):
    """The record's own address in the API."""
    return SiteIdentityField(
        view_name=view_name,
        lookup_field=lookup_field,
        label=_("adresse dans l'API"),
        help_text=help_text,
    )


# The English glosses of the fields every sourced record has (tips_map/sources.py).
SOURCED_GLOSSES = {
    "provenance": "source",
    "provenance_detail": "source details",
    "report_lines": "lines of the report",
    "checked_on": "last checked",
    "updated_at": "last modified, ISO 8601",
}


class DescribedModelSerializer(serializers.ModelSerializer):
    """Every field carries a description in the OpenAPI schema: the model's verbose name and
    help text, plus an English gloss in parentheses (`english`, field name -> gloss)."""

    english: dict[str, str] = {}
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: OptionalURLField,
    }

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        extra_kwargs = getattr(self.Meta, "extra_kwargs", {})
        for name, field in fields.items():
            blank_choice = _model_field(model, field.source or name)
            if isinstance(field, serializers.ChoiceField) and getattr(blank_choice, "blank", 0):
                # Read-only fields lose allow_blank: "" stays a documented value of the enum.
                field.allow_blank = True
            if name in self._declared_fields or "help_text" in extra_kwargs.get(name, {}):
                continue  # written by hand
            model_field = _model_field(model, field.source if field.source != "*" else name)
            label = field.label or (model_field.verbose_name if model_field else name)
            parts = [capfirst(label)]
            help_text = getattr(model_field, "help_text", "") if model_field else ""
            if help_text:
                parts.append(help_text)
            text = format_lazy("{}", parts[0]) if len(parts) == 1 else format_lazy("{}. {}", *parts)
            if name in self.english:
                text = format_lazy("{} ({})", text, self.english[name])
            field.help_text = text
        return fields

    def absolute(self, path: str) -> str:
        """A path of the site as an absolute URL on settings.SITE_URL, as in the exports: a
        record's URL does not change with the host a request used."""
        return settings.SITE_URL + path


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # computed fields (url, api_url…)
        return None
