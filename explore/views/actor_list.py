"""The list of actors: the map's accessible equivalent, sortable and paginated."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..context import explore_context, filtered, sortable_columns

PAGE_SIZE = 50
# ?tri= values of the list; each ends with the name so that ties read alphabetically.
SORTS = {
    "nom": ["sort_name"],
    "-nom": ["-sort_name"],
    "type": ["type", "sort_name"],
    "-type": ["-type", "sort_name"],
    "commune": ["commune_name", "sort_name"],
    "-commune": ["-commune_name", "sort_name"],
    "cycle": ["lifecycle", "sort_name"],
    "-cycle": ["-lifecycle", "sort_name"],
}

COLUMNS = {"nom": _("Nom"), "type": _("Type"), "commune": _("Commune"), "cycle": _("Cycle de vie")}


def actor_list(request):
    """The filtered actors as a sortable, paginated table: the map's accessible equivalent."""
    filterset = filtered(request)
    sort = request.GET.get("tri", "nom")
    actors = (
        filterset.qs.order_by(*SORTS.get(sort, SORTS["nom"]))
        .select_related("territory")
        .only(
            "name",
            "short_name",
            "slug",
            "acronym",
            "type",
            "commune_name",
            "lifecycle",
            "scope",
            "territory__name",
            "territory__slug",
        )
    )
    page = Paginator(actors, PAGE_SIZE).get_page(request.GET.get("page"))
    context = explore_context(request, filterset)
    sort = sort if sort in SORTS else "nom"
    context.update({"page": page, "sort": sort, "columns": sortable_columns(COLUMNS, sort)})
    return render(request, "explore/list.html", context)
