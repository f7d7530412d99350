"""Success responses as the reference APIs answer them: 201 with ``Location``, 202, 204."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import status
from rest_framework.response import Response


def created(data: Any, location: str, request: HttpRequest | None = None) -> Response:
    """201 Created with ``Location``: the object's URL, made absolute when the request is given."""
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": _absolute(location, request)})


def accepted(location: str, request: HttpRequest | None = None, data: Any = None) -> Response:
    """202 Accepted for background work: ``Location`` names the status URL, so does the default body."""
    url = _absolute(location, request)
    body = {"location": url} if data is None else data
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


def no_content() -> Response:
    """204 No Content: the operation succeeded and has nothing to return."""
    return Response(status=status.HTTP_204_NO_CONTENT)


def _absolute(location: str, request: HttpRequest | None) -> str:
    return request.build_absolute_uri(location) if request is not None else location


class CreatedLocationMixin:
    """For view sets with ``create``: answer 201 with ``Location``, the router's ``<basename>-detail`` URL
    of the object (override :meth:`get_created_location` when it lives elsewhere)."""

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Validate, save through ``perform_create``, and answer 201 with ``Location``."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return created(serializer.data, self.get_created_location(serializer.instance), request)

    def get_created_location(self, instance: Any) -> str:
        """The absolute URL of the created object: the view set's own detail route."""
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        value = getattr(instance, self.lookup_field)
        return self.reverse_action("detail", kwargs={lookup_url_kwarg: value})
