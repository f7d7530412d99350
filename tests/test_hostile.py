"""Hostile requests against the example project: each answered in the standard shape, never a 5xx.

The test client covers what a WSGI request can carry; a real gunicorn on loopback covers what only a
raw socket can send (broken request lines, oversized headers), where the server answers before Django.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from rest_framework.test import APIClient

from django_api_errors.parsers import NUL_CHARACTER, TOO_DEEP
from tests.tables import AWORK_KEYS

pytestmark = pytest.mark.django_db

VALID_PROJECT = {"name": "Hostile", "address": {"street": "s", "city": "c"}}


def assert_standard_error(response, status: int, code: str) -> dict:
    """The response is the awork body with this status and code, as JSON."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == AWORK_KEYS
    assert body["code"] == code
    return body


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# (case, method, path, body, content type, extra headers) -> (status, code)
BODY_CASES = [
    (
        "invalid utf-8",
        "post",
        "/api/projects/",
        b'{"name": "\xff\xfe"}',
        "application/json",
        400,
        "invalid-model",
    ),
    ("truncated json", "post", "/api/projects/", b'{"name": ', "application/json", 400, "invalid-model"),
    (
        "nested 10 000 deep",
        "post",
        "/api/projects/",
        nested(10_000),
        "application/json",
        400,
        "invalid-model",
    ),
    (
        "nested 100 000 deep",
        "post",
        "/api/projects/",
        nested(100_000),
        "application/json",
        400,
        "invalid-model",
    ),
    ("nested 500 deep", "post", "/api/projects/", nested(500), "application/json", 400, "validation-failed"),
    (
        "5000-digit integer",
        "post",
        "/api/projects/",
        '{"budget": ' + "9" * 5000 + "}",
        "application/json",
        400,
        "invalid-model",
    ),
    ("NaN", "post", "/api/projects/", '{"budget": NaN}', "application/json", 400, "invalid-model"),
    ("1e400", "post", "/api/projects/", '{"budget": 1e400}', "application/json", 400, "validation-failed"),
    ("a list for an object", "post", "/api/projects/", "[]", "application/json", 400, "validation-failed"),
    ("a list for full_clean", "post", "/api/check-project/", "[]", "application/json", 400, "invalid-model"),
    ("a number for full_clean", "post", "/api/check-project/", "7", "application/json", 400, "invalid-model"),
    (
        "wrong types everywhere",
        "post",
        "/api/projects/",
        '{"tags": {"a": 1}, "limits": [1], "milestones": {"x": 1}, "address": 5}',
        "application/json",
        400,
        "validation-failed",
    ),
    (
        "NUL in a JSON string",
        "post",
        "/api/projects/",
        '{"name": "a\\u0000b"}',
        "application/json",
        400,
        "invalid-model",
    ),
    (
        "NUL in a JSON key",
        "post",
        "/api/projects/",
        '{"limits": {"a\\u0000": 1}}',
        "application/json",
        400,
        "invalid-model",
    ),
    (
        "NUL in full_clean input",
        "post",
        "/api/check-project/",
        '{"name": "a\\u0000"}',
        "application/json",
        400,
        "invalid-model",
    ),
    (
        "NUL in a form field",
        "post",
        "/api/projects/",
        b"name=a%00b",
        "application/x-www-form-urlencoded",
        400,
        "invalid-model",
    ),
    (
        "zlib charset",
        "post",
        "/api/projects/",
        b"x\x9c\xab\xae\x05\x00\x01u\x00\xf9",
        "application/json; charset=zlib",
        415,
        "unsupported-media-type",
    ),
    (
        "bz2 charset",
        "post",
        "/api/projects/",
        b"{}",
        "application/json; charset=bz2",
        415,
        "unsupported-media-type",
    ),
    (
        "rot13 charset",
        "post",
        "/api/projects/",
        b"{}",
        "application/json; charset=rot13",
        415,
        "unsupported-media-type",
    ),
    (
        "utf-16 body said to be utf-32",
        "post",
        "/api/projects/",
        "{}".encode("utf-16"),
        "application/json; charset=utf-32",
        415,
        "unsupported-media-type",
    ),
    (
        "unknown charset",
        "post",
        "/api/projects/",
        b"{}",
        "application/json; charset=no-such",
        400,
        "validation-failed",
    ),
    ("plain text", "post", "/api/projects/", b"name", "text/plain", 415, "unsupported-media-type"),
    ("no content type", "post", "/api/projects/", b"{}", "", 415, "unsupported-media-type"),
    ("xml", "post", "/api/projects/", b"<project/>", "application/xml", 415, "unsupported-media-type"),
    (
        "multipart without boundary",
        "post",
        "/api/projects/",
        b"x",
        "multipart/form-data",
        400,
        "invalid-model",
    ),
    (
        "multipart with a broken body",
        "post",
        "/api/projects/",
        b"--x\r\nbroken",
        "multipart/form-data; boundary=x",
        400,
        "validation-failed",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in BODY_CASES],
)
def test_hostile_bodies_are_standard_errors(user_api, method, path, body, content_type, status, code):
    response = user_api.generic(method.upper(), path, body, content_type=content_type)

    assert_standard_error(response, status, code)


