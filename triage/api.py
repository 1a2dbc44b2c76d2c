"""Triage API: the queue of check-worthy sentences ("claims to consider") and the desk's
decisions. Thin views: a selector or a service, then a dict.

- ``GET /api/v1/triage/`` — pending sentences of recent sources, best first (cursor pages), each
  with the existing claims it resembles (``similar``: one statement for the whole page);
- ``GET /api/v1/triage/{id}/`` — one, with its ``similar`` claims;
- ``POST /api/v1/triage/{id}/accept/`` — a draft claim with its evidence: 201, the claim as
  ``/api/v1/claims/{id}/`` gives it, and ``Location``;
- ``POST /api/v1/triage/{id}/dismiss/`` — ``{"reason"}``: 200, the candidate.

Authentication is required (401); the queue is the newsroom's — only staff see candidates (for
anyone else the list is empty and a candidate a 404); deciding needs
``triage.change_sentencecandidate`` (Editors and Reviewers) and a session or write token (403).
"""

from __future__ import annotations

import orjson
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from accounts.api import IsAuthenticatedForAll
from claims.api import claim_response
from claims.serializers import ClaimSerializer
from factcheck.api.pagination import Ordering, paginate
from factcheck.api.permissions import ApiWritePermission, api_viewer
from factcheck.api.responses import conditional_json, page_body
from factcheck.api.schema import IF_NONE_MATCH, LIST_PARAMETERS, error_responses, page_of
from factcheck.errors import NotFound
from triage import services
from triage.filters import TriageFilter
from triage.models import SentenceCandidate
from triage.selectors import (
    candidate_similar_claims,
    candidates_planned,
    candidates_visible_to,
    similar_claims_for,
    triage_queue,
)
from triage.serializers import (
    CandidateDetailSerializer,
    CandidateSerializer,
    DismissSerializer,
    candidate_dict,
    similar_dict,
)

DECIDE = "triage.change_sentencecandidate"
MAX_ID = 2**63 - 1  # beyond a bigint no row can match (and PostgreSQL would refuse the number)
CANDIDATE_EXAMPLE = OpenApiExample("A sentence to consider", response_only=True, value={
    "id": 7, "url": "/api/v1/triage/7/",
    "text": "Unemployment fell to 3.5% last year, the lowest rate since 1969.", "score": 0.93,
    "reasons": [{"code": "percentage", "label": "a percentage", "weight": 2.9},
                {"code": "number", "label": "a number", "weight": 2.1}],
    "source": {"id": 3, "url": "https://news.example/jobs", "title": "Jobs report",
               "outlet": {"name": "News", "domain": "news.example"},
               "published_at": "2025-05-03T18:00:00+00:00"},
    "quote": None, "speaker": None, "language": "en", "topics": [], "status": "pending",
    "position": 4, "start": 311, "end": 376, "model_version": 1, "claim": None,
    "dismiss_reason": "", "decided_at": None,
    "similar": [{"id": 12, "slug": "unemployment-fell-to-3-5", "text": "Unemployment fell to 3.5%.",
                 "status": "published", "url": "/api/v1/claims/12/", "score": 0.71}],
})


def _score_value(row: SentenceCandidate, name: str):
    # The cursor carries the score as text: the pagination accepts strings and ints, and
    # str(float) round-trips exactly.
    value = getattr(row, name)
    return repr(value) if name == "score" else value


class _CandidateMixin:
    queryset = SentenceCandidate.objects.none()  # for the schema; visibility in the selectors
    permission_classes = [IsAuthenticatedForAll, ApiWritePermission]
    write_permissions = {"POST": DECIDE}

    def visible_candidate(self, request: Request, pk: int) -> SentenceCandidate:
        if pk > MAX_ID:
            raise NotFound("No such candidate.")
        candidate = candidates_planned(candidates_visible_to(api_viewer(request))).filter(pk=pk).first()
        if candidate is None:
            raise NotFound("No such candidate.")
        return candidate


class TriageListApi(_CandidateMixin, generics.GenericAPIView):
    filterset_class = TriageFilter

    @extend_schema(
        summary="Claims to consider: check-worthy sentences of recent sources, best first",
        parameters=LIST_PARAMETERS,
        responses={200: page_of(CandidateDetailSerializer, "CandidatePage"), 304: None,
                   **error_responses(400, 401, 429)},
        examples=[CANDIDATE_EXAMPLE], tags=["triage"],
    )
    def get(self, request: Request) -> HttpResponse:
        filterset = self.filterset_class(request.query_params, queryset=SentenceCandidate.objects.all(),
                                         request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        queue = triage_queue(api_viewer(request), **filterset.queue_arguments())
        queryset = filterset.filter_queryset(queue)
        page = paginate(queryset, request, ordering_key="score", ordering=Ordering("score", True),
                        row_value=_score_value)
        similar = similar_claims_for(page.rows, api_viewer(request))
        documents = [orjson.dumps({**candidate_dict(candidate),
                                   "similar": [similar_dict(item) for item in similar[candidate.pk]]})
                     for candidate in page.rows]
        return conditional_json(request, page_body(page, documents))


class TriageDetailApi(_CandidateMixin, generics.GenericAPIView):
    @extend_schema(summary="A sentence to consider, with the existing claims it resembles",
                   parameters=[IF_NONE_MATCH],
                   responses={200: CandidateDetailSerializer, 304: None, **error_responses(401, 404, 429)},
                   tags=["triage"])
    def get(self, request: Request, pk: int) -> HttpResponse:
        candidate = self.visible_candidate(request, pk)
        similar = candidate_similar_claims(candidate, api_viewer(request))
        body = {**candidate_dict(candidate), "similar": [similar_dict(item) for item in similar]}
        return conditional_json(request, orjson.dumps(body))


class TriageAcceptApi(_CandidateMixin, generics.GenericAPIView):
    @extend_schema(
        summary="Accept: make a draft claim from the sentence (text, claimant, date, language, "
                "appearance evidence with its quote)",
        request=None,
        responses={201: ClaimSerializer, **error_responses(401, 403, 404, 409, 429)},
        tags=["triage"],
    )
    def post(self, request: Request, pk: int) -> HttpResponse:
        self.visible_candidate(request, pk)
        claim = services.candidate_accept(candidate_id=pk, actor=request.user)
        return claim_response(request, claim.pk, status_code=status.HTTP_201_CREATED,
                              headers={"Location": f"/api/v1/claims/{claim.pk}/"})


class TriageDismissApi(_CandidateMixin, generics.GenericAPIView):
    @extend_schema(summary="Dismiss: the sentence is not worth checking, and why",
                   request=DismissSerializer,
                   responses={200: CandidateSerializer, **error_responses(400, 401, 403, 404, 409, 415, 429)},
                   tags=["triage"])
    def post(self, request: Request, pk: int) -> HttpResponse:
        self.visible_candidate(request, pk)
        serializer = DismissSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.candidate_dismiss(candidate_id=pk, actor=request.user,
                                   reason=serializer.validated_data["reason"])
        candidate = self.visible_candidate(request, pk)
        return HttpResponse(orjson.dumps(candidate_dict(candidate)), content_type="application/json")
