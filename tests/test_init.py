"""The package's top level: its public names, imported only when first used."""

import subprocess
import sys
from pathlib import Path

import django_api_errors
from django_api_errors.errors import ApiError, UnknownErrorCode
from django_api_errors.flatten import FieldError

ROOT = Path(__file__).resolve().parent.parent


def test_the_public_names_are_the_classes_of_their_modules():
    assert (django_api_errors.ApiError, django_api_errors.FieldError) == (ApiError, FieldError)
    assert django_api_errors.UnknownErrorCode is UnknownErrorCode


def test_importing_the_settings_paste_imports_no_part_of_drf():
    # As a project's settings.py does: nothing configured yet, and only the wiring module imported.
    script = (
        "import sys, django_api_errors.wiring; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'rest_framework'))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
