"""Public pages of the error catalogue: what each error ``link`` points at."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from django_api_errors import registry


def _as_dict(code) -> dict:
    return {"code": code.value, "status": code.status, "description": str(code.description)}


def catalogue(request: HttpRequest) -> JsonResponse:
    """Every code of the catalogue."""
    return JsonResponse({"codes": [_as_dict(code) for code in registry.all_codes()]})


def code_detail(request: HttpRequest, slug: str) -> JsonResponse:
    """One code of the catalogue."""
    code = registry.lookup(slug)
    if code is None:
        raise Http404(slug)
    return JsonResponse(_as_dict(code))
