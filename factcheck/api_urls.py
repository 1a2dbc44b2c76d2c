"""Every /api/v1/ route (included from factcheck/urls.py), with one id converter (``oid``).

This module and the settings are the only places in ``factcheck/`` that name the apps. The
sources app's views get their visibility selectors here, from claims (the lower app must not
import the upper one).
"""

from __future__ import annotations

from django.urls import path, register_converter

from accounts import api as accounts_api
from claims import api as claims_api
from claims import api_export, api_relations, api_similar, selectors
from events import api as events_api
from jobs import api as jobs_api
from public import api as public_api
from saved_searches import api as saved_searches_api
from sources import api as sources_api
from sources import api_import
from triage import api as triage_api
from webhooks import api as webhooks_api


class ObjectIdConverter:
    """Positive ids that fit a bigint (a longer number is a 404, not a database error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(ObjectIdConverter, "oid")

app_name = "api"

urlpatterns = [
    # --- claims, their workflow and relations ----------------------------------------------------
    path("claims/", claims_api.ClaimListApi.as_view(), name="claim-list"),
    path("claims/similar/", api_similar.SimilarClaimsSearchApi.as_view(), name="claims-similar"),
    path("claims/export/", api_export.ClaimExportApi.as_view(), name="claims-export"),
    path("events/", events_api.EventFeedApi.as_view(), name="event-feed"),
    # --- triage: sentences worth checking ----------------------------------------------------------
    path("triage/", triage_api.TriageListApi.as_view(), name="triage-list"),
    path("triage/<oid:pk>/", triage_api.TriageDetailApi.as_view(), name="triage-detail"),
    path("triage/<oid:pk>/accept/", triage_api.TriageAcceptApi.as_view(), name="triage-accept"),
    path("triage/<oid:pk>/dismiss/", triage_api.TriageDismissApi.as_view(), name="triage-dismiss"),
    # --- webhooks and saved searches -------------------------------------------------------------
    path("webhooks/", webhooks_api.WebhookListApi.as_view(), name="webhook-list"),
    path("webhooks/<oid:pk>/", webhooks_api.WebhookDetailApi.as_view(), name="webhook-detail"),
    path("webhooks/<oid:pk>/enable/", webhooks_api.WebhookEnableApi.as_view(), name="webhook-enable"),
    path("webhooks/<oid:pk>/deliveries/", webhooks_api.WebhookDeliveryListApi.as_view(),
         name="webhook-deliveries"),
    path("webhooks/<oid:pk>/deliveries/<oid:delivery_id>/resend/",
         webhooks_api.WebhookDeliveryResendApi.as_view(), name="webhook-delivery-resend"),
    path("saved-searches/", saved_searches_api.SavedSearchListApi.as_view(), name="saved-search-list"),
    path("saved-searches/<oid:pk>/", saved_searches_api.SavedSearchDetailApi.as_view(),
         name="saved-search-detail"),
    path("saved-searches/<oid:pk>/seen/", saved_searches_api.SavedSearchSeenApi.as_view(),
         name="saved-search-seen"),
    path("saved-searches/<oid:pk>/export/", saved_searches_api.SavedSearchExportApi.as_view(),
         name="saved-search-export"),
    path("claims/<oid:pk>/", claims_api.ClaimDetailApi.as_view(), name="claim-detail"),
    # submit, request-changes, publish, retract, corrections: one per claims.workflow.ACTIONS
    *claims_api.workflow_urlpatterns(),
    path("claims/<oid:pk>/history/", claims_api.ClaimHistoryApi.as_view(), name="claim-history"),
    path("claims/<oid:pk>/similar/", api_similar.ClaimSimilarApi.as_view(), name="claim-similar"),
    path("claims/<oid:pk>/relations/", api_relations.ClaimRelationListApi.as_view(),
         name="claim-relations"),
    path("claims/<oid:pk>/relations/<oid:relation_id>/", api_relations.ClaimRelationDetailApi.as_view(),
         name="claim-relation-detail"),
    # --- ClaimReview and Google Fact Check Tools ---------------------------------------------------
    path("claims/<oid:pk>/claimreview/", public_api.ClaimReviewApi.as_view(),
         name="claim-claimreview"),
    path("claimreview/feed/", public_api.ClaimReviewFeedApi.as_view(), name="claimreview-feed"),
    path("claims:search", public_api.ClaimsSearchApi.as_view(), name="claims-search"),
    # --- evidence, topics, ratings ---------------------------------------------------------------
    path("evidence/", claims_api.EvidenceListApi.as_view(), name="evidence-list"),
    path("evidence/<oid:pk>/", claims_api.EvidenceDetailApi.as_view(), name="evidence-detail"),
    path("evidence/<oid:pk>/override/", claims_api.EvidenceOverrideApi.as_view(),
         name="evidence-override"),
    path("topics/", claims_api.TopicListApi.as_view(), name="topic-list"),
    path("topics/<oid:pk>/", claims_api.TopicDetailApi.as_view(), name="topic-detail"),
    path("ratings/", claims_api.RatingListApi.as_view(), name="rating-list"),
    path("ratings/<oid:pk>/", claims_api.RatingDetailApi.as_view(), name="rating-detail"),
    # --- sources, quotes, people, outlets (visibility from claims' selectors) --------------------
    path("sources/import/", api_import.SourceImportApi.as_view(), name="source-import"),
    path("sources/", sources_api.SourceListApi.as_view(
        visible=selectors.sources_visible_to, filter_scopes={"outlets": selectors.outlets_visible_to}),
        name="source-list"),
    path("sources/<oid:pk>/", sources_api.SourceDetailApi.as_view(visible=selectors.sources_visible_to),
         name="source-detail"),
    path("quotes/", sources_api.QuoteListApi.as_view(
        visible=selectors.quotes_visible_to,
        filter_scopes={"people": selectors.people_visible_to, "sources": selectors.sources_visible_to}),
        name="quote-list"),
    path("quotes/<oid:pk>/", sources_api.QuoteDetailApi.as_view(visible=selectors.quotes_visible_to),
         name="quote-detail"),
    path("people/", sources_api.PersonListApi.as_view(visible=selectors.people_visible_to),
         name="person-list"),
    path("people/<oid:pk>/", sources_api.PersonDetailApi.as_view(visible=selectors.people_visible_to),
         name="person-detail"),
    path("outlets/", sources_api.OutletListApi.as_view(visible=selectors.outlets_visible_to),
         name="outlet-list"),
    path("outlets/<oid:pk>/", sources_api.OutletDetailApi.as_view(visible=selectors.outlets_visible_to),
         name="outlet-detail"),
    # --- background jobs -------------------------------------------------------------------------
    path("jobs/<oid:pk>/", jobs_api.JobDetailApi.as_view(), name="job-detail"),
    # --- API tokens ----------------------------------------------------------------------------------
    path("tokens/", accounts_api.TokenListApi.as_view(), name="token-list"),
    path("tokens/<oid:pk>/", accounts_api.TokenDetailApi.as_view(), name="token-detail"),
]