def test_json_nested_too_deep_says_so(user_api, settings):
    # Past the decoder's recursion limit on every supported Python (3.13's lies between 5 000 and
    # 20 000 deep); the value cap, which would refuse it first, is off.
    settings.API_ERRORS = {"MAX_JSON_VALUES": None}
    response = user_api.post("/api/projects/", nested(20_000), content_type="application/json")

    assert assert_standard_error(response, 400, "invalid-model")["details"] == [str(TOO_DEEP)]


def test_a_nul_in_the_body_says_so(user_api):
    response = user_api.post("/api/projects/", '{"name": "\\u0000"}', content_type="application/json")

    assert assert_standard_error(response, 400, "invalid-model")["details"] == [str(NUL_CHARACTER)]


def test_an_escaped_backslash_before_u0000_is_no_nul(user_api):
    response = user_api.post(
        "/api/projects/", json.dumps({**VALID_PROJECT, "name": "\\u0000"}), content_type="application/json"
    )

    assert response.status_code == 201
    assert response.json()["name"] == "\\u0000"


def test_10_000_failing_items_report_the_cap_and_the_rest_as_a_count(user_api, settings):
    settings.API_ERRORS = {"MAX_JSON_VALUES": None}

    response = user_api.post("/api/projects/", {**VALID_PROJECT, "tags": [[]] * 10_000}, format="json")

    body = assert_standard_error(response, 400, "validation-failed")
    assert len(body["validationErrors"]) == 100
    assert body["validationErrors"][99] == {
        "property": "tags[99]",
        "message": "Not a valid string.",
        "code": "invalid",
    }
    assert body["details"] == ["9900 more validation errors were left out of this response."]


def test_the_cap_is_a_setting(user_api, settings):
    settings.API_ERRORS = {"MAX_VALIDATION_ERRORS": 2}

    response = user_api.post("/api/projects/", {**VALID_PROJECT, "tags": [[], [], []]}, format="json")

    body = assert_standard_error(response, 400, "validation-failed")
    assert [error["property"] for error in body["validationErrors"]] == ["tags[0]", "tags[1]"]
    assert body["details"] == ["1 more validation error was left out of this response."]


def test_no_cap_lists_every_error(user_api, settings):
    settings.API_ERRORS = {"MAX_VALIDATION_ERRORS": None}

    response = user_api.post("/api/projects/", {**VALID_PROJECT, "tags": [[]] * 150}, format="json")

    body = assert_standard_error(response, 400, "validation-failed")
    assert (len(body["validationErrors"]), body["details"]) == (150, [])


