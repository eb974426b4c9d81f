from django import forms
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

DEFAULT_REASON = "Modification dans l'administration"


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Motif de la modification"),
        required=False,
        max_length=100,
        help_text=_("Enregistré dans l'historique : pourquoi ce changement ?"),
    )


class VersionedAdmin(SimpleHistoryAdmin):
    """Admin whose every save records, in the history, who changed what and why."""

    form = ReasonForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("change_reason" in options.get("fields", ()) for _name, options in fieldsets):
            return fieldsets
        return [*fieldsets, (_("Historique"), {"fields": ["change_reason"]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or DEFAULT_REASON
        super().save_model(request, obj, form, change)
