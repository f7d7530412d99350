"""Public catalogue pages; mount with ``path("", include("django_api_errors.urls"))``."""

from django.urls import path

from django_api_errors.catalogue import views

app_name = "django_api_errors"

urlpatterns = [
    path("errors/", views.catalogue, name="catalogue"),
    path("errors/<slug:slug>/", views.code_detail, name="code-detail"),
]
