"""A bounded soak: mixed success and error traffic against gunicorn and PostgreSQL on loopback.

Runs the example project (``benchmarks/soak_settings.py``) under gunicorn and sends a fixed mix of
requests from a few client threads for ``--seconds``. It checks that every error response has the
standard shape and the right status, that every 5xx has exactly one incident row (matched by phrase),
and samples the RSS of the gunicorn workers from ``/proc`` to show memory stays flat. Not part of the
test suite. Needs gunicorn and psycopg (``pip install -e .[dev]``) and the ``PG*`` variables::

    PGHOST=127.0.0.1 PGUSER=postgres PGPASSWORD=postgres .venv/bin/python -m benchmarks.soak --seconds 120

Exits non-zero when a response had the wrong shape or an incident was lost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from benchmarks.loopback import create_database, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
AWORK_KEYS = {"code", "description", "link", "details", "validationErrors"}
DEEP = "[" * 10_000 + "]" * 10_000

# (name, method, path, body, signed in, expected status set, expected code)
MIX = [
    ("list", "GET", "/api/products/", None, False, {200}, None),
    ("create", "POST", "/api/projects/", "valid", True, {201}, None),
    ("health", "GET", "/api/health/", None, False, {200}, None),
    ("quote", "GET", "/api/quote/", None, False, {200}, None),
    ("missing", "GET", "/api/projects/999999/", None, False, {404}, "not-found"),
    ("unknown url", "GET", "/api/nowhere/", None, False, {404}, "not-found"),
    ("anonymous write", "POST", "/api/projects/", "{}", False, {401}, "not-authenticated"),
    (
        "invalid",
        "POST",
        "/api/projects/",
        '{"name": "", "tags": [[], []], "address": {}}',
        True,
        {400},
        "validation-failed",
    ),
    ("bad json", "POST", "/api/projects/", "{nope", True, {400}, "invalid-model"),
    ("deep json", "POST", "/api/projects/", DEEP, True, {400}, "invalid-model"),
    ("full_clean", "POST", "/api/check-project/", '{"name": ""}', False, {400}, "validation-failed"),
    ("method", "BREW", "/api/boom/", None, False, {405}, "method-not-allowed"),
    ("page", "GET", "/api/products/?page=999", None, False, {404}, "not-found"),
    ("crash", "GET", "/api/boom/", None, False, {500}, "server-error"),
]


class Tally:
    """What the client threads saw, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.wrong: list[str] = []
        self.phrases: list[str] = []

    def add(self, name: str, status: int, problem: str | None, phrase: str | None) -> None:
        with self.lock:
            self.statuses[(name, status)] += 1
            if problem:
                self.wrong.append(f"{name}: {problem}")
            if phrase:
                self.phrases.append(phrase)


def check(
    case: tuple, status: int, headers: http.client.HTTPMessage, body: bytes
) -> tuple[str | None, str | None]:
    """A problem with the response (None when right) and the 5xx phrase, if any."""
    _name, _method, _path, _body, _auth, statuses, code = case
    if status not in statuses:
        return f"status {status}, wanted {sorted(statuses)}: {body[:120]!r}", None
    if status < 400:
        return None, None
    if not headers.get("Content-Type", "").startswith("application/json"):
        return f"content type {headers.get('Content-Type')}", None
    try:
        document = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:120]!r}", None
    keys = set(document) - {"phrase"}
    if keys != AWORK_KEYS or document["code"] != code:
        return f"shape {sorted(document)} code {document.get('code')}", None
    if status >= 500:
        phrase = document.get("phrase")
        if not phrase or headers.get("X-Error-Phrase") != phrase:
            return "5xx without its phrase", None
        return None, phrase
    return None, None


