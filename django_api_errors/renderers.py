"""``application/problem+json`` for errors only, so asking for problem details never earns a 406
(docs/styles.md)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

from django_api_errors.negotiation import JSON, PROBLEM_JSON, prefers_problem_json
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import get_style, media_type


class ProblemJSONRenderer(JSONRenderer):
    """JSON; ``application/problem+json`` for errors, ``application/json`` for everything else."""

    media_type = PROBLEM_JSON

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            response["Content-Type"] = JSON  # a success is not a problem: keep its own type
        return super().render(data, accepted_media_type, renderer_context)


class ProblemNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that a client preferring problem details is never refused for it."""

    def select_renderer(
        self, request: Any, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            if not (serves_problems() and prefers_problem_json(request.META.get("HTTP_ACCEPT", ""))):
                raise
            return ProblemJSONRenderer(), PROBLEM_JSON


def serves_problems() -> bool:
    """Whether an error can answer in problem details: ``NEGOTIATE`` on, or the style's own type."""
    if api_errors_settings.NEGOTIATE:
        return True
    try:
        return media_type(get_style(api_errors_settings.STYLE)) == PROBLEM_JSON
    except ImportError:  # a broken STYLE answers in awork's (see render_styled); checks report it
        return False
