"""Babel extractor for Python files: the ``_()``/``n_()``/``N_()`` messages as usual, plus
every error and warning a person may read, as templates under the context ``error``.

A raise of one of caravana's errors (or of a ValueError in the modules whose pydantic
validators check input), a ``warnings.warn``, an ``HTTPException``'s detail and an
``E_()`` call give their message; an f-string's values become placeholders written as
their code (``f"no entry '{key}'"`` -> ``no entry '{key}'``). ``caravana.i18n.errors``
matches a message back to its template at run time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from babel.messages.extract import extract_python

CONTEXT = "error"
# Exceptions a user's input causes (caravana.errors.CaravanaError and its subclasses, the web API's).
USER_ERRORS = {"CaravanaError", "ScenarioError", "FolderError", "FormatError", "CatalogueError", "UploadError",
               "NotReady", "ResultsError", "HTTPException"}
# Helpers that raise a ScenarioError with the message given (observations, news proposals, checks).
FAILING_HELPERS = {"fail", "_fail"}
BUILTIN_ERRORS = {"ValueError", "TypeError", "KeyError", "RuntimeError", "AssertionError", "NotImplementedError",
                  "OSError", "IndexError", "AttributeError", "ModuleNotFoundError", "ImportError"}
# Folders whose ValueErrors are pydantic validators' messages about a user's settings.
VALIDATOR_FOLDERS = {"scenario", "policies"}
VALIDATOR_MODULES = {"observations.py"}  # its rows' validators
# Only Python modules of these parts of the package give their _() messages (as tools/i18n.py always did),
# and the forecast's plot and factors' names.
MESSAGE_FOLDERS = {"briefing", "cli", "i18n", "dashboard", "display", "report", "policies"}
MESSAGE_MODULES = {("forecast", "plot.py"), ("forecast", "factor_names.py")}


# Behaviours declare their results' descriptions (caravana.results.declared.Declared), which the report
# shows; the behaviour layer imports no i18n, so they are taken from its Declared(...) calls.
DECLARING_FOLDER = "behaviours"

# The page's words from the data (caravana.dashboard.vocabulary), gathered from the classes that
# declare them: taken from the module that lists them, by running it.
VOCABULARY_MODULE = ("dashboard", "vocabulary.py")


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    path = PurePath(getattr(fileobj, "name", ""))
    if tuple(path.parts[-2:]) == VOCABULARY_MODULE:
        from caravana.dashboard.vocabulary import vocabulary

        for word in vocabulary():
            yield 1, "gettext", word, []
    if MESSAGE_FOLDERS & set(path.parts) or tuple(path.parts[-2:]) in MESSAGE_MODULES:
        yield from extract_python(fileobj, keywords, comment_tags, options)
        fileobj.seek(0)
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    if DECLARING_FOLDER in path.parts:
        for line, description in declared_descriptions(source):
            yield line, "gettext", description, []
    validators = bool(VALIDATOR_FOLDERS & set(path.parts)) or path.name in VALIDATOR_MODULES
    for line, template in error_templates(source, validators=validators):
        yield line, "pgettext", (CONTEXT, template), []


def declared_descriptions(source: str) -> Iterator[tuple[int, str]]:
    """(line, description) of every ``Declared(name, dims, dtype, combine, description)`` in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) == "Declared":
            given = node.args[4] if len(node.args) > 4 else {k.arg: k.value for k in node.keywords}.get("description")
            if isinstance(given, ast.Constant) and isinstance(given.value, str) and given.value.strip():
                yield node.lineno, given.value


def error_templates(source: str, *, validators: bool = False) -> Iterator[tuple[int, str]]:
    """(line, template) of every error message in ``source``."""
    for node in ast.walk(ast.parse(source)):
        marked = isinstance(node, ast.Call) and _name(node.func) == "E_"  # written as a template already
        for message in _messages(node, validators):
            for template in _templates(message):
                if template.strip() and (marked or "{" not in _literal_text(message)):
                    yield node.lineno, template


def _messages(node: ast.AST, validators: bool) -> list[ast.expr]:
    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
        call = node.exc
        name = _name(call.func)
        if name in USER_ERRORS or (validators and name == "ValueError"):
            keyword = {k.arg: k.value for k in call.keywords}
            if name == "HTTPException":
                return [call.args[1]] if len(call.args) > 1 else [keyword["detail"]] if "detail" in keyword else []
            return [call.args[0]] if call.args else [keyword["message"]] if "message" in keyword else []
        if name not in BUILTIN_ERRORS:  # raise _fail(row, "km", f"...", "routes"): a helper making the error
            return [a for a in call.args if any(" " in t for t in _templates(a))]
    if isinstance(node, ast.Call) and _name(node.func) in ("warn", "E_") and node.args:
        first = node.args[0]  # warn(DatedWarning(f"...", dates)): the warning's message
        if isinstance(first, ast.Call) and (_name(first.func) or "").endswith("Warning") and first.args:
            return [first.args[0]]
        return [first]
    if isinstance(node, ast.Call) and _name(node.func) in FAILING_HELPERS:  # fail("place", f"...") raises
        return [a for a in node.args if any(" " in t for t in _templates(a))]
    return []


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _templates(node: ast.expr) -> list[str]:
    """The texts ``node`` may be, its values as ``{code}``; none if it is not written here."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(_piece(v) for v in node.values)]
    if isinstance(node, ast.IfExp):
        return _templates(node.body) + _templates(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _templates(node.left), _templates(node.right)
        left = left or [f"{{{ast.unparse(node.left)}}}"]
        right = right or [f"{{{ast.unparse(node.right)}}}"]
        return [a + b for a in left for b in right] if (_templates(node.left) or _templates(node.right)) else []
    return []


def _piece(value: ast.expr) -> str:
    if isinstance(value, ast.Constant):
        return str(value.value)
    assert isinstance(value, ast.FormattedValue)
    text = ast.unparse(value.value)
    if value.conversion != -1:
        text += "!" + chr(value.conversion)
    if value.format_spec is not None:
        text += ":" + "".join(_piece(v) for v in value.format_spec.values)  # type: ignore[attr-defined]
    return "{" + text + "}"


def _literal_text(node: ast.expr) -> str:
    """The fixed text of a message (a brace there would read as a placeholder: such a message is left out)."""
    return "".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and not isinstance(n, ast.FormattedValue))
