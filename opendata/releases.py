"""Citable releases of the data: a moderator freezes the published data under a label ("2027.1").

A release keeps, in the database (every app server sharing it serves the same bytes forever):
- every export of `opendata.exports.EXPORTS`, whatever it holds, as built at that moment
  (ReleaseFile: the gzip bytes of the live download, with the file's sha256 and size), and
  the changelog as JSON;
- the API's records of actors, relations and territories (ReleaseRecord), which `?version=`
  pages through and which the next release's changelog is computed from;
- the counts, the data's date and data version (whether the current data is still this
  release's: `Release.current()`).

Publishing is one transaction holding the data version's row: a validation waiting to write
published data waits until the release is frozen, so every file of a release shows one state of
the data, and two moderators publishing at once are served one after the other (the label's
unique constraint refuses the second if they chose the same). Building at 10,000 actors takes
a minute or more on a busy 2-core machine (the exports, then the API's records), in the request
for now: `manage.py publish_release` has no timeout (issue 16 brings the task queue).

The citation files (CITATION.cff, DataCite JSON) are written from the release when asked,
so that a DOI registered later (`Release.doi`) appears in them; the data files never change.
"""

import datetime
import gzip
import hashlib
import json
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from actors.models import PUBLIC_FIELDS as ACTOR_FIELDS
from actors.models import Actor, data_datetime
from relations.models import PUBLIC_FIELDS as RELATION_FIELDS
from relations.models import Relation
from tips_map.models import ROW_ID, DataVersion
from tips_map.payloads import Payload

from . import datapackage, exports
from .api.read import ActorViewSet, RelationViewSet, TerritoryViewSet
from .models import VERSION_PATTERN, RecordKind, Release, ReleaseFile, ReleaseRecord
from .views import export_payload

FIRST = _("première version")

# --- Labels -------------------------------------------------------------------------------


def parse_version(version: str) -> tuple[int, int] | None:
    """(year, number) of a well-formed label, else None."""
    if not re.fullmatch(VERSION_PATTERN, version or ""):
        return None
    year, number = version.split(".")
    return int(year), int(number)


def check_version(version: str) -> None:
    """A ValidationError in French unless `version` is well-formed, new and after the latest."""
    parsed = parse_version(version)
    if parsed is None:
        raise ValidationError(
            _(
                "« %(version)s » n'est pas un numéro de version : l'année, un point et le "
                "numéro de la version dans l'année, par exemple 2027.1."
            ),
            params={"version": version},
            code="invalid",
        )
    if Release.objects.filter(version=version).exists():
        raise ValidationError(
            _("La version %(version)s existe déjà : choisissez un autre numéro."),
            params={"version": version},
            code="unique",
        )
    latest = Release.objects.first()
    if latest is not None and parse_version(latest.version) >= parsed:
        raise ValidationError(
            _("Le numéro doit suivre celui de la dernière version publiée, %(latest)s."),
            params={"latest": latest.version},
            code="order",
        )


def suggested_version(today: datetime.date | None = None) -> str:
    """ "YYYY.N": the next number of this year (or of the latest release's year, if later)."""
    year = (today or timezone.localdate()).year
    latest = Release.objects.first()
    parsed = parse_version(latest.version) if latest else None
    if parsed and parsed[0] >= year:
        return f"{parsed[0]}.{parsed[1] + 1}"
    return f"{year}.1"


# --- The API's records, as a release keeps them -----------------------------------------------


def frozen(serializer_class):
    """The API's serializer without a request: addresses as paths (`url`), and `api_url` left
    to the answer, which points at the release (opendata/api/versions.py)."""

    class Frozen(serializer_class):
        api_url = serializers.SerializerMethodField()

        def get_api_url(self, instance) -> None:
            return None

    return Frozen


# kind -> the live API's viewset (its queryset, serializer and default order) and the key.
SOURCES = {
    RecordKind.ACTOR: (ActorViewSet, lambda record: record["slug"]),
    RecordKind.RELATION: (RelationViewSet, lambda record: str(record["id"])),
    RecordKind.TERRITORY: (TerritoryViewSet, lambda record: record["slug"]),
}