# (case, method, path, extra) -> (status, code)
REQUEST_CASES = [
    ("NUL in the path", "get", "/api/projects/%00/", {}, 404, "not-found"),
    ("NUL in an unknown path", "get", "/api/nowhere%00/", {}, 404, "not-found"),
    ("NUL in the query string", "get", "/api/products/?page=%00", {}, 404, "not-found"),
    ("NUL in a token", "post", "/api/projects/", {"HTTP_AUTHORIZATION": "Token a\x00"}, 400, "bad-request"),
    ("NUL in a cookie", "get", "/api/me/", {"HTTP_COOKIE": "sessionid=a\x00"}, 400, "bad-request"),
    ("unknown method", "brew", "/api/quote/", {}, 405, "method-not-allowed"),
    ("unknown method, anonymous write", "brew", "/api/projects/", {}, 401, "not-authenticated"),
    ("unknown method, unknown path", "brew", "/api/nowhere/", {}, 404, "not-found"),
    ("100 kB header", "get", "/api/me/", {"HTTP_X_PADDING": "x" * 100_000}, 401, "not-authenticated"),
    (
        "100 kB token",
        "get",
        "/api/me/",
        {"HTTP_AUTHORIZATION": "Token " + "x" * 100_000},
        401,
        "not-authenticated",
    ),
    ("token of spaces", "get", "/api/me/", {"HTTP_AUTHORIZATION": "Token a b c"}, 401, "not-authenticated"),
    ("token in latin-1", "get", "/api/me/", {"HTTP_AUTHORIZATION": "Token \xe9"}, 401, "not-authenticated"),
    (
        "Accept nothing we speak",
        "get",
        "/api/projects/",
        {"HTTP_ACCEPT": "application/xml"},
        406,
        "not-acceptable",
    ),
    ("Accept garbage", "get", "/api/projects/", {"HTTP_ACCEPT": ";;;,,,/"}, 406, "not-acceptable"),
    ("huge page number", "get", "/api/products/?page=" + "9" * 5000, {}, 404, "not-found"),
    ("negative page", "get", "/api/products/?page=-1", {}, 404, "not-found"),
    ("not a uuid", "get", "/api/exports/not-a-uuid/", {}, 404, "not-found"),
    ("bad Host", "get", "/api/projects/", {"HTTP_HOST": "evil.example\x01"}, 400, "bad-request"),
    ("path of 10 000 slashes", "get", "/api/" + "/" * 10_000, {}, 404, "not-found"),
    ("percent-encoded invalid utf-8", "get", "/api/%ff%fe/", {}, 404, "not-found"),
]


@pytest.mark.parametrize(
    ("method", "path", "extra", "status", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in REQUEST_CASES],
)
def test_hostile_requests_are_standard_errors(method, path, extra, status, code):
    response = APIClient(raise_request_exception=False).generic(method.upper(), path, **extra)

    assert_standard_error(response, status, code)


# A NUL in a header reaches every DRF view, not only those under the API prefixes: DRF's
# TokenAuthentication looks the token up as it comes, and PostgreSQL fails on the NUL.
@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/get-only/", id="function view"),
        pytest.param("/notes/pages/", id="class view"),
    ],
)
@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_ANYTHING"])
def test_a_nul_in_a_header_is_refused_by_every_drf_view(path, header):
    response = APIClient().get(path, **{header: "Token a\x00b"})

    body = assert_standard_error(response, 400, "bad-request")
    assert body["details"] == ["A request header holds a NUL character (U+0000)."]


def test_a_nul_in_a_header_is_left_to_plain_views_outside_the_api():
    response = APIClient().get("/errors/", HTTP_X_ANYTHING="a\x00b")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# Keys of the body are echoed in each field error's property: capped, so a body cannot be mirrored.


def test_a_long_key_is_echoed_cut_at_200_characters(user_api):
    body = {**VALID_PROJECT, "limits": {"k" * 2_000_000: -1}}

    response = user_api.post("/api/projects/", body, format="json")

    errors = assert_standard_error(response, 400, "validation-failed")["validationErrors"]
    assert [error["property"] for error in errors] == ["limits." + "k" * 200 + "\u2026"]


