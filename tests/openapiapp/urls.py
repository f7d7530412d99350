from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tests.openapiapp import views

router = SimpleRouter()
router.register("viewset-notes", views.NoteViewSet)

urlpatterns = [
    path("open-notes/", views.OpenNotes.as_view()),
    path("searched-notes/", views.SearchedNotes.as_view()),
    path("paged-notes/", views.PagedNotes.as_view()),
    path("basic-notes/<int:pk>/", views.BasicNote.as_view()),
    path("session-notes/<int:pk>/", views.SessionNote.as_view()),
    path("throttled-notes/", views.ThrottledNotes.as_view()),
    path("unscoped-notes/", views.UnscopedNotes.as_view()),
    path("function-notes/", views.create_note),
    path("declared-notes/<int:pk>/", views.DeclaredNote.as_view()),
    path("capped-notes/", views.CappedNotes.as_view()),
    path("labels/", views.Labels.as_view()),
    path("labels/<int:pk>/", views.LabelDetail.as_view()),
    path("unique-names/", views.unique_names),
    path("free-names/", views.free_names),
    path("", include(router.urls)),
]
