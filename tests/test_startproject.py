"""A project from ``django-admin startproject``, set up with the README's "Use it" blocks, over HTTP.

The project first configures DRF as most projects do (``"rest_framework"`` listed, token
authentication, ``IsAuthenticated``, a throttle); then the blocks, read from README.md, are pasted at the
end of the generated ``settings.py`` and ``urls.py``, so the README cannot promise a setup that does not
work or drops what the project had. A small API app is added (a view under the project's defaults, a
DRF ``AllowAny`` view, a plain Django view that raises, a CSRF-protected plain view), the project is
migrated on SQLite and served by ``runserver`` on a free loopback port, with ``DEBUG`` on and off; the
quickstart's test module runs in it with ``manage.py test``.
A second project gets only the two lines of the public contract (``INSTALLED_APPS`` and DRF's
``EXCEPTION_HANDLER``): ``manage.py check`` names every missing piece, and hostile JSON is still a 400.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.loopback import free_port
from benchmarks.sqlite_writes import README, TITLED_BLOCK, project_environment, readme_blocks
from tests.tables import AWORK_KEYS

pytestmark = pytest.mark.integration

QUICKSTART = README.parent / "docs" / "quickstart.md"
CHECK_ID = re.compile(r"\(([\w.]+\.[EWI]\d{3})\)")
DEEP_JSON = "[" * 10_000 + "]" * 10_000

# Beyond the README's blocks the test adds only what any project has: its own API and a host to serve.
API_VIEWS = """\
from django.http import HttpResponse
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


@api_view(["GET"])
def whoami(request):  # the project's authentication, permissions and throttles
    return Response({"username": request.user.username})


@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([])
def echo(request):
    return Response({"received": request.data})


def boom(request):
    raise RuntimeError("a plain Django view failed")


def save(request):
    return HttpResponse("saved")
"""
API_URLS = """\
from django.urls import path

from api import views

urlpatterns = [
    path("whoami/", views.whoami),
    path("echo/", views.echo),
    path("boom/", views.boom),
    path("save/", views.save),
]
"""
# What the project had before the paste: DRF configured as most projects configure it.
EXISTING_REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "3/minute"},
}
EXISTING_DRF = f"""
INSTALLED_APPS += ["rest_framework", "rest_framework.authtoken"]
REST_FRAMEWORK = {EXISTING_REST_FRAMEWORK!r}
"""
PROJECT_SETTINGS = """
DEBUG = os.environ.get("PROJECT_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1"]
"""
PROJECT_URLS = """
from django.urls import include as include_app

urlpatterns += [path("api/", include_app("api.urls"))]
"""


def two_lines() -> dict[str, str]:
    """The least a project needs (``docs/index.md``): the two apps and DRF's handler, in two lines."""
    return {
        "settings.py": 'INSTALLED_APPS += ["rest_framework", "django_api_errors"]\n'
        'REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"}\n',
        "urls.py": "",
    }


def quickstart_blocks() -> dict[str, str]:
    """The quickstart page's titled code blocks, by file."""
    return {match["file"]: match["code"] for match in TITLED_BLOCK.finditer(QUICKSTART.read_text())}


@dataclass
class Project:
    """A startproject folder and the ``manage.py`` commands run in it."""

    root: Path

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env=project_environment(**env),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def check_ids(self) -> tuple[int, list[str], str]:
        result = self.manage("check")
        output = result.stdout + result.stderr
        return result.returncode, CHECK_ID.findall(output), output


def build_project(folder: Path, pasted: dict[str, str], existing: str = "") -> Project:
    """``startproject mysite``, the project's ``existing`` settings, the pasted blocks at the end of its
    files, and the API app."""
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(folder)],
        env=project_environment(),
        check=True,
        capture_output=True,
    )
    settings, urls = folder / "mysite" / "settings.py", folder / "mysite" / "urls.py"
    settings.write_text(
        f"import os\n{settings.read_text()}{existing}\n{pasted['settings.py']}{PROJECT_SETTINGS}"
    )
    urls.write_text(f"{urls.read_text()}\n{pasted['urls.py']}{PROJECT_URLS}")
    (folder / "api").mkdir()
    (folder / "api" / "__init__.py").write_text("")
    (folder / "api" / "views.py").write_text(API_VIEWS)
    (folder / "api" / "urls.py").write_text(API_URLS)
    return Project(folder)


