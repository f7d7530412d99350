"""The browsable API and the admin renderer keep showing field errors in their forms.

DRF's HTML renderers find the failed serializer through ``response.data.serializer`` (DRF's own
handler passes the ``ReturnDict`` of ``serializer.errors``, which carries it) and render its form with
each field's errors. The style's body has no serializer, so for those renderers only it is handed over
as a ``ReturnDict`` of the same body that carries the failed serializer; JSON clients get the plain body.
"""

from __future__ import annotations

import sys
from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.utils.serializer_helpers import ReturnDict


def form_data(body: dict[str, Any], renderer: Any) -> dict[str, Any]:
    """``body``, carrying the failed serializer when ``renderer`` (DRF's accepted renderer) is an HTML
    one (browsable API, admin).

    DRF calls the exception handler inside the ``except`` that caught the exception, so the
    serializer is read from the ``ValidationError`` being handled (``sys.exc_info()``): the pipeline
    passes on values, never the exception, and the response is built from its result.
    """
    if not isinstance(renderer, BrowsableAPIRenderer):
        return body  # JSON (and every other non-HTML renderer): the style's body as it is
    serializer = getattr(getattr(sys.exc_info()[1], "detail", None), "serializer", None)
    if serializer is None:
        return body
    return ReturnDict(body, serializer=serializer)
