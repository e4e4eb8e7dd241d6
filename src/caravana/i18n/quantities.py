"""The quantities of observations and reports (``caravana.observations.Quantity``) as a user
reads them: singular and plural, marked here once for the catalogue under the context
``quantity`` (a count of one "presente", of many "presentes"). :meth:`Language.quantity`
is the one way to show a quantity's name."""

from __future__ import annotations

CONTEXT = "quantity"


def np_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Marks a name's singular and plural for the catalogue, under ``context``."""
    return singular, plural


# code -> (singular, plural) in English; the codes are the files' (present, caravan_size...)
NAMES: dict[str, tuple[str, str]] = {
    "present": np_("quantity", "present", "present"),
    "camp": np_("quantity", "in the camp", "in the camp"),
    "caravan_size": np_("quantity", "caravan size", "caravan size"),
    "arrived": np_("quantity", "arrived", "arrived"),
    "departed": np_("quantity", "departed", "departed"),
    "crossed": np_("quantity", "crossed", "crossed"),
    "detained": np_("quantity", "detained", "detained"),
    "returned": np_("quantity", "returned", "returned"),
    "deported": np_("quantity", "deported", "deported"),
    "settled": np_("quantity", "settled", "settled"),
    "dead": np_("quantity", "dead", "dead"),
    "asylum_requests": np_("quantity", "asylum request", "asylum requests"),
    "arrivals": np_("quantity", "arrival", "arrivals"),
}
