"""?version=2027.1 on the lists and details of actors, relations and territories: the records
frozen in that release (opendata/releases.py), paged like the live API.

With a version, only the pagination and the format apply: the filters and the sort work on the
current data only, and are a 400 saying so (rather than an answer silently unfiltered). An
unknown version is a 404, a malformed one a 400. Every answer of these endpoints names the data
it shows in the header X-TIPs-Version: the release's label, or "non-publiee" for current data
published since the latest release (ASCII, as HTTP headers should be)."""

import re

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

from actors.identifiers import absolute
from opendata.models import VERSION_PATTERN, Release, ReleaseRecord

from .errors import InvalidParameters

HEADER = "X-TIPs-Version"
UNRELEASED = "non-publiee"
PARAMETER = "version"


def data_label(release: Release | None) -> str:
    return release.version if release else UNRELEASED


class ReleasedRecords:
    """A mixin of the read viewsets (before PublicReadViewSet): `record_kind` names the
    records of a release it answers with ?version=."""

    record_kind: str

    def known_parameters(self) -> dict[str, list[str]]:
        return {**super().known_parameters(), _("version"): [PARAMETER]}

    def requested_release(self) -> Release | None:
        values = self.request.query_params.getlist(PARAMETER)
        if not values:
            return None
        if len(values) > 1 or not re.fullmatch(VERSION_PATTERN, values[0]):
            message = _("Numéro de version attendu : l'année, un point et un numéro (2027.1).")
            raise InvalidParameters({PARAMETER: [message]}, detail=message)
        release = Release.objects.filter(version=values[0]).first()
        if release is None:
            raise exceptions.NotFound(
                gettext(
                    "La version %(version)s n'existe pas : voir les versions publiées, "
                    "/donnees/versions/."
                )
                % {"version": values[0]}
            )
        self.release = release
        return release

    def refuse_filters(self) -> None:
        allowed = {PARAMETER, "format"}
        if self.pagination_class is not None:
            allowed |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
        others = sorted(set(self.request.query_params) - allowed)
        if others:
            message = _(
                "Les filtres et le tri s'appliquent aux données courantes seulement : avec "
                "« version », seuls la pagination et le format sont possibles."
            )
            raise InvalidParameters({name: [message] for name in others}, detail=message)

    def frozen_records(self, release: Release):
        return ReleaseRecord.objects.filter(release=release, kind=self.record_kind).only(
            "key", "data"
        )

    def answer(self, record: ReleaseRecord, release: Release) -> dict:
        """The stored record, its API address pointing at the release; every address on
        settings.SITE_URL, as the live API's (actors/identifiers.py)."""
        data = dict(record.data)
        for name in ("url", "geojson_url"):
            if isinstance(data.get(name), str) and data[name].startswith("/"):
                data[name] = absolute(data[name])
        path = reverse(f"api:{self.basename}-detail", args=[record.key])
        data["api_url"] = absolute(f"{path}?{PARAMETER}={release.version}")
        return data

    def list(self, request, *args, **kwargs):
        release = self.requested_release()
        if release is None:
            return super().list(request, *args, **kwargs)
        self.refuse_filters()
        page = self.paginate_queryset(self.frozen_records(release))
        return self.get_paginated_response([self.answer(record, release) for record in page])

    def retrieve(self, request, *args, **kwargs):
        release = self.requested_release()
        if release is None:
            return super().retrieve(request, *args, **kwargs)
        self.refuse_filters()
        key = str(kwargs[self.lookup_url_kwarg or self.lookup_field])
        record = self.frozen_records(release).filter(key=key).first()
        if record is None:
            raise exceptions.NotFound(
                gettext("Absent de la version %(version)s.") % {"version": release.version}
            )
        return Response(self.answer(record, release))

    def finalize_response(self, request, response, *args, **kwargs):
        """A release's answer names it; the current data's is named by
        PublishedDataView.dispatch (opendata/api/base.py), read with the data version."""
        response = super().finalize_response(request, response, *args, **kwargs)
        release = getattr(self, "release", None)
        if release is not None and response.status_code < 400:
            response[HEADER] = release.version
        return response
