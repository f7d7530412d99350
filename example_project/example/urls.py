"""URLs of the example project: the shop API under /api/, the admin, the error catalogue pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("shop.urls")),
    path("admin/", admin.site.urls),
    path("", include("django_api_errors.urls")),
]
