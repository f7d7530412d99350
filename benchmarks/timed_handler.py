"""An exception handler that times another one inside the server, for ``benchmarks.endtoend --time-handlers``.

Set as DRF's ``EXCEPTION_HANDLER``; ``TIMED_HANDLER`` names the handler it calls (a dotted path).
Each worker process writes to ``<TIMED_HANDLER_DIR>/<pid>.json``, on its first call and then every
:data:`WRITE_EVERY` calls, a JSON object of request path to ``[calls, nanoseconds]`` spent inside
that handler (``perf_counter_ns`` around the call): the handler's own cost in a real worker, where
the code around it leaves the CPU's caches cold. A path's first call in each worker and the calls
after the last write are not counted.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.utils.module_loading import import_string
from rest_framework.response import Response

WRITE_EVERY = 100

_handler = import_string(os.environ["TIMED_HANDLER"])
_directory = Path(os.environ["TIMED_HANDLER_DIR"])
_spent: dict[str, list[int]] = {}
_calls = 0


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``TIMED_HANDLER``'s answer, its time added to the request path's total."""
    global _calls
    begin = time.perf_counter_ns()
    response = _handler(exc, context)
    elapsed = time.perf_counter_ns() - begin
    path = context["request"].path
    entry = _spent.get(path)
    if entry is None:
        # A path's first call in a worker pays one-time costs (imports, catalogues): not counted.
        _spent[path] = [0, 0]
    else:
        entry[0] += 1
        entry[1] += elapsed
    _calls += 1
    if _calls % WRITE_EVERY == 1:
        (_directory / f"{os.getpid()}.json").write_text(json.dumps(_spent))
    return response
