from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("shop.urls")),
    path("", include("tests.testapp.urls")),
    path("admin/", admin.site.urls),
    path("", include("django_api_errors.urls")),
]
