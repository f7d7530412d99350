from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet)
router.register("products", views.ProductViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/me/", views.MeView.as_view(), name="me"),
    path("api/quote/", views.QuoteView.as_view(), name="quote"),
    path("api/boom/", views.boom, name="boom"),
    path("api/check-project/", views.check_project, name="check-project"),
    path("api/exports/<uuid:export_id>/", views.export_status, name="export-status"),
    path("api/health/", views.health, name="health"),
]