def test_a_huge_media_type_is_not_echoed_in_the_415(user_api):
    media_type = "application/x-" + "a" * 6000
    response = user_api.generic("POST", "/api/projects/", b"{}", content_type=media_type)

    details = assert_standard_error(response, 415, "unsupported-media-type")["details"]
    assert details == []  # DRF's stock message, formatted with the media type, is left out
    assert len(response.content) < 1_000


def test_a_key_of_2_4_mb_of_dots_gives_a_small_response(user_api):
    body = {**VALID_PROJECT, "limits": {"." * 2_400_000: -1}}

    response = user_api.post("/api/projects/", body, format="json")

    errors = assert_standard_error(response, 400, "validation-failed")["validationErrors"]
    assert errors[0]["property"] == "limits." + "\\." * 200 + "\u2026"
    assert len(response.content) < 2_000


def test_a_long_key_is_cut_in_the_problem_style_too(user_api, settings):
    settings.API_ERRORS = {"STYLE": "problem"}

    response = user_api.post("/api/projects/", {**VALID_PROJECT, "limits": {"k" * 5000: -1}}, format="json")

    assert response.json()["errors"][0]["pointer"] == "#/limits/" + "k" * 200 + "%E2%80%A6"


# Against a real HTTP server: gunicorn serving the example project on loopback.

ROOT = Path(__file__).resolve().parent.parent
HOST = b"Host: 127.0.0.1\r\nConnection: close\r\n"
#: Seconds gunicorn has to answer its first request, and each request to answer (its worker's timeout
#: too): generous, so the suite passes on a busy machine.
READY_DEADLINE = 180
REQUEST_TIMEOUT = 30


class Served(NamedTuple):
    """A gunicorn serving the example project: its port and the API token of the seeded user."""

    port: int
    token: str


GUNICORN_SETTINGS = """from example.settings import *  # noqa: F403
DATABASES = {{"default": {{
    "ENGINE": "django.db.backends.postgresql", "NAME": {name!r}, "HOST": {host!r}, "PORT": {port!r},
    "USER": {user!r}, "PASSWORD": {password!r}, "ATOMIC_REQUESTS": True,
}}}}
"""


