"""Priors for a MAP fit, and a fit plan: which parameters are fixed, and what the others' priors are.

A free search minimises the loss (``caravana.metrics``) alone, so a parameter the
observations cannot pin wanders wherever the seeds' noise takes it. A MAP fit minimises
``loss + penalty``. Reading each observation's score as a Laplace error of scale ``b``
(``metrics.DAY_WEIGHT``, 0.25: a count 25 % off or a day late is one scale), the negative
log-posterior of ``n`` observations is ``n loss / b + sum(z^2) / 2``, that is
``(n / b) (loss + b sum(z^2) / (2 n))``: the penalty is ``b sum(z^2) / (2 n)``, with
``z = (t(value) - t(median)) / sd`` on the prior's scale ``t`` (log for a loguniform prior).
A parameter's prior is its ``median`` and ``sd`` (``ParamSpec``) or, without them, the
middle of its bounds with the bounds at +-2 sd.

A fit plan (YAML) narrows a parameters file for one use, each entry with its source:

.. code-block:: yaml

    fixed:    # not fitted: the reports cannot identify them; set from elsewhere
      - {path: "corridor.caravans[october-2018].rest_after_km", value: 3000, source: "..."}
    priors:   # fitted, with a prior from other caravans or general facts
      - {path: "corridor.caravans[october-2018].pace[0].km", median: 100, sd: 0.5, source: "..."}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from ..errors import ScenarioError
from ..metrics import DAY_WEIGHT
from ..scenario.schema import FromFile
from ..scenario.tables import read_yaml, validate_row
from .params import ParamSpec, item_lines

LAPLACE_SCALE = DAY_WEIGHT  # b above: the loss's own unit (a count 25 % off, a day late)


def _scale(spec: ParamSpec, value: float) -> float:
    return math.log(value) if spec.is_log else float(value)


def prior_median(spec: ParamSpec) -> float:
    """The prior's median: as given, else the middle of the bounds (geometric on a log scale)."""
    if spec.median is not None:
        return spec.median
    return math.sqrt(spec.low * spec.high) if spec.is_log else (spec.low + spec.high) / 2


def prior_sd(spec: ParamSpec) -> float:
    """The prior's sd on its scale: as given, else a quarter of the bounds' width (bounds at +-2 sd)."""
    return spec.sd if spec.sd is not None else (_scale(spec, spec.high) - _scale(spec, spec.low)) / 4


def z_score(spec: ParamSpec, value: float) -> float:
    """How many prior sds ``value`` is from the prior's median (signed)."""
    return (_scale(spec, value) - _scale(spec, prior_median(spec))) / prior_sd(spec)


def penalty(specs: Sequence[ParamSpec], values: Mapping[str, float], observations: int,
            scale: float = LAPLACE_SCALE) -> float:
    """The MAP penalty added to the loss of ``observations`` observations (module doc)."""
    if observations < 1:
        raise ValueError("a MAP penalty needs at least one observation")
    return scale * sum(z_score(s, values[s.path]) ** 2 for s in specs) / (2 * observations)


class PlanEntry(FromFile):
    path: str = Field(min_length=1)
    source: str = Field(min_length=1)


class FixedValue(PlanEntry):
    """A parameter not fitted: its value and where it comes from."""

    value: float = Field(allow_inf_nan=False)


class PriorUpdate(PlanEntry):
    """A fitted parameter's prior: its median and sd (on the prior's scale) and where they come from."""

    median: float = Field(allow_inf_nan=False)
    sd: float = Field(gt=0, allow_inf_nan=False)


@dataclass(frozen=True)
class FitPlan:
    fixed: tuple[FixedValue, ...]
    priors: tuple[PriorUpdate, ...]

    def apply(self, specs: Sequence[ParamSpec]) -> tuple[list[ParamSpec], dict[str, float]]:
        """(the parameters left to fit, each with its prior; the fixed values by path)."""
        by_path = {s.path: s for s in specs}
        entries: tuple[PlanEntry, ...] = (*self.fixed, *self.priors)
        for entry in entries:
            if entry.path not in by_path:
                file, row = entry.origin or (None, None)
                raise ScenarioError("not a parameter of the parameters file", file=file, row=row, field="path")
        fixed = {f.path: by_path[f.path].cast(f.value) for f in self.fixed}
        updates = {p.path: p for p in self.priors}
        free = []
        for spec in specs:
            if spec.path in fixed:
                continue
            update = updates.get(spec.path)
            if update is not None:
                if not spec.low <= update.median <= spec.high:
                    file, row = update.origin or (None, None)
                    median, low, high = (f"{v:g}" for v in (update.median, spec.low, spec.high))
                    raise ScenarioError(f"median ({median}) must be within the parameter's bounds [{low}, {high}]",
                                        file=file, row=row, field="median")
                spec = spec.model_copy(update={"median": update.median, "sd": update.sd, "source": update.source})
            free.append(spec)
        return free, fixed


def read_plan(path: str | Path) -> FitPlan:
    """Read a fit plan (module doc). Errors name file, line and field."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not set(raw) <= {"fixed", "priors"} or not raw:
        raise ScenarioError("expected a mapping with 'fixed' and/or 'priors' lists", file=path)
    lines = item_lines(path)
    out: dict[str, list] = {"fixed": [], "priors": []}
    seen: set[str] = set()
    models: tuple[tuple[str, type[PlanEntry]], ...] = (("fixed", FixedValue), ("priors", PriorUpdate))
    for key, model in models:
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise ScenarioError(f"'{key}' must be a list", file=path)
        for i, item in enumerate(items):
            row = lines.get(key, [])[i] if i < len(lines.get(key, [])) else None
            if not isinstance(item, dict):
                fields = "path, value, source" if key == "fixed" else "path, median, sd, source"
                raise ScenarioError(f"expected a mapping ({fields})", file=path, row=row)
            entry = validate_row(model, item, file=path, row=row)
            if entry.path in seen:
                raise ScenarioError("this setting is listed twice", file=path, row=row, field="path")
            seen.add(entry.path)
            out[key].append(entry)
    return FitPlan(tuple(out["fixed"]), tuple(out["priors"]))
