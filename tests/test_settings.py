"""The settings object: defaults, project values, dotted paths imported once, the reset on setting_changed."""

import ast
from pathlib import Path

import pytest
from django.test import override_settings

from django_api_errors import settings as settings_module
from django_api_errors.pipeline import ErrorPipeline
from django_api_errors.settings import api_errors_settings, project_settings
from tests.testapp.pipeline_views import card_declined


def test_defaults_apply_when_the_setting_is_absent():
    assert api_errors_settings.STYLE == "awork"
    assert api_errors_settings.DOCS_URL is None
    assert api_errors_settings.MAX_VALIDATION_ERRORS == 100


def test_override_settings_is_seen_and_undone():
    assert api_errors_settings.DOCS_URL is None
    with override_settings(API_ERRORS={"DOCS_URL": "https://x.test/"}):
        assert api_errors_settings.DOCS_URL == "https://x.test/"
        assert api_errors_settings.STYLE == "awork"
    assert api_errors_settings.DOCS_URL is None


def test_an_unknown_key_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NOPE"):
        api_errors_settings.NOPE  # noqa: B018


def test_api_errors_that_is_not_a_dict_reads_as_the_defaults(settings):
    settings.API_ERRORS = "problem"

    assert api_errors_settings.STYLE == "awork"


def test_project_settings_are_an_empty_dict_when_unset(settings):
    del settings.API_ERRORS

    assert project_settings() == {}


def test_project_settings_are_returned_unvalidated(settings):
    settings.API_ERRORS = "not a dict"

    assert project_settings() == "not a dict"


def test_the_default_pipeline_path_reads_as_the_class():
    assert api_errors_settings.PIPELINE is ErrorPipeline


def test_converters_read_with_their_dotted_paths_imported_and_slugs_kept(settings):
    settings.API_ERRORS = {
        "CONVERTERS": {
            "builtins.ValueError": "not-found",
            KeyError: "tests.testapp.pipeline_views.card_declined",
        }
    }

    assert api_errors_settings.CONVERTERS == {ValueError: "not-found", KeyError: card_declined}


def test_a_style_name_is_read_as_written(settings):
    settings.API_ERRORS = {"STYLE": "tests.testapp.custom_style"}

    assert api_errors_settings.STYLE == "tests.testapp.custom_style"


def test_a_dotted_path_that_does_not_import_fails_when_read_and_the_next_read_tries_again(settings):
    settings.API_ERRORS = {"PIPELINE": "no.such.Pipeline"}

    with pytest.raises(ImportError):
        api_errors_settings.PIPELINE  # noqa: B018
    settings.API_ERRORS = {}
    assert api_errors_settings.PIPELINE is ErrorPipeline


def test_the_settings_module_imports_nothing_else_of_the_package():
    """settings.py sits under every module that reads it, so it must not import them (no import circle)."""
    tree = ast.parse(Path(settings_module.__file__).read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]

    assert [name for name in imported if name and name.startswith("django_api_errors")] == []
