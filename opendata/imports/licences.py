"""The licence each import source declares, and whether its data may join ours.

The map's data is published under the Licence Ouverte (opendata/exports.py `licence`), which
lets anyone reuse it with attribution only. A source under a share-alike licence (ODbL,
CC-BY-SA) requires every database made from it to keep that licence: merged into ours, it
would put the whole publication in breach. Such a source is refused, whole, before anything is
written (the report says why); nothing is "kept apart", since everything an import writes is
published or proposed for publication under our licence. A source whose producer has agreed
to another licence is imported by declaring that licence (--licence)."""

from dataclasses import dataclass

from tips_map.text import fold

from .report import BadFile


@dataclass(frozen=True)
class Licence:
    key: str
    label: str
    share_alike: bool


LICENCES = [
    Licence("etalab-2.0", "Licence Ouverte 2.0 (Etalab)", False),
    Licence("cc-by-4.0", "CC-BY 4.0", False),
    Licence("cc0-1.0", "CC0 1.0", False),
    Licence("odc-by-1.0", "ODC-BY 1.0", False),
    Licence("pddl-1.0", "PDDL 1.0", False),
    Licence("odbl-1.0", "ODbL 1.0", True),
    Licence("cc-by-sa-4.0", "CC-BY-SA 4.0", True),
]
# How files and people name them (folded by `norm`): keys, labels, usual names and the URLs
# GoGoCarto and data portals give.
ALIASES = {
    "licence ouverte": "etalab-2.0",
    "licence ouverte 2.0": "etalab-2.0",
    "open licence": "etalab-2.0",
    "etalab": "etalab-2.0",
    "lo": "etalab-2.0",
    "lov2": "etalab-2.0",
    "cc-by": "cc-by-4.0",
    "cc by": "cc-by-4.0",
    "cc0": "cc0-1.0",
    "odc-by": "odc-by-1.0",
    "pddl": "pddl-1.0",
    "odbl": "odbl-1.0",
    "cc-by-sa": "cc-by-sa-4.0",
    "cc by-sa": "cc-by-sa-4.0",
    "cc by sa": "cc-by-sa-4.0",
}
URL_PARTS = [
    ("/odbl", "odbl-1.0"),
    ("/by-sa/", "cc-by-sa-4.0"),
    ("/by/", "cc-by-4.0"),
    ("/zero/", "cc0-1.0"),
    ("/odc-by", "odc-by-1.0"),
    ("/pddl", "pddl-1.0"),
    ("licence-ouverte", "etalab-2.0"),
]
BY_KEY = {licence.key: licence for licence in LICENCES}
# GoGoCarto's API says its data is under the ODbL (the "licence" key of /api/elements.json,
# https://opendatacommons.org/licenses/odbl/): a map that says nothing is taken as ODbL.
GOGOCARTO_DEFAULT = "odbl-1.0"
KNOWN = ", ".join(licence.key for licence in LICENCES)


def find(text: str) -> Licence | None:
    folded = fold(text)
    key = folded if folded in BY_KEY else ALIASES.get(folded)
    if key is None and "://" in folded:
        key = next((k for part, k in URL_PARTS if part in folded), None)
    if key is None:
        key = next((lic.key for lic in LICENCES if fold(lic.label) == folded), None)
    return BY_KEY.get(key)


def checked(text: str, how: str) -> Licence:
    """The source's licence, or BadFile saying why its data cannot be imported; `how` says
    where the licence was read ("option --licence", "clé « licence » du fichier")."""
    if not text.strip():
        raise BadFile(
            "licence de la source non indiquée : précisez-la (option --licence ou champ "
            f"« Licence de la source » ; licences connues : {KNOWN})"
        )
    licence = find(text)
    if licence is None:
        raise BadFile(
            f"licence « {text} » ({how}) non reconnue : indiquez l'une de {KNOWN} "
            "(option --licence)"
        )
    if licence.share_alike:
        raise BadFile(
            f"licence de la source : {licence.label} ({how}), licence à partage à "
            "l'identique, incompatible avec la Licence Ouverte sous laquelle la carte publie "
            "ses données : rien n'a été importé. Importez-la seulement si son producteur "
            "accepte une licence compatible (Licence Ouverte, CC-BY, CC0, ODC-BY), en "
            "l'indiquant avec --licence."
        )
    return licence
