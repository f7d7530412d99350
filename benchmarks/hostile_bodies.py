"""Hostile bodies at the limits: time per request of the worst body each allowed charset lets through.

Serves ``example_project`` with gunicorn (one sync worker) on loopback and sends, for every charset of
``django_api_errors.parsers.TEXT_CHARSETS``, the costliest body its codec can be made to decode (the
slowest of a few candidate characters, and of a few candidate invalid byte sequences where the parser
decodes with ``errors="replace"``), at the body size limit, as JSON, and for the charsets of
``FORM_CHARSETS`` as a form (percent-escapes up to the form parser's cap, then ``+``) and as a
multipart field.
Then a JSON body at the value cap (``[{}]`` items: DRF's dearest value to validate, see
docs/hardening.md), a body of ``[{}]`` items filling the size limit (refused by the cap), bodies of
arrays nested 50, 100 and 200 deep, repeated to the size limit (refused by the cap; decoding them
first cost a second), and a refused charset (``punycode``) at the limit. Prints each request's time
and the server's CPU time for it (master and worker, from ``/proc``, in clock ticks: 10 ms), the
slowest of ``--repeat``, and exits non-zero when one took longer than ``--budget`` seconds, or a
refused one more than ``--cpu-budget`` seconds of CPU (the body at the cap is validated by DRF, at
about 0.2 s of CPU). Usage::

    .venv/bin/python -m benchmarks.hostile_bodies [--repeat 3] [--budget 0.5] [--cpu-budget 0.25]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_from_bytes

from benchmarks.endtoend import EXAMPLE, ROOT, prepare_database
from benchmarks.loopback import cpu_seconds, start_gunicorn

LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE's default, the example's body limit
CHARACTERS = ["\U0001f600", "\u20ac", "\xe9", "a"]
INVALID = [b"\xff", b"\x81", b"\xed\xa0\x80", b"\x00\xd8", b"\xf0\x9f\x98", b"\x80\x00\x00\x00"]
BOUNDARY = "hostile"
AT_CAP = "JSON at the value cap"  # the one body the parsers let through, to DRF's validation


def slowest(candidates: list, decode) -> object:
    """The candidate whose 200 kB repetition takes longest to decode here (``None`` if none can)."""
    timings = []
    for candidate in candidates:
        try:
            started = time.perf_counter()
            decode(candidate)
            timings.append((time.perf_counter() - started, candidate))
        except (UnicodeError, ValueError):
            continue
    return max(timings, key=lambda pair: pair[0])[1] if timings else None


def filled(head: bytes, unit: bytes, tail: bytes) -> bytes:
    """``head``, as many ``unit`` as fit, ``tail``: at most :data:`LIMIT` bytes."""
    return head + unit * ((LIMIT - len(head) - len(tail)) // len(unit)) + tail


def bodies(charset: str, form_too: bool) -> Iterator[tuple[str, str, bytes]]:
    """(parser, Content-Type, body) of the worst body of each parser reading ``charset``, at the limit."""
    plain = {"utf-16": "utf-16-le", "utf-8-sig": "utf-8"}.get(charset, charset)  # no BOM per unit

    def as_text(candidate: str) -> str:
        return (candidate * 50_000).encode(plain).decode(plain)

    character = slowest(CHARACTERS, lambda c: c.encode(plain) and as_text(c))
    invalid = slowest(INVALID, lambda b: (b * 50_000).decode(plain, "replace")) or b"\xff"
    json_head = '{"name": "'.encode(charset)
    yield (
        "json",
        f"application/json; charset={charset}",
        filled(json_head, character.encode(plain), '"}'.encode(plain)),
    )
    if not form_too:
        return
    from django_api_errors.parsers import FormParser

    # As many percent-escapes as the form parser reads (more are refused unread), then "+" to the limit.
    form_unit = quote_from_bytes(invalid, safe="").encode(plain)
    escapes = form_unit * (FormParser.max_escapes // form_unit.count(b"%"))
    yield (
        "form",
        f"application/x-www-form-urlencoded; charset={charset}",
        filled("name=".encode(charset) + escapes, b"+", b""),
    )
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\n'.encode()
    yield (
        "multipart",
        f"multipart/form-data; boundary={BOUNDARY}; charset={charset}",
        filled(head, invalid, f"\r\n--{BOUNDARY}--\r\n".encode()),
    )


def post(port: int, path: str, content_type: str, body: bytes, token: str | None = None) -> tuple[int, float]:
    """Status and seconds of one POST, from the first byte sent to the last byte read."""
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Token {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, elapsed


def cases(token: str) -> Iterator[tuple[str, str, str, bytes, str | None]]:
    """(name, path, Content-Type, body, token) of every request the benchmark sends."""
    from django.conf import settings

    if not settings.configured:
        settings.configure()  # DRF's defaults, only to import the parsers' list here
    from django_api_errors.parsers import FORM_CHARSETS, TEXT_CHARSETS
    from django_api_errors.settings import DEFAULTS

    value_cap = DEFAULTS["MAX_JSON_VALUES"]

    for charset in sorted(TEXT_CHARSETS):
        for parser, content_type, body in bodies(charset, charset in FORM_CHARSETS):
            yield f"{charset} {parser}", "/api/check-project/", content_type, body, None
    at_cap = json.dumps({"milestones": [{}] * (value_cap - 1)}).encode()
    yield f"{AT_CAP} ({value_cap} values)", "/api/projects/", "application/json", at_cap, token
    items = (LIMIT - len(b'{"milestones": []}')) // len(b"{}, ")
    over = json.dumps({"milestones": [{}] * items}).encode()
    yield f"JSON of {items} values at the size limit", "/api/projects/", "application/json", over, token
    for depth in (50, 100, 200):
        nest = b"[" * depth + b"]" * depth
        body = filled(b"[", nest + b",", nest + b"]")
        yield (
            f"arrays nested {depth} deep at the size limit",
            "/api/check-project/",
            "application/json",
            body,
            None,
        )
    punycode = filled(b"-", b"a", b"")
    yield (
        "punycode (refused) at the limit",
        "/api/check-project/",
        "application/json; charset=punycode",
        punycode,
        None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="requests per case; the slowest is shown")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds no request may exceed")
    parser.add_argument(
        "--cpu-budget", type=float, default=0.25, help="server CPU seconds no refused body may cost"
    )
    args = parser.parse_args()
    over_budget = 0
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "EXAMPLE_DB": str(Path(tmp) / "hostile.sqlite3"),
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "example.settings",
            "PYTHONPATH": str(ROOT),
        }
        token = prepare_database(env)
        server, port = start_gunicorn(env, EXAMPLE, workers=1, options=["--timeout=60"])
        try:
            print(f"gunicorn 1 sync worker, body limit {LIMIT} bytes, slowest of {args.repeat} requests\n")
            print("| case | bytes | status | seconds | server CPU seconds |")
            print("| --- | --- | --- | --- | --- |")
            post(
                port, "/api/check-project/", "application/json", b"{}"
            )  # the worker's first request loads the URLconf
            for name, path, content_type, body, auth in cases(token):
                runs = []
                for _ in range(args.repeat):
                    cpu_before = cpu_seconds(server.pid)
                    status, elapsed = post(port, path, content_type, body, auth)
                    runs.append((status, elapsed, cpu_seconds(server.pid) - cpu_before))
                status = runs[0][0]
                seconds, cpu = (max(run[index] for run in runs) for index in (1, 2))
                refused = not name.startswith(AT_CAP)
                over_budget += seconds > args.budget or (refused and cpu > args.cpu_budget)
                print(f"| {name} | {len(body)} | {status} | {seconds:.3f} | {cpu:.2f} |", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
    if over_budget:
        sys.exit(
            f"{over_budget} case(s) over {args.budget} s, or refused after over {args.cpu_budget} s of CPU"
        )


if __name__ == "__main__":
    main()
