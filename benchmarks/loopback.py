"""What the load scripts run on loopback: gunicorn on a free port, and their PostgreSQL database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], cwd: Path, *, workers: int, options: Sequence[str] = (), timeout: float = 30
) -> tuple[subprocess.Popen, int]:
    """Serve ``example.wsgi`` with this Python's gunicorn; returns once the port accepts connections."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "example.wsgi:application", f"--workers={workers}"]
    command += [f"--bind=127.0.0.1:{port}", "--log-level=warning", *options]
    server = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn did not listen on port {port} within {timeout:.0f} s")


def create_database(name: str, env: dict[str, str]) -> None:
    """Create the PostgreSQL database ``name`` (server from the ``PG*`` variables in ``env``) if missing."""
    script = (
        "import psycopg\n"
        "with psycopg.connect(dbname='postgres', autocommit=True) as c:\n"
        f"    if not c.execute(\"SELECT 1 FROM pg_database WHERE datname = '{name}'\").fetchone():\n"
        f"        c.execute('CREATE DATABASE {name}')\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (a gunicorn master's workers, a postmaster's backends)."""
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by a gunicorn master and its workers, from ``/proc``."""
    ticks = 0
    for pid in [master_pid, *children_of(master_pid)]:
        # Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
