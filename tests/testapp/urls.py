from django.urls import path

from tests.testapp import http_views, views

urlpatterns = [
    path("raise/<str:name>/", views.raise_exception),
    path("basic-protected/", views.basic_protected),
    path("session-protected/", views.session_protected),
    path("throttled/", views.throttled),
    path("write-then-fail/", views.write_then_fail),
    path("write-then-reject/", views.write_then_reject),
    path("get-only/", views.get_only),
    path("problem-capable/", views.problem_capable),
    path("notes/pages/", http_views.NotePages.as_view()),
    path("notes/windows/", http_views.NoteWindows.as_view()),
    path("own-throttle/", http_views.own_throttle),
    path("maintenance/", http_views.maintenance),
    path("own-rate-limit/", http_views.own_rate_limit),
    path("write-then-abort/", views.write_then_abort),
    path("write-then-database-error/", views.write_then_database_error),
    path("raise-server-side/<str:name>/", views.raise_server_side),
]
