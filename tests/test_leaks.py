"""Nothing leaks: no response of the example project carries a traceback, an exception class, SQL, a
setting's value or a file path, with DEBUG off and on.

The sweep enumerates every URL pattern of the example project from its resolver (the admin aside),
fills the parameters with an existing and a missing value, and hits each URL with every method, as an
anonymous and as a signed-in client. The signed-in client, which gets past every permission, sends
each bad body; the anonymous one sends one, as a permission stops it before the body is read, and
where none does it reaches the same parser as the signed-in client.
"""

from __future__ import annotations

import builtins
import json
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.admindocs.views import simplify_regex
from django.contrib.auth import get_user_model
from django.db import utils as db_utils
from django.urls import URLResolver, get_resolver, resolve
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shop.models import Product, Project

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SCHEMA_CLASS = "django_api_errors.openapi.AutoSchema"
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "BREW"]
BAD_BODIES = [
    ("application/json", "{nope"),
    (
        "application/json",
        json.dumps({"name": [], "address": 5, "tags": {"a": 1}, "limits": [1], "stock": "x"}),
    ),
    ("application/json", "[" * 5000 + "]" * 5000),
    ("application/json", '{"name": "\\u0000"}'),
    ("application/x-www-form-urlencoded", "name=%ff%00"),
    ("text/plain", "hello"),
]
EXCEPTION_NAMES = sorted(
    {
        name
        for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }
    | {
        name
        for name, value in vars(db_utils).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
    | {"DoesNotExist", "MultipleObjectsReturned", "ObjectDoesNotExist", "ImproperlyConfigured", "ApiError"}
)
LEAKS = [
    re.compile(r"Traceback|File \"|line \d+, in "),
    # Not inside a hyphenated name: the documented header X-Error-Phrase is no leak of db's Error.
    re.compile(r"(?<![\w-])(?:" + "|".join(EXCEPTION_NAMES) + r")(?![\w-])"),
    re.compile(
        r"\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.+\bSET\b|\bDELETE FROM\b|shop_project|shop_product"
    ),
    re.compile(r"\.py\b|site-packages|/(?:usr|home|root|tmp)/"),
    re.compile(r"flux capacitor|plutonium"),  # the message of the example's unhandled exception
]


def example_urls(project: int, product: int) -> Iterator[str]:
    """Every URL of the example project outside the admin, each parameter filled in turn."""
    values = {
        "<pk>": [str(project), "999999"],
        "<format>": ["json", "txt"],
        "<uuid:export_id>": [str(uuid.uuid4())],
        "<slug:slug>": ["validation-failed", "no-such-code"],
        "<drf_format_suffix:format>": [".json"],
    }
    for route in _routes(get_resolver("example.urls").url_patterns):
        if route.startswith("admin"):
            continue
        urls = [simplify_regex(route).replace("\\.", ".")]
        for placeholder, choices in values.items():
            urls = [url.replace(placeholder, choice) for url in urls for choice in choices]
        for url in urls:
            yield url.replace(f"/products/{project}/", f"/products/{product}/")


def _routes(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def secrets() -> list[str]:
    """Setting values and paths that must never reach a client."""
    found = [django_settings.SECRET_KEY, str(ROOT), sys.prefix, sys.base_prefix]
    found += [str(database["NAME"]) for database in django_settings.DATABASES.values()]
    found += [str(database.get("PASSWORD") or "") for database in django_settings.DATABASES.values()]
    return [secret for secret in found if len(secret) > 3 and secret != ":memory:"]


def renders_html_only(url: str) -> bool:
    """Whether the view behind ``url`` has only HTML renderers (the Swagger and ReDoc pages).

    DRF renders even their errors through the page's template (``406 Not Acceptable`` as text): they
    are pages for people, like the admin, and are checked for leaks but not for the JSON shape.
    """
    view_class = getattr(resolve(url, "example.urls").func, "cls", None)
    renderers = getattr(view_class, "renderer_classes", None) or []
    return bool(renderers) and all(renderer.media_type == "text/html" for renderer in renderers)


def is_standard_error(text: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        return False
    return isinstance(document, dict) and {"code", "description", "details", "validationErrors"} <= set(
        document
    )


def leaks_in(body: str, secret_values: list[str]) -> list[str]:
    found = [pattern.pattern[:30] for pattern in LEAKS if pattern.search(body)]
    return found + [f"setting value {secret[:6]}..." for secret in secret_values if secret in body]


@pytest.mark.parametrize("debug", [False, True], ids=["DEBUG off", "DEBUG on"])
def test_no_response_of_the_example_project_leaks(settings, debug):
    settings.ROOT_URLCONF = "example.urls"
    settings.DEBUG = debug
    # The example's schema class, whatever an earlier test imported its views under.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": EXAMPLE_SCHEMA_CLASS}
    user = get_user_model().objects.create_user("eve", password="pw")
    signed_in = APIClient(raise_request_exception=False)
    signed_in.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    clients = {"anonymous": APIClient(raise_request_exception=False), "signed in": signed_in}
    project = Project.objects.create(name="Sweep", owner=user).pk
    product = Product.objects.create(name="Sweep", stock=0).pk
    secret_values = secrets()

    checked, problems = 0, []
    for url in sorted(set(example_urls(project, product))):
        for method in METHODS:
            bodies = BAD_BODIES if method not in ("GET", "HEAD", "OPTIONS") else [(None, "")]
            for who, client in clients.items():
                for content_type, body in bodies if who == "signed in" else bodies[:1]:
                    extra = {"content_type": content_type} if content_type else {}
                    response = client.generic(method, url, body, HTTP_ACCEPT="application/json", **extra)
                    checked += 1
                    text = response.content.decode("utf-8", "replace")
                    where = f"{who} {method} {url} {content_type} -> {response.status_code}"
                    problems += [f"{where}: {leak}" for leak in leaks_in(text, secret_values)]
                    if response.status_code >= 500 and url != "/api/boom/":
                        problems.append(f"{where}: server error {text[:200]}")
                    shaped = method != "HEAD" and not renders_html_only(url)
                    if response.status_code >= 400 and shaped and not is_standard_error(text):
                        problems.append(f"{where}: not the standard shape {text[:200]}")

    print(f"\nleak sweep (DEBUG {'on' if debug else 'off'}): {checked} responses checked")
    assert problems == []
    assert checked > 1000


def test_the_leak_patterns_catch_django_debug_page(rf, settings):
    from django.views.debug import technical_500_response

    settings.DEBUG = True
    try:
        Project.objects.raw("SELECT * FROM shop_project WHERE flux = 'plutonium'")[0]
    except Exception:
        response = technical_500_response(rf.get("/api/boom/"), *sys.exc_info())

    found = leaks_in(response.content.decode(), secrets())
    assert len(found) >= 4


def test_a_documented_header_name_is_no_leak_but_an_exception_name_is():
    assert leaks_in('{"headers": {"X-Error-Phrase": {}}}', []) == []
    assert len(leaks_in("IntegrityError: UNIQUE constraint failed", [])) == 1
