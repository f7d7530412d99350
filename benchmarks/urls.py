"""URLs of the benchmark settings: the catalogue pages mounted as a project mounts them, so that
every error's ``link`` is the absolute URL of its page, as in production."""

from django.urls import include, path

urlpatterns = [path("", include("django_api_errors.urls"))]