def snapshot() -> dict[str, list[tuple[int, str, dict]]]:
    """(id, key, record) of every published actor, relation and territory, in the live API's
    default order; a fixed number of queries whatever the size."""
    result = {}
    with translation.override("fr"):
        for kind, (viewset, key) in SOURCES.items():
            objects = list(viewset.queryset.all())
            data = frozen(viewset.serializer_class)(objects, many=True).data
            # As JSON holds it, so that a stored record compares equal to a fresh one.
            data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
            result[kind] = [
                (obj.pk, key(record), record) for obj, record in zip(objects, data, strict=True)
            ]
    return result


def stored_snapshot(release: Release | None) -> dict[str, dict[int, dict]]:
    """The actors and relations of a release, by id: what the next changelog compares with."""
    kept = {RecordKind.ACTOR: {}, RecordKind.RELATION: {}}
    if release is None:
        return kept
    rows = ReleaseRecord.objects.filter(release=release, kind__in=list(kept)).values_list(
        "kind", "object_id", "data"
    )
    for kind, object_id, data in rows:
        kept[kind][object_id] = data
    return kept


# --- The changelog --------------------------------------------------------------------------

# The fields compared, with their French labels; updated_at moves with any of them.
COMPARED = {
    RecordKind.ACTOR: (Actor, [f for f in ACTOR_FIELDS if f != "updated_at"]),
    RecordKind.RELATION: (Relation, [f for f in RELATION_FIELDS if f != "updated_at"]),
}


def field_labels(kind: str) -> dict[str, str]:
    """French label of each compared field (a reverse relation, the contacts, by its model's)."""
    model, fields = COMPARED[kind]
    labels = {}
    with translation.override("fr"):
        for name in fields:
            field = model._meta.get_field(name)
            label = getattr(field, "verbose_name", None)
            labels[name] = str(label or field.related_model._meta.verbose_name_plural)
    return labels


def describe(kind: str, record: dict) -> dict:
    """How the changelog names a record: the actor's slug and name; the relation's id, its
    ends and type."""
    if kind == RecordKind.ACTOR:
        return {"slug": record["slug"], "name": record["name"]}
    label = exports.french_choices(Relation, "type").get(record["type"], record["type"])
    name = f"{record['source_name']} — {record['target_name']} ({label})"
    return {"id": record["id"], "name": name}


def compare(kind: str, before: dict[int, dict], after: dict[int, dict]) -> dict:
    labels = field_labels(kind)
    added = [describe(kind, after[i]) for i in after if i not in before]
    removed = [describe(kind, before[i]) for i in before if i not in after]
    changed = []
    for i in after:
        if i not in before:
            continue
        fields = [name for name in labels if before[i].get(name) != after[i].get(name)]
        if fields:
            changes = [{"field": name, "label": labels[name]} for name in fields]
            changed.append({**describe(kind, after[i]), "fields": changes})
    return {"added": added, "removed": removed, "changed": changed}


def changelog(previous: Release | None, current: dict, version: str = "") -> dict:
    """Actors and relations added, removed and changed since `previous` (with the fields
    changed, by their French labels), with counts; the first release says so."""
    if previous is None:
        return {
            "version": version,
            "previous": None,
            "first": True,
            "summary": str(FIRST),
            "counts": None,
        }
    before = stored_snapshot(previous)
    log = {"version": version, "previous": previous.version, "first": False}
    counts = {}
    for kind, name in ((RecordKind.ACTOR, "actors"), (RecordKind.RELATION, "relations")):
        after = {object_id: data for object_id, _key, data in current[kind]}
        log[name] = compare(kind, before[kind], after)
        counts[name] = {change: len(items) for change, items in log[name].items()}
    log["counts"] = counts
    return log


def total_changes(counts: dict | None) -> int:
    if not counts:
        return 0
    return sum(n for changes in counts.values() for n in changes.values())


# --- Freezing --------------------------------------------------------------------------------


def frozen_file(key: str, path: str, filename: str, content_type: str, payload: Payload):
    """A file of the release, kept as the gzip bytes the live download serves (text always
    gains from it), with the sha256 and size of the file itself."""
    return ReleaseFile(
        key=key,
        path=path,
        filename=filename,
        content_type=content_type,
        content=payload.gzipped,
        gzipped=True,
        sha256=hashlib.sha256(payload.body()).hexdigest(),
        size=payload.size,
    )


