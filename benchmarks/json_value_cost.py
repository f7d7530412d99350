"""DRF's validation cost per JSON value with the example project's serializers: what MAX_JSON_VALUES rests on.

Validates ``ProjectSerializer`` in process (in-memory SQLite) with ``--values`` values of each kind and
flattens the errors under the default cap, as the handler does; prints the best of three runs as
microseconds per value. Usage::

    .venv/bin/python -m benchmarks.json_value_cost [--values 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "example_project"
BASE = {"name": "n", "address": {"street": "s", "city": "c"}}
# kind: a body of n values of that kind
KINDS: dict[str, Callable[[int], dict]] = {
    "milestones: [{}] (a nested serializer, 2 errors)": lambda n: {"milestones": [{}] * n},
    'limits: {"k": -1} (a DictField member, 1 error)': lambda n: {"limits": {str(i): -1 for i in range(n)}},
    'milestones: [{"title": "t", "due": "x"}] (3 values, 1 error)': lambda n: {
        "milestones": [{"title": "t", "due": "x"}] * (n // 3)
    },
    "tags: [[]] (1 error)": lambda n: {"tags": [[]] * n},
    "a valid milestone (3 values)": lambda n: {
        "milestones": [{"title": "t", "due": "2026-01-01"}] * (n // 3)
    },
    "a valid tag": lambda n: {"tags": ["t"] * n},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=10_000)
    args = parser.parse_args()
    sys.path.insert(0, str(EXAMPLE))
    os.environ["DJANGO_SETTINGS_MODULE"] = "example.settings"
    os.environ["EXAMPLE_DB"] = ":memory:"
    import django

    django.setup()
    from django.core.management import call_command

    from django_api_errors.flatten import flatten_errors_capped
    from shop.serializers import ProjectSerializer

    call_command("migrate", verbosity=0)
    print(f"| value ({args.values} values a body) | µs a value |\n| --- | --- |")
    for kind, make in KINDS.items():
        data = {**BASE, **make(args.values)}
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            serializer = ProjectSerializer(data=data)
            if not serializer.is_valid():
                flatten_errors_capped(serializer.errors, 100)
            best = min(best, time.perf_counter() - started)
        print(f"| {kind} | {best / args.values * 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    main()
