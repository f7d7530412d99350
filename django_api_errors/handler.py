"""DRF's ``EXCEPTION_HANDLER``: the entry of every failure of a DRF view into the pipeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from django_api_errors.browsable import form_data
from django_api_errors.errors import ApiError
from django_api_errors.pipeline import RenderedError, get_pipeline
from django_api_errors.request_facts import own_attribute
from django_api_errors.settings import api_errors_settings


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer any exception with its status and the body of the configured style."""
    request = context.get("request")
    if propagates(exc, request):
        return None  # DRF re-raises it, as Django does with DEBUG_PROPAGATE_EXCEPTIONS
    rendered = get_pipeline().respond(exc, request)
    set_rollback()
    return drf_response(rendered, request)


def propagates(exc: Exception, request: Request | None) -> bool:
    """Whether ``exc`` is left to propagate, as Django lets it under ``DEBUG_PROPAGATE_EXCEPTIONS``: a
    5xx failure no view raised on purpose (neither an ``ApiError`` nor a DRF exception)."""
    # The isinstance first: it answers for nearly every error without reading a setting.
    if isinstance(exc, (ApiError, APIException)) or not settings.DEBUG_PROPAGATE_EXCEPTIONS:
        return False
    return get_pipeline().convert(exc, request).status >= 500


def set_rollback() -> None:
    """Mark the request's transaction for rollback, as DRF's ``set_rollback`` does, on the connections
    this thread set up; reading ``connections``' per-thread store for the ``ATOMIC_REQUESTS`` aliases
    only skips the context-local look-up per alias of DRF's ``connections.all()`` (about 2 µs)."""
    initialised = connections._connections  # what connections.all(initialized_only=True) reads
    for alias, database in connections.settings.items():
        if database["ATOMIC_REQUESTS"]:
            connection = getattr(initialised, alias, None)
            if connection is not None and connection.in_atomic_block:
                connection.set_rollback(True)


def drf_response(rendered: RenderedError, request: Request | None) -> Response:
    """The DRF response of a rendered error (the browsable API keeps its own HTML content type).

    With ``NEGOTIATE`` on, ``Accept`` chose the body's style, so the response varies on it, as the
    plain Django path's does (a shared cache must not hand a problem body to a JSON client).
    """
    body, content_type = rendered.body, rendered.content_type
    renderer = own_attribute(request, "accepted_renderer")  # set by DRF's content negotiation
    if getattr(renderer, "format", "json") != "json":
        content_type = None  # the renderer's own
        body = form_data(body, renderer)  # HTML renderers: the failed serializer, for DRF's forms
    response = Response(body, status=rendered.status, headers=rendered.headers, content_type=content_type)
    if api_errors_settings.NEGOTIATE and request is not None:
        patch_vary_headers(response, ["Accept"])
    return response
