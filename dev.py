#!/usr/bin/env python3
"""The project's two everyday commands, needing nothing but Python 3 on the machine.

    python3 dev.py example   # set up .venv, migrate and seed SQLite, serve on 127.0.0.1:8000
    python3 dev.py test      # set up .venv, lint, build the docs, run the contract tests over the
                             # version matrix and against the built wheel, the integration tests once

Everything is installed from the package registries into ``.venv`` beside this file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".installed-setup-cfg"


def run(*command: str | Path, **kwargs) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def ensure_venv() -> None:
    """Create .venv and install the package with its dev extras (again when setup.cfg changed)."""
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = (ROOT / "setup.cfg").read_text()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        # uv installs in a fraction of pip's time; nox makes each session's virtualenv with it too.
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip", "uv")
        run(BIN / "uv", "pip", "install", "--quiet", "--python", PYTHON, "-e", f"{ROOT}[dev,bench]")
        STAMP.write_text(wanted)


# Commands the tests run, and the Debian packages that bring them: Chromium for the browser tests,
# npm (with Node.js) for the TypeScript and Spectral checks of the schema in clients/.
DEBIAN_TOOLS = {"chromium": ("chromium",), "npm": ("nodejs", "npm")}


def ensure_debian_tools() -> None:
    """Install the Debian packages of every missing tool the tests run, when we may."""
    missing = [pkg for command, pkgs in DEBIAN_TOOLS.items() if not shutil.which(command) for pkg in pkgs]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-q", env=env)
        run("apt-get", "install", "-y", "-q", *missing, env=env)
    else:
        sys.exit(f"The tests need Debian's packages {', '.join(missing)}: install them, then retry.")


def example() -> None:
    """Migrate and seed the example project on SQLite, print the admin login, serve it."""
    ensure_venv()
    manage = [PYTHON, ROOT / "example_project" / "manage.py"]
    run(*manage, "migrate", "--verbosity", "0")
    run(*manage, "seed_example")
    run(*manage, "runserver", "127.0.0.1:8000", "--noreload", "--insecure")


def interpreters_env() -> dict[str, str]:
    """The environment for nox: .venv's tools first, and every pyenv Python visible at once."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")  # the Pythons come from PATH or pyenv, never fetched
    if shutil.which("pyenv"):
        # pyenv's shims answer only for the selected versions; select them all for the matrix.
        listed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True)
        versions = [*env.get("PYENV_VERSION", "").split(":"), *listed.stdout.split()]
        env["PYENV_VERSION"] = ":".join(dict.fromkeys(v for v in versions if v))
    return env


# Without arguments the nox sessions run in two lanes at once, one per core, each lane's lines
# prefixed with its name: the newest session (the only one with the integration tests) and the
# package, then everything else (lint, docs, the rest of the matrix). About equal in time today.
LANES = {"newest": "newest or package", "matrix": "not (newest or package)"}


def run_lanes(nox: list[str | Path], env: dict[str, str]) -> None:
    """One nox per lane, at the same time; fails when any lane fails."""
    lanes = {}
    for name, keywords in LANES.items():
        print(f"+ [{name}] {' '.join(map(str, nox))} -k {keywords!r}", flush=True)
        # On PostgreSQL (API_ERRORS_TEST_DB=postgres) each lane gets test databases of its own.
        database = f"{env.get('PGDATABASE', 'api_errors')}_{name}"
        lanes[name] = subprocess.Popen(
            [*map(str, nox), "-k", keywords],
            cwd=ROOT,
            env={**env, "PGDATABASE": database},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )

    def relay(name: str, lane: subprocess.Popen) -> None:
        for line in lane.stdout:
            print(f"[{name}] {line}", end="", flush=True)

    relays = [threading.Thread(target=relay, args=item) for item in lanes.items()]
    for thread in relays:
        thread.start()
    for thread in relays:
        thread.join()
    failed = {name: code for name, lane in lanes.items() if (code := lane.wait()) != 0}
    for name, code in failed.items():
        print(f"lane {name} failed with exit code {code}", flush=True)
    if failed:
        raise subprocess.CalledProcessError(next(iter(failed.values())), nox)


def test() -> None:
    """Lint, docs, then the tests on every Python/Django pair of the matrix and the wheel (nox sessions).

    Arguments go to one nox run as they are (``-s "tests(newest)" -- -k flatten``); without any,
    the sessions run in the two ``LANES`` at once.
    """
    ensure_venv()
    ensure_debian_tools()
    nox = [BIN / "nox", "--noxfile", ROOT / "noxfile.py"]
    if sys.argv[2:]:
        run(*nox, *sys.argv[2:], cwd=ROOT, env=interpreters_env())
    else:
        run_lanes(nox, interpreters_env())


if __name__ == "__main__":
    commands = {"example": example, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(commands)}}} [nox arguments]")
    try:
        commands[sys.argv[1]]()
    except subprocess.CalledProcessError as failure:
        sys.exit(failure.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
