"""The names a user reads for a forecast's uncertain factors ("october-2018.pace" is the
October 2018 caravan's "ritmo de marcha"). The files (parameters.csv, forecast.json) keep the
factors' own names; a factor the package did not name (a user's ``--vary PATH``, an outflow
setting's path) is shown as it is, as the user wrote it.
"""

from __future__ import annotations

from ..i18n import N_, Language, capitalised

# the caravan settings forecast.parameters.default_factors draws (and its outflow factors' names)
SETTINGS = {
    "leave_rate": N_("leave rate"),
    "leave_rate_held": N_("leave rate at a blockade"),
    "leave_rate_queued": N_("leave rate in a blockade's queue"),
    "pace": N_("walking pace"),
    "rest_after_km": N_("km walked before a rest day"),
    "joiners": N_("joiners"),
}


def factor_name(name: str, lang: Language) -> tuple[str | None, str]:
    """``<caravan>.<setting>`` as (the caravan's label, the setting's name); another factor as
    (None, its name as it is)."""
    caravan, dot, setting = name.rpartition(".")
    if not dot or setting not in SETTINGS or not caravan or any(c in caravan for c in "[]."):
        return None, name
    return capitalised(lang.caravan(caravan)), lang._(SETTINGS[setting])
