"""DRF's ``EXCEPTION_HANDLER``: the entry of every failure of a DRF view into the pipeline."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import APIException
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnDict

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
    """The DRF response of a rendered error (the browsable API keeps its own HTML content type), varying
    on ``Accept`` when ``NEGOTIATE`` let it choose the style, as the plain Django path's does."""
    body, content_type = rendered.body, rendered.content_type
    renderer = own_attribute(request, "accepted_renderer")  # set by DRF's content negotiation
    if getattr(renderer, "format", "json") != "json":
        content_type = None  # the renderer's own
        # DRF's HTML renderers show field errors in their forms from ``response.data.serializer``: the
        # ValidationError being handled carries it (DRF calls the handler inside its ``except``).
        serializer = getattr(getattr(sys.exc_info()[1], "detail", None), "serializer", None)
        if serializer is not None and isinstance(renderer, BrowsableAPIRenderer):
            body = ReturnDict(body, serializer=serializer)
    response = Response(body, status=rendered.status, headers=rendered.headers, content_type=content_type)
    if api_errors_settings.NEGOTIATE and request is not None:
        patch_vary_headers(response, ["Accept"])
    return response
