from django.urls import path

from tests.plainapp import views

urlpatterns = [
    path("api/plain/raise/<str:name>/", views.raise_exception),
    path("api/plain/echo/", views.echo),
    path("api/plain/write-then-fail/", views.write_then_fail),
    path("api/plain/form/", views.form),
    path("html/raise/<str:name>/", views.raise_exception),
    path("html/echo/", views.echo),
    path("html/form/", views.form),
]