@dataclass
class Server:
    """A ``runserver`` process of a project, answering on ``port``."""

    port: int
    process: subprocess.Popen[str] | None = None

    def request(
        self, method: str, path: str, body: str | None = None, **headers: str
    ) -> tuple[int, str, dict]:
        """(status, content type, parsed JSON body, or {"html": text} when the body is not JSON)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content_type = response.getheader("Content-Type", "")
            text = response.read().decode()
        finally:
            connection.close()
        data = json.loads(text) if "json" in content_type else {"html": text[:200]}
        return response.status, content_type, data


def serve(project: Project, debug: bool) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=project_environment(PROJECT_DEBUG="1" if debug else "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"runserver exited with {process.returncode}:\n{process.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=10).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("runserver did not answer within 120 seconds")
                time.sleep(0.2)
        yield Server(port, process)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def full_project(tmp_path_factory) -> Project:
    project = build_project(tmp_path_factory.mktemp("startproject") / "full", readme_blocks(), EXISTING_DRF)
    migrated = project.manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return project


@pytest.fixture(scope="module")
def token(full_project) -> str:
    """The API token of a user of the full project."""
    created = full_project.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token; "
        "print(Token.objects.create(user=User.objects.create_user('ada')).key)",
    )
    assert created.returncode == 0, created.stderr
    return created.stdout.split()[-1]


@pytest.fixture(scope="module")
def bare_project(tmp_path_factory) -> Project:
    project = build_project(tmp_path_factory.mktemp("startproject") / "bare", two_lines())
    migrated = project.manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return project


@pytest.fixture(scope="module", params=[False, True], ids=["debug-off", "debug-on"])
def full_server(request, full_project) -> Iterator[Server]:
    yield from serve(full_project, debug=request.param)


@pytest.fixture(scope="module", params=[False, True], ids=["debug-off", "debug-on"])
def bare_server(request, bare_project) -> Iterator[Server]:
    yield from serve(bare_project, debug=request.param)


def test_the_readme_has_a_settings_and_a_urls_block():
    assert sorted(readme_blocks()) == ["settings.py", "urls.py"]


def test_the_quickstart_shows_the_readme_blocks():
    quickstart = quickstart_blocks()

    assert {file: quickstart[file] for file in readme_blocks()} == readme_blocks()


# The full setup: every piece the README asks for.


def test_the_full_setup_passes_manage_py_check_with_no_issue(full_project):
    returncode, ids, output = full_project.check_ids()

    assert (returncode, ids) == (0, []), output
    assert "System check identified no issues" in output


def test_the_paste_keeps_the_projects_drf_settings_and_lists_each_app_once(full_project):
    shown = full_project.manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.INSTALLED_APPS, settings.REST_FRAMEWORK]))",
    )
    installed_apps, rest_framework = json.loads(shown.stdout.splitlines()[-1])

    assert rest_framework == {
        **EXISTING_REST_FRAMEWORK,
        "EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler",
        "DEFAULT_PARSER_CLASSES": [
            "django_api_errors.parsers.JSONParser",
            "django_api_errors.parsers.FormParser",
            "django_api_errors.parsers.MultiPartParser",
        ],
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_api_errors.renderers.ProblemNegotiation",
        "DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema",
    }
    assert installed_apps[-3:] == ["rest_framework", "rest_framework.authtoken", "django_api_errors"]
    assert len(installed_apps) == len(set(installed_apps))


def test_without_a_token_the_projects_authentication_answers_401_in_the_contract(full_server):
    status, content_type, body = full_server.request("GET", "/api/whoami/")

    assert (status, content_type, body["code"]) == (401, "application/json", "not-authenticated")
    assert set(body) == AWORK_KEYS


def test_past_the_projects_throttle_the_answer_is_429_in_the_contract(full_server, token):
    answers = [full_server.request("GET", "/api/whoami/", Authorization=f"Token {token}") for _ in range(4)]

    assert [status for status, _, _ in answers] == [200, 200, 200, 429]  # "3/minute"
    assert answers[0][2] == {"username": "ada"}
    _, content_type, body = answers[-1]
    assert (content_type, body["code"]) == ("application/json", "too-many-requests")
    assert set(body) == AWORK_KEYS


def test_the_quickstarts_test_module_passes_in_the_project(full_project):
    (full_project.root / "api" / "tests.py").write_text(quickstart_blocks()["api/tests.py"])

    tested = full_project.manage("test", "api", "-v", "2")

    assert tested.returncode == 0, tested.stderr
    assert re.search(r"^Ran [2-9] tests", tested.stderr, re.MULTILINE), tested.stderr


def test_a_drf_view_answers_as_usual(full_server):
    assert full_server.request("POST", "/api/echo/", '{"a": 1}', **{"Content-Type": "application/json"}) == (
        200,
        "application/json",
        {"received": {"a": 1}},
    )


def test_an_unknown_url_under_the_api_prefix_is_a_json_404(full_server):
    status, content_type, body = full_server.request("GET", "/api/nothing-here/")

    assert (status, content_type, body["code"]) == (404, "application/json", "not-found")


def test_a_host_the_project_does_not_serve_is_a_json_400_under_the_api_prefix(full_server):
    status, content_type, body = full_server.request("GET", "/api/echo/", Host="evil.example")

    assert (status, content_type, body["code"]) == (400, "application/json", "bad-request")


def test_an_exception_in_a_plain_django_view_is_a_json_500_with_a_phrase(full_server):
    status, content_type, body = full_server.request("GET", "/api/boom/")

    assert (status, content_type, body["code"]) == (500, "application/json", "server-error")
    assert re.fullmatch(r"\d+( [a-z]+){4}", body["phrase"])  # "8874 dazzling satellites dwell grandly"


def test_a_failed_csrf_check_is_a_json_403(full_server):
    status, content_type, body = full_server.request("POST", "/api/save/", "x=1", Cookie="sessionid=abc")

    assert (status, content_type, body["code"]) == (403, "application/json", "unauthorized")


def test_json_nested_10_000_deep_is_a_400(full_server):
    status, content_type, body = full_server.request(
        "POST", "/api/echo/", DEEP_JSON, **{"Content-Type": "application/json"}
    )

    assert (status, content_type, body["code"]) == (400, "application/json", "invalid-model")


# Only the two lines: check names each missing piece, and hostile JSON is still a client error.


def test_with_only_the_two_lines_check_warns_once_per_missing_piece(bare_project):
    returncode, ids, output = bare_project.check_ids()

    assert returncode == 0, output
    assert sorted(ids) == [
        "api_errors.I001",  # ATOMIC_REQUESTS
        "api_errors.W002",  # the middleware
        "api_errors.W004",  # handler400/403/404/500
        "api_errors.W005",  # CSRF_FAILURE_VIEW
        "api_errors.W006",  # the parsers
        "api_errors.W009",  # the catalogue URLs
    ], output


def test_with_only_the_two_lines_json_nested_10_000_deep_is_a_400(bare_server):
    status, content_type, body = bare_server.request(
        "POST", "/api/echo/", DEEP_JSON, **{"Content-Type": "application/json"}
    )

    assert (status, content_type, body["code"]) == (400, "application/json", "invalid-model")


# The optional incidents app: left out, a 500 is a phrase in body, header and log, and no table;
# added, the admin lists the incident by its phrase.


def failing_request(project: Project) -> tuple[int, str, str, str]:
    """(status, phrase in the body, X-Error-Phrase, runserver's output) of GET /api/boom/."""
    servers = serve(project, debug=False)
    server = next(servers)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/api/boom/")
        response = connection.getresponse()
        body, header = json.loads(response.read()), response.getheader("X-Error-Phrase")
    finally:
        connection.close()
    if project.root.name == "incidents":
        wait_for_incident(project, header)  # written off the request, before runserver is stopped
    servers.close()
    return response.status, body["phrase"], header, server.process.stdout.read()


def tables(project: Project) -> list[str]:
    listed = project.manage(
        "shell", "-c", "from django.db import connection as c; print(c.introspection.table_names())"
    )
    assert listed.returncode == 0, listed.stderr
    return eval(listed.stdout.splitlines()[-1])  # the list of table names printed by the line above


def test_without_the_incidents_app_a_500_has_its_phrase_in_body_header_and_log_and_no_table(full_project):
    status, phrase, header, output = failing_request(full_project)

    assert (status, header) == (500, phrase)
    assert f"Incident {phrase}: GET /api/boom/ failed with 500 (server-error)" in output
    assert [table for table in tables(full_project) if "incident" in table] == []


ADMIN_LIST = """\
from django.contrib.auth.models import User
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get_or_create(username="staff", is_staff=True, is_superuser=True)[0])
response = client.get("/admin/api_errors_incidents/incident/", {{"q": {phrase!r}}})
print(response.status_code, response.content.decode().count({phrase!r}))
"""


def wait_for_incident(project: Project, phrase: str) -> None:
    """Poll the project's SQLite file (a query, not a Django process per poll) for the incident's row."""
    deadline = time.monotonic() + 120
    query = "SELECT COUNT(*) FROM api_errors_incidents_incident WHERE phrase = ?"
    while True:
        with contextlib.closing(sqlite3.connect(project.root / "db.sqlite3", timeout=30)) as connection:
            if connection.execute(query, (phrase,)).fetchone()[0] == 1:
                return
        assert time.monotonic() < deadline, "the incident was not written within 120 seconds"
        time.sleep(0.5)


def test_with_the_incidents_app_the_admin_lists_the_incident_by_its_phrase(full_project, tmp_path_factory):
    # The full project, migrated already, with the app added: only the app's own migrations run.
    project = Project(tmp_path_factory.mktemp("startproject") / "incidents")
    shutil.copytree(full_project.root, project.root, dirs_exist_ok=True)
    with (project.root / "mysite" / "settings.py").open("a") as settings:
        settings.write('\nINSTALLED_APPS += ["django_api_errors.incidents"]\n')
    migrated = project.manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr

    status, phrase, header, output = failing_request(project)
    listed = project.manage("shell", "-c", ADMIN_LIST.format(phrase=phrase))

    assert (status, header) == (500, phrase)
    assert f"Incident {phrase}: GET /api/boom/ failed with 500 (server-error)" in output
    assert {"api_errors_incidents_incident", "api_errors_incidents_incidentgroup"} <= set(tables(project))
    status_code, shown = listed.stdout.splitlines()[-1].split()
    assert status_code == "200", listed.stderr
    assert int(shown) >= 1  # the change list shows the row found by its phrase
