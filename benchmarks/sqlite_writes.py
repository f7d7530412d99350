"""Creates under SQLite write contention: a ``startproject`` project with the README's paste, under gunicorn.

Two clients create rows through a ``ModelSerializer`` with a unique field (its ``UniqueValidator``
reads, then the row is written, in one request transaction) while two others call a failing view (a
500, and an incident row each while incidents are on). gunicorn serves the project with two sync
workers from one SQLite file. The table says how many creates answered a 5xx, with incidents on and
off, with the paste's ``transaction_mode`` ``IMMEDIATE`` and with SQLite's own ``DEFERRED`` (issue 27).
``tests/test_sqlite_writes.py`` runs one row and asserts that no create answers a 5xx. Usage (from the
repository root, after ``python3 dev.py test`` has made ``.venv``)::

    .venv/bin/python -m benchmarks.sqlite_writes --seconds 15
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import django_api_errors
from benchmarks.loopback import free_port

README = Path(__file__).resolve().parent.parent / "README.md"
TITLED_BLOCK = re.compile(
    r'^```python title="(?P<file>[\w./]+)"\n(?P<code>.*?)^```', re.DOTALL | re.MULTILINE
)
PACKAGE_ROOT = Path(django_api_errors.__file__).resolve().parent.parent
READY_DEADLINE = 120  # seconds for gunicorn to answer its first request, on a busy machine
REQUEST_TIMEOUT = 30  # seconds, per request: IMMEDIATE transactions wait up to SQLite's 5 s busy timeout

NOTES_FILES = {
    "__init__.py": "",
    "models.py": """\
from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=100, unique=True)
""",
    "views.py": """\
from rest_framework import generics, serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from notes.models import Note


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title"]  # title: a UniqueValidator, which reads before the row is written


class NoteCreate(generics.CreateAPIView):
    serializer_class = NoteSerializer
    permission_classes = [AllowAny]


@api_view(["GET"])
@permission_classes([AllowAny])
def fail(request):
    raise RuntimeError("a view failed")
""",
    "urls.py": """\
from django.urls import path

from notes import views

urlpatterns = [path("notes/", views.NoteCreate.as_view()), path("fail/", views.fail)]
""",
}
# After the paste: what the project adds, and the two switches of the table.
PROJECT_SETTINGS = """
INSTALLED_APPS += ["notes"]
ALLOWED_HOSTS = ["127.0.0.1"]
if os.environ.get("BENCH_INCIDENTS") == "on":
    INSTALLED_APPS += ["django_api_errors.incidents"]
if os.environ.get("BENCH_IMMEDIATE") == "off":
    DATABASES["default"]["OPTIONS"].pop("transaction_mode")
"""
PROJECT_URLS = """
from django.urls import include as include_app

urlpatterns += [path("api/", include_app("notes.urls"))]
"""


def readme_blocks() -> dict[str, str]:
    """The README's "Use it" code blocks, by the file they are pasted into."""
    section = README.read_text().split("\n## Use it\n", 1)[1].split("\n## ", 1)[0]
    return {match["file"]: match["code"] for match in TITLED_BLOCK.finditer(section)}


