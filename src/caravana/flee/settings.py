"""Reading Flee's ``simsetting.yml``: every key Flee knows, with what caravana does with it.

Each key is one of:

- a setting caravana implements with Flee's meaning (mapped to a scenario field);
- a key that Flee 3.1 reads but that cannot change a run (logging, a switch whose
  branch changes nothing) — accepted, and listed by ``caravana flee check``;
- a key of newer Flee that 3.1 never reads — ignored under ``--flee-rules 3.1`` as
  3.1 ignores it (listed), honoured or refused under ``--flee-rules latest``;
- a key (or value) caravana does not implement, or that no Flee knows — an error
  naming the file and the key (with a did-you-mean for a misspelling), or, with
  ``ignore_unknown``, a warning in the list of what is ignored.

Why each no-effect key changes nothing is read from Flee 3.1's source
(``SimulationSettings.ReadFromYML`` and the code that reads each value).
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import E_, ScenarioError, ScenarioWarning
from ..scenario.schema import ConflictDrivenSpawning, MovementSettings, Settings, SpawnSettings
from ..scenario.tables import read_yaml, short_repr, validate_row

Compat = Literal["3.1", "latest"]

# move_rules keys Flee 3.1 reads -> MovementSettings field.
MOVE_KEYS = {
    key: key
    for key in (
        "max_move_speed", "max_walk_speed", "foreign_weight", "camp_weight", "conflict_weight",
        "conflict_movechance", "camp_movechance", "idpcamp_movechance", "default_movechance",
        "awareness_level", "capacity_buffer", "avoid_short_stints", "start_on_foot", "softening",
        "weight_softening", "weight_power", "distance_power", "movechance_pop_base",
        "movechance_pop_scale_factor", "stay_close_to_home", "home_distance_power",
        "use_pop_for_loc_weight", "pop_power_for_loc_weight",
    )
} | {
    "MatchCampEthnicity": "match_camp_ethnicity",
    "MatchTownEthnicity": "match_town_ethnicity",
    "MatchConflictEthnicity": "match_conflict_ethnicity",
    "ChildrenAvoidHazards": "children_avoid_hazards",  # needs input_csv/demographics_age.csv
    "BoysTakeRisk": "boys_take_risk",  # Flee applies it only with ChildrenAvoidHazards
}
SPAWN_KEYS = {
    "conflict_spawn_decay": "conflict_spawn_decay",
    "insert_day0": "insert_day0",
    "take_from_population": "take_from_population",
    "camps_are_sicks": "camps_are_sinks",  # Flee's spelling in the file
}
LATEST_MOVE_KEYS = {"capacity_scaling": "capacity_scaling"}
LATEST_SPAWN_KEYS = {"sum_from_camps": "sum_from_camps", "conflict_spawn_decay_interval": "conflict_spawn_decay_interval"}

# Keys Flee 3.1 reads that cannot change a run, and why (from 3.1's source).
NO_EFFECT_31 = {
    ("move_rules", "max_crossing_speed"): E_("Flee 3.1 reads it but only its multiscale micro model uses it"),
    ("spawn_rules", "conflict_zone_spawning_only"): E_("Flee 3.1 spawns only at conflict zones whether it is true or false"),
    ("spawn_rules", "read_from_agents_csv_file"): E_("read by Flee 3.1 but acted on only by custom run scripts"),
    ("move_rules", "use_v1_rules"): "",  # handled below: it overrides five settings
    ("", "number_of_steps"): E_("the period comes from sim_period.csv"),
    ("", "conflict_input_file"): E_("conflicts are read from input_csv/conflicts.csv"),
}
# Settings under which 3.1 reads nothing that matters (any key accepted).
FREE_SECTIONS = {"log_levels": E_("logging only")}
# Keys of newer Flee (djgroen/flee after 3.1) that Flee 3.1 never reads.
NEWER_FLEE_KEYS = {
    "": {"default_conflict_intensity", "flood_level_input_file"},
    "spawn_rules": {
        "sum_from_camps", "conflict_spawn_decay_interval", "empty_camps_on_day0", "average_social_connectivity",
        "starvation_driven_spawning", "flood_driven_spawn_mode", "flood_driven_spawning",
    },
    "move_rules": {
        "capacity_scaling", "flood_rules", "harvest_months", "avg_religion_fraction", "avoid_food_deprived_locations",
        "fixed_routes", "flee_when_starving", "pruning_threshold", "two_system_decision_making", "use_economic_pull",
        "max_flood_level", "ElderlyAvoidHazards", "WomenAvoidHazards", "MatchCampReligion",
    },
}
# True/other values that caravana does not implement, and why.
UNSUPPORTED_WHEN_TRUE = {
    ("spawn_rules", "flood_zone_spawning_only"): E_("flood-driven spawning is not in Flee 3.1 nor in caravana"),
}
TOP_SECTIONS = {"log_levels", "spawn_rules", "move_rules", "optimisations", "flood_rules"}


@dataclass
class SettingsReport:
    """What was read from simsetting.yml and what was set aside (with the reason)."""

    settings: Settings
    hasten: int
    used: dict[str, object] = field(default_factory=dict)  # "section.key" -> value
    ignored: dict[str, str] = field(default_factory=dict)  # "section.key" -> why it changes nothing
    refused: dict[str, str] = field(default_factory=dict)  # ignored only because ignore_unknown was set


def _known_keys(section: str) -> set[str]:
    known = set(NEWER_FLEE_KEYS.get(section, ()))
    if section == "move_rules":
        known |= set(MOVE_KEYS) | set(LATEST_MOVE_KEYS)
    elif section == "spawn_rules":
        known |= set(SPAWN_KEYS) | set(LATEST_SPAWN_KEYS) | {"conflict_driven_spawning", "flood_zone_spawning_only"}
    elif section == "optimisations":
        known |= {"hasten"}
    elif section == "":
        known |= TOP_SECTIONS
    known |= {k for s, k in NO_EFFECT_31 if s == section}
    return known


def _unknown_setting(key: str, candidates: set[str]) -> str:
    """Why a key is refused, with a suggestion for a misspelt one, ignoring case (Flee mixes snake_case
    and CamelCase). Two whole messages, so that the suggestion is translated with the rest."""
    by_lower = {k.lower(): k for k in candidates}
    close = difflib.get_close_matches(key.lower(), sorted(by_lower), n=1, cutoff=0.75)
    if close:
        suggestion = by_lower[close[0]]  # named: the catalogue's hole is the expression's text
        return E_(f"unknown setting (did you mean '{suggestion}'?)")
    return E_("unknown setting")


class _Reader:
    def __init__(self, path: Path, compat: Compat, ignore_unknown: bool) -> None:
        self.path, self.compat, self.ignore_unknown = path, compat, ignore_unknown
        self.used: dict[str, object] = {}
        self.ignored: dict[str, str] = {}
        self.refused: dict[str, str] = {}

    def refuse(self, key: str, why: str) -> None:
        """An unimplemented or unknown key: an error, or with ignore_unknown a listed warning."""
        if not self.ignore_unknown:
            raise ScenarioError(f"{why}; pass --ignore-unknown-settings to run without it", file=self.path, field=key)
        self.refused[key] = why

    def section(self, raw: dict, name: str) -> dict:
        value = raw.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ScenarioError("expected a mapping of settings", file=self.path, field=name)
        return value

    def check_keys(self, section: str, values: dict) -> None:
        for key in values:
            dotted = f"{section}.{key}" if section else str(key)
            if key in _known_keys(section):
                continue
            self.refuse(dotted, _unknown_setting(str(key), _known_keys(section)))


def read_settings(path: Path, compat: Compat = "3.1", ignore_unknown: bool = False) -> SettingsReport:
    """Read ``simsetting.yml`` (absent: Flee 3.1's defaults)."""
    if not path.exists():
        return SettingsReport(settings=Settings(), hasten=1)
    raw = read_yaml(path) or {}
    if not isinstance(raw, dict):
        raise ScenarioError("expected a mapping at the top level", file=path)
    r = _Reader(path, compat, ignore_unknown)
    r.check_keys("", raw)
    for section in FREE_SECTIONS:
        if section in raw:
            r.ignored[section] = FREE_SECTIONS[section]
    move_raw, spawn_raw = r.section(raw, "move_rules"), r.section(raw, "spawn_rules")
    opt_raw = r.section(raw, "optimisations")
    for name, values in (("move_rules", move_raw), ("spawn_rules", spawn_raw), ("optimisations", opt_raw)):
        r.check_keys(name, values)
    if "flood_rules" in raw:
        r.refuse("flood_rules", "flood rules are not implemented (Flee 3.1 stops reading them with KeyError)")

    for (section, key), why in NO_EFFECT_31.items():
        values = raw if section == "" else {"move_rules": move_raw, "spawn_rules": spawn_raw}[section]
        if key in values and why:
            r.ignored[f"{section}.{key}" if section else key] = why
    for section, keys in NEWER_FLEE_KEYS.items():
        values = raw if section == "" else {"move_rules": move_raw, "spawn_rules": spawn_raw}[section]
        newer_used = LATEST_MOVE_KEYS if section == "move_rules" else LATEST_SPAWN_KEYS if section == "spawn_rules" else {}
        for key in keys & set(values):
            dotted = f"{section}.{key}" if section else key
            if compat == "3.1":
                r.ignored[dotted] = E_("a newer Flee setting that Flee 3.1 does not read (see --flee-rules latest)")
            elif key not in newer_used and not (key == "empty_camps_on_day0" and not values[key]):
                r.refuse(dotted, E_("a newer Flee setting caravana does not implement"))
    for (section, key), why in UNSUPPORTED_WHEN_TRUE.items():
        values = {"move_rules": move_raw, "spawn_rules": spawn_raw}[section]
        if values.get(key):
            r.refuse(f"{section}.{key}", E_(f"not implemented: {why}"))
        elif key in values:
            r.ignored[f"{section}.{key}"] = E_("false, Flee 3.1's default")

    for key in ("MatchCampEthnicity", "MatchTownEthnicity", "MatchConflictEthnicity"):
        if compat == "latest" and move_raw.get(key):
            # Newer Flee weighs by the share of the person's own ethnicity at the place.
            r.refuse(f"move_rules.{key}", E_("not implemented with newer Flee's rules: needs each person's ethnicity "
                                             "(demographics_ethnicity.csv) and per-place ethnicity columns"))
            move_raw = {k: v for k, v in move_raw.items() if k != key}

    move_map, spawn_map = dict(MOVE_KEYS), dict(SPAWN_KEYS)
    if compat == "latest":
        move_map.update(LATEST_MOVE_KEYS)
        spawn_map.update(LATEST_SPAWN_KEYS)
    move = {ours: move_raw[key] for key, ours in move_map.items() if key in move_raw}
    spawn = {ours: spawn_raw[key] for key, ours in spawn_map.items() if key in spawn_raw}
    if move_raw.get("use_v1_rules"):
        # Flee 3.1 overrides these five whatever the file says.
        move.update(max_move_speed=200, start_on_foot=False, avoid_short_stints=False, camp_weight=2.0, conflict_weight=0.25)
    if "conflict_driven_spawning" in spawn_raw:
        spawn["conflict_driven"] = _conflict_driven(r, spawn_raw["conflict_driven_spawning"], compat)
    move["flee_rules"] = compat
    r.used.update({f"move_rules.{k}": v for k, v in move_raw.items() if k in move_map})
    for power, switch in (("home_distance_power", "stay_close_to_home"), ("pop_power_for_loc_weight", "use_pop_for_loc_weight"),
                          ("BoysTakeRisk", "ChildrenAvoidHazards")):
        if power in move_raw and not move_raw.get(switch):
            del r.used[f"move_rules.{power}"]
            r.ignored[f"move_rules.{power}"] = E_(f"acts only with {switch}: true")
    r.used.update({f"spawn_rules.{k}": v for k, v in spawn_raw.items() if k in spawn_map or k == "conflict_driven_spawning"})
    movement = validate_row(MovementSettings, move, file=path, row=None)
    spawning = validate_row(SpawnSettings, spawn, file=path, row=None)
    hasten_raw = opt_raw.get("hasten", 1)
    hasten = 1 if hasten_raw is None else hasten_raw
    if isinstance(hasten, bool) or not isinstance(hasten, int) or hasten < 1:
        raise ScenarioError(f"expected a whole number of at least 1 (got {short_repr(hasten_raw)})",
                            file=path, field="optimisations.hasten")
    if "hasten" in opt_raw:
        r.used["optimisations.hasten"] = hasten_raw
    for key, why in r.refused.items():
        warnings.warn(f"{path}: setting '{key}' ignored: {why}", ScenarioWarning, stacklevel=3)
    return SettingsReport(
        settings=Settings(movement=movement, spawning=spawning), hasten=hasten,
        used=r.used, ignored=r.ignored, refused=r.refused,
    )


def _conflict_driven(r: _Reader, raw: object, compat: Compat) -> ConflictDrivenSpawning | None:
    """``spawn_rules.conflict_driven_spawning``: people spawned per day by conflicts themselves."""
    key = "spawn_rules.conflict_driven_spawning"
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ScenarioError("expected spawn_mode and displaced_per_conflict_day", file=r.path, field=key)
    for sub in raw:
        if sub not in ("spawn_mode", "displaced_per_conflict_day"):
            r.refuse(f"{key}.{sub}", _unknown_setting(str(sub), {"spawn_mode", "displaced_per_conflict_day"}))
    mode = str(raw.get("spawn_mode", "constant"))
    if mode not in ("constant", "pop_ratio"):
        if mode.lower() == "poisson" and compat == "latest":
            mode = "poisson"
        else:
            why = (
                "Flee 3.1 stops on it (its test compares mode.lower() with 'Poisson'); "
                "--flee-rules latest draws Poisson numbers as newer Flee does"
                if mode.lower() == "poisson"
                else "expected constant, pop_ratio or poisson"
            )
            raise ScenarioError(f"spawn mode {mode!r}: {why}", file=r.path, field=f"{key}.spawn_mode")
    default = 0.01 if mode == "pop_ratio" else 500
    rate = raw.get("displaced_per_conflict_day", default)
    try:
        # Flee 3.1 reads the rate as a whole number except in pop_ratio mode.
        rate = float(rate) if mode == "pop_ratio" else float(int(rate))
    except (TypeError, ValueError):
        raise ScenarioError(f"not a number (got {rate!r})", file=r.path, field=f"{key}.displaced_per_conflict_day") from None
    return validate_row(
        ConflictDrivenSpawning, {"spawn_mode": mode, "displaced_per_conflict_day": rate}, file=r.path, row=None
    )
