"""The runner form's policy settings and the scenario settings each one changes.

Every change goes through :func:`caravana.scenario.overrides.apply_overrides`, so a
value from the form is validated exactly like a value in a scenario file. A field left
empty keeps the scenario's own setting; a field set to the scenario's current value
changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ..errors import CaravanaError
from ..i18n import N_
from ..scenario.overrides import apply_overrides
from ..scenario.schema import Scenario

POLICY_HELP = {
    "checkpoints": "Police and migration checkpoints and blockades (corridor.enforcement.checkpoints): on as in "
    "the scenario, or off (none).",
    "permits_per_day": "INM transit permits an office issues a day (corridor.papers.permits.per_day).",
    "asylum_per_day": "Asylum decisions COMAR makes a day (corridor.papers.asylum.decisions_per_day).",
    "metering_per_day": "People a US port of entry processes a day (corridor.papers.ports[*].per_day and "
    "metering_per_day).",
    "remain_in_mexico": "Remain in Mexico (corridor.papers.remain_in_mexico): on from day 0 of the run, or off.",
}


# Each field's heading on the runner form.
POLICY_LABELS = {
    "checkpoints": N_("Checkpoints"),
    "permits_per_day": N_("Permits a day"),
    "asylum_per_day": N_("Asylum decisions a day"),
    "metering_per_day": N_("Metering at ports, a day"),
    "remain_in_mexico": N_("Remain in Mexico"),
}


@dataclass(frozen=True)
class PolicyForm:
    """The runner form's policy fields (None: as in the scenario). Not to be confused with
    :class:`caravana.policies.Policy`, a named variant in a policy set."""

    checkpoints: bool | None = None
    permits_per_day: int | None = None
    asylum_per_day: int | None = None
    metering_per_day: int | None = None
    remain_in_mexico: bool | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in asdict(self).values())


def policy_fields() -> list[dict[str, str]]:
    """The form's fields, in order, for the page to draw: name, kind (``switch``: on, off or
    as in the scenario; ``count``: a whole number of at least 0), heading and help."""
    return [{"name": f.name, "kind": "switch" if "bool" in str(f.type) else "count",
             "label": POLICY_LABELS[f.name], "help": POLICY_HELP[f.name]} for f in fields(PolicyForm)]


def current_policy(scenario: Scenario, days: int | None = None) -> dict[str, Any] | None:
    """The scenario's values of the policy settings (None for a scenario without a corridor).
    Remain in Mexico counts as on if it starts within the run's ``days``."""
    corridor = scenario.corridor
    if corridor is None:
        return None
    papers = corridor.papers
    horizon = days or scenario.period.days
    rim = papers.remain_in_mexico
    return {
        "checkpoints": bool(corridor.enforcement.checkpoints),
        "permits_per_day": papers.permits.per_day,
        "asylum_per_day": papers.asylum.decisions_per_day,
        "metering_per_day": papers.ports[0].per_day if papers.ports else papers.metering_per_day,
        "remain_in_mexico": rim is not None and rim.start < horizon,
    }


def policy_overrides(scenario: Scenario, policy: PolicyForm, days: int | None = None) -> dict[str, Any]:
    """The dotted-path overrides that give ``scenario`` the policy's values."""
    if policy.is_empty():
        return {}
    current = current_policy(scenario, days)
    if current is None or scenario.corridor is None:
        raise CaravanaError(
            f"scenario '{scenario.name}' has no corridor section, so its policies (checkpoints, permits, "
            "asylum, metering, Remain in Mexico) cannot be changed; leave those fields empty"
        )
    papers = scenario.corridor.papers
    out: dict[str, Any] = {}
    if policy.checkpoints is not None and policy.checkpoints != current["checkpoints"]:
        if policy.checkpoints:
            raise CaravanaError("this scenario has no checkpoints to turn on; add them to the scenario file")
        out["corridor.enforcement.checkpoints"] = []
    if policy.permits_per_day is not None and policy.permits_per_day != current["permits_per_day"]:
        out["corridor.papers.permits.per_day"] = policy.permits_per_day
    if policy.asylum_per_day is not None and policy.asylum_per_day != current["asylum_per_day"]:
        out["corridor.papers.asylum.decisions_per_day"] = policy.asylum_per_day
    if policy.metering_per_day is not None and policy.metering_per_day != current["metering_per_day"]:
        for i in range(len(papers.ports)):
            out[f"corridor.papers.ports[{i}].per_day"] = policy.metering_per_day
        out["corridor.papers.metering_per_day"] = policy.metering_per_day
    if policy.remain_in_mexico is not None and policy.remain_in_mexico != current["remain_in_mexico"]:
        rim = papers.remain_in_mexico
        out["corridor.papers.remain_in_mexico"] = (
            {"start": 0, "wait_days": rim.wait_days if rim else 90} if policy.remain_in_mexico else None
        )
    return out


def apply_policy(scenario: Scenario, policy: PolicyForm, days: int | None = None) -> tuple[Scenario, dict[str, Any]]:
    """The scenario with the policy applied, and the overrides used (for the record)."""
    overrides = policy_overrides(scenario, policy, days)
    return apply_overrides(scenario, overrides), overrides
