"""What the observers cost on the error path: none, each one, and the three OpenTelemetry ones together.

Times our handler as ``benchmarks.inprocess`` does (its cases, its measures, CPU time of interleaved
rounds), with ``API_ERRORS["OBSERVERS"]`` empty and with observers named, beside DRF's default handler.
The request is ``POST /api/orders/`` as DRF hands it to the handler, resolved against this module's
URLconf (one DRF view, documented by ``django_api_errors.openapi.AutoSchema``) and carrying an
``X-Request-ID``. OpenTelemetry is set up as a project sets it up: the SDK's tracer provider with a
recording span around the timed calls (``trace_id (span)``), and the SDK's meter provider with an
in-memory reader (``count``). Usage::

    .venv/bin/python -m benchmarks.observability [--rounds 7] [--batch-ms 4] [--case 404] [--mode data]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.urls import path, resolve  # noqa: E402
from opentelemetry import metrics  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from rest_framework.decorators import api_view, schema  # noqa: E402

from benchmarks import inprocess  # noqa: E402
from django_api_errors.handler import exception_handler as our_handler  # noqa: E402
from django_api_errors.openapi import AutoSchema  # noqa: E402

TRACE_ID = "django_api_errors.telemetry.trace_id"
COUNT = "django_api_errors.telemetry.count"
GUARD = "django_api_errors.guard.check"
#: Name -> (observers, whether a recording span is current).
CONFIGURATIONS = {
    "off": ([], False),
    "trace_id (request id)": ([TRACE_ID], False),
    "trace_id (span)": ([TRACE_ID], True),
    "count": ([COUNT], False),
    "trace_id + count (span)": ([TRACE_ID, COUNT], True),
    "guard": ([GUARD], False),
}


@api_view(["POST"])
@schema(AutoSchema())
def orders(request):
    """The operation the benchmark's request resolves to (the guard reads its schema)."""


urlpatterns = [path("api/orders/", orders)]


def make_context(language: bool) -> dict:
    """``inprocess``'s context, its request resolved here and carrying a request id."""
    context = inprocess.make_context(language)
    django_request = context["request"]._request
    django_request.urlconf = __name__
    django_request.resolver_match = resolve("/api/orders/", urlconf=__name__)
    django_request.META["HTTP_X_REQUEST_ID"] = "bench-7f3a"
    return context


def time_case(case: str, mode: str, context: dict, rounds: int, batch_ms: float, tracer) -> dict[str, list]:
    """Per configuration: µs per call of each round, and the per-round ratio to ``off`` and to DRF."""
    render, make_exc = inprocess.MODES[mode], inprocess.CASES[case]
    runs = {
        name: (inprocess.with_api_errors(our_handler, OBSERVERS=observers), span)
        for name, (observers, span) in CONFIGURATIONS.items()
    }
    runs["DRF default"] = (inprocess.drf_handler, False)
    calls: dict[str, int] = {}
    for name, (handler, _span) in runs.items():
        inprocess.configure(handler)
        per_call = min(inprocess.batch(render, handler, make_exc, context, 20) for _ in range(3))
        calls[name] = max(1, int(batch_ms * 1e6 / per_call))
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, (handler, span) in runs.items():
            inprocess.configure(handler)
            with tracer.start_as_current_span("request") if span else contextlib.nullcontext():
                samples[name].append(inprocess.batch(render, handler, make_exc, context, calls[name]) / 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch-ms", type=float, default=4.0, help="CPU ms per configuration per round")
    parser.add_argument("--case", action="append", choices=list(inprocess.CASES), help="only these cases")
    parser.add_argument("--mode", action="append", choices=list(inprocess.MODES), help="only these measures")
    args = parser.parse_args()

    logging.basicConfig(handlers=[inprocess.FormatAndDrop()], level=logging.INFO, force=True)
    inprocess.call_command("migrate", verbosity=0)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))
    tracer = TracerProvider().get_tracer("benchmarks")
    context = make_context(True)

    print(f"Machine: {inprocess.machine()}")
    print(
        f"CPU µs per call, median of {args.rounds} interleaved rounds; ratios = median of per-round ratios\n"
    )
    names = [*CONFIGURATIONS, "DRF default"]
    for mode in args.mode or inprocess.MODES:
        print(f"### {mode}")
        print("| case | " + " | ".join(names) + " | " + " | ".join(f"{n} / off" for n in names[1:-1]) + " |")
        print("|" + "---|" * (2 * len(names) - 1))
        for case in args.case or inprocess.CASES:
            samples = time_case(case, mode, context, args.rounds, args.batch_ms, tracer)
            medians = " | ".join(f"{statistics.median(samples[n]):.1f}" for n in names)
            ratios = " | ".join(
                f"{statistics.median(a / b for a, b in zip(samples[n], samples['off'], strict=True)):.3f}"
                for n in names[1:-1]
            )
            print(f"| {case} | {medians} | {ratios} |", flush=True)
        print()


if __name__ == "__main__":
    main()
