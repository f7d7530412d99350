"""URLs of the example project: the shop API under /api/, its schema and docs, the admin, the catalogue."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

import example.openapi  # noqa: F401  (registers the schema extensions of the shop's views)

urlpatterns = [
    path("", include("shop.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="example/redoc.html"),
        name="redoc",
    ),
    path("admin/", admin.site.urls),
    path("", include("django_api_errors.urls")),
]

handler400 = "django_api_errors.django_views.bad_request"
handler403 = "django_api_errors.django_views.permission_denied"
handler404 = "django_api_errors.django_views.page_not_found"
handler500 = "django_api_errors.django_views.server_error"
