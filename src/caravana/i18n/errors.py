"""Errors and warnings in the reader's language, through the same catalogue as the rest.

Errors are raised in English all over the code, as f-strings holding their values
(``f"no item named '{selector}'"``): a raise site should not need to know who reads it.
``tools/babel_errors.py`` extracts each raise site's text into the catalogue as a
template under the context ``error``, its values written as ``{placeholders}``
(``no item named '{selector}'``). Here an English message is matched back to its
template and the translated template is filled with the same values; a value that is
itself a message (the ``{message}`` of ``file {file}, row {row}: {message}``) is
translated in turn. A message no template matches is shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from ..errors import E_

if TYPE_CHECKING:
    from . import Language

CONTEXT = "error"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# pydantic's "Value error, " before a validator's own words, at the start or after a form's "...field 'x': "
PYDANTIC_PREFIX = re.compile(r"(^|: )Value error, ")
MIN_LITERAL = 3  # a template with less fixed text than this ("{exc}") would match anything


# Where a ScenarioError happened (errors.ScenarioError.__str__), and messages of the
# libraries that check input for us (pydantic, click), written as their templates.
FORMS = (
    E_("file {file}, row {row}, field '{field}': {message}"),
    E_("file {file}, row {row}: {message}"),
    E_("file {file}, field '{field}': {message}"),
    E_("file {file}: {message}"),
    E_("row {row}, field '{field}': {message}"),
    E_("row {row}: {message}"),
    E_("field '{field}': {message}"),
    E_("{message} (got {value})"),
    E_("{file} row {row}: "),  # where a warning's place is written before it (scenario.checks)
    # pydantic
    E_("Value error, {message}"),
    E_("Field required"),
    E_("Input should be greater than {limit}"),
    E_("Input should be greater than or equal to {limit}"),
    E_("Input should be less than {limit}"),
    E_("Input should be less than or equal to {limit}"),
    E_("Input should be a valid number"),
    E_("Input should be a valid number, unable to parse string as a number"),
    E_("Input should be a valid integer"),
    E_("Input should be a valid integer, unable to parse string as an integer"),
    E_("Input should be a valid integer, got a number with a fractional part"),
    E_("Input should be a valid boolean"),
    E_("Input should be a valid boolean, unable to interpret input"),
    E_("Input should be a valid string"),
    E_("Input should be a valid date"),
    E_("Input should be a valid date or datetime, {reason}"),
    E_("Input should be a valid list"),
    E_("Input should be a valid dictionary"),
    E_("Input should be a finite number"),
    E_("Input should be {expected}"),
    E_("String should have at most {limit} characters"),
    E_("String should have at least {limit} characters"),
    E_("List should have at least {limit} items after validation, not {actual}"),
    E_("List should have at least {limit} item after validation, not {actual}"),  # pydantic's singular
    E_("Extra inputs are not permitted"),
    E_("Input should be {choices} or {last}"),  # a Literal's choices: its "or" is pydantic's English
    E_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    # the reasons pydantic gives for a date it cannot read (its parser's messages, the `{reason}` above)
    E_("input is too short"),
    E_("input is too long"),
    E_("unexpected extra characters at the end of the input"),
    E_("invalid date separator, expected `-`"),
    E_("invalid datetime separator, expected `T`, `t`, `_` or space"),
    E_("invalid character in year"),
    E_("invalid character in month"),
    E_("invalid character in day"),
    E_("month value is outside expected range of 1-12"),
    E_("day value is outside expected range"),
    E_("invalid time separator, expected `:`"),
    E_("invalid character in hour"),
    E_("invalid character in minute"),
    E_("invalid character in second"),
    E_("hour value is outside expected range of 0-23"),
    E_("minute value is outside expected range of 0-59"),
    E_("second value is outside expected range of 0-59"),
    # click (typer), for a wrong option or argument
    E_("Invalid value for {param}: {message}"),
    E_("{value} is not a valid integer."),
    E_("{value} is not a valid float."),
    E_("{value} is not a valid boolean."),
    E_("{value} is not one of {choices}."),
    E_("{value} is not in the range {range}."),
    E_("No such option: {name}"),
    E_("No such option: {name} Did you mean {suggestion}?"),
    E_("No such option: {name} (Possible options: {options})"),
    E_("No such command {name}."),
    E_("Missing argument {name}."),
    E_("Missing option {name}."),
    E_("Option {name} requires an argument."),
    E_("Got unexpected extra argument ({args})"),
    E_("Got unexpected extra arguments ({args})"),
    E_("Got unexpected extra argument(s) ({args})"),
)


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    names: tuple[str, ...]  # the placeholder of each group, in order
    translation: str


def error_text(exc: BaseException, speaker: Language) -> str:
    """An error as one line in ``speaker``'s language. A :class:`~caravana.errors.ScenarioError`'s
    message is translated whole, before its line is cut to length."""
    from ..errors import ScenarioError, one_line

    if not isinstance(exc, ScenarioError):
        return names_written(dates_written(translated(str(exc), speaker), exc, speaker), exc, speaker)
    mark = "\ufffc"  # where the message goes in "file F, row R, field 'X': ..."
    where = str(ScenarioError(mark, file=exc.file, row=exc.row, field=exc.field))
    message = names_written(dates_written(_in_language(exc.message, speaker), exc, speaker), exc, speaker)  # not in the file's name
    # the quantities listed after the cut: their names make the list longer than a message is cut at
    return quantities_listed(_in_language(where, speaker).replace(mark, one_line(message)), speaker)


def dates_written(text: str, exc: BaseException, speaker: Language) -> str:
    """``text`` with the error's (or warning's) ``dates`` as the reader's language writes dates
    ("24 oct 2018"), as the rest of the output writes them."""
    for day in getattr(exc, "dates", ()):
        text = text.replace(day.isoformat(), speaker.date(day))
    return text


def names_written(text: str, exc: BaseException, speaker: Language) -> str:
    """``text`` with the places the error suggests ('Juchitan') by the names the reader sees
    for them ('Juchitán'), those of the error's scenario."""
    places = getattr(exc, "places", ())
    if places:
        scenario = getattr(exc, "scenario", None)
        shown = speaker.about(scenario) if scenario is not None else speaker
        for place in places:
            text = text.replace(f"'{place}'", f"'{shown.place(place)}'")
    return text


