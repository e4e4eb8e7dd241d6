"""The parameters to fit: a YAML list, one entry per scenario setting.

.. code-block:: yaml

    - path: corridor.caravans[october-2018].leave_rate   # see caravana.scenario.overrides
      low: 0.005
      high: 0.2
      prior: loguniform        # or uniform (default); ``log: true`` says the same
    - path: corridor.enforcement.checkpoints[Rodolfo Robles bridge].admit_per_day
      low: 30
      high: 1000
      log: true
      integer: true
      name: bridge admits      # optional label for tables (default: the path)
      median: 150              # optional, for a MAP fit: the prior's median (default: the middle
      sd: 0.5                  # of the bounds) and sd on the prior's scale (log for loguniform;
      source: "..."            # default: the bounds are +-2 sd), and where they come from

Each entry is checked against the scenario before anything runs: the path must name a
numeric setting, and the scenario must stay valid at both bounds. Errors name the
file, the entry's line and the field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..errors import CaravanaError, ScenarioError
from ..scenario.overrides import apply_overrides, get_setting
from ..scenario.schema import FromFile, Scenario
from ..scenario.tables import read_text, read_yaml, validate_row


class ParamSpec(FromFile):
    path: str = Field(min_length=1)
    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    log: bool | None = None
    prior: Literal["uniform", "loguniform"] | None = None
    integer: bool = False
    name: str | None = None
    # A Gaussian prior on the parameter's scale (log for loguniform), used only by a MAP fit
    # (``caravana.calibrate.priors``): its median and sd, and where they come from.
    median: float | None = Field(default=None, allow_inf_nan=False)
    sd: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    source: str | None = None

    @field_validator("high")
    @classmethod
    def _high_above_low(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        if low is not None and high <= low:
            raise ValueError(f"high ({high:g}) must be above low ({low:g})")
        return high

    @model_validator(mode="after")
    def _one_scale(self) -> ParamSpec:
        if self.log is not None and self.prior is not None and self.log != (self.prior == "loguniform"):
            raise ValueError(f"log: {str(self.log).lower()} contradicts prior: {self.prior}")
        if self.is_log and self.low <= 0:
            raise ValueError(f"a log-scale parameter needs low > 0 (got {self.low:g})")
        if self.median is not None and not self.low <= self.median <= self.high:
            raise ValueError(f"median ({self.median:g}) must be within [{self.low:g}, {self.high:g}]")
        return self

    @property
    def is_log(self) -> bool:
        return bool(self.log) or self.prior == "loguniform"

    @property
    def label(self) -> str:
        return self.name or self.path

    def centre(self) -> float:
        """The middle of the prior (geometric on a log scale): an uninformed starting point."""
        value = math.sqrt(self.low * self.high) if self.is_log else (self.low + self.high) / 2
        return self.cast(value)

    def cast(self, value: float) -> float | int:
        return round(value) if self.integer else float(value)


def read_params(path: str | Path) -> list[ParamSpec]:
    """Read a parameters YAML file (a list of entries). Errors name file, line and field."""
    path = Path(path)
    raw = read_yaml(path)
    if isinstance(raw, dict) and set(raw) == {"params"}:
        raw = raw["params"]
    if not isinstance(raw, list) or not raw:
        raise ScenarioError("expected a non-empty list of parameters (path, low, high, ...)", file=path)
    lines = _item_lines(path)
    specs = []
    for i, item in enumerate(raw):
        row = lines[i] if i < len(lines) else None
        if not isinstance(item, dict):
            raise ScenarioError("expected a mapping with path, low and high", file=path, row=row)
        specs.append(validate_row(ParamSpec, item, file=path, row=row))
    seen = set()
    for i, spec in enumerate(specs):
        if spec.path in seen:
            raise ScenarioError("this setting is listed twice", file=path, row=lines[i] if i < len(lines) else None, field="path")
        seen.add(spec.path)
    return specs


def _item_lines(path: Path) -> list[int]:
    """Line (1-based) where each top-level list item starts (or each item of ``params:``)."""
    lines = item_lines(path)
    return lines.get("params", lines.get("", []))


def item_lines(path: Path) -> dict[str, list[int]]:
    """Line (1-based) where each list item starts: of the top-level list (key ""), or of
    each list under a key of the top-level mapping."""
    node = yaml.compose(read_text(path), Loader=yaml.SafeLoader)
    if isinstance(node, yaml.SequenceNode):
        return {"": [item.start_mark.line + 1 for item in node.value]}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: [item.start_mark.line + 1 for item in v.value]
            for k, v in node.value if isinstance(v, yaml.SequenceNode)}


def check_params(specs: list[ParamSpec], scenario: Scenario) -> None:
    """Each path names a numeric setting, and the scenario is valid at both bounds."""
    for spec in specs:
        file, row = spec.origin or (None, None)
        try:
            current = get_setting(scenario, spec.path)
        except ScenarioError as exc:
            raise ScenarioError(exc.message, file=file, row=row, field="path") from None
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise ScenarioError(
                f"setting '{spec.path}' is {type(current).__name__} ({current!r}), not a number",
                file=file, row=row, field="path",
            )
        for bound in ("low", "high"):
            try:
                apply_overrides(scenario, {spec.path: spec.cast(getattr(spec, bound))})
            except ScenarioError as exc:
                raise ScenarioError(
                    f"the scenario is invalid at {bound} = {getattr(spec, bound):g}: {exc.message}",
                    file=file, row=row, field=bound,
                ) from None


def given_values(specs: list[ParamSpec], scenario: Scenario) -> dict[str, float]:
    """The scenario's own value of each parameter."""
    return {spec.path: get_setting(scenario, spec.path) for spec in specs}


def with_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with the parameter values set (a new, validated scenario)."""
    try:
        return apply_overrides(scenario, values)
    except ScenarioError as exc:  # a combination of in-bounds values the scenario rejects
        raise CaravanaError(f"parameter values {values} make an invalid scenario: {exc}") from None
