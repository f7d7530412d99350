"""The settings object: defaults, project values, and the reset on setting_changed."""

import pytest
from django.test import override_settings

from django_api_errors.settings import DEFAULTS, api_errors_settings


def test_defaults_apply_when_the_setting_is_absent():
    assert api_errors_settings.STYLE == "awork"
    assert api_errors_settings.DOCS_URL is None


def test_override_settings_is_seen_and_undone():
    assert api_errors_settings.DOCS_URL is None
    with override_settings(API_ERRORS={"DOCS_URL": "https://x.test/"}):
        assert api_errors_settings.DOCS_URL == "https://x.test/"
        assert api_errors_settings.STYLE == DEFAULTS["STYLE"]
    assert api_errors_settings.DOCS_URL is None


def test_an_unknown_key_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NOPE"):
        api_errors_settings.NOPE  # noqa: B018
