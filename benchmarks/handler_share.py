"""The handler's share of a real request: the example project served in-process by Django's WSGIHandler.

Answers "where does the end-to-end difference go?" without a network or a second process: every
failing endpoint of the example is requested through ``WSGIHandler`` (all middleware, the database,
the renderer), and the handler's own time is taken with ``perf_counter_ns`` around it. Four handlers
take turns in every round, batch by batch, the order alternating from round to round:

- ``ours`` and ``DRF default``, the two compared end to end;
- ``our body, prebuilt``: a stub answering with our exact body (copied from one built before timing)
  and status, so that ``rest`` shows what the body itself costs the rest of the request;
- ``DRF body, prebuilt``: the same stub with DRF's body.

A cell is the median over the rounds of µs per request. Usage::

    .venv/bin/python -m benchmarks.handler_share [--rounds 15] [--batch 300] [--endpoint 401] [--no-gc]
"""

from __future__ import annotations

import argparse
import copy
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.endtoend_settings")
os.environ.setdefault("EXAMPLE_DB", str(Path(tempfile.mkdtemp()) / "db.sqlite3"))
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.settings import api_settings  # noqa: E402
from rest_framework.views import exception_handler as drf_handler  # noqa: E402

from django_api_errors.handler import exception_handler as our_handler  # noqa: E402

ENDPOINTS = {"401": "/api/me/", "404": "/api/projects/999999/", "429": "/api/quote/"}
Handler = Callable[[Exception, dict[str, Any]], Response | None]


def prebuilt(handler: Handler, path: str, app: WSGIHandler) -> Handler:
    """A handler answering every exception with the status, headers and body ``handler`` gave first."""
    seen: list[Response] = []

    def recording(exc: Exception, context: dict[str, Any]) -> Response | None:
        response = handler(exc, context)
        seen.append(response)
        return response

    for _ in range(10):  # a throttled endpoint answers its first requests without an error
        request(app, path, recording)
        if seen:
            break
    else:
        sys.exit(f"{path} answered 10 requests without an error")
    first = seen[0]
    headers = {name: value for name, value in first.items() if name in ("WWW-Authenticate", "Retry-After")}

    def stub(exc: Exception, context: dict[str, Any]) -> Response:
        return Response(copy.copy(first.data), status=first.status_code, headers=headers)

    return stub


def request(app: WSGIHandler, path: str, handler: Handler) -> None:
    api_settings.__dict__["EXCEPTION_HANDLER"] = handler  # DRF caches settings as attributes
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT": "*/*",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
    }
    body = app(environ, lambda status, headers, exc_info=None: None)
    b"".join(body)
    body.close()


def batch(app: WSGIHandler, path: str, handler: Handler, calls: int) -> tuple[float, float]:
    """µs per request and µs of it in the handler, over ``calls`` requests."""
    spent = 0

    def timed(exc: Exception, context: dict[str, Any]) -> Response | None:
        nonlocal spent
        begin = time.perf_counter_ns()
        response = handler(exc, context)
        spent += time.perf_counter_ns() - begin
        return response

    begin = time.perf_counter_ns()
    for _ in range(calls):
        request(app, path, timed)
    return (time.perf_counter_ns() - begin) / calls / 1000, spent / calls / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=300, help="requests per handler per round")
    parser.add_argument("--endpoint", action="append", choices=list(ENDPOINTS), help="only these endpoints")
    parser.add_argument("--no-gc", action="store_true", help="with the garbage collector off")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    app = WSGIHandler()
    if args.no_gc:
        gc.disable()

    print(f"WSGIHandler in-process, median of {args.rounds} rounds of {args.batch} requests per handler")
    print("\n| endpoint | handler | request µs | handler µs | rest µs |\n|---|---|---|---|---|")
    for name in args.endpoint or ENDPOINTS:
        path = ENDPOINTS[name]
        handlers: dict[str, Handler] = {
            "ours": our_handler,
            "DRF default": drf_handler,
            "our body, prebuilt": prebuilt(our_handler, path, app),
            "DRF body, prebuilt": prebuilt(drf_handler, path, app),
        }
        for handler in handlers.values():
            batch(app, path, handler, 50)  # warm
        samples: dict[str, list[tuple[float, float]]] = {label: [] for label in handlers}
        for round_number in range(args.rounds):
            turns = list(handlers.items())
            if round_number % 2:
                turns.reverse()
            for label, handler in turns:
                samples[label].append(batch(app, path, handler, args.batch))
        for label, runs in samples.items():
            total = statistics.median(r[0] for r in runs)
            spent = statistics.median(r[1] for r in runs)
            rest = statistics.median(r[0] - r[1] for r in runs)
            print(f"| {name} | {label} | {total:.1f} | {spent:.1f} | {rest:.1f} |")


if __name__ == "__main__":
    main()
