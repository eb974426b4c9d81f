"""An actor as linked data: a schema.org `Organization` in JSON-LD, named by its URI.

Written once, from the actor's published shape (`Actor.public_values`, the API's record: the
same keys), for the card's `<script type="application/ld+json">` and for the API's answers in
`application/ld+json` (opendata/linked_data.py).

The context is `{"@vocab": "https://schema.org/"}` rather than the string
"https://schema.org": the same terms for search engines (every term is schema.org's), but a
JSON-LD processor resolves them without fetching the remote context, so that harvesters, tests
and kiosks without network read the same graph.
"""

import json

from django.utils.safestring import SafeString, mark_safe

from .identifiers import IDENTIFIER_FIELDS, SCHEMES, actor_uri, register_page, wikidata_uri

SCHEMA = "https://schema.org/"
CONTEXT = {"@vocab": SCHEMA}
REGISTERS = ["siren", "siret", "rna"]  # said as PropertyValues; Wikidata as sameAs only
# The public fields an Organization says (Actor.public_values(FIELDS), or an API record).
FIELDS = [
    "slug",
    "name",
    "short_name",
    "acronym",
    "website",
    "missions",
    "founded_year",
    "ended_year",
    "parent",
    "address",
    "commune_name",
    "country",
    "latitude",
    "longitude",
    *IDENTIFIER_FIELDS,
]


def organization(values: dict) -> dict:
    """The schema.org Organization of an actor's public values (slug, name, acronym, website,
    missions, location, parent's slug, years, identifiers); empty values are left out."""
    node = {"@id": actor_uri(values["slug"]), "@type": "Organization", "name": values["name"]}
    optional = {
        "alternateName": [v for v in (values.get("acronym"), values.get("short_name")) if v],
        "url": values.get("website"),
        "description": values.get("missions"),
        "foundingDate": year(values.get("founded_year")),
        "dissolutionDate": year(values.get("ended_year")),
        "parentOrganization": {"@id": actor_uri(values["parent"])}
        if values.get("parent")
        else None,
        "address": address(values),
        "geo": geo(values),
        "identifier": [
            {"@type": "PropertyValue", "propertyID": SCHEMES[key].label, "value": values[key]}
            for key in REGISTERS
            if values.get(key)
        ],
        "sameAs": same_as(values),
    }
    node.update({name: value for name, value in optional.items() if value})
    return node


def year(value) -> str:
    return f"{value:04d}" if value else ""


def address(values: dict) -> dict | None:
    parts = {
        "streetAddress": values.get("address"),
        "addressLocality": values.get("commune_name"),
        "addressCountry": values.get("country"),
    }
    if not (parts["streetAddress"] or parts["addressLocality"]):
        return None
    return {"@type": "PostalAddress", **{k: v for k, v in parts.items() if v}}


def geo(values: dict) -> dict | None:
    if values.get("latitude") is None or values.get("longitude") is None:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": values["latitude"],
        "longitude": values["longitude"],
    }


def same_as(values: dict) -> list[str]:
    """The same organisation elsewhere: its Wikidata item, its page in the companies'
    directory (by SIREN, else by SIRET)."""
    found = [wikidata_uri(values.get("wikidata", ""))]
    register = "siren" if values.get("siren") else "siret"
    found.append(register_page(register, values.get(register, "")))
    return [uri for uri in found if uri]


def document(node: dict) -> dict:
    return {"@context": CONTEXT, **node}


def card_script(actor) -> SafeString:
    """The card's JSON-LD: no query beyond the card's own (its parent is already read)."""
    return script(document(organization(actor.public_values(FIELDS))))


def script(data: dict) -> SafeString:
    """A JSON-LD `<script>` element: "<", ">" and "&" written as JSON escapes, so that no text
    of the data (a name with "</script>" in it) can end the element or open another."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{escaped}</script>')  # noqa: S308