def translated(text: str, speaker: Language) -> str:
    """``text``, an English error or warning, in ``speaker``'s language."""
    return quantities_listed(_in_language(text, speaker), speaker)


def _in_language(text: str, speaker: Language) -> str:
    if speaker.code != "en":  # (the catalogue's "Value error, {message}" drops it where a template matches)
        text = _translate(text, _templates(speaker.code), depth=0)
    # pydantic's prefix to a validator's own words says nothing to a reader, in any language
    return PYDANTIC_PREFIX.sub(r"\1", text)


def quantities_listed(text: str, speaker: Language) -> str:
    """``text`` with the list of the codes a file's quantity may be ("one of: present, camp, ...") given
    as the reader may type them too ("una de: presentes (present), en el campamento (camp), ..."), and
    so the quantities a "did you mean" before it suggests ("¿quiso decir presentes (present)?")."""
    from .quantities import CODES_LISTED, listed, suggested

    if CODES_LISTED not in text:
        return text
    text = _suggestions().sub(lambda m: suggested(re.findall(r"'([a-z_]+)'", m[1]), speaker) + m[2], text)
    return text.replace(CODES_LISTED, listed(speaker))


@cache
def _suggestions() -> re.Pattern[str]:
    """The quoted codes of observations.quantity_code's "(did you mean 'arrived', 'arrivals'?); one of:
    <codes>", in any language: the codes, then "?)", the list's words and the codes listed."""
    from .quantities import CODES_LISTED, NAMES

    code = "'(?:" + "|".join(NAMES) + ")'"
    return re.compile(f"({code}(?:, {code})*)" + r"(\?\); [^;()']*" + re.escape(CODES_LISTED) + ")")


def _translate(text: str, templates: tuple[dict[str, str], tuple[_Template, ...]], depth: int) -> str:
    exact, patterns = templates
    if text in exact:
        return exact[text]
    if depth > 3:
        return text
    for template in patterns:
        match = template.pattern.fullmatch(text)
        if match is None:
            continue
        values = {name: _translate(value, templates, depth + 1)
                  for name, value in zip(template.names, match.groups(), strict=True)}
        return _fill(template.translation, values)
    return text


def _fill(translation: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(0), m.group(0)), translation)


@cache
def _templates(code: str) -> tuple[dict[str, str], tuple[_Template, ...]]:
    """The catalogue's error templates of a language: exact messages, then patterns (those
    ending in fixed text first, then the most fixed text first, so ``file {file}, row {row}: ...``
    wins over ``file {file}: ...``)."""
    from . import _language

    catalog = getattr(_language(code).translations, "_catalog", {}) or {}
    prefix = CONTEXT + "\x04"
    exact: dict[str, str] = {}
    patterns: list[tuple[tuple[bool, int], _Template]] = []
    for key, translation in catalog.items():
        if not isinstance(key, str) or not key.startswith(prefix) or not translation:
            continue
        english = key[len(prefix):]
        holes = PLACEHOLDER.findall(english)
        if not holes:
            exact[english] = translation
            continue
        fixed = PLACEHOLDER.sub("", english)
        if len(fixed.strip()) < MIN_LITERAL:
            continue
        regex: list[str] = []
        seen: dict[str, int] = {}
        for piece, hole in zip(PLACEHOLDER.split(english), [*holes, None], strict=True):
            regex.append(re.escape(piece))
            if hole is None:
                continue
            if hole in seen:  # the same value twice: the same text twice
                regex.append(f"(?P=g{seen[hole]})")
            else:
                seen[hole] = len(seen)
                regex.append(f"(?P<g{seen[hole]}>.+?)")
        names = tuple(sorted(seen, key=seen.__getitem__))
        # A template ending in a value ("Input should be {expected}") would swallow a form written
        # after a message ("... (got '100')"): the templates ending in fixed text are tried first.
        open_end = english.endswith(holes[-1])
        patterns.append(((open_end, -len(fixed)), _Template(re.compile("".join(regex), re.DOTALL), names, translation)))
    patterns.sort(key=lambda p: p[0])
    return exact, tuple(t for _, t in patterns)
