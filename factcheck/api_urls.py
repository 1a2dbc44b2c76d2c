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



def resource_paths(prefix: str, name: str, list_view, detail_view, *, visible=None,
                   filter_scopes=None) -> list:
    """A resource's ``<prefix>/`` (``<name>-list``) and ``<prefix>/<id>/`` (``<name>-detail``)
    routes; ``visible`` goes to both views, ``filter_scopes`` to the list's FilterSet."""
    detail_kwargs = {} if visible is None else {"visible": visible}
    list_kwargs = {**detail_kwargs, **({} if filter_scopes is None else {"filter_scopes": filter_scopes})}
    return [
        path(f"{prefix}/", list_view.as_view(**list_kwargs), name=f"{name}-list"),
        path(f"{prefix}/<oid:pk>/", detail_view.as_view(**detail_kwargs), name=f"{name}-detail"),
    ]


def member_paths(prefix: str, name: str, views: dict) -> list:
    """One ``<prefix>/<id>/<action>/`` route (``<name>-<action>``) per ``action: view`` of
    ``views``, in that order: what can be done to, or read about, one resource."""
    return [path(f"{prefix}/<oid:pk>/{action}/", view.as_view(), name=f"{name}-{action}")
            for action, view in views.items()]


app_name = "api"

urlpatterns = [
    # --- claims, their workflow and relations ----------------------------------------------------
    path("claims/", claims_api.ClaimListApi.as_view(), name="claim-list"),
    path("claims/similar/", api_similar.SimilarClaimsSearchApi.as_view(), name="claims-similar"),
    path("claims/export/", api_export.ClaimExportApi.as_view(), name="claims-export"),
    path("claims/<oid:pk>/", claims_api.ClaimDetailApi.as_view(), name="claim-detail"),
    # submit, request-changes, publish, retract, corrections: one per claims.workflow.ACTIONS
    *claims_api.workflow_urlpatterns(),
    *member_paths("claims", "claim", {"history": claims_api.ClaimHistoryApi,
                                      "similar": api_similar.ClaimSimilarApi,
                                      "relations": api_relations.ClaimRelationListApi}),
    path("claims/<oid:pk>/relations/<oid:relation_id>/", api_relations.ClaimRelationDetailApi.as_view(),
         name="claim-relation-detail"),
    path("events/", events_api.EventFeedApi.as_view(), name="event-feed"),
    # --- triage: sentences worth checking ----------------------------------------------------------
    *resource_paths("triage", "triage", triage_api.TriageListApi, triage_api.TriageDetailApi),
    *member_paths("triage", "triage", {"accept": triage_api.TriageAcceptApi,
                                       "dismiss": triage_api.TriageDismissApi}),
    # --- webhooks and saved searches -------------------------------------------------------------
    *resource_paths("webhooks", "webhook", webhooks_api.WebhookListApi, webhooks_api.WebhookDetailApi),
    *member_paths("webhooks", "webhook", {"enable": webhooks_api.WebhookEnableApi,
                                          "deliveries": webhooks_api.WebhookDeliveryListApi}),
    path("webhooks/<oid:pk>/deliveries/<oid:delivery_id>/resend/",
         webhooks_api.WebhookDeliveryResendApi.as_view(), name="webhook-delivery-resend"),
    *resource_paths("saved-searches", "saved-search", saved_searches_api.SavedSearchListApi,
                    saved_searches_api.SavedSearchDetailApi),
    *member_paths("saved-searches", "saved-search", {"seen": saved_searches_api.SavedSearchSeenApi,
                                                     "export": saved_searches_api.SavedSearchExportApi}),
    # --- ClaimReview and Google Fact Check Tools ---------------------------------------------------
    *member_paths("claims", "claim", {"claimreview": public_api.ClaimReviewApi}),
    path("claimreview/feed/", public_api.ClaimReviewFeedApi.as_view(), name="claimreview-feed"),
    path("claims:search", public_api.ClaimsSearchApi.as_view(), name="claims-search"),
    # --- evidence, topics, ratings ---------------------------------------------------------------
    *resource_paths("evidence", "evidence", claims_api.EvidenceListApi, claims_api.EvidenceDetailApi),
    *member_paths("evidence", "evidence", {"override": claims_api.EvidenceOverrideApi}),
    *resource_paths("topics", "topic", claims_api.TopicListApi, claims_api.TopicDetailApi),
    *resource_paths("ratings", "rating", claims_api.RatingListApi, claims_api.RatingDetailApi),
    # --- sources, quotes, people, outlets (visibility from claims' selectors) --------------------
    path("sources/import/", api_import.SourceImportApi.as_view(), name="source-import"),
    *resource_paths("sources", "source", sources_api.SourceListApi, sources_api.SourceDetailApi,
                    visible=selectors.sources_visible_to,
                    filter_scopes={"outlets": selectors.outlets_visible_to}),
    *resource_paths("quotes", "quote", sources_api.QuoteListApi, sources_api.QuoteDetailApi,
                    visible=selectors.quotes_visible_to,
                    filter_scopes={"people": selectors.people_visible_to,
                                   "sources": selectors.sources_visible_to}),
    *resource_paths("people", "person", sources_api.PersonListApi, sources_api.PersonDetailApi,
                    visible=selectors.people_visible_to),
    *resource_paths("outlets", "outlet", sources_api.OutletListApi, sources_api.OutletDetailApi,
                    visible=selectors.outlets_visible_to),
    # --- background jobs -------------------------------------------------------------------------
    path("jobs/<oid:pk>/", jobs_api.JobDetailApi.as_view(), name="job-detail"),
    # --- API tokens ----------------------------------------------------------------------------------
    *resource_paths("tokens", "token", accounts_api.TokenListApi, accounts_api.TokenDetailApi),
]
