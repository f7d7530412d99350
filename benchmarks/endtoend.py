"""End to end: requests/s and latency of the example project's failing endpoints under gunicorn.

Serves ``example_project`` with gunicorn on loopback, once with our handler and once with DRF's default
handler (one sync worker each by default), drives each failing endpoint with ``wrk`` (Debian's
package) for a few seconds, and prints requests/s, latency percentiles and the ratio of ours to DRF's,
and the server's CPU time per request (master and workers, read from ``/proc``): on a two-core
machine that also runs ``wrk``, CPU per request is steadier than requests/s.
Rounds are interleaved: every round visits every endpoint, and within it the two servers take turns
(the order alternating from round to round), so a load that comes and goes on the machine weighs on
both alike. Cells are medians over the rounds; "median of rounds" is the median of the per-round
ratios (each of two servers measured seconds apart), the steadier of the two ratios printed.

``--control`` serves DRF's handler in both servers (an A/A run): its ratios are what this machine
reads for two identical servers, the noise any difference has to stand out from.
``--time-handlers`` also prints each handler's own µs per failing request inside the worker
(:mod:`benchmarks.timed_handler` around it). Usage::

    .venv/bin/python -m benchmarks.endtoend [--seconds 5] [--repeat 3] [--control] [--time-handlers]

Needs ``pip install -e .[bench]`` (gunicorn) and ``wrk`` (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.loopback import cpu_seconds, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_project"
LUA = Path(__file__).resolve().parent / "post_json.lua"
HANDLERS = {
    "ours": "django_api_errors.handler.exception_handler",
    "DRF default": "rest_framework.views.exception_handler",
}
# name: (path, POST body or None, needs the token)
ENDPOINTS = {
    "400 validation": ("/api/projects/", {"name": "", "address": {}, "tags": ["x" * 30]}, True),
    "401": ("/api/me/", None, False),
    "404": ("/api/projects/999999/", None, False),
    "429": ("/api/quote/", None, False),
    "500": ("/api/boom/", None, False),
}


def prepare_database(env: dict[str, str]) -> str:
    """Migrate and seed a fresh SQLite file; returns the API token the seed printed."""
    manage = [sys.executable, str(EXAMPLE / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0", "--skip-checks"], env=env, check=True)
    seeded = subprocess.run(
        [*manage, "seed_example", "--skip-checks"], env=env, check=True, capture_output=True, text=True
    )
    return re.search(r"Token (\w+)", seeded.stdout).group(1)


def load(url: str, body: dict | None, auth: str, seconds: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    env = dict(os.environ)
    if body is not None:
        command[1:1] = ["-s", str(LUA)]
        env.update(WRK_BODY=json.dumps(body), WRK_AUTH=auth)
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for percentile in ("50", "90", "99"):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        result[f"p{percentile}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    result["non_2xx"] = (
        float(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (cells are medians)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn sync workers per handler")
    parser.add_argument("--endpoint", action="append", choices=list(ENDPOINTS), help="only these endpoints")
    parser.add_argument("--control", action="store_true", help="DRF's handler in both servers (A/A)")
    parser.add_argument("--time-handlers", action="store_true", help="time each handler inside the worker")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    endpoints = {name: ENDPOINTS[name] for name in args.endpoint or ENDPOINTS}
    servers: dict[str, tuple[subprocess.Popen, int, str]] = {}
    samples: dict[str, dict[str, list[dict[str, float]]]] = {
        name: {e: [] for e in endpoints} for name in HANDLERS
    }
    timings: dict[str, Path] = {}  # handler name: where its workers write their handler times
    handler_us: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for name, handler in HANDLERS.items():
                if args.control:
                    handler = HANDLERS["DRF default"]
                env = {
                    **os.environ,
                    "EXAMPLE_DB": str(Path(tmp) / f"{name.replace(' ', '-')}.sqlite3"),
                    "EXAMPLE_EXCEPTION_HANDLER": handler,
                    "DJANGO_DEBUG": "0",
                    "DJANGO_SETTINGS_MODULE": "benchmarks.endtoend_settings",
                    "PYTHONPATH": f"{ROOT}{os.pathsep}{EXAMPLE}",
                }
                if args.time_handlers:
                    env["EXAMPLE_EXCEPTION_HANDLER"] = "benchmarks.timed_handler.exception_handler"
                    env["TIMED_HANDLER"] = handler
                    timings[name] = Path(tmp) / f"timings-{len(timings)}"
                    timings[name].mkdir()
                    env["TIMED_HANDLER_DIR"] = str(timings[name])
                token = prepare_database(env)
                server, port = start_gunicorn(env, EXAMPLE, workers=args.workers)
                servers[name] = (server, port, token)
            # Both servers run side by side and take turns inside every round, the order
            # alternating, so a load that comes and goes on the machine weighs on both alike.
            for round_number in range(args.repeat):
                for endpoint, (path, body, auth) in endpoints.items():
                    turns = list(servers.items())
                    if round_number % 2:
                        turns.reverse()
                    for name, (server, port, token) in turns:
                        url = f"http://127.0.0.1:{port}{path}"
                        header = f"Token {token}" if auth else ""
                        cpu_before = cpu_seconds(server.pid)
                        result = load(url, body, header, args.seconds, args.connections)
                        served = result["rps"] * args.seconds
                        result["cpu_us"] = (cpu_seconds(server.pid) - cpu_before) / served * 1e6
                        samples[name][endpoint].append(result)
            handler_us = {name: handler_times(path) for name, path in timings.items()}
        finally:
            for server, _port, _token in servers.values():
                server.terminate()
                server.wait(timeout=10)
    results = {
        name: {e: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for e, runs in per.items()}
        for name, per in samples.items()
    }

    control = " (control: DRF's handler in both servers)" if args.control else ""
    print(
        f"gunicorn {args.workers} sync worker(s) per handler, wrk 1 thread {args.connections} connections, "
        f"median of {args.repeat} interleaved rounds of {args.seconds} s per cell{control}\n"
    )
    print(
        "| endpoint | ours req/s | DRF req/s | ours/DRF | median of rounds | per-round ours/DRF "
        "| p50 ms ours | DRF | p99 ms ours | DRF | CPU µs/request ours | DRF | CPU ours/DRF |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for endpoint in endpoints:
        ours, drf = results["ours"][endpoint], results["DRF default"][endpoint]
        rounds = zip(samples["ours"][endpoint], samples["DRF default"][endpoint], strict=True)
        ratios = [o["rps"] / d["rps"] for o, d in rounds]
        per_round = " ".join(f"{ratio:.2f}" for ratio in ratios)
        print(
            f"| {endpoint} | {ours['rps']:.0f} | {drf['rps']:.0f} | {ours['rps'] / drf['rps']:.2f} "
            f"| {statistics.median(ratios):.2f} | {per_round} | "
            f"{ours['p50']:.2f} | {drf['p50']:.2f} | {ours['p99']:.2f} | {drf['p99']:.2f} | "
            f"{ours['cpu_us']:.0f} | {drf['cpu_us']:.0f} | {ours['cpu_us'] / drf['cpu_us']:.2f} |"
        )
    if handler_us:
        print("\nEach handler's own µs per failing request inside the worker (perf_counter_ns around it):\n")
        print("| endpoint | handler µs ours | DRF | ours - DRF |\n|---|---|---|---|")
        for endpoint, (path, _body, _auth) in endpoints.items():
            ours_us, drf_us = handler_us["ours"].get(path), handler_us["DRF default"].get(path)
            if ours_us is None or drf_us is None:
                print(f"| {endpoint} | n/a | n/a | n/a |")
            else:
                print(f"| {endpoint} | {ours_us:.1f} | {drf_us:.1f} | {ours_us - drf_us:.1f} |")


def handler_times(directory: Path) -> dict[str, float]:
    """µs per call by request path, summed over the files :mod:`benchmarks.timed_handler` wrote."""
    spent: dict[str, list[int]] = {}
    for written in directory.glob("*.json"):
        for request_path, (calls, total) in json.loads(written.read_text()).items():
            entry = spent.setdefault(request_path, [0, 0])
            entry[0] += calls
            entry[1] += total
    return {request_path: total / calls / 1000 for request_path, (calls, total) in spent.items() if calls}


if __name__ == "__main__":
    main()
