"""Bundled map data: country shapes and borders of Central America, Mexico and the US
border region (Natural Earth, public domain; see README.md here). Read from the
package, never fetched."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

BORDERS_FILE = "borders.json"


@cache
def borders_json() -> bytes:
    """The raw file, as served to the browser."""
    return files(__name__).joinpath(BORDERS_FILE).read_bytes()


def load_borders() -> dict[str, Any]:
    """``{"bbox", "source", "licence", "countries": [{id, name, rings}], "borders": [lines]}``
    with points as ``[lon, lat]``."""
    return json.loads(borders_json())
