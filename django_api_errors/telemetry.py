"""Two observers for ``API_ERRORS["OBSERVERS"]`` (docs/observability.md): :func:`trace_id` and
:func:`count`. Without OpenTelemetry both run, the first echoing the request id, the second counting
nothing; neither this module nor OpenTelemetry is imported unless ``OBSERVERS`` names it."""

from __future__ import annotations

import re
import threading
from types import MappingProxyType
from typing import Any

from django_api_errors.request_facts import django_request_of
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import style_name
from django_api_errors.values import ErrorValue

try:
    from opentelemetry import metrics, trace
except ImportError:
    metrics = trace = None  # type: ignore[assignment]

#: Response header carrying the trace id of a traced request.
TRACE_HEADER = "X-Trace-Id"
#: The counter's name (Prometheus, fed by the OpenTelemetry collector: ``api_errors_responses_total``).
COUNTER = "api_errors.responses"
#: A request id echoed back: visible ASCII without separators, so a header cannot carry anything else.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,200}")

_counts: dict[tuple[tuple[str, Any], ...], int] = {}  # attributes -> count
_lock = threading.Lock()


def _observations(options: Any) -> list[Any]:
    """What the counter reports when the reader collects: the counts so far (cumulative)."""
    with _lock:
        counted = list(_counts.items())
    return [metrics.Observation(number, dict(attributes)) for attributes, number in counted]


# An asynchronous counter: an error adds one to a dict, and the SDK's cost (about as much as the
# whole error path, for a synchronous counter's add) is paid once per collection. Created through the
# global meter provider, so a provider set later still collects it.
if metrics is not None:
    metrics.get_meter("django_api_errors").create_observable_counter(
        COUNTER,
        callbacks=[_observations],
        unit="{response}",
        description="Error responses answered, by code, status, route and style.",
    )


def trace_id(value: ErrorValue, request: Any) -> ErrorValue:
    """Observer: the trace id of the current recording span in ``X-Trace-Id`` and the body; without
    one, the request id the client or a proxy sent in ``REQUEST_ID_HEADER``, echoed in that header."""
    span = trace.get_current_span() if trace is not None else None
    if span is not None and span.is_recording():
        found = trace.format_trace_id(span.get_span_context().trace_id)
        headers = MappingProxyType({**value.headers, TRACE_HEADER: found})
        return ErrorValue(*value[:5], headers, value.phrase, found)  # built directly: _replace costs more
    header = api_errors_settings.REQUEST_ID_HEADER
    meta = getattr(django_request_of(request), "META", None) or {}
    sent = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
    return value.with_header(header, sent) if REQUEST_ID.fullmatch(sent) else value


def count(value: ErrorValue, request: Any) -> ErrorValue:
    """Observer: count the response in ``api_errors.responses`` with its code, status, route template
    (``http.route``, absent when no URL pattern matched) and style."""
    if metrics is not None:
        attributes = (
            ("code", value.slug),
            ("http.response.status_code", value.status),
            ("style", style_name(request)),
        )
        match = getattr(django_request_of(request), "resolver_match", None)
        if match is not None:
            attributes += (("http.route", match.route),)
        with _lock:
            _counts[attributes] = _counts.get(attributes, 0) + 1
    return value
