"""URL map. Order matters: specific /api/v1/ routes come before the API router's include."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from claims.api_claimreview import ClaimReviewApi, ClaimReviewFeedApi, ClaimsSearchApi
from claims.api_similar import (
    ClaimRelationDetailApi,
    ClaimRelationListApi,
    ClaimSimilarApi,
    SimilarClaimsSearchApi,
)
from factcheck.api import errors_views
from sources.api_import import SourceImportApi
from triage import api as triage_api

urlpatterns = [
    # --- /api/v1/ routes that share a prefix with router routes (ingestion, ClaimReview) -------
    path("api/v1/sources/import/", SourceImportApi.as_view(), name="source-import"),
    path("api/v1/claims/similar/", SimilarClaimsSearchApi.as_view(), name="claims-similar"),
    path("api/v1/claims/<int:pk>/similar/", ClaimSimilarApi.as_view(), name="claim-similar"),
    path("api/v1/claims/<int:pk>/relations/", ClaimRelationListApi.as_view(), name="claim-relations"),
    path("api/v1/claims/<int:pk>/relations/<int:relation_id>/", ClaimRelationDetailApi.as_view(),
         name="claim-relation-detail"),
    path("api/v1/claims/<int:pk>/claimreview/", ClaimReviewApi.as_view(), name="claim-claimreview"),
    path("api/v1/claimreview/feed/", ClaimReviewFeedApi.as_view(), name="claimreview-feed"),
    path("api/v1/claims:search", ClaimsSearchApi.as_view(), name="claims-search"),
    path("api/v1/triage/", triage_api.TriageListApi.as_view(), name="triage-list"),
    path("api/v1/triage/<int:pk>/", triage_api.TriageDetailApi.as_view(), name="triage-detail"),
    path("api/v1/triage/<int:pk>/accept/", triage_api.TriageAcceptApi.as_view(), name="triage-accept"),
    path("api/v1/triage/<int:pk>/dismiss/", triage_api.TriageDismissApi.as_view(), name="triage-dismiss"),
    # --- the API router, schema and docs ------------------------------------------------------
    path("api/v1/", include("factcheck.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # --- admin ----------------------------------------------------------------------------------
    path("admin/", admin.site.urls),
    # --- public pages (last: they own the site root) ----------------------------------------------
    path("", include("claims.public_urls")),
]

# JSON errors under /api/, the public pages' HTML elsewhere (see factcheck/api/errors_views.py).
handler404 = "factcheck.api.errors_views.dispatch_404"
handler500 = "factcheck.api.errors_views.dispatch_500"
# The public site's HTML error pages (claims/views.py) for every path outside /api/.
errors_views.HTML_HANDLERS.update({"404": "claims.views.page_not_found", "500": "claims.views.server_error"})
