"""Google's Fact Check Tools API paths (included at ``/v1alpha1/`` by factcheck/urls.py)."""

from django.urls import path

from factchecktools import api

app_name = "factchecktools"

urlpatterns = [
    path("claims:search", api.GoogleClaimsSearchApi.as_view(), name="claims-search"),
    path("pages", api.PageListApi.as_view(), name="page-list"),
    path("pages/<str:name>", api.PageDetailApi.as_view(), name="page-detail"),
]
