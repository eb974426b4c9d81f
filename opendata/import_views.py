"""The moderators' import page: upload, read the dry run, then confirm the import."""

import secrets

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contributions.access import moderator_required

from .imports.importer import Importer, decode_content, encode_content, make_parser
from .imports.report import MAX_UPLOAD_BYTES, BadOption
from .models import ImportSystem

SESSION_KEY = "opendata_import"


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def mappings(label, help_text) -> forms.CharField:
    """Optional "name=value" lines, the page's form of the commands' repeatable options."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ImportSystem.choices)
    file = forms.FileField(label=gettext_lazy("Fichier"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Que faire des acteurs nouveaux ou modifiés ?"),
        choices=[
            ("publish", gettext_lazy("Les publier")),
            ("moderation", gettext_lazy("Les envoyer dans la file de modération")),
        ],
        widget=forms.RadioSelect,
        initial="publish",
    )
    licence = forms.CharField(
        label=gettext_lazy("Licence de la source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Obligatoire pour un CSV : etalab-2.0, cc-by-4.0, cc0-1.0, odc-by-1.0… GoGoCarto : "
            "celle du fichier, sinon ODbL. Une licence à partage à l'identique (ODbL, CC-BY-SA) "
            "est refusée : elle est incompatible avec la Licence Ouverte de la carte."
        ),
    )
    accept_similar = mappings(
        gettext_lazy("Lignes à publier malgré un nom proche"),
        gettext_lazy("Une par ligne : le numéro de ligne ou l'identifiant d'élément."),
    )
    columns = mappings(
        gettext_lazy("Correspondance des colonnes ou champs"),
        gettext_lazy("Une par ligne, par exemple « Structure=name »."),
    )
    categories = mappings(
        gettext_lazy("Catégories GoGoCarto"),
        gettext_lazy("Une par ligne, par exemple « Cellule d'innovation=cellule_innovation »."),
    )
    links = mappings(
        gettext_lazy("Champs de liens GoGoCarto"),
        gettext_lazy("Un par ligne, par exemple « partage_infos=partage_information »."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mo."))
        return upload

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "map": lines(data["columns"]),
            "category": lines(data["categories"]),
            "link": lines(data["links"]),
            "licence": data["licence"],
            "accept_similar": lines(data["accept_similar"]),
        }


def run(stored: dict, request, dry_run: bool):
    parser = make_parser(stored["format"], stored["options"])
    importer = Importer(
        parser,
        dry_run=dry_run,
        to_moderation=stored["mode"] == "moderation",
        user=request.user,
        accept_similar=stored["options"].get("accept_similar", ()),
    )
    return importer.run(decode_content(stored["content"]))


@moderator_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        stored = {
            "format": form.cleaned_data["format"],
            "mode": form.cleaned_data["mode"],
            "options": form.options(),
            "filename": form.cleaned_data["file"].name,
            "content": encode_content(form.cleaned_data["file"].read()),
        }
        try:
            report = run(stored, request, dry_run=True)
        except BadOption as error:
            form.add_error(None, str(error))
        else:
            token = secrets.token_urlsafe(16)
            # Only the last uploaded file waits for confirmation.
            request.session[SESSION_KEY] = {"token": token, **stored}
            context.update(report=report, token=token, filename=stored["filename"])
    return render(request, "opendata/import.html", context)


@moderator_required
def import_confirm(request):
    if request.method != "POST":
        return redirect("opendata:import")
    stored = request.session.get(SESSION_KEY) or {}
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(
            request, _("Ce fichier n'attend plus de confirmation : déposez-le à nouveau.")
        )
        return redirect("opendata:import")
    report = run(stored, request, dry_run=False)
    del request.session[SESSION_KEY]
    return render(
        request,
        "opendata/import.html",
        {"form": ImportForm(), "report": report, "filename": stored["filename"], "done": True},
    )
