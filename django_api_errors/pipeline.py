"""The one path of every error: convert, report, render.

Every entry point (DRF's exception handler, the middleware, Django's error views and CSRF view, the
catalogue pages, the OpenAPI examples) hands an exception to :func:`get_pipeline`'s object::

    pipeline = get_pipeline()
    value = pipeline.convert(exc, request)          # an immutable ErrorValue
    if value.status >= 500:
        value = pipeline.report(value, exc, request)  # phrase, log, incident, got_request_exception
    rendered = pipeline.render(value, request)       # the style's body, status, headers, content type

:meth:`ErrorPipeline.respond` runs the three steps. A project replaces a step by subclassing
:class:`ErrorPipeline` and naming the subclass in ``API_ERRORS["PIPELINE"]``. What a view raised
(an :class:`~django_api_errors.errors.ApiError`) is never changed: the same object may be raised by
many requests, in many languages and threads; everything per request lives in the value.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.core.signals import got_request_exception, setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import get_language, override

from django_api_errors.codes import BaseErrorCode
from django_api_errors.converters import Converted, converter_table
from django_api_errors.errors import ApiError
from django_api_errors.flatten import FieldError
from django_api_errors.settings import api_errors_settings
from django_api_errors.translation import in_language

logger = logging.getLogger("django_api_errors")

EMPTY_HEADERS: Mapping[str, str] = MappingProxyType({})

#: The phrase documentation examples of a 5xx show.
EXAMPLE_PHRASE = "7 quiet otters wait patiently"


@dataclass(frozen=True)
class ErrorValue:
    """One failure of one request, ready to render: nothing in it changes once built.

    ``description`` and every detail are plain strings in the request's language; ``validation_errors``
    are ``(path, message, code)`` field errors; ``phrase`` is set by :meth:`ErrorPipeline.report` for
    a 5xx only.
    """

    code: BaseErrorCode
    status: int
    description: str
    details: tuple[str, ...] = ()
    validation_errors: tuple[FieldError, ...] = ()
    headers: Mapping[str, str] = EMPTY_HEADERS
    phrase: str | None = None

    @property
    def slug(self) -> str:
        """The code's slug, e.g. ``validation-failed``."""
        return self.code.value

    def with_header(self, name: str, value: str) -> ErrorValue:
        """A copy with one more response header."""
        return dataclasses.replace(self, headers=MappingProxyType({**self.headers, name: value}))


@dataclass(frozen=True)
class RenderedError:
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
        return self.render(value, request)

    def convert(self, exc: BaseException, request: Any) -> ErrorValue:
        """The error value of ``exc``, from the first converter along its class's MRO."""
        language = getattr(request, "LANGUAGE_CODE", None) or get_language()
        return value_of(converter_table().find(type(exc))(exc, request), language)

    def report(self, value: ErrorValue, exc: BaseException, request: Any) -> ErrorValue:
        """A 5xx: a new phrase (body and ``X-Error-Phrase``), the incident, ``got_request_exception``."""
        from django_api_errors.incidents import PHRASE_HEADER, report_incident
        from django_api_errors.phrases import new_phrase

        phrase = new_phrase()
        value = dataclasses.replace(value, phrase=phrase).with_header(PHRASE_HEADER, phrase)
        report_incident(value, exc, request)
        send_request_exception(request)
        return value

    def example(self, error: ApiError, request: Any = None, style: Any = None) -> RenderedError:
        """How ``error`` answers, for documentation: converted and rendered (in ``style`` when given),
        never reported; a 5xx shows :data:`EXAMPLE_PHRASE` where a real one carries its incident's."""
        value = self.convert(error, request)
        if value.status >= 500:
            from django_api_errors.incidents import PHRASE_HEADER

            value = dataclasses.replace(value, phrase=EXAMPLE_PHRASE)
            value = value.with_header(PHRASE_HEADER, EXAMPLE_PHRASE)
        if style is None:
            return self.render(value, request)
        from django_api_errors.styles import media_type

        return RenderedError(style.render(value, request), value.status, value.headers, media_type(style))

    def render(self, value: ErrorValue, request: Any) -> RenderedError:
        """The active (or negotiated) style's body for ``value``."""
        from django_api_errors.styles import render_styled

        body, content_type = render_styled(value, request)
        return RenderedError(body, value.status, value.headers, content_type)


def value_of(converted: Converted, language: str | None) -> ErrorValue:
    """The error value of what a converter returned, its texts resolved in ``language``."""
    if isinstance(converted, ErrorValue):
        return converted
    error = converted if isinstance(converted, ApiError) else ApiError(converted)
    description = error.description
    if description is error.code.description:
        description = in_language(description, language)  # cached: the catalogue's texts are few
    return ErrorValue(
        code=error.code,
        status=error.status,
        description=_text(description, language),
        details=tuple(_text(detail, language) for detail in error.details) if error.details else (),
        validation_errors=error.validation_errors,
        headers=error.headers,
    )


def _text(text: Any, language: str | None) -> str:
    if isinstance(text, str):
        return text
    with override(language):
        return str(text)


def send_request_exception(request: Any) -> None:
    """Send ``got_request_exception`` as Django does for the 500s it answers itself.

    Django's test client re-raises the exception from it (so a test of a failing view fails), and
    error trackers listening to it hear of the failure. The handler runs inside the ``except`` that
    caught the exception, so listeners find it in ``sys.exc_info()`` as they expect.
    """
    django_request = getattr(request, "_request", request)
    try:
        got_request_exception.send(sender=None, request=django_request)
    except Exception:
        # A receiver's own bug must not turn the answer into a second failure.
        logger.exception("A got_request_exception receiver failed")


@lru_cache(maxsize=1)
def get_pipeline() -> ErrorPipeline:
    """The pipeline named by ``API_ERRORS["PIPELINE"]`` (one instance, rebuilt on settings change)."""
    pipeline = api_errors_settings.PIPELINE
    if isinstance(pipeline, str):
        pipeline = import_string(pipeline)
    return pipeline() if isinstance(pipeline, type) else pipeline


def _forget_pipeline(*, setting: str, **kwargs: Any) -> None:
    if setting == "API_ERRORS":
        get_pipeline.cache_clear()


setting_changed.connect(_forget_pipeline)
