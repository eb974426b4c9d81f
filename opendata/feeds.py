"""The feeds of published changes (opendata/changes.py): /donnees/changements.json for programs,
/donnees/changements.atom for feed readers, both newest first, `?depuis=` a date and `?avant=`
the next page's start."""

from django import forms
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from actors.identifiers import absolute
from tips_map.filters import MomentField

from . import exports
from .changes import LIMIT, published_changes

PERIOD_PARAMETERS = ("depuis", "avant")
TITLE = _("TIPs map : changements publiés")
DESCRIPTION = _(
    "Les acteurs et les relations créés, modifiés, fusionnés ou supprimés sur la carte, une fois "
    "validés par la chaire, du plus récent au plus ancien."
)


class BadPeriod(Exception):
    """A `depuis` or `avant` that names no date: the message says which and how to write it."""


def period(request) -> dict:
    """{"since", "before"} from ?depuis= and ?avant= (ISO 8601 dates or dates and times)."""
    moments = {}
    for name, key in zip(PERIOD_PARAMETERS, ("since", "before"), strict=True):
        try:
            moments[key] = MomentField(required=False).clean(request.GET.get(name, ""))
        except forms.ValidationError as error:
            raise BadPeriod(name, " ".join(error.messages)) from None
    return moments


def bad_period(error: BadPeriod, as_json: bool):
    name, message = error.args
    if as_json:
        return JsonResponse(
            {name: [message]}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponseBadRequest(f"{name} : {message}", content_type="text/plain; charset=utf-8")


def next_page(request, changes, moments: dict) -> str | None:
    """The address of the older changes when this page is full: the same `depuis`, and `avant`
    the oldest change shown."""
    if len(changes) < LIMIT:
        return None
    query = request.GET.copy()
    query["avant"] = changes[-1].moment.isoformat()
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def entry(change) -> dict:
    return {
        "id": change.uid,
        "object": change.subject,
        "object_label": change.subject_label,
        "key": change.key,
        "name": change.name,
        "kind": change.kind,
        "kind_label": change.kind_label,
        "date": change.moment.isoformat(),
        "fields": change.fields,
        "url": absolute(change.card) if change.card else None,
    }


@require_safe
def changes_json(request):
    try:
        moments = period(request)
    except BadPeriod as error:
        return bad_period(error, as_json=True)
    changes = published_changes(**moments)
    data = {
        "title": str(TITLE),
        "description": str(DESCRIPTION),
        "licence": exports.licence(),
        "since": moments["since"].isoformat() if moments["since"] else None,
        "before": moments["before"].isoformat() if moments["before"] else None,
        "limit": LIMIT,
        "next": next_page(request, changes, moments),
        "atom": absolute(reverse("opendata:changes-atom")),
        "changes": [entry(change) for change in changes],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


class ChangesFeed(Feed):
    """Atom 1.0 (RFC 4287) through Django's syndication framework: an entry per change."""

    feed_type = Atom1Feed
    title = TITLE
    subtitle = DESCRIPTION

    def get_object(self, request, *args, **kwargs):
        return period(request)

    def link(self):
        return absolute(reverse("opendata:data"))

    def feed_guid(self):
        return "urn:tips-map:changements"

    def feed_copyright(self):
        terms = exports.licence()
        return f"{terms['name']} — {terms['url']}"

    def items(self, moments):
        return published_changes(**moments)

    def item_title(self, change):
        return format_lazy(
            "{} ({}) : {}", change.kind_label.capitalize(), change.subject_label, change.name
        )

    def item_description(self, change):
        if not change.fields:
            return ""
        return gettext("Champs modifiés : %(fields)s") % {"fields": ", ".join(change.fields)}

    def item_link(self, change):
        # An entry without a card (an actor deleted since) still needs a link: the feed's page.
        return absolute(change.card or reverse("opendata:data"))

    def item_guid(self, change):
        return change.uid

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.moment

    def item_updateddate(self, change):
        return change.moment

    def item_categories(self, change):
        return [change.kind, change.subject]


changes_feed = ChangesFeed()


@require_safe
def changes_atom(request):
    try:
        return changes_feed(request)
    except BadPeriod as error:
        return bad_period(error, as_json=False)
