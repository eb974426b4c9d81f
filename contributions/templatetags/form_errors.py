"""The error banner of a proposal form: each faulty field by its label, linked to the field.

`{% error_summary actor_form relations contributor %}` lists the forms' and formsets' errors
in their order (a formset's rows by their `row_label`, "Relation 2 : Acteur partenaire"); the
banner takes the focus (static/js/error_summary.js). Each field still shows its own message.
"""

from django import template
from django.forms import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


def anchor(field) -> str:
    """The id a link to the field goes to: its input, or the first of its choices (a list of
    radio buttons or check boxes has no element of its own to focus)."""
    return field.id_for_label or f"{field.auto_id}_0"


def form_errors(form, row: str = "") -> list[dict]:
    """One entry per faulty field; the errors of the whole form point to its first field."""
    entries = []
    fields = list(form)
    if form.non_field_errors() and fields:
        entries.append(
            {"label": row, "anchor": anchor(fields[0]), "messages": form.non_field_errors()}
        )
    for field in fields:
        if field.errors:
            label = f"{row} : {field.label}" if row else field.label
            entries.append({"label": label, "anchor": anchor(field), "messages": field.errors})
    return entries


def formset_errors(formset) -> list[dict]:
    row_label = getattr(formset, "row_label", _("Ligne %(n)s"))
    entries = []
    if formset.non_form_errors() and formset.forms:
        first = next(iter(formset.forms[0]))
        entries.append(
            {"label": "", "anchor": anchor(first), "messages": formset.non_form_errors()}
        )
    for index, form in enumerate(formset.forms, start=1):
        entries += form_errors(form, str(row_label) % {"n": index})
    return entries


@register.inclusion_tag("contributions/includes/error_summary.html")
def error_summary(*forms):
    entries = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        entries += formset_errors(form) if isinstance(form, BaseFormSet) else form_errors(form)
    return {"errors": entries}