def release_files(version: str, log: dict) -> list[ReleaseFile]:
    """Every export of the catalogue as it is now (the very bytes of the live download, when
    this process has built them for this data version), the changelog and datapackage.json."""
    files = [
        frozen_file(
            export.key,
            export.path,
            f"tips-map-{export.filename}-{version}.{export.extension}",
            export.content_type,
            export_payload(export),
        )
        for export in exports.EXPORTS.values()
    ]
    body = json.dumps(log, ensure_ascii=False, indent=1).encode("utf-8")
    name = f"tips-map-changelog-{version}.json"
    files.append(frozen_file("changelog", "changelog.json", name, JSON, Payload.of(body)))
    # The Data Package of the release's CSVs, by paths relative to it: beside them under
    # /donnees/versions/<version>/, as in a folder of the downloaded files.
    package = datapackage.descriptor(lambda export: export.path)
    body = json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
    name = f"tips-map-datapackage-{version}.json"
    files.append(frozen_file("datapackage", "datapackage.json", name, JSON, Payload.of(body)))
    return files


JSON = "application/json"


def lock_data() -> str:
    """Hold the data version's row until the transaction ends (a change to published data
    moves it, so it waits), and return the version."""
    list(DataVersion.objects.select_for_update().filter(pk=ROW_ID))
    return DataVersion.key()


def preview() -> dict:
    """The changelog the next release would have, against the latest."""
    return changelog(Release.objects.first(), snapshot())


def publish(version: str, *, title: str = "", notes: str = "", user=None) -> Release:
    """Freeze the current data as release `version`. ValidationError (nothing written) for a
    malformed, taken or out-of-order label."""
    with transaction.atomic():
        data_version = lock_data()
        check_version(version)
        previous = Release.objects.first()
        current = snapshot()
        log = changelog(previous, current, version)
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    version=version,
                    title=title,
                    notes=notes,
                    published_at=timezone.now(),
                    data_date=data_datetime(),
                    data_version=data_version,
                    previous=previous,
                    published_by=user if user and user.is_authenticated else None,
                    actor_count=len(current[RecordKind.ACTOR]),
                    relation_count=len(current[RecordKind.RELATION]),
                    changelog_counts=log["counts"],
                )
        except IntegrityError:  # the same label published by someone else at this moment
            raise ValidationError(
                _("La version %(version)s existe déjà : choisissez un autre numéro."),
                params={"version": version},
                code="unique",
            ) from None
        ReleaseRecord.objects.bulk_create(records_of(release, current), batch_size=1000)
        files = release_files(version, log)
        for position, file in enumerate(files):
            file.release, file.position = release, position
        ReleaseFile.objects.bulk_create(files)
    return release


def records_of(release: Release, current: dict) -> Iterable[ReleaseRecord]:
    for kind, rows in current.items():
        for position, (object_id, key, data) in enumerate(rows):
            yield ReleaseRecord(
                release=release,
                kind=kind,
                object_id=object_id,
                key=key,
                position=position,
                data=data,
            )


def file_body(file: ReleaseFile) -> bytes:
    content = bytes(file.content)
    return gzip.decompress(content) if file.gzipped else content


def stored_changelog(release: Release) -> dict:
    file = ReleaseFile.objects.get(release=release, key="changelog")
    return json.loads(file_body(file))


def changes_since(release: Release) -> tuple[bool, int]:
    """Whether the current data is still `release`'s, and how many actors and relations were
    added, removed or changed since (0 when it is)."""
    if release.data_version == DataVersion.key():
        return True, 0
    return False, total_changes(changelog(release, snapshot())["counts"])


# --- Citation: CITATION.cff (CFF 1.2.0) and DataCite JSON (schema 4.5) ----------------------

TITLE = "TIPs map : acteurs organisés de l'innovation publique et leurs relations"
PUBLISHER = "Chaire Transformations de l'action publique, Sciences Po Lyon"
ABSTRACT = (
    "Les acteurs organisés de l'innovation publique (laboratoires, intermédiaires, structures "
    "de formation-recherche, prestataires, réseaux) et leurs relations, validés par la chaire."
)
KEYWORDS = ["innovation publique", "laboratoires d'innovation", "réseau d'acteurs", "open data"]
# Licences of the SPDX list, by the address the settings give (opendata/exports.licence()).
SPDX = {
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/": "etalab-2.0",
    "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf": (
        "etalab-2.0"
    ),
    "https://opendatacommons.org/licenses/odbl/1-0/": "ODbL-1.0",
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
}