@contextlib.contextmanager
def served_database(workdir: Path) -> Iterator[dict[str, str]]:
    """The environment that points the example project at its own database, removed afterwards.

    A fresh SQLite file; with ``API_ERRORS_TEST_DB=postgres``, a PostgreSQL database named after
    ``PGDATABASE`` (the NUL a client smuggles past a parser fails only there).
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example.settings",
        "EXAMPLE_DB": str(workdir / "db.sqlite3"),
    }
    env.pop("DJANGO_DEBUG", None)
    if os.environ.get("API_ERRORS_TEST_DB") != "postgres":
        yield env
        return
    import psycopg

    name = os.environ.get("PGDATABASE", "api_errors") + "_gunicorn"
    (workdir / "served_settings.py").write_text(
        GUNICORN_SETTINGS.format(
            name=name,
            host=os.environ.get("PGHOST", "127.0.0.1"),
            port=os.environ.get("PGPORT", "5432"),
            user=os.environ.get("PGUSER", "postgres"),
            password=os.environ.get("PGPASSWORD", ""),
        )
    )
    env.update(
        DJANGO_SETTINGS_MODULE="served_settings", PYTHONPATH=os.pathsep.join([str(workdir), str(ROOT)])
    )
    with psycopg.connect(dbname="postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield env
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory) -> Iterator[Served]:
    """A gunicorn (one sync worker) serving the example project, seeded, on loopback."""
    workdir = tmp_path_factory.mktemp("gunicorn")
    example = ROOT / "example_project"
    with served_database(workdir) as env:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--verbosity", "0"], cwd=example, env=env, check=True)
        seeded = subprocess.run(
            [*manage, "seed_example"], cwd=example, env=env, check=True, capture_output=True, text=True
        ).stdout
        token = re.search(r"Token (\w+)", seeded).group(1)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = (workdir / "gunicorn.log").open("wb")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                str(READY_DEADLINE),
                "example.wsgi",
            ],
            cwd=example,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_served(server, port, workdir / "gunicorn.log")
            yield Served(port, token)
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


def wait_until_served(server: subprocess.Popen, port: int, log: Path) -> None:
    """Poll ``GET /api/health/`` until it answers 200; fail with gunicorn's log if it exits or never does."""
    deadline = time.monotonic() + READY_DEADLINE
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            if send_raw(port, b"GET /api/health/ HTTP/1.1\r\n" + HOST + b"\r\n")[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"gunicorn did not serve within {READY_DEADLINE} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


@pytest.fixture(scope="module")
def gunicorn_port(gunicorn_server) -> int:
    """Port of the gunicorn serving the example project."""
    return gunicorn_server.port


def send_raw(port: int, data: bytes) -> tuple[int, bytes]:
    """Send bytes as they are and read the response: its status and (de-chunked) body."""
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as connection:
        connection.sendall(data)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, response.read()


# Broken at the HTTP level: gunicorn answers before Django runs, with its own small HTML page.
PROTOCOL_CASES = [
    ("garbage request line", b"GARBAGE\r\n\r\n", 400),
    ("NUL in the request line", b"GET /api/projects/\x00/ HTTP/1.1\r\n" + HOST + b"\r\n", 400),
    ("raw invalid utf-8 in the path", b"GET /api/\xff/ HTTP/1.1\r\n" + HOST + b"\r\n", 400),
    ("invalid method token", b"G@T /api/quote/ HTTP/1.1\r\n" + HOST + b"\r\n", 400),
    ("HTTP/9.9", b"GET /api/quote/ HTTP/9.9\r\n" + HOST + b"\r\n", 400),
    ("NUL in a header", b"GET /api/me/ HTTP/1.1\r\n" + HOST + b"X-A: a\x00b\r\n\r\n", 400),
    ("100 kB header", b"GET /api/me/ HTTP/1.1\r\n" + HOST + b"X-Big: " + b"x" * 100_000 + b"\r\n\r\n", 431),
    (
        "150 headers",
        b"GET /api/me/ HTTP/1.1\r\n" + HOST + b"".join(b"X-H%d: 1\r\n" % i for i in range(150)) + b"\r\n",
        431,
    ),
    ("10 kB request line", b"GET /api/" + b"a" * 10_000 + b"/ HTTP/1.1\r\n" + HOST + b"\r\n", 414),
    (
        "non-numeric Content-Length",
        b"POST /api/check-project/ HTTP/1.1\r\n" + HOST + b"Content-Length: x\r\n\r\n",
        400,
    ),
    (
        "Content-Length with chunked",
        b"POST /api/check-project/ HTTP/1.1\r\n"
        + HOST
        + b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        400,
    ),
]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("request_bytes", "status"), [pytest.param(*case[1:], id=case[0]) for case in PROTOCOL_CASES]
)
def test_broken_http_is_refused_by_the_server_without_a_server_error(gunicorn_port, request_bytes, status):
    answered, body = send_raw(gunicorn_port, request_bytes)

    assert answered == status
    assert b"Traceback" not in body and b".py" not in body
    # The worker survived: the next request is served by Django as usual.
    assert send_raw(gunicorn_port, b"GET /api/health/ HTTP/1.1\r\n" + HOST + b"\r\n")[0] == 200


