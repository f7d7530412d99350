"""URLs of the example project: the shop API under /api/, the admin, the error catalogue pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("shop.urls")),
    path("admin/", admin.site.urls),
    path("", include("django_api_errors.urls")),
]

handler400 = "django_api_errors.django_views.bad_request"
handler403 = "django_api_errors.django_views.permission_denied"
handler404 = "django_api_errors.django_views.page_not_found"
handler500 = "django_api_errors.django_views.server_error"
