"""The citable releases' pages (/donnees/versions/): the list, a release with its downloads,
changelog and citation, its frozen files, and the chair admins' form that publishes one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from actors.identifiers import absolute
from contributions.access import moderator_required
from tips_map import payloads
from tips_map.models import DataVersion

from . import exports, releases
from .models import Release, ReleaseFile

# Frozen files never change: browsers and proxies may keep them for a year without asking.
FOREVER = "public, max-age=31536000, immutable"
CITATION_FILES = {"CITATION.cff": "text/plain; charset=utf-8", "datacite.json": "application/json"}


@require_safe
def release_list(request):
    """Every release, newest first, and whether the current data has changed since the latest."""
    listed = list(Release.objects.defer("notes"))
    latest = listed[0] if listed else None
    unchanged, changes = False, 0
    if latest is not None:
        # Counted once per data version and latest release in each process (a snapshot of
        # the data: a second at 10,000 actors).
        unchanged, changes = payloads.computed(
            f"releases:changes-since:{latest.pk}", lambda: releases.changes_since(latest)
        )
    return render(
        request,
        "opendata/release_list.html",
        {"releases": listed, "latest": latest, "unchanged": unchanged, "changes": changes},
    )


def release_url(release: Release) -> str:
    """What a citation names: on settings.SITE_URL, whatever host the request used."""
    return absolute(release.get_absolute_url())


@require_safe
def release_detail(request, version: str):
    release = get_object_or_404(Release.objects.select_related("previous"), version=version)
    files = list(release.files.defer("content"))
    log = releases.stored_changelog(release)
    return render(
        request,
        "opendata/release_detail.html",
        {
            "release": release,
            "files": [file for file in files if file.key != "changelog"],  # datapackage too
            "changelog_file": next(file for file in files if file.key == "changelog"),
            "log": log,
            "citation": releases.citation_text(release, release_url(release)),
            "current": release.is_current(),
            "licence": exports.licence(),
        },
    )


@require_safe
def release_file(request, version: str, path: str):
    """A frozen file, byte for byte as published (ETag: its sha256), or a citation file."""
    release = get_object_or_404(Release.objects.select_related("previous"), version=version)
    if path in CITATION_FILES:
        return citation_file(request, release, path)
    file = ReleaseFile.objects.filter(release=release, path=path).first()
    if file is None:
        raise Http404
    content = bytes(file.content)
    gzipped = content if file.gzipped else payloads.Payload.of(content).gzipped
    payload = payloads.Payload(gzipped, file.size, f'"{file.sha256}"')
    response = payloads.response(request, payload, file.content_type)
    response["Cache-Control"] = FOREVER
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-TIPs-Version"] = release.version
    return response


def citation_file(request, release: Release, path: str) -> HttpResponse:
    url = release_url(release)
    if path == "CITATION.cff":
        response = HttpResponse(
            releases.citation_cff(release, url), content_type=CITATION_FILES[path]
        )
    else:
        previous = release.previous
        previous_url = previous and (previous.doi or release_url(previous))
        response = JsonResponse(
            releases.datacite(release, url, previous_url),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        path = f"tips-map-datacite-{release.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{path}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-TIPs-Version"] = release.version
    return response


# --- Publishing (chair admins) ----------------------------------------------------------------


class ReleaseForm(forms.Form):
    version = forms.CharField(
        label=_("Numéro de version"),
        max_length=12,
        help_text=_("L'année, un point et le numéro de la version dans l'année : 2027.1."),
    )
    title = forms.CharField(label=_("Titre (facultatif)"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes (facultatives)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui distingue cette version, en français."),
    )
    # The data version the preview was computed on: changed since, the preview is shown again.
    data_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_version(self) -> str:
        version = self.cleaned_data["version"].strip()
        releases.check_version(version)
        return version


@moderator_required
def release_publish(request):
    """GET: the form, the label suggested. POST "apercu": the changelog against the latest
    release, to confirm. POST "publier": the release, in one transaction."""
    if request.method != "POST":
        form = ReleaseForm(initial={"version": releases.suggested_version()})
        return render(request, "opendata/release_publish.html", {"form": form})
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return render(request, "opendata/release_publish.html", {"form": form})
    data_version = DataVersion.key()
    confirmed = request.POST.get("action") == "publier"
    if confirmed and form.cleaned_data["data_version"] != data_version:
        messages.warning(
            request,
            gettext("Les données ont changé depuis l'aperçu : vérifiez ce nouvel aperçu."),
        )
        confirmed = False
    if not confirmed:
        form = ReleaseForm({**form.cleaned_data, "data_version": data_version})
        form.is_valid()
        return render(
            request,
            "opendata/release_publish.html",
            {"form": form, "log": releases.preview(), "preview": True},
        )
    values = form.cleaned_data
    try:
        release = releases.publish(
            values["version"], title=values["title"], notes=values["notes"], user=request.user
        )
    except ValidationError as error:
        form.add_error("version", error)
        return render(request, "opendata/release_publish.html", {"form": form})
    messages.success(
        request, gettext("La version %(version)s est publiée.") % {"version": release.version}
    )
    return redirect(release)
