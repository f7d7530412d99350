#!/usr/bin/env python3
"""The project's two everyday commands, needing nothing but Python 3 on the machine.

    python3 dev.py example   # set up .venv, migrate and seed SQLite, serve on 127.0.0.1:8000
    python3 dev.py test      # set up .venv, lint, build the docs, run the contract tests over the
                             # version matrix (the newest against the built wheel), the integration
                             # tests once; two nox sessions at a time

Everything is installed from the package registries into ``.venv`` beside this file.
"""

from __future__ import annotations

import json
import os
import re
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


def nox_sessions(nox: list[str | Path], selection: list[str], env: dict[str, str]) -> list[str]:
    """The names of the sessions ``selection`` (nox arguments) selects, in noxfile.py's order."""
    listed = subprocess.run(
        [*map(str, nox), "--list", "--json", *selection], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return [entry["session"] for entry in json.loads(listed.stdout)]


def run_lanes(nox: list[str | Path], sessions: list[str], env: dict[str, str]) -> None:
    """The sessions, one more at a time than the machine has cores, each lane taking the next when one
    ends: the integration sessions spend much of their time waiting (npm downloads, servers starting),
    and a third lane on two cores fills that time.

    noxfile.py defines the longest sessions first, so the lanes end about together. Each output line
    starts with its session's name; fails when any session fails.
    """
    todo = list(sessions)
    failed: dict[str, int] = {}
    lock = threading.Lock()

    def lane() -> None:
        while True:
            with lock:
                if not todo:
                    return
                session = todo.pop(0)
            print(f"+ [{session}] {' '.join(map(str, nox))} -s {session}", flush=True)
            # On PostgreSQL (API_ERRORS_TEST_DB=postgres) each session gets test databases of its own.
            database = env.get("PGDATABASE", "api_errors") + "_" + re.sub(r"\W+", "_", session).strip("_")
            process = subprocess.Popen(
                [*map(str, nox), "-s", session],
                cwd=ROOT,
                env={**env, "PGDATABASE": database},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
            for line in process.stdout:
                print(f"[{session}] {line}", end="", flush=True)
            if process.wait() != 0:
                failed[session] = process.returncode

    threads = [threading.Thread(target=lane) for _ in range((os.cpu_count() or 1) + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for session, code in failed.items():
        print(f"session {session} failed with exit code {code}", flush=True)
    if failed:
        raise subprocess.CalledProcessError(next(iter(failed.values())), nox)


def test() -> None:
    """Lint, docs, the contract tests on every Python/Django pair of the matrix, the integration tests.

    Without arguments, or with sessions only (``-s "tests(oldest)" integration``), the sessions run
    in lanes (``run_lanes``); arguments for pytest (``-s "tests(python311)" -- -k flatten``) go
    to one nox run as they are.
    """
    ensure_venv()
    ensure_debian_tools()
    nox = [BIN / "nox", "--noxfile", ROOT / "noxfile.py"]
    env = interpreters_env()
    if "--" in sys.argv[2:] or (sys.argv[2:] and sys.argv[2] not in ("-s", "--sessions")):
        run(*nox, *sys.argv[2:], cwd=ROOT, env=env)
    else:
        run_lanes(nox, nox_sessions(nox, sys.argv[2:], env), env)


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
