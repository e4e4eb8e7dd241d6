"""The ``caravana`` command line. Each module here adds its commands to one Typer app."""

from . import (
    brief,  # noqa: F401  (caravana brief)
    calibrate,  # noqa: F401  (registers calibrate)
    compare,  # noqa: F401
    ensemble,  # noqa: F401
    flee,  # noqa: F401  (caravana flee check)
    forecast,  # noqa: F401  (registers forecast)
    news,  # noqa: F401  (caravana news extract|review)
    report,  # noqa: F401  (caravana report)
    run,  # noqa: F401  (registers run, validate, scenarios)
    runs,  # noqa: F401  (caravana runs list|show|export)
    serve,  # noqa: F401  (registers serve)
)
from .common import app

__all__ = ["app"]
