"""The 2018 forecast's prior as it could have been written on the as-of date, with no fit
(``forecast_2018.py --known``).

The shipped scenario's calibrated values (``provenance_2018.csv``: leave rates, the bridge,
asylum, joiners, transit hubs, bus uptake) were set with the reports of Oct 12-31, the
days ``forecast_2018.py`` scores on, so a forecast from it is not a held-back test. Here
the prior of each as-of date is ``known_2018.as_known_on(scenario, as_of)`` with

- every *refitted* parameter (``examples/params/corridor_2018.yml``) at the centre of its
  wide prior (geometric on a log scale): what is known with no fit; and, where the
  forecast's factors can express it (a log-uniform prior around a non-zero centre), drawn
  by each particle over that prior's whole range, replacing the default factor on the
  same setting (the filter then weighs and rejuvenates it as any factor);
- the settings ``as_known_on`` keeps although set from a later report (``later``: it was
  written for Oct 24, which has none) replaced by what the day knew (``LATER``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from known_2018 import Change, as_known_on, print_changes

from caravana.calibrate import read_params
from caravana.calibrate.params import ParamSpec
from caravana.errors import ScenarioError
from caravana.forecast import default_factors
from caravana.forecast.outflows import outflows_for
from caravana.forecast.parameters import Factor, outflow_factors
from caravana.scenario.corridor import Composition
from caravana.scenario.overrides import apply_overrides, get_setting

PARAMS = Path(__file__).resolve().parent.parent / "examples" / "params" / "corridor_2018.yml"
NO_STOCK = "no stock: a place first reported as a transit hub after the day (initial 0, none arriving)"
# A setting set from a report after the day (as_known_on's ``later``): its value as the day knew it.
LATER: dict[str, tuple[Callable[[str], dict], str]] = {
    "corridor.caravans[october-2018].composition": (
        lambda s: {s: Composition()}, "the mechanism's default (est): the shares were reported on Oct 22"),
    "corridor.caravans[october-2018].max_regroup_days": (
        lambda s: {s: 1}, "1, the mechanism's default (est): no waiting day after the river was reported on Oct 21"),
    "corridor.caravans[october-2018].joiners[1].follow": (
        lambda s: {s: False}, "false, the mechanism's default (est): people following in columns reported on Oct 21"),
    "corridor.papers.asylum.offices": (
        lambda s: {s: None}, "null, the mechanism's default (the places with a COMAR office): referrals at the "
                             "bridge reported on Oct 21"),
    "corridor.enforcement.checkpoints[Rodolfo Robles bridge].end": (
        lambda s: {s: None}, "null (never ends): the end of the blockade was reported on Oct 21"),
    "corridor.enforcement.checkpoints[Federal Police roadblock, Arriaga - Tapanatepec].end": (
        lambda s: {s: None}, "null (never ends): the caravan passing it was reported on Oct 29"),
    "corridor.transit.hubs[2].place": (lambda s: _no_stock(s), NO_STOCK),
    "corridor.transit.hubs[4].place": (lambda s: _no_stock(s), NO_STOCK),
}
# locations.csv's office at Ciudad Hidalgo (INM at the bridge) is a standing office: geography.
GEOGRAPHY = {"locations.csv/Ciudad Hidalgo/offices": "the INM office at the border bridge, there before the caravan: "
                                                     "geography (its source also cites the referrals of Oct 21)"}


def _no_stock(setting: str) -> dict:
    hub = setting.rsplit(".", 1)[0]
    return {f"{hub}.initial": 0, f"{hub}.per_day": 0.0}


def exists(scenario, path: str) -> bool:
    try:
        get_setting(scenario, path)
    except ScenarioError:
        return False
    return True


def covers(setting: str, path: str) -> bool:
    """Whether provenance row ``setting`` (``[*]``: the first caravan) covers parameter ``path``."""
    row = setting.replace("[*]", "[october-2018]")
    return path == row or path.startswith((row + ".", row + "["))


def index_path(scenario, path: str) -> str:
    """``path`` with a caravan, checkpoint or offer named by position, as the default factors name it."""
    corridor = scenario.corridor
    for kind, items in (("caravans", corridor.caravans), ("enforcement.checkpoints", corridor.enforcement.checkpoints),
                        ("offers", corridor.offers)):
        for i, item in enumerate(items):
            path = path.replace(f"corridor.{kind}[{item.name}]", f"corridor.{kind}[{i}]")
    return path


def prior_factors(scenario, drawn: list[ParamSpec], centres: dict[str, float] | None = None,
                  outflows: bool = False) -> list[Factor]:
    """The default factors without the settings ``drawn`` covers, then one factor for each of
    ``drawn`` (set at its centre: ``centres[path]``, else the prior's) spanning its prior: low /
    centre to high / centre. A
    caravan's pace legs stay in its one pace factor, spanning the narrowest of their legs' ranges
    (written when ``Caravans.retune`` changed a running caravan's pace by one ratio on every leg;
    since session 14 it scales each leg by its own ratio, so the legs could be drawn apart: not
    done here, this prior is unchanged).
    With ``outflows`` (``--joint-outflows``) the outflow settings among them (leave rates,
    bus uptake, asylum applications, detentions) are drawn together (``outflow_factors``), each within
    its own range, the total over the leave rate's."""
    centre = {spec.path: (centres or {}).get(spec.path, spec.centre()) for spec in drawn}
    ratios = {index_path(scenario, spec.path): (spec.low / centre[spec.path], spec.high / centre[spec.path])
              for spec in drawn}
    factors = []
    for factor in default_factors(scenario, outflows=False):
        legs = [ratios.pop(p) for p in factor.paths if factor.name.endswith(".pace") and p in ratios]
        if legs:
            factors.append(Factor(factor.name, factor.paths, max(lo for lo, _ in legs), min(hi for _, hi in legs)))
        elif paths := tuple(p for p in factor.paths if p not in ratios):
            factors.append(Factor(factor.name, paths, factor.low, factor.high))
    names = {index_path(scenario, spec.path): spec.label for spec in drawn}
    factors += [Factor(names[path], (path,), lo, hi) for path, (lo, hi) in ratios.items()]
    if not outflows:
        return factors
    total = ratios["corridor.caravans[0].leave_rate"]
    joint = {f.paths[0]: f for f in outflow_factors(scenario, outflows_for(scenario, *total), ratios, names)
             if f.paths[0] in ratios}
    return [joint.get(f.paths[0], f) if len(f.paths) == 1 else f for f in factors]


def known_prior(scenario, as_of: dt.date, params: Path = PARAMS, outflows: bool = False):
    """(the scenario as known on ``as_of`` with no fit, its factors (``outflows``: drawn together,
    ``prior_factors``), the list of ``Change``s)."""
    known, _, drawn, changes = known_parts(scenario, as_of, params)
    return known, prior_factors(known, drawn, outflows=outflows), changes


def known_parts(scenario, as_of: dt.date, params: Path = PARAMS):
    """(the scenario as known on ``as_of`` with no fit, the refitted parameters it sets at their
    prior's centre, those of them the factors draw, the list of ``Change``s)."""
    specs = read_params(params)
    known, changes = as_known_on(scenario, as_of, {spec.path for spec in specs})
    refitted = [c.setting for c in changes if c.action == "refitted"]
    centred = [spec for spec in specs if any(covers(s, spec.path) for s in refitted) and exists(known, spec.path)]
    overrides: dict = {spec.path: spec.centre() for spec in centred}
    for i, c in enumerate(changes):
        if c.action == "later" and c.setting in LATER:
            new, how = LATER[c.setting]
            overrides.update(new(c.setting))
            changes[i] = Change("replaced", c.setting, c.date, how)
        elif c.action == "later" and c.setting in GEOGRAPHY:
            changes[i] = Change("kept", c.setting, c.date, GEOGRAPHY[c.setting])
    gone = {p for p, v in overrides.items() if v == 0 and p.endswith(".initial")}  # a hub with no stock: not drawn
    drawn = [spec for spec in centred if spec.is_log and spec.path not in gone]
    for i, c in enumerate(changes):
        if c.action == "refitted":
            mine = [spec for spec in centred if covers(c.setting, spec.path)]
            changes[i] = Change("refitted", c.setting, c.date, "NOT fitted: " + "; ".join(
                f"{spec.label} = " + ("0 (no stock known on the day: see REPLACED)" if spec.path in gone else
                                      f"{_value(overrides[spec.path])} (prior centre"
                                      + (", fixed)" if spec not in drawn else "), drawn with the other legs by the pace "
                                         "factor (one ratio on every leg)" if ".pace[" in spec.path else
                                         f"), drawn over {spec.low:g}-{spec.high:g}"))
                for spec in mine) if mine else "NOT fitted: its checkpoint or caravan is dropped (first reported after the day)")
    return apply_overrides(known, overrides), [s for s in centred if s.path not in gone], drawn, changes


def _value(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)



def prior_as_known(scenario, as_of: dt.date, outflows: bool = False):
    """``forecast_2018.py --known``'s prior for ``as_of``: (scenario, factors), its changes printed."""
    known, factors, changes = known_prior(scenario, as_of, outflows=outflows)
    print(f"\n--known: the prior as known on {as_of:%b %d}, with NO fit: known_2018.as_known_on; every refitted "
          f"parameter at the centre of its prior ({PARAMS.relative_to(PARAMS.parents[2])}) and, where a factor can "
          f"express it, drawn over the prior's range ({len(factors)} factors)")
    print_changes(changes, as_of)
    return known, factors
