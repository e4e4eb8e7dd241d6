"""The word a ``--help`` page (and a usage error) shows for what an option or argument takes,
in the page's language: "--out CARPETA", "brief LUGAR CARPETA", where Typer showed Python's
types ("<path>", "<list[Path]>", "<bool>") and the code's names ("{place}"). A flag takes
nothing and shows nothing; a choice shows its choices, which are typed as they are.

By parameter name, for a command whose parameter means something else by a command's name,
else by type."""

from __future__ import annotations

from typing import Any

from ..i18n import N_

FOLDER, FILE, DATE, DAYS, NUMBER = N_("FOLDER"), N_("FILE"), N_("DATE"), N_("DAYS"), N_("NUMBER")

BY_NAME = {
    # arguments
    "place": N_("PLACE"), "source": FOLDER, "results": FOLDER, "folder": FOLDER, "scenario": N_("SCENARIO"),
    "run": N_("RUN"), "run_id": N_("RUN"), "files": FILE, "proposals": FILE, "sql": N_("QUERY"),
    # files and folders
    "out": FOLDER, "resume": FOLDER, "workspace": FOLDER, "observations": FILE, "params": FILE, "policies": FILE,
    "pdf": FILE, "html": FILE,
    # dates and days
    "as_of": DATE, "fit_until": DATE, "published": DATE, "day": N_("DAY"), "days": DAYS, "horizon": DAYS,
    "stage_half_life": DAYS, "checkpoint_every": DAYS,
    # counts
    "seed": N_("SEED"), "seeds": NUMBER, "eval_seeds": NUMBER, "members": NUMBER, "particles": NUMBER,
    "workers": NUMBER, "passes": NUMBER, "resimulate": NUMBER, "trials": NUMBER, "batch": NUMBER, "limit": NUMBER,
    "catalogued": NUMBER,
    # the rest
    "settings": N_("PATH=VALUE"), "vary": N_("PATH=LOW:HIGH"), "lang": N_("LANGUAGE"),
    "language": N_("LANGUAGE"), "host": N_("ADDRESS"), "scheduler": N_("ADDRESS"), "port": N_("PORT"),
    "kind": N_("KIND"), "table": N_("TABLE"),
}
# where a command's parameter is not what its name is elsewhere
BY_COMMAND = {("extract", "out"): FILE, ("review", "out"): FILE, ("report", "out"): FILE,
              ("export", "out"): N_("PATH"), ("report", "scenario"): N_("SCENARIO")}
BY_TYPE = {"<int>": NUMBER, "<float>": NUMBER, "<path>": N_("PATH"), "<str>": N_("TEXT")}


def word(command: Any, param: Any, ctx: Any) -> str | None:
    """The English word for what ``param`` of ``command`` takes; "" for a flag; None to keep
    Typer's own (a choice's list)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and descriptor.is_choice:
        return None
    found = BY_COMMAND.get((command.name, param.name)) or BY_NAME.get(param.name or "")
    if found is None:
        shown = param.display_type(ctx) if hasattr(param, "display_type") else ""
        found = BY_TYPE.get(shown.replace(" range", ""), N_("VALUE"))
    return found


def words(command: Any, ctx: Any) -> list[str]:
    """The English words ``command``'s page shows (each must be in a language's catalogue for
    the page to be shown in it)."""
    return [w for p in command.get_params(ctx) if _written(p) is None and (w := word(command, p, ctx))]


def _written(param: Any) -> str | None:
    """The metavar the code gave ``param`` itself (kept aside before a page names it)."""
    kept = "_caravana_metavar"
    if kept not in vars(param):
        setattr(param, kept, param.metavar)
    return getattr(param, kept)


def name_in(command: Any, ctx: Any, speaker: Any) -> None:
    """Give each parameter of ``command`` its word in ``speaker``'s language (the code's own
    metavar, if one was written, is kept aside and wins)."""
    for param in command.get_params(ctx):
        if _written(param) is not None:
            continue
        english = word(command, param, ctx)
        param.metavar = None if english is None else speaker._(english) if english else ""
        if param.param_type_name == "argument" and param.metavar is not None:
            # an argument's word is its name on the page ("LUGAR"): no type beside it
            param.display_type_rich = _no_type


def _no_type(ctx: Any) -> None:
    return None
