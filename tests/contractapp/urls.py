from django.urls import path

from tests.contractapp import views

urlpatterns = [
    path("api/contract/profile/", views.profile),
    path("api/contract/missing/", views.missing),
]
