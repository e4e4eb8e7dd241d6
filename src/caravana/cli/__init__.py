"""The ``caravana`` command line. Each module here adds its commands to one Typer app."""

from . import run  # noqa: F401  (registers run, validate, scenarios)
from . import compare  # noqa: F401
from . import runs  # noqa: F401  (caravana runs list|show|export)
from .common import app

__all__ = ["app"]
