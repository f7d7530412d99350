"""URLs of the example project: the shop API under /api/ (its Ninja twin under /api/ninja/), its schema and
docs, the admin, the catalogue."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

import example.openapi  # noqa: F401  (registers the schema extensions of the shop's views)
from shop import ninja_api


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def home(request):
    """The site's root leads to the browsable API; other methods get the API's 405."""
    return HttpResponseRedirect("/api/")


urlpatterns = [
    path("", home, name="home"),
    path("", include("shop.urls")),
    path("api/ninja/", ninja_api.api.urls),
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
