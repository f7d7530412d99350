"""What each module cache saves: ``benchmarks.inprocess``'s cases with one cache off and on in turn.

Inside every round our handler is timed with the cache on, then off, then DRF's default handler;
the saving is the median of the per-round differences (off minus on), so a busy machine's drift
cancels out. Caches are switched off by replacing them, in every module of the package that holds
them, with their uncached function or a dict that never hits. Usage::

    .venv/bin/python -m benchmarks.cache_savings [--rounds 41] [--only links] [--style problem]
        [--case 404]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.core.management import call_command

from benchmarks import inprocess as bench  # sets Django up
from django_api_errors import pipeline, styles
from django_api_errors.pipeline import converters, translation
from django_api_errors.styles import links


class NeverHits(dict):
    """A stand-in for a ``BoundedCache`` that keeps nothing."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default

    def put(self, key: Any, value: Any) -> Any:
        return value


def function_switch(cached: Any) -> Callable[[bool], None]:
    """Turns a ``caches.cached`` function off (its plain function) or on, wherever it was imported."""
    plain = cached.__wrapped__
    modules = [m for n, m in sys.modules.items() if n.startswith("django_api_errors") and m is not None]

    def switch(off: bool) -> None:
        old, new = (cached, plain) if off else (plain, cached)
        for module in modules:
            for name, value in list(vars(module).items()):
                if value is old:
                    setattr(module, name, new)

    return switch


def dict_switch(module: ModuleType, name: str) -> Callable[[bool], None]:
    """Turns a module's ``BoundedCache`` off (a dict that never hits) or on."""
    real = getattr(module, name)

    def switch(off: bool) -> None:
        setattr(module, name, NeverHits() if off else real)

    return switch


SWITCHES = {
    "translation._resolved": lambda: dict_switch(translation, "_resolved"),
    "converters._stock_values": lambda: dict_switch(converters, "_stock_values"),
    "converters.converter_table": lambda: function_switch(converters.converter_table),
    "pipeline.get_pipeline": lambda: function_switch(pipeline.get_pipeline),
    "styles.get_style": lambda: function_switch(styles.get_style),
    "links._absolute_links": lambda: dict_switch(links, "_absolute_links"),
    "links._catalogue_path": lambda: function_switch(links._catalogue_path),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--only", help="only the caches whose name contains this")
    parser.add_argument("--style", default="awork")
    parser.add_argument("--case", action="append", choices=list(bench.CASES))
    args = parser.parse_args()
    logging.basicConfig(handlers=[bench.FormatAndDrop()], level=logging.INFO, force=True)
    call_command("migrate", verbosity=0)
    contexts = {"LANGUAGE_CODE": bench.make_context(True), "no LANGUAGE_CODE": bench.make_context(False)}
    render = bench.MODES["data"]
    for name, make_switch in SWITCHES.items():
        if args.only and args.only not in name:
            continue
        switch = make_switch()
        print(f"\n### {name} (style {args.style})\n")
        print("| case | request | ours µs, cache on | off | saved µs | ours/DRF on | off |")
        print("|---|---|---|---|---|---|---|")
        for case in args.case or bench.CASES:
            ours = bench.with_api_errors(bench.our_handler, STYLE=args.style)
            drf, make_exc = bench.handlers(case, False)[bench.DRF], bench.CASES[case]
            for label, context in contexts.items():
                bench.configure(ours)
                per_call = min(bench.batch(render, ours, make_exc, context, 20) for _ in range(3))
                calls = max(1, int(4e6 / per_call))
                on: list[float] = []
                off: list[float] = []
                peer: list[float] = []
                for _ in range(args.rounds):
                    bench.configure(ours)
                    for state, samples in ((False, on), (True, off)):
                        switch(state)
                        samples.append(bench.batch(render, ours, make_exc, context, calls) / 1000)
                    switch(False)
                    bench.configure(drf)
                    peer.append(bench.batch(render, drf, make_exc, context, calls) / 1000)
                saved = statistics.median(o - n for o, n in zip(off, on, strict=True))
                ratio_on = statistics.median(n / p for n, p in zip(on, peer, strict=True))
                ratio_off = statistics.median(o / p for o, p in zip(off, peer, strict=True))
                cells = f"{statistics.median(on):.1f} | {statistics.median(off):.1f} | {saved:+.1f}"
                print(f"| {case} | {label} | {cells} | {ratio_on:.2f} | {ratio_off:.2f} |", flush=True)


if __name__ == "__main__":
    main()
