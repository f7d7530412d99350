"""ApiError and the normalisation of exceptions (pure: no request involved)."""

import logging

import pytest
from django.core import exceptions as django_exceptions
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http.multipartparser import MultiPartParserError
from rest_framework import exceptions as drf_exceptions
from rest_framework.exceptions import ErrorDetail

from django_api_errors import ApiError, UnknownErrorCode
from django_api_errors.codes import ErrorCode
from django_api_errors.flatten import FieldError
from django_api_errors.pipeline import get_pipeline


def test_api_error_takes_status_and_description_from_its_code():
    error = ApiError("entity-archived", details=["Project 7 was archived."])

    assert error.code is ErrorCode.ENTITY_ARCHIVED
    assert error.status == 400
    assert error.description == ErrorCode.ENTITY_ARCHIVED.description
    assert error.details == ("Project 7 was archived.",)
    assert error.validation_errors == ()


def test_api_error_overrides():
    error = ApiError(
        ErrorCode.VALIDATION_FAILED,
        status=422,
        description="Custom.",
        validation_errors={"items": [{"name": ["Bad."]}]},
        headers={"X-Thing": "1"},
    )

    assert (error.status, error.description, error.headers) == (422, "Custom.", {"X-Thing": "1"})
    assert error.validation_errors == (FieldError(("items", 0, "name"), "Bad.", "invalid"),)


def test_validation_errors_accept_field_error_tuples():
    error = ApiError("validation-failed", validation_errors=[(("name",), "Bad.", "blank")])

    assert error.validation_errors == (FieldError(("name",), "Bad.", "blank"),)


def test_a_triples_str_path_names_one_field():
    error = ApiError("validation-failed", validation_errors=[("first_name", "Taken", "taken")])

    assert error.validation_errors == (FieldError(("first_name",), "Taken", "taken"),)


def test_a_triple_renders_one_error_on_its_property(rf):
    from django_api_errors.pipeline import get_pipeline

    error = ApiError("validation-failed", validation_errors=[("first_name", "Taken", "taken")])

    body = get_pipeline().render(get_pipeline().convert(error, None), rf.get("/api/x/")).body

    assert body["validationErrors"] == [{"property": "first_name", "message": "Taken", "code": "taken"}]


def test_field_error_is_a_public_name():
    import django_api_errors

    assert django_api_errors.FieldError is FieldError
    assert "FieldError" in django_api_errors.__all__


def test_an_unknown_slug_fails_loudly_under_tests():
    with pytest.raises(UnknownErrorCode, match="no-such-code"):
        ApiError("no-such-code")


def test_an_unknown_slug_in_production_is_logged_and_stays_a_client_error(settings, caplog):
    settings.API_ERRORS = {"STRICT_CODES": False}

    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        error = ApiError("no-such-code")

    assert (error.slug, error.status) == ("no-such-code", 400)
    assert "no-such-code" in caplog.text


@pytest.mark.parametrize(
    ("exc", "slug", "status"),
    [
        (drf_exceptions.ValidationError("x"), "validation-failed", 400),
        (drf_exceptions.NotAuthenticated(), "not-authenticated", 401),
        (drf_exceptions.AuthenticationFailed(), "not-authenticated", 401),
        (drf_exceptions.MethodNotAllowed("PATCH"), "method-not-allowed", 405),
        (django_exceptions.SuspiciousOperation("x"), "bad-request", 400),
        (django_exceptions.RequestDataTooBig("x"), "request-body-too-large", 413),
        (IntegrityError("duplicate key"), "database-commit", 500),
        (django_exceptions.BadRequest("x"), "bad-request", 400),
        (MultiPartParserError("x"), "invalid-model", 400),
        (ProtectedError("x", set()), "invalid-operation", 409),
        (RestrictedError("x", set()), "invalid-operation", 409),
        (
            drf_exceptions.ValidationError({"name": [ErrorDetail("Taken.", "unique")]}),
            "duplication-violation",
            409,
        ),
        (ZeroDivisionError(), "server-error", 500),
    ],
)
def test_exceptions_normalise_to_codes(exc, slug, status):
    error = get_pipeline().convert(exc, None)

    assert (error.slug, error.status) == (slug, status)


def test_converting_an_api_error_leaves_it_unchanged():
    error = ApiError("not-found", details=["Gone."])
    before = dict(vars(error))

    value = get_pipeline().convert(error, None)

    assert (value.slug, value.details) == ("not-found", ("Gone.",))
    assert vars(error) == before


def test_server_errors_carry_nothing_of_the_exception():
    error = get_pipeline().convert(ValueError("password=secret"), None)

    assert error.details == ()
    assert "secret" not in str(error.description)
