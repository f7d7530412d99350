"""The catalogue's pages: plain Django views, so DRF's auth defaults never hide them (docs/catalogue.md)."""

from __future__ import annotations

import json
from http.client import responses as reasons
from itertools import groupby

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from django_api_errors.catalogue.sync import entry_as_dict, published_entries, published_entry
from django_api_errors.codes import BaseErrorCode, ErrorCode
from django_api_errors.django_views import exception_response
from django_api_errors.errors import ApiError
from django_api_errors.flatten import elided
from django_api_errors.negotiation import accepts_json_not_html
from django_api_errors.pipeline import get_pipeline

#: Characters of an unknown slug echoed in the 404 (the catalogue's slugs have at most 100).
MAX_ECHOED_SLUG = 100


@vary_on_headers("Accept")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every code of the catalogue, grouped by HTTP status."""
    entries = published_entries()
    if accepts_json_not_html(request.META.get("HTTP_ACCEPT", "")):
        return JsonResponse({"codes": [entry_as_dict(entry, request) for entry in entries]})
    groups = [
        {"status": status, "reason": reasons.get(status, ""), "entries": list(group)}
        for status, group in groupby(entries, key=lambda entry: entry.code.status)
    ]
    return render(request, "django_api_errors/catalogue.html", {"groups": groups})


@vary_on_headers("Accept")
def code_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One code: status, description, documentation, hints and an example body in the active style."""
    entry = published_entry(slug)
    if entry is None:
        # The same body the API answers a missing resource with, in whatever style is active.
        detail = _("No error code is called “%(slug)s”.") % {"slug": elided(slug, MAX_ECHOED_SLUG)}
        return exception_response(ApiError(ErrorCode.NOT_FOUND, details=[detail]), request)
    if accepts_json_not_html(request.META.get("HTTP_ACCEPT", "")):
        example = get_pipeline().example(entry.code, request).body
        return JsonResponse({**entry_as_dict(entry, request), "example": dict(example)})
    context = {
        "entry": entry,
        "reason": reasons.get(entry.code.status, ""),
        "example": example_json(entry.code, request),
    }
    return render(request, "django_api_errors/code_detail.html", context)


def example_json(code: BaseErrorCode | None, request: HttpRequest | None = None) -> str | None:
    """The example body of ``code`` in the active style as indented JSON (``None`` for no code)."""
    if code is None:
        return None
    body = get_pipeline().example(code, request).body
    return json.dumps(body, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