def project_environment(**extra: str) -> dict[str, str]:
    """This process's environment for the project: its own settings, and this package importable."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return {**environment, "PYTHONPATH": str(PACKAGE_ROOT), **extra}


def build_project(folder: Path) -> Path:
    """``startproject mysite`` with the README pasted, the ``notes`` app, migrated on a SQLite file."""
    folder.mkdir(parents=True)
    environment = project_environment()
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(folder)], env=environment, check=True
    )
    blocks = readme_blocks()
    settings, urls = folder / "mysite" / "settings.py", folder / "mysite" / "urls.py"
    settings.write_text(f"import os\n{settings.read_text()}\n{blocks['settings.py']}{PROJECT_SETTINGS}")
    urls.write_text(f"{urls.read_text()}\n{blocks['urls.py']}{PROJECT_URLS}")
    (folder / "notes").mkdir()
    for name, text in NOTES_FILES.items():
        (folder / "notes" / name).write_text(text)
    for command in (["makemigrations", "notes", "-v", "0"], ["migrate", "--noinput", "-v", "0"]):
        subprocess.run([*manage, *command], cwd=folder, env=environment, check=True)
    return folder


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
    """(status, body code or ""): one request on its own connection (sync workers close it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, body=payload, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        text = response.read()
    finally:
        connection.close()
    try:
        code = json.loads(text).get("code", "")
    except (ValueError, AttributeError):
        code = ""
    return response.status, code


@contextmanager
def served(project: Path, *, incidents: bool, immediate: bool) -> Iterator[int]:
    """gunicorn with two sync workers serving ``project``; yields its port once it answers."""
    port = free_port()
    environment = project_environment(
        BENCH_INCIDENTS="on" if incidents else "off", BENCH_IMMEDIATE="on" if immediate else "off"
    )
    command = [sys.executable, "-m", "gunicorn", "mysite.wsgi:application", "--workers=2"]
    command += [f"--bind=127.0.0.1:{port}", "--log-level=warning", "--timeout=120"]
    # The project's own log (one traceback per failing request) is not the benchmark's business.
    server = subprocess.Popen(
        command, cwd=project, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + READY_DEADLINE
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}")
            try:
                request(port, "GET", "/admin/login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within {READY_DEADLINE} s") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)


@dataclass
class Answers:
    """The statuses (and codes of 5xx) the creating and the failing clients got."""

    creates: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)

    def creates_5xx(self) -> Counter:
        """Creates answered with a server error, by ``(status, code)``."""
        return Counter({answer: count for answer, count in self.creates.items() if answer[0] >= 500})


def load(port: int, seconds: float, label: str = "run") -> Answers:
    """Two creating and two failing clients, each sending one request after the other for ``seconds``."""
    answers = Answers()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def create(client: int) -> None:
        number = 0
        while time.monotonic() < deadline:
            number += 1
            answer = request(port, "POST", "/api/notes/", {"title": f"{label}-{client}-{number}"})
            with lock:
                answers.creates[answer] += 1

    def fail() -> None:
        while time.monotonic() < deadline:
            answer = request(port, "GET", "/api/fail/")
            with lock:
                answers.failures[answer] += 1

    clients = [threading.Thread(target=create, args=(client,)) for client in (1, 2)]
    clients += [threading.Thread(target=fail) for _ in (1, 2)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="length of each run")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each setup, alternating")
    args = parser.parse_args()

    project = build_project(Path(tempfile.mkdtemp(prefix="sqlite-writes-")) / "site")
    setups = [(incidents, immediate) for immediate in (False, True) for incidents in (False, True)]
    rows: dict[tuple[bool, bool], list[Answers]] = {setup: [] for setup in setups}
    for round_number in range(args.rounds):
        for incidents, immediate in setups:
            with served(project, incidents=incidents, immediate=immediate) as port:
                label = f"{round_number}-{incidents}-{immediate}"
                rows[incidents, immediate].append(load(port, args.seconds, label))
    print(
        f"gunicorn, 2 sync workers, SQLite file; 2 creating and 2 failing clients, {args.seconds:g} s a run\n"
    )
    print("| incidents | `transaction_mode` | creates answered 5xx | failing view answered 500 |")
    print("|---|---|---|---|")
    for (incidents, immediate), runs in rows.items():
        mode = "`IMMEDIATE` (the paste)" if immediate else "`DEFERRED` (SQLite's default)"
        refused = ", ".join(
            f"{sum(run.creates_5xx().values())} of {sum(run.creates.values())}" for run in runs
        )
        failed = ", ".join(str(sum(c for (s, _), c in run.failures.items() if s == 500)) for run in runs)
        print(f"| {'on' if incidents else 'off'} | {mode} | {refused} | {failed} |")
    codes = Counter()
    for runs in rows.values():
        for run in runs:
            codes.update(run.creates_5xx())
    if codes:
        print("\n5xx answers of creates, by status and code:", dict(codes))


if __name__ == "__main__":
    main()
