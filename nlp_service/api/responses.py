"""The JSON response of the API: orjson in place of the standard library's encoder.

Starlette's ``JSONResponse`` encodes with ``json.dumps``: 2.9 ms for the 210 kB v1 result of a
6,000-character article, against 0.2 ms with orjson — the same bytes (compact separators, UTF-8
text, floats in their shortest round-trip form). A NaN or infinity, which ``json.dumps`` refuses
with ``allow_nan=False``, becomes ``null`` here; the extractors produce none.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class FastJSONResponse(JSONResponse):
    """``JSONResponse`` rendered by orjson."""

    def render(self, content: Any) -> bytes:
        """The body: ``content`` as compact UTF-8 JSON (other keys than strings as ``json.dumps`` writes them)."""
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