# Valid HTTP with hostile content: Django answers, in the standard shape.
SERVED_CASES = [
    (
        "8 kB header",
        b"GET /api/me/ HTTP/1.1\r\n" + HOST + b"X-Big: " + b"x" * 8000 + b"\r\n\r\n",
        401,
        "not-authenticated",
    ),
    (
        "latin-1 token",
        b"GET /api/me/ HTTP/1.1\r\n" + HOST + b"Authorization: Token \xe9\xff\r\n\r\n",
        401,
        "not-authenticated",
    ),
    ("unknown method", b"BREW /api/boom/ HTTP/1.1\r\n" + HOST + b"\r\n", 405, "method-not-allowed"),
    (
        "bad Host",
        b"GET /api/quote/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        400,
        "bad-request",
    ),
    ("percent-encoded NUL", b"GET /api/projects/%00/ HTTP/1.1\r\n" + HOST + b"\r\n", 404, "not-found"),
    (
        "JSON nested 10 000 deep",
        b"POST /api/check-project/ HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/json\r\nContent-Length: 20000\r\n\r\n"
        + b"[" * 10_000
        + b"]" * 10_000,
        400,
        "invalid-model",
    ),
]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("request_bytes", "status", "code"), [pytest.param(*case[1:], id=case[0]) for case in SERVED_CASES]
)
def test_hostile_content_over_real_http_is_a_standard_error(gunicorn_port, request_bytes, status, code):
    answered, body = send_raw(gunicorn_port, request_bytes)

    assert answered == status
    document = json.loads(body)
    assert set(document) == AWORK_KEYS
    assert document["code"] == code


def post_request(path: str, content_type: str, body: bytes, token: str | None = None) -> bytes:
    """The bytes of a POST with this body, signed in with ``token`` when given."""
    head = f"POST {path} HTTP/1.1\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    if token is not None:
        head += f"Authorization: Token {token}\r\n"
    return head.encode() + HOST + b"\r\n" + body


MULTIPART = "multipart/form-data; boundary=b"
# Bodies that held a worker for seconds (punycode is quadratic), cost DRF's validation gigabytes, or
# smuggled a NUL past the parsers to PostgreSQL: each answered at once, in the standard shape.
SERVED_BODIES = [
    (
        "punycode json",
        "application/json; charset=punycode",
        b"-" + b"a" * 20_000,
        415,
        "unsupported-media-type",
    ),
    (
        "punycode form",
        "application/x-www-form-urlencoded; charset=punycode",
        b"name=-" + b"a" * 20_000,
        415,
        "unsupported-media-type",
    ),
    (
        "punycode multipart",
        MULTIPART + "; charset=punycode",
        b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n-' + b"a" * 20_000 + b"\r\n--b--\r\n",
        415,
        "unsupported-media-type",
    ),
    (
        "utf-7 NUL in a form",
        "application/x-www-form-urlencoded; charset=utf-7",
        b"name=a%2BAAA-",
        415,
        "unsupported-media-type",
    ),
    (
        "unicode_escape NUL in a form",
        "application/x-www-form-urlencoded; charset=unicode_escape",
        b"name=a%5Cx00",
        415,
        "unsupported-media-type",
    ),
    (
        "raw NUL in a multipart field",
        MULTIPART,
        b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\na\x00b\r\n--b--\r\n',
        400,
        "invalid-model",
    ),
]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("content_type", "body", "status", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in SERVED_BODIES],
)
def test_hostile_bodies_over_real_http_are_refused_at_once(gunicorn_port, content_type, body, status, code):
    answered, raw = send_raw(gunicorn_port, post_request("/api/check-project/", content_type, body))

    assert answered == status, raw[:300]
    document = json.loads(raw)
    assert (set(document), document["code"]) == (AWORK_KEYS, code)


@pytest.mark.integration
def test_400_000_json_values_over_real_http_are_refused_before_validation(gunicorn_server):
    body = json.dumps({"milestones": [{}] * 400_000}).encode()
    request = post_request("/api/projects/", "application/json", body, token=gunicorn_server.token)

    answered, raw = send_raw(gunicorn_server.port, request)

    assert answered == 400, raw[:300]
    document = json.loads(raw)
    assert (document["code"], document["validationErrors"]) == ("invalid-model", [])
