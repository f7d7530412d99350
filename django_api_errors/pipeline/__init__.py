"""The one path of every error (convert, report a 5xx, render), each step replaceable: docs/pipeline.md."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.core.signals import got_request_exception
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from django_api_errors.caches import cached
from django_api_errors.codes import BaseErrorCode, ErrorCode
from django_api_errors.errors import ApiError
from django_api_errors.flatten import FieldError
from django_api_errors.pipeline.converters import Converted, converter_table
from django_api_errors.pipeline.phrases import new_phrase
from django_api_errors.pipeline.reporting import PHRASE_HEADER, report_failure
from django_api_errors.pipeline.translation import in_language
from django_api_errors.request_facts import django_request_of, language_of, own_attribute
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import media_type, render_styled
from django_api_errors.values import EMPTY_HEADERS, ErrorValue

__all__ = ["EXAMPLE_PHRASE", "ErrorPipeline", "ErrorValue", "RenderedError", "get_pipeline", "value_of"]

logger = logging.getLogger("django_api_errors")

#: The phrase documentation examples of a 5xx show.
EXAMPLE_PHRASE = "7 quiet otters wait patiently"
EXAMPLE_FIELD_MESSAGE = _("This field is required.")


class RenderedError(NamedTuple):
    """What an adapter turns into a response: body, status, headers and content type."""

    body: dict[str, Any]
    status: int
    headers: Mapping[str, str]
    content_type: str


class ErrorPipeline:
    """Convert an exception into an :class:`ErrorValue`, report it when it is a 5xx, render it.

    Each step is a method a subclass may override; :meth:`respond` runs them in order.
    """

    def respond(self, exc: BaseException, request: Any) -> RenderedError:
        """The rendered answer to ``exc``, reported first when it is a server error."""
        value = self.convert(exc, request)
        if value.status >= 500:
            value = self.report(value, exc, request)
        for observe in api_errors_settings.OBSERVERS:  # trace ids, counts, the contract guard
            value = observe(value, request)
        return self.render(value, request)

    def convert(self, exc: BaseException, request: Any) -> ErrorValue:
        """The error value of ``exc``, from the first converter along its class's MRO."""
        converted = converter_table().find(type(exc))(exc, request)
        if isinstance(converted, ErrorValue):
            return converted  # DRF's exceptions, the common case: texts resolved by their converter
        return value_of(converted, language_of(request))

    def report(self, value: ErrorValue, exc: BaseException, request: Any) -> ErrorValue:
        """A 5xx: a new phrase (body and ``X-Error-Phrase``), its log record, ``got_request_exception``."""
        value = value.with_phrase(new_phrase(), PHRASE_HEADER)
        report_failure(value.phrase, str(value.slug)[:100], value.status, exc, request)
        send_request_exception(request)
        return value

    def example(
        self, error: ApiError | BaseErrorCode, request: Any = None, style: Any = None
    ) -> RenderedError:
        """How ``error`` answers, for documentation (the catalogue pages, the OpenAPI examples): converted
        and rendered through :meth:`render`, never reported; a 5xx shows :data:`EXAMPLE_PHRASE`. A bare
        code shows its example error (``validation-failed`` with one field error)."""
        if isinstance(error, BaseErrorCode):
            errors = [FieldError(("name",), str(EXAMPLE_FIELD_MESSAGE), "required")]
            error = ApiError(error, validation_errors=errors if error == ErrorCode.VALIDATION_FAILED else ())
        value = self.convert(error, request)
        if value.status >= 500:
            value = value.with_phrase(EXAMPLE_PHRASE, PHRASE_HEADER)
        return self.render(value, request, style) if style is not None else self.render(value, request)

    def render(self, value: ErrorValue, request: Any, style: Any = None) -> RenderedError:
        """The active (or negotiated) style's body for ``value``; ``style`` forces one (the
        documentation's ``application/problem+json`` examples)."""
        if style is None:
            body, content_type = render_styled(value, request)
        else:
            body, content_type = style.render(value, request), media_type(style)
        return RenderedError(body, value.status, value.headers, content_type)


def value_of(converted: Converted, language: str | None) -> ErrorValue:
    """The error value of what a converter returned, its texts resolved in ``language``."""
    if isinstance(converted, ErrorValue):
        return converted
    if isinstance(converted, BaseErrorCode):
        # A bare code (most of the table): no ApiError to build.
        description = in_language(converted.description, language)
        return ErrorValue(converted, converted.status, description, (), (), EMPTY_HEADERS)
    error = converted if isinstance(converted, ApiError) else ApiError(converted)
    # The catalogue's own description through the cache: its texts are few.
    own = error.description is error.code.description
    description = in_language(error.description, language) if own else _text(error.description, language)
    details = tuple(_text(detail, language) for detail in error.details) if error.details else ()
    return ErrorValue(error.code, error.status, description, details, error.validation_errors, error.headers)


def _text(text: Any, language: str | None) -> str:
    # Promise first: isinstance(lazy, str) would go through the proxy's __getattribute__.
    if not isinstance(text, Promise):
        return text if isinstance(text, str) else str(text)
    with override(language):
        return str(text)


#: Request attribute set by ``handler500``: Django sent ``got_request_exception`` before calling it.
SIGNALLED = "_api_errors_exception_signalled"


def send_request_exception(request: Any) -> None:
    """Send ``got_request_exception`` as Django does for the 500s it answers itself (inside the
    ``except``, so listeners find ``sys.exc_info()``): the test client re-raises the exception, error
    trackers hear of it. Not sent again where Django did (its ``handler500`` path, :data:`SIGNALLED`)."""
    django_request = django_request_of(request)
    if own_attribute(django_request, SIGNALLED):
        return
    try:
        got_request_exception.send(sender=None, request=django_request)
    except Exception:
        # A receiver's own bug must not turn the answer into a second failure.
        logger.exception("A got_request_exception receiver failed")


@cached(1)
def get_pipeline() -> ErrorPipeline:
    """The pipeline named by ``API_ERRORS["PIPELINE"]`` (one instance, rebuilt on settings change)."""
    pipeline = api_errors_settings.PIPELINE  # imported by the settings accessor
    return pipeline() if isinstance(pipeline, type) else pipeline