def client(port: int, token: str, until: float, offset: int, tally: Tally) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    index = offset
    while time.monotonic() < until:
        case = MIX[index % len(MIX)]
        index += 1
        name, method, path, body, signed_in, _statuses, _code = case
        if body == "valid":
            body = json.dumps({"name": f"soak {uuid.uuid4()}", "address": {"street": "s", "city": "c"}})
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if signed_in:
            headers["Authorization"] = f"Token {token}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.add(name, 0, f"connection failed: {exc!r}", None)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        problem, phrase = check(case, response.status, response.headers, payload)
        tally.add(name, response.status, problem, phrase)
    connection.close()


def worker_rss_kib(master: int) -> dict[int, int]:
    """RSS in KiB of each child of the gunicorn master, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            found[int(entry.name)] = int(fields["VmRSS"].split()[0])
    return found


def django(env: dict[str, str], code: str) -> str:
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="length of the soak")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of traffic before RSS sampling")
    parser.add_argument("--threads", type=int, default=4, help="client threads (keep-alive connections)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--database", default="api_errors_soak", help="PostgreSQL database (created if missing)"
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
        "DJANGO_SETTINGS_MODULE": "benchmarks.soak_settings",
        "PGDATABASE": args.database,
    }
    create_database(args.database, env)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    token = django(
        env,
        "from django.contrib.auth import get_user_model\n"
        "from rest_framework.authtoken.models import Token\n"
        "user, _ = get_user_model().objects.get_or_create(username='soak')\n"
        "print(Token.objects.get_or_create(user=user)[0].key)",
    ).strip()
    last_id = int(
        django(
            env,
            "from django.db.models import Max\nfrom django_api_errors.incidents.models import Incident\n"
            "print(Incident.objects.aggregate(last=Max('id'))['last'] or 0)",
        )
    )

    server, port = start_gunicorn(env, ROOT, workers=args.workers, options=["--keep-alive=30"])
    tally = Tally()
    samples: list[tuple[float, int]] = []
    try:
        start = time.monotonic()
        until = start + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, token, until, offset * 3, tally))
            for offset in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        while time.monotonic() < until:
            time.sleep(5)
            elapsed = time.monotonic() - start
            if elapsed >= args.warmup:
                samples.append((elapsed, sum(worker_rss_kib(server.pid).values())))
        for thread in threads:
            thread.join()
        time.sleep(1)  # the last request_finished of each worker writes its incident
    finally:
        server.terminate()
        server.wait(timeout=30)

    phrases = set(tally.phrases)
    recorded = set(
        django(
            env,
            "from django_api_errors.incidents.models import Incident\n"
            f"rows = Incident.objects.filter(id__gt={last_id}).values_list('phrase', flat=True)\n"
            "print('\\n'.join(rows))",
        ).splitlines()
    )
    total = sum(tally.statuses.values())
    errors = sum(count for (_name, status), count in tally.statuses.items() if status >= 400)
    fives = sum(count for (_name, status), count in tally.statuses.items() if status >= 500)
    print(
        f"{total} requests in {args.seconds} s ({total / args.seconds:.0f}/s), "
        f"{errors} error responses checked"
    )
    for (name, status), count in sorted(tally.statuses.items()):
        print(f"  {name:16} {status}  {count}")
    print(f"wrong shape or status: {len(tally.wrong)}")
    for problem in tally.wrong[:10]:
        print(f"  {problem}")
    lost, unexpected = phrases - recorded, recorded - phrases
    print(
        f"5xx responses: {fives}, distinct phrases: {len(phrases)}, incident rows: {len(recorded)}, "
        f"lost: {len(lost)}, without a response: {len(unexpected)}"
    )
    if samples:
        first, last = samples[0][1], samples[-1][1]
        peak = max(rss for _elapsed, rss in samples)
        print(
            f"worker RSS (sum of {args.workers}): first {first / 1024:.1f} MiB, last {last / 1024:.1f} MiB, "
            f"peak {peak / 1024:.1f} MiB over {len(samples)} samples"
        )
        print("  " + " ".join(f"{elapsed:.0f}s:{rss / 1024:.1f}" for elapsed, rss in samples))
    return 1 if tally.wrong or lost or unexpected or fives != len(phrases) else 0


if __name__ == "__main__":
    sys.exit(main())
