"""An exception handler that times another one inside the server, for ``benchmarks.endtoend --time-handlers``.

Set as DRF's ``EXCEPTION_HANDLER``; ``TIMED_HANDLER`` names the handler it calls (a dotted path) and
``TIMED_HANDLER_FILE`` where it writes, every :data:`WRITE_EVERY` calls, a JSON object of request path
to ``[calls, nanoseconds]`` spent inside that handler (``perf_counter_ns`` around the call): the
handler's own cost in a real worker, where the code around it leaves the CPU's caches cold.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from django.utils.module_loading import import_string
from rest_framework.response import Response

WRITE_EVERY = 500

_handler = import_string(os.environ["TIMED_HANDLER"])
_file = os.environ["TIMED_HANDLER_FILE"]
_spent: dict[str, list[int]] = {}
_calls = 0


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """``TIMED_HANDLER``'s answer, its time added to the request path's total."""
    global _calls
    begin = time.perf_counter_ns()
    response = _handler(exc, context)
    elapsed = time.perf_counter_ns() - begin
    entry = _spent.setdefault(context["request"].path, [0, 0])
    entry[0] += 1
    entry[1] += elapsed
    _calls += 1
    if _calls % WRITE_EVERY == 0:
        with open(_file, "w") as out:
            json.dump(_spent, out)
    return response
