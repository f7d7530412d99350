"""How long the example project's OpenAPI schema takes to generate, with and without the integration.

    .venv/bin/python benchmarks/schema_generation.py --runs 30

Each variant is generated once to warm up, then ``--runs`` times; the median and the spread are printed.
Both variants run in this one process under ``override_settings``, one after the other.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {
    "drf-spectacular alone": "drf_spectacular.openapi.AutoSchema",
    "with django_api_errors": "django_api_errors.openapi.AutoSchema",
}


def setup_django() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")
    import django

    django.setup()


def generation_times(schema_class: str, runs: int) -> tuple[list[float], int]:
    """Seconds per generation of the example's schema with ``schema_class``, and its error responses."""
    from django.conf import settings
    from django.test import override_settings
    from drf_spectacular.generators import SchemaGenerator

    rest_framework = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": schema_class}
    times = []
    with override_settings(REST_FRAMEWORK=rest_framework):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        for _ in range(runs):
            started = time.perf_counter()
            SchemaGenerator().get_schema(request=None, public=True)
            times.append(time.perf_counter() - started)
    errors = sum(
        int(status) >= 400
        for operations in schema["paths"].values()
        for op in operations.values()
        for status in op["responses"]
    )
    return times, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed generations per variant")
    args = parser.parse_args()
    setup_django()
    import logging
    import warnings

    # drf-spectacular reports the example's function views it cannot fully describe on every run.
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.silent = True
    medians = {}
    for label, schema_class in VARIANTS.items():
        times, errors = generation_times(schema_class, args.runs)
        medians[label] = statistics.median(times)
        print(
            f"{label:24} median {medians[label] * 1000:7.1f} ms  "
            f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={len(times)}); "
            f"{errors} error responses documented"
        )
    base, ours = medians.values()
    print(f"overhead: {(ours - base) * 1000:+.1f} ms ({(ours / base - 1) * 100:+.0f} %)")


if __name__ == "__main__":
    main()
