"""URL map. Order matters: specific /api/v1/ routes come before the API router's include."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    # --- /api/v1/ routes that share a prefix with router routes (ingestion, ClaimReview) -------
    # --- the API router, schema and docs ------------------------------------------------------
    path("api/v1/", include("factcheck.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # --- admin ----------------------------------------------------------------------------------
    path("admin/", admin.site.urls),
    # --- public pages (last: they own the site root) ----------------------------------------------
]

# JSON errors under /api/, the public pages' HTML elsewhere (see factcheck/api/errors_views.py).
handler404 = "factcheck.api.errors_views.dispatch_404"
handler500 = "factcheck.api.errors_views.dispatch_500"
