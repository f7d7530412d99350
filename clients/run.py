"""Check the example project's OpenAPI schema with tools nobody here wrote: Spectral and TypeScript.

    .venv/bin/python clients/run.py [--style awork --style problem ...] [--json]

For each style it writes the example project's schema (``manage.py spectacular`` with
``API_ERRORS_STYLE`` set), lints it with Spectral's ``spectral:oas`` rules (``clients/.spectral.yaml``)
and generates TypeScript types with openapi-typescript into ``clients/generated/<style>.ts``; then it
compiles the hand-written client ``clients/src/client.ts`` against them with ``tsc --strict``. The Node
tools are the versions pinned in ``clients/package-lock.json``, installed with ``npm ci`` when
``clients/node_modules`` is missing. Exits 1 when Spectral reports an error or tsc fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CLIENTS = Path(__file__).resolve().parent
ROOT = CLIENTS.parent
EXAMPLE_PROJECT = ROOT / "example_project"
GENERATED = CLIENTS / "generated"
BIN = CLIENTS / "node_modules" / ".bin"
STYLES = ("awork", "asana", "problem")
SPECTRAL_ERROR = 0  # Spectral's severities: 0 error, 1 warning, 2 information, 3 hint


@dataclass
class StyleReport:
    """What the tools said about one style's schema."""

    style: str
    schema: str
    spectral_errors: list[str] = field(default_factory=list)
    spectral_warnings: int = 0


@dataclass
class Report:
    """Every style's findings, tsc's verdict and the seconds each step took."""

    styles: dict[str, StyleReport] = field(default_factory=dict)
    tsc_returncode: int | None = None
    tsc_output: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No Spectral error in any style, and a clean compile when the client was compiled."""
        clean = all(not style.spectral_errors for style in self.styles.values())
        return clean and self.tsc_returncode in (None, 0)


class Timer:
    """Records how long each named step takes into ``Report.seconds``."""

    def __init__(self, report: Report, step: str) -> None:
        self.report, self.step = report, step

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *exc_info: object) -> None:
        self.report.seconds[self.step] = round(time.monotonic() - self.started, 1)


def ensure_node_modules() -> bool:
    """``npm ci`` in ``clients/`` when its ``node_modules`` is missing; whether it ran."""
    if (BIN / "tsc").exists() and (BIN / "spectral").exists() and (BIN / "openapi-typescript").exists():
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("clients/run.py needs Node.js 20 and npm on the PATH (Debian: apt-get install npm).")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENTS, check=True)
    return True


def write_schemas(styles: list[str], python: str) -> dict[str, Path]:
    """The example project's schema in each style, written in parallel to ``generated/<style>.yaml``."""
    GENERATED.mkdir(exist_ok=True)
    paths = {style: GENERATED / f"{style}.yaml" for style in styles}
    running = []
    for style, path in paths.items():
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example.settings", "API_ERRORS_STYLE": style}
        command = [python, "manage.py", "spectacular", "--file", str(path)]
        running.append(
            subprocess.Popen(
                command, cwd=EXAMPLE_PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
        )
    for process in running:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise subprocess.CalledProcessError(process.returncode, process.args, output)
    return paths


def spectral(paths: dict[str, Path], report: Report) -> None:
    """Lint every schema with ``clients/.spectral.yaml`` in one run; errors and warnings per style."""
    command = [
        BIN / "spectral",
        "lint",
        "--ruleset",
        CLIENTS / ".spectral.yaml",
        "--format",
        "json",
        "--quiet",
    ]
    done = subprocess.run([*map(str, command), *map(str, paths.values())], capture_output=True, text=True)
    results = json.loads(done.stdout or "[]")
    for style, path in paths.items():
        found = [result for result in results if Path(result["source"]) == path]
        errors = [
            f"{result['code']} at {'.'.join(map(str, result['path']))}: {result['message']}"
            for result in found
            if result["severity"] == SPECTRAL_ERROR
        ]
        warnings = sum(1 for result in found if result["severity"] != SPECTRAL_ERROR)
        report.styles[style] = StyleReport(style, str(path), errors, warnings)


def generate_types(paths: dict[str, Path]) -> None:
    """``generated/<style>.ts`` from each schema, with openapi-typescript: one process for every style,
    listed as APIs of a Redocly config (JSON is YAML), which saves a Node start per style."""
    apis = {
        style: {"root": str(path), "x-openapi-ts": {"output": str(path.with_suffix(".ts"))}}
        for style, path in paths.items()
    }
    config = GENERATED / "redocly.yaml"
    config.write_text(json.dumps({"apis": apis}, indent=2))
    command = [BIN / "openapi-typescript", "--redocly", config, "--silent"]
    done = subprocess.run(list(map(str, command)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout)


def compile_client(report: Report) -> None:
    """``tsc --strict --noEmit`` over ``clients/tsconfig.json`` (the client and every generated file)."""
    command = [
        BIN / "tsc",
        "--project",
        CLIENTS / "tsconfig.json",
        "--strict",
        "--noEmit",
        "--pretty",
        "false",
    ]
    done = subprocess.run(list(map(str, command)), capture_output=True, text=True, cwd=CLIENTS)
    report.tsc_returncode = done.returncode
    report.tsc_output = (done.stdout + done.stderr).strip()


def run(styles: list[str], python: str = sys.executable) -> Report:
    """Every step for ``styles``; the client is compiled when the awork types it reads were made."""
    report = Report()
    started = time.monotonic()
    if ensure_node_modules():
        report.seconds["npm ci"] = round(time.monotonic() - started, 1)
    with Timer(report, "schemas"):
        paths = write_schemas(styles, python)
    with Timer(report, "spectral"):
        spectral(paths, report)
    with Timer(report, "openapi-typescript"):
        generate_types(paths)
    if "awork" in styles:
        with Timer(report, "tsc"):
            compile_client(report)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", action="append", choices=STYLES, help="default: all three")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    options = parser.parse_args()
    report = run(options.style or list(STYLES))
    if options.json:
        print(json.dumps({**asdict(report), "ok": report.ok}, indent=2))
        return 0 if report.ok else 1
    for style in report.styles.values():
        print(
            f"spectral {style.style}: {len(style.spectral_errors)} errors, {style.spectral_warnings} warnings"
        )
        for error in style.spectral_errors:
            print(f"    {error}")
    if report.tsc_returncode is not None:
        print(f"tsc --strict: {'compiled' if report.tsc_returncode == 0 else 'failed'}")
        if report.tsc_output:
            print(report.tsc_output)
    print("seconds: " + ", ".join(f"{step} {seconds}" for step, seconds in report.seconds.items()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
