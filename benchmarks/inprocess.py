"""In-process cost of an error: from the exception to the bytes a client gets.

Runs every case through our handler, DRF's default handler and drf-standardized-errors in one process
on the same inputs, and prints the median time per call and the ratio of ours to each peer. Two
measures, each with and without the ``LANGUAGE_CODE`` that ``LocaleMiddleware`` leaves on a request
(Django's ``startproject`` does not install it):

- ``data``: the handler's ``response.data`` rendered alone, ``JSONRenderer().render(response.data)``;
- ``full``: the whole ``Response`` rendered, as DRF's ``finalize_response`` would.

The request is as DRF hands it to the handler: content negotiation done (``accepted_renderer``).
For a non-API exception DRF's handler returns ``None``; Django then logs the traceback and renders its
500 view, and the benchmark pays for both. Every handler's log records are formatted (tracebacks
included) and dropped. For a 500 every handler pays Django's ``request_finished`` (sent after each
response). Storing incidents (the optional ``django_api_errors.incidents`` app) is measured by
``benchmarks.incidents_load``, not here.

Timing is CPU time of this process (``time.process_time_ns``), so time the machine gives to other
processes is not counted. The handlers take turns inside every round; each round times a batch of
calls per handler (about ``--batch-ms`` of CPU each). The table gives each handler's median µs per
call over the rounds, and each ratio is the median of the per-round ratios (ours and the peer timed
within milliseconds of each other). Usage::

    .venv/bin/python -m benchmarks.inprocess [--rounds 31] [--batch-ms 4] [--case 404] [--styles]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished  # noqa: E402
from django.views.defaults import server_error  # noqa: E402
from drf_standardized_errors.handler import exception_handler as dse_handler  # noqa: E402
from rest_framework import exceptions  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402
from rest_framework.views import APIView  # noqa: E402
from rest_framework.views import exception_handler as drf_handler  # noqa: E402

from django_api_errors.handler import exception_handler as our_handler  # noqa: E402
from django_api_errors.settings import api_errors_settings  # noqa: E402

django_logger = logging.getLogger("django.request")
OURS = "ours"
DRF = "DRF default"
DSE = "drf-standardized-errors"


class FormatAndDrop(logging.Handler):
    """Pays the cost of formatting each record (traceback included), keeps nothing."""

    def emit(self, record: logging.LogRecord) -> None:
        self.format(record)


def nested_errors() -> dict:
    """200 field errors three levels deep: orders[i].lines[j].{sku,qty}."""
    line = {"sku": ["Unknown SKU."], "qty": ["Ensure this value is greater than or equal to 1."]}
    return {"orders": [{"lines": [dict(line) for _ in range(10)]} for _ in range(10)]}


def not_authenticated() -> exceptions.NotAuthenticated:
    exc = exceptions.NotAuthenticated()
    exc.auth_header = "Token"  # what APIView.handle_exception adds
    return exc


CASES: dict[str, Callable[[], Exception]] = {
    "400 one field": lambda: exceptions.ValidationError({"name": ["This field is required."]}),
    "400 200 nested": lambda: exceptions.ValidationError(nested_errors()),
    "404": lambda: exceptions.NotFound(),
    "401": not_authenticated,
    "429": lambda: exceptions.Throttled(wait=3),
    "500": lambda: RuntimeError("boom"),
}


def make_context(language: bool) -> dict:
    """The handler's context: DRF's Request after content negotiation, ``LANGUAGE_CODE`` or not."""
    django_request = APIRequestFactory().post("/api/orders/", {}, format="json")
    if language:
        django_request.LANGUAGE_CODE = "en"  # as LocaleMiddleware leaves every request
    request = Request(django_request)
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = "application/json"
    view = APIView()
    view.request = request
    view.format_kwarg = None
    return {"view": view, "request": request}


def django_500(exc: Exception, context: dict) -> bytes:
    # DRF's handler leaves non-API exceptions to Django, which logs them with their traceback and
    # answers with its 500 view: pay for both, as a real request would.
    django_request = context["request"]._request
    django_logger.error(
        "Internal Server Error: %s", django_request.path, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return server_error(django_request).content


def render_data(handler: Callable, exc: Exception, context: dict) -> bytes:
    """The handler's data rendered alone."""
    response = handler(exc, context)
    if response is None or response.status_code >= 500:
        request_finished.send(sender=None)  # as Django does after each response: incidents are written
    if response is None:
        return django_500(exc, context)
    return JSONRenderer().render(response.data)


