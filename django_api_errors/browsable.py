"""The browsable API and the admin renderer keep showing field errors in their forms.

DRF's HTML renderers find the failed serializer as ``response.data.serializer`` (the ``ReturnDict`` of
``serializer.errors`` carries it); for them only, the style's body is handed over as such a ``ReturnDict``.
"""

from __future__ import annotations

import sys
from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.utils.serializer_helpers import ReturnDict


def form_data(body: dict[str, Any], renderer: Any) -> dict[str, Any]:
    """``body``, carrying the failed serializer when ``renderer`` (DRF's accepted renderer) is an HTML
    one: read from the ``ValidationError`` being handled, as DRF calls the handler inside its ``except``."""
    if not isinstance(renderer, BrowsableAPIRenderer):
        return body  # JSON (and every other non-HTML renderer): the style's body as it is
    serializer = getattr(getattr(sys.exc_info()[1], "detail", None), "serializer", None)
    if serializer is None:
        return body
    return ReturnDict(body, serializer=serializer)
