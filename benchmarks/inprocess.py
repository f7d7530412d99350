"""In-process cost of an error: from the exception to the rendered response bytes.

Runs every case through our handler (each style), DRF's default handler and drf-standardized-errors,
in one process on the same inputs, and prints the median time per call and the ratio of ours to each
peer. Usage (after ``python3 dev.py test`` or ``pip install -e .[dev,bench]``)::

    .venv/bin/python -m benchmarks.inprocess [--rounds 15] [--markdown]
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


def make_context() -> dict:
    django_request = APIRequestFactory().post("/api/orders/", {}, format="json")
    django_request.LANGUAGE_CODE = "en"  # as LocaleMiddleware leaves every request
    request = Request(django_request)
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = "application/json"
    view = APIView()
    view.request = request
    view.format_kwarg = None
    return {"view": view, "request": request}


def render(handler: Callable, exc: Exception, context: dict) -> bytes:
    response = handler(exc, context)
    request_finished.send(sender=None)  # as Django does after each response: incidents are written
    if response is None:
        # DRF's handler leaves non-API exceptions to Django, which logs them with their traceback
        # and answers with its 500 view: pay for both, as a real request would.
        django_request = context["request"]._request
        django_logger.error(
            "Internal Server Error: %s", django_request.path, exc_info=(type(exc), exc, exc.__traceback__)
        )
        return server_error(django_request).content
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {"view": context["view"], "request": context["request"]}
    return response.render().content


def with_api_errors(handler: Callable, **overrides) -> Callable:
    def configured(exc: Exception, context: dict):
        return handler(exc, context)

    configured.api_errors = overrides  # type: ignore[attr-defined]
    return configured


def handlers() -> dict[str, Callable]:
    found = {
        "ours awork": with_api_errors(our_handler, STYLE="awork"),
        "ours asana": with_api_errors(our_handler, STYLE="asana"),
        "ours problem": with_api_errors(our_handler, STYLE="problem"),
    }
    if _has_incidents():
        found["ours awork +incidents"] = with_api_errors(our_handler, STYLE="awork", INCIDENTS=True)
    found["DRF default"] = drf_handler
    found["drf-standardized-errors"] = dse_handler
    return found


def _has_incidents() -> bool:
    from django_api_errors.settings import DEFAULTS

    return "INCIDENTS" in DEFAULTS


def configure(handler: Callable) -> None:
    overrides = dict(getattr(handler, "api_errors", {}))
    if _has_incidents():
        overrides.setdefault("INCIDENTS", False)
    settings.API_ERRORS = overrides
    api_errors_settings.reload()


def time_case(make_exc: Callable, context: dict, rounds: int) -> dict[str, float]:
    """Median over rounds of the mean time of one call per handler, in microseconds.

    Handlers take turns inside every round, so a load that comes and goes on the machine weighs on
    all of them alike instead of on whichever ran at that moment.
    """
    found = handlers()
    calls: dict[str, int] = {}
    for name, handler in found.items():
        configure(handler)
        for _ in range(50):
            render(handler, make_exc(), context)
        start, count = time.perf_counter(), 0
        while time.perf_counter() - start < 0.02:
            render(handler, make_exc(), context)
            count += 1
        calls[name] = count
    samples: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(rounds):
        for name, handler in found.items():
            configure(handler)
            begin = time.perf_counter()
            for _ in range(calls[name]):
                render(handler, make_exc(), context)
            samples[name].append((time.perf_counter() - begin) / calls[name] * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def machine() -> str:
    import rest_framework

    cpu = next((line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), "?")
    return (
        f"{platform.python_implementation()} {platform.python_version()}, Django {django.get_version()}, "
        f"DRF {rest_framework.VERSION}, {cpu}, {os.cpu_count()} cores"
    )


def _cpuinfo() -> list[str]:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return cpuinfo.read().splitlines()
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args()

    logging.basicConfig(handlers=[FormatAndDrop()], level=logging.INFO, force=True)
    call_command("migrate", verbosity=0)
    context = make_context()
    table = {case: time_case(make_exc, context, args.rounds) for case, make_exc in CASES.items()}

    print(f"Machine: {machine()}")
    print("Median microseconds per exception -> rendered bytes; ratio = ours awork / peer\n")
    names = list(next(iter(table.values())))
    print("| case | " + " | ".join(names) + " | ours/DRF | ours/dse |")
    print("|" + "---|" * (len(names) + 3))
    for case, row in table.items():
        ours = row["ours awork"]
        cells = " | ".join(f"{row[name]:.1f}" for name in names)
        ratio_drf = ours / row["DRF default"]
        ratio_dse = ours / row["drf-standardized-errors"]
        print(f"| {case} | {cells} | {ratio_drf:.2f} | {ratio_dse:.2f} |")


if __name__ == "__main__":
    main()