def title_of(release: Release) -> str:
    return f"{TITLE}, version {release.version}"


def citation_text(release: Release, url: str) -> str:
    """The French citation: author, year, title, version, publisher, date, address (or DOI)."""
    published = timezone.localdate(release.published_at)
    where = f"https://doi.org/{release.doi}" if release.doi else url
    return (
        f"{PUBLISHER} ({published.year}). {TITLE} (version {release.version}) [jeu de données]. "
        f"TIPs map, publié le {published:%d/%m/%Y}. {where}"
    )


def yaml_scalar(value) -> str:
    """A JSON scalar is a YAML one (double-quoted strings with the same escapes)."""
    return json.dumps(value, ensure_ascii=False)


def citation_cff(release: Release, url: str) -> str:
    """CITATION.cff of a release (https://citation-file-format.github.io, version 1.2.0)."""
    terms = exports.licence()
    spdx = SPDX.get(terms["url"])
    lines = [
        "cff-version: 1.2.0",
        f"message: {yaml_scalar('Pour citer ces données, merci d’utiliser ces métadonnées.')}",
        "type: dataset",
        f"title: {yaml_scalar(title_of(release))}",
        f"version: {yaml_scalar(release.version)}",
        f"date-released: {yaml_scalar(timezone.localdate(release.published_at).isoformat())}",
        "authors:",
        f"  - name: {yaml_scalar(PUBLISHER)}",
        f"abstract: {yaml_scalar(ABSTRACT)}",
        "keywords:",
        *(f"  - {yaml_scalar(keyword)}" for keyword in KEYWORDS),
        f"url: {yaml_scalar(url)}",
        f"license: {yaml_scalar(spdx)}" if spdx else f"license-url: {yaml_scalar(terms['url'])}",
    ]
    if release.doi:
        lines += [
            f"doi: {yaml_scalar(release.doi)}",
            "identifiers:",
            "  - type: doi",
            f"    value: {yaml_scalar(release.doi)}",
        ]
    return "\n".join(lines) + "\n"


def datacite(release: Release, url: str, previous_url: str | None) -> dict:
    """The release's DataCite metadata (kernel 4.5), the "attributes" of a DOI in DataCite's
    REST API. To register a DOI: add "doi" (prefix/suffix) and "event": "publish", send
    {"data": {"type": "dois", "attributes": …}} to api.datacite.org/dois with the
    repository's account, then record the DOI on the release (admin): the citation files carry
    it from then on."""
    terms = exports.licence()
    spdx = SPDX.get(terms["url"])
    rights = {"rights": terms["name"], "rightsUri": terms["url"], "lang": "fr"}
    if spdx:
        rights |= {
            "rightsIdentifier": spdx,
            "rightsIdentifierScheme": "SPDX",
            "schemeUri": "https://spdx.org/licenses/",
        }
    published = timezone.localdate(release.published_at)
    data = {
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Base de données d'acteurs"},
        "creators": [{"name": PUBLISHER, "nameType": "Organizational"}],
        "titles": [{"title": title_of(release), "lang": "fr"}],
        "publisher": {"name": PUBLISHER, "lang": "fr"},
        "publicationYear": str(published.year),
        "version": release.version,
        "language": "fr",
        "url": url,
        "dates": [
            {"date": published.isoformat(), "dateType": "Issued"},
            {
                "date": timezone.localdate(release.data_date).isoformat(),
                "dateType": "Collected",
                "dateInformation": "date des données",
            },
        ],
        "subjects": [{"subject": keyword, "lang": "fr"} for keyword in KEYWORDS],
        "descriptions": [{"description": ABSTRACT, "descriptionType": "Abstract", "lang": "fr"}],
        "rightsList": [rights],
        "formats": sorted({e.content_type.split(";")[0] for e in exports.EXPORTS.values()}),
        "sizes": [f"{release.actor_count} acteurs", f"{release.relation_count} relations"],
        "relatedIdentifiers": [],
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    if release.doi:
        data["doi"] = release.doi
    if previous_url:
        data["relatedIdentifiers"].append(
            {
                "relatedIdentifier": previous_url,
                "relatedIdentifierType": "DOI" if release.previous.doi else "URL",
                "relationType": "IsNewVersionOf",
            }
        )
    return data
