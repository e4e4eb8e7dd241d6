"""A policy set: named variants of one scenario, each a few setting changes.

    policies:
      - name: checkpoint line north of Tapachula
        add:   # items appended to a list setting
          corridor.enforcement.checkpoints:
            - {name: INM line, from: Tapachula, to: Huixtla, detention: 0.3}
      - name: Remain in Mexico off
        set:   # settings replaced (paths as in caravana.scenario.overrides)
          corridor.papers.remain_in_mexico: null
      - name: INM capacity halved
        scale: # numeric settings multiplied
          corridor.papers.permits.per_day: 0.5

The baseline (the scenario unchanged) is always compared first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ScenarioError
from ..scenario.overrides import apply_overrides, get_setting
from ..scenario.schema import Scenario
from ..scenario.tables import read_yaml


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="Label in the comparison table. Required.")
    description: str = Field(default="", description="What the variant stands for. Default empty.")
    set: dict[str, Any] = Field(default_factory=dict, description="Settings replaced. Default none.")
    add: dict[str, list[Any]] = Field(default_factory=dict, description="Items appended to list settings. Default none.")
    scale: dict[str, float] = Field(default_factory=dict, description="Numeric settings multiplied. Default none.")

    def overrides(self, scenario: Scenario) -> dict[str, Any]:
        """The variant as plain ``path: value`` overrides of ``scenario``."""
        changes: dict[str, Any] = dict(self.set)
        for path, items in self.add.items():
            current = get_setting(scenario, path)
            if not isinstance(current, list):
                raise ScenarioError(f"policy '{self.name}': '{path}' is not a list", field=path)
            changes[path] = [*current, *items]
        for path, factor in self.scale.items():
            current = get_setting(scenario, path)
            if isinstance(current, bool) or not isinstance(current, int | float):
                raise ScenarioError(f"policy '{self.name}': '{path}' is not a number", field=path)
            scaled = current * factor
            changes[path] = round(scaled) if isinstance(current, int) else scaled
        return changes

    def apply(self, scenario: Scenario) -> Scenario:
        return apply_overrides(scenario, self.overrides(scenario))


class PolicySet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = ""
    policies: list[Policy] = Field(min_length=1)


def read_policies(path: str | Path) -> PolicySet:
    """Read a policy set from YAML; errors name the file and the field."""
    path = Path(path)
    data = read_yaml(path)
    try:
        return PolicySet.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(first["msg"], file=str(path), field=field) from None
