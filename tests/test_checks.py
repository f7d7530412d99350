"""System checks of the code catalogue: each one fires on its problem and passes on the real catalogue."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from django_api_errors import registry
from django_api_errors.checks import (
    check_exception_handler,
    check_property_case,
    check_slug_format,
    check_statuses,
    check_style,
    check_unique_slugs,
)
from django_api_errors.codes import BaseErrorCode


@pytest.fixture
def declare() -> Iterator:
    """Declare throw-away code enums (functional API) that are unregistered after the test."""
    declared: list[type[BaseErrorCode]] = []

    def declare_enum(name: str, *members: tuple[str, int]) -> type[BaseErrorCode]:
        enum_class = BaseErrorCode(
            name,
            [(f"M{i}", (slug, status, "A test code.")) for i, (slug, status) in enumerate(members)],
            module=__name__,
        )
        declared.append(enum_class)
        return enum_class

    yield declare_enum
    for enum_class in declared:
        registry.unregister(enum_class)


@pytest.mark.parametrize(
    "check",
    [
        check_unique_slugs,
        check_statuses,
        check_slug_format,
        check_exception_handler,
        check_style,
        check_property_case,
    ],
)
def test_the_real_catalogue_and_settings_pass_every_check(check):
    assert check() == []


def test_a_slug_declared_in_two_enums_is_e001(declare):
    declare("ShopCodes", ("not-found", 404))

    errors = check_unique_slugs()

    assert [error.id for error in errors] == ["api_errors.E001"]
    assert "'not-found'" in errors[0].msg
    assert "django_api_errors.codes.ErrorCode.NOT_FOUND" in errors[0].hint
    assert "tests.test_checks.ShopCodes.M0" in errors[0].hint


def test_a_slug_declared_twice_in_one_enum_is_e001_although_enum_makes_it_an_alias(declare):
    declare("Twice", ("twice-declared", 400), ("twice-declared", 409))

    assert [error.id for error in check_unique_slugs()] == ["api_errors.E001"]


@pytest.mark.parametrize("status", [200, 302, 399, 600, 999])
def test_a_status_outside_400_to_599_is_e002(declare, status):
    declare("OddStatus", ("odd-status", status))

    errors = check_statuses()

    assert [error.id for error in errors] == ["api_errors.E002"]
    assert "'odd-status'" in errors[0].msg
    assert errors[0].obj == "tests.test_checks.OddStatus"


@pytest.mark.parametrize("status", [400, 451, 599])
def test_statuses_at_the_bounds_pass(declare, status):
    declare("FineStatus", ("fine-status", status))

    assert check_statuses() == []


@pytest.mark.parametrize(
    "slug", ["Out-Of-Stock", "out_of_stock", "out--of-stock", "-stock", "stock-", "out of stock"]
)
def test_a_slug_that_is_not_lower_case_kebab_is_e003(declare, slug):
    declare("BadSlug", (slug, 400))

    errors = check_slug_format()

    assert [error.id for error in errors] == ["api_errors.E003"]
    assert repr(slug) in errors[0].msg


@pytest.mark.parametrize(
    "rest_framework",
    [
        {},
        {"EXCEPTION_HANDLER": "rest_framework.views.exception_handler"},
    ],
    ids=["drf-default", "drf-own-handler"],
)
def test_another_exception_handler_is_w001(settings, rest_framework):
    settings.REST_FRAMEWORK = rest_framework

    warnings = check_exception_handler()

    assert [warning.id for warning in warnings] == ["api_errors.W001"]
    assert "django_api_errors.handler.exception_handler" in warnings[0].hint


def test_manage_py_check_fails_on_a_bad_code(declare):
    declare("Broken", ("Broken_Code", 200))

    with pytest.raises(SystemCheckError) as failure:
        call_command("check", tags=["api_errors"])

    assert "api_errors.E002" in str(failure.value)
    assert "api_errors.E003" in str(failure.value)


def test_manage_py_check_passes_the_real_catalogue(capsys):
    call_command("check", tags=["api_errors"])

    assert "no issues" in capsys.readouterr().out


@pytest.mark.parametrize("style", ["no.such.module", "django_api_errors.codes", "nonsense"])
def test_a_style_that_cannot_render_is_e004(settings, style):
    settings.API_ERRORS = {"STYLE": style}

    assert [error.id for error in check_style()] == ["api_errors.E004"]


@pytest.mark.parametrize("style", ["awork", "asana", "problem", "tests.testapp.custom_style"])
def test_built_in_and_dotted_path_styles_pass(settings, style):
    settings.API_ERRORS = {"STYLE": style}

    assert check_style() == []


def test_an_unknown_property_case_is_e005(settings):
    settings.API_ERRORS = {"PROPERTY_CASE": "kebab"}

    assert [error.id for error in check_property_case()] == ["api_errors.E005"]
