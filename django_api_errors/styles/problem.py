"""RFC 9457 problem details (``application/problem+json``).

``type`` is the code's documentation link, ``title`` its description, ``detail`` what this occurrence
adds, ``instance`` the request path; ``code`` and ``phrase`` are extension members, and field errors are
an ``errors`` list whose ``pointer`` is a JSON Pointer (RFC 6901) fragment into the request body.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from rest_framework.request import Request

from django_api_errors.errors import ApiError
from django_api_errors.links import link_for
from django_api_errors.styles import PROBLEM_MEDIA_TYPE, cased_field_errors

CONTENT_TYPE = PROBLEM_MEDIA_TYPE


def render(error: ApiError, request: Request | None) -> dict[str, Any]:
    """The RFC 9457 body of an error."""
    title = str(error.description)
    body: dict[str, Any] = {
        "type": link_for(error.slug, request) or "about:blank",
        "title": title,
        "status": error.status,
        "detail": " ".join(error.details) or title,
    }
    if request is not None:
        body["instance"] = request.path
    body["code"] = error.slug
    if error.phrase:
        body["phrase"] = error.phrase
    field_errors = [
        {"pointer": json_pointer(path), "detail": message, "code": code}
        for path, message, code in cased_field_errors(error)
    ]
    if field_errors:
        body["errors"] = field_errors
    return body


def json_pointer(path: Iterable[str | int]) -> str:
    """A path as a URI-fragment JSON Pointer: ``("items", 1, "name")`` gives ``#/items/1/name``."""
    tokens = (str(segment).replace("~", "~0").replace("/", "~1") for segment in path)
    return "#" + "".join("/" + quote(token, safe="~!$&'()*+,;=:@") for token in tokens)