def render_full(handler: Callable, exc: Exception, context: dict) -> bytes:
    """The whole response rendered, as ``APIView.finalize_response`` prepares it."""
    response = handler(exc, context)
    if response is None or response.status_code >= 500:
        request_finished.send(sender=None)
    if response is None:
        return django_500(exc, context)
    request = context["request"]
    response.accepted_renderer = request.accepted_renderer
    response.accepted_media_type = request.accepted_media_type
    response.renderer_context = {"view": context["view"], "request": request}
    return response.render().content


MODES = {"data": render_data, "full": render_full}


def with_api_errors(handler: Callable, **overrides) -> Callable:
    def configured(exc: Exception, context: dict):
        return handler(exc, context)

    configured.api_errors = overrides  # type: ignore[attr-defined]
    return configured


def handlers(case: str, styles: bool) -> dict[str, Callable]:
    found = {OURS: with_api_errors(our_handler, STYLE="awork")}
    if styles:
        found["ours asana"] = with_api_errors(our_handler, STYLE="asana")
        found["ours problem"] = with_api_errors(our_handler, STYLE="problem")
    found[DRF] = drf_handler
    found[DSE] = dse_handler
    return found


def configure(handler: Callable) -> None:
    overrides = dict(getattr(handler, "api_errors", {}))
    settings.API_ERRORS = overrides
    api_errors_settings.reload()


def batch(render: Callable, handler: Callable, make_exc: Callable, context: dict, calls: int) -> float:
    """CPU nanoseconds per call of ``calls`` calls."""
    begin = time.process_time_ns()
    for _ in range(calls):
        render(handler, make_exc(), context)
    return (time.process_time_ns() - begin) / calls


def time_case(case: str, mode: str, context: dict, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Median µs per call of each handler, and median per-round ratios of ours to each peer."""
    render, make_exc = MODES[mode], CASES[case]
    found = handlers(case, args.styles)
    calls: dict[str, int] = {}
    for name, handler in found.items():
        configure(handler)
        per_call = min(batch(render, handler, make_exc, context, 20) for _ in range(3))
        calls[name] = max(1, int(args.batch_ms * 1e6 / per_call))
    samples: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(args.rounds):
        for name, handler in found.items():
            configure(handler)
            samples[name].append(batch(render, handler, make_exc, context, calls[name]) / 1000)
    ratios = {
        peer: statistics.median(o / p for o, p in zip(samples[OURS], samples[peer], strict=True))
        for peer in (DRF, DSE)
    }
    return {"median": {n: statistics.median(v) for n, v in samples.items()}, "ratio": ratios}


def machine() -> str:
    import drf_standardized_errors
    import rest_framework

    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), "?")
    return (
        f"{platform.python_implementation()} {platform.python_version()}, Django {django.get_version()}, "
        f"DRF {rest_framework.VERSION}, drf-standardized-errors "
        f"{getattr(drf_standardized_errors, '__version__', '?')}, {cpu}, {os.cpu_count()} cores"
    )


def _cpuinfo() -> list[str]:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return cpuinfo.read().splitlines()
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--batch-ms", type=float, default=4.0, help="CPU ms per handler per round")
    parser.add_argument("--case", action="append", choices=list(CASES), help="only these cases")
    parser.add_argument("--mode", action="append", choices=list(MODES), help="only these measures")
    parser.add_argument("--styles", action="store_true", help="also time the asana and problem styles")
    args = parser.parse_args()

    logging.basicConfig(handlers=[FormatAndDrop()], level=logging.INFO, force=True)
    call_command("migrate", verbosity=0)
    contexts = {"LANGUAGE_CODE": make_context(True), "no LANGUAGE_CODE": make_context(False)}

    print(f"Machine: {machine()}")
    print(
        f"CPU µs per call (time.process_time_ns), median of {args.rounds} interleaved rounds; "
        "ratios = median of per-round ours/peer\n"
    )
    for mode in args.mode or MODES:
        measure = "JSONRenderer().render(response.data)" if mode == "data" else "response.render()"
        print(f"### {mode}: {measure}")
        extra = ["ours asana", "ours problem"] if args.styles else []
        names = [OURS, *extra, DRF, DSE]
        print("| case | request | " + " | ".join(names) + " | ours/DRF | ours/dse |")
        print("|" + "---|" * (len(names) + 4))
        for case in args.case or CASES:
            for label, context in contexts.items():
                result = time_case(case, mode, context, args)
                cells = " | ".join(
                    f"{result['median'][n]:.1f}" if n in result["median"] else "" for n in names
                )
                ratio = result["ratio"]
                print(f"| {case} | {label} | {cells} | {ratio[DRF]:.2f} | {ratio[DSE]:.2f} |", flush=True)
        print()


if __name__ == "__main__":
    main()
