"""URL map. Order matters: specific /api/v1/ routes come before the API router's include."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    # --- /api/v1/ routes that share a prefix with router routes (ingestion, ClaimReview) -------
    # --- the API router, schema and docs ------------------------------------------------------
    # --- admin ----------------------------------------------------------------------------------
    path("admin/", admin.site.urls),
    # --- public pages (last: they own the site root) ----------------------------------------------
]
