"""api_errors.E030: the OpenAPI integration configured without the ``openapi`` extra installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from django_api_errors.checks import check_openapi_extra

ROOT = Path(__file__).resolve().parent.parent

# A project without drf-spectacular: sys.modules[name] = None makes every ``import drf_spectacular``
# raise ImportError, as when the package is not installed.
WITHOUT_DRF_SPECTACULAR = """
import json, sys
sys.modules["drf_spectacular"] = None
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                    "django_api_errors"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": sys.argv[1],
                    "EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"},
    ROOT_URLCONF="django_api_errors.urls",
)
django.setup()
from django.core.checks import run_checks
import django_api_errors.handler, django_api_errors.urls, django_api_errors.views  # noqa: E401
# Errors only: the wiring warnings (middleware, error views...) speak of this bare project, not of E030.
messages = [m for m in run_checks() if m.id.startswith("api_errors.") and m.is_serious()]
print(json.dumps([[m.id, str(m.msg), str(m.hint)] for m in messages]))
print(json.dumps(sorted(name for name in sys.modules if name.startswith("drf_spectacular."))))
"""


def checks_without_drf_spectacular(schema_class: str) -> tuple[list[list[str]], list[str]]:
    """The api_errors check errors and the drf_spectacular modules loaded, in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DRF_SPECTACULAR, schema_class],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    messages, loaded = result.stdout.strip().splitlines()[-2:]
    return json.loads(messages), json.loads(loaded)


def test_our_schema_class_without_drf_spectacular_names_the_extra():
    messages, loaded = checks_without_drf_spectacular("django_api_errors.openapi.AutoSchema")

    assert messages == [
        [
            "api_errors.E030",
            "DEFAULT_SCHEMA_CLASS is 'django_api_errors.openapi.AutoSchema', "
            "but drf-spectacular is not installed.",
            'Install the OpenAPI extra: pip install "django-api-errors[openapi]".',
        ]
    ]
    assert loaded == []


def test_the_app_runs_its_checks_without_drf_spectacular_when_the_schema_class_is_drfs_own():
    messages, loaded = checks_without_drf_spectacular("rest_framework.schemas.openapi.AutoSchema")

    assert messages == []
    assert loaded == []


@pytest.mark.parametrize(
    "schema_class",
    ["django_api_errors.openapi.AutoSchema", "drf_spectacular.openapi.AutoSchema"],
)
def test_no_error_when_drf_spectacular_is_installed(schema_class):
    with override_settings(REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": schema_class}):
        assert check_openapi_extra() == []
