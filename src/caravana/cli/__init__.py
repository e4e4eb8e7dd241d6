"""The ``caravana`` command line. Each module here adds its commands to one Typer app."""

from . import run  # noqa: F401  (registers run, validate, scenarios)
from . import serve  # noqa: F401  (registers serve)
from . import compare  # noqa: F401
from . import runs  # noqa: F401  (caravana runs list|show|export)
from . import report  # noqa: F401  (caravana report)
from . import ensemble  # noqa: F401
from . import forecast  # noqa: F401  (registers forecast)
from . import calibrate  # noqa: F401  (registers calibrate)
from .common import app

__all__ = ["app"]
