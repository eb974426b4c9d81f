"""The network as the ecosystem stood in a past year: the time control's `?annee=`.

Built from the current version's data (network.bundle) with the actors' and relations' rules
of a year said in Python (actors.models.is_alive_in, Relation.is_active_in), so the network
shows the same actors and relations as the map, the list and the API for that year.
"""

from __future__ import annotations

from actors.models import is_alive_in
from relations.models import Relation

from . import bundle as network_bundle

# The past years' bundles a process keeps (the time control's play walks through them).
YEARS_KEPT = 12
# This process's year bundles, and the data they were cut from (any new data drops them).
_memo: dict = {"data": None, "years": {}}


def data_in_year(data: dict, year: int) -> dict:
    """The network data of `data` as the ecosystem stood in `year` (the time control): actors
    not alive then are `gone`, only the relations active then between living actors remain
    (actors.models.is_alive_in and Relation.is_active_in: the querysets' rules in Python)."""
    actors = {
        slug: {
            **actor,
            "gone": not is_alive_in(year, actor["founded"], actor["ended"], actor["disappeared"]),
        }
        for slug, actor in data["actors"].items()
    }
    periods = data["periods"]
    relations = [
        r
        for r in data["relations"]
        if Relation.is_active_in(year, *periods[r[0]])
        and not actors[r[1]]["gone"]
        and not actors[r[2]]["gone"]
    ]
    base = {
        "version": data["version"],
        "date": data["date"],
        "year": year,
        "periods": periods,
        "origins": data["origins"],
    }
    return network_bundle.assemble(base, data["territories"], actors, relations)


def in_year(year: int | None) -> dict:
    """The bundle as the ecosystem stood in `year` (None: today, `network.bundle.current()`).

    Its measures are computed on that year's graph when it is small (up to `sync_limit()`
    actors, a fraction of a second); above, a past year has its data and figures but no
    measures (`bundle["measures"]["unavailable"]`): computing them for every year would
    multiply the background work by the years shown."""
    if year is None:
        return network_bundle.current()
    data = network_bundle.current_data()
    if _memo["data"] is not data:
        _memo.update(data=data, years={})
    years = _memo["years"]
    if year not in years:
        cut = data_in_year(data, year)
        small = cut["whole"]["nodes"] <= network_bundle.sync_limit()
        bundle = network_bundle.merge(cut, network_bundle.compute_measures(cut) if small else None)
        bundle["measures"].update(pending=False, unavailable=not small)
        if len(years) >= YEARS_KEPT:
            del years[next(iter(years))]
        years[year] = bundle
    return years[year]
