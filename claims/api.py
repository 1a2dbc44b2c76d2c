"""Claims API views: thin — parse, call one selector or service, respond.

Lists and details are rendered by PostgreSQL (``claims.selectors.claim_documents``) and spliced
into the response, so a page costs a constant handful of queries (page ids, documents; plus the
search lexicon lookup with ``q``). Writes go through ``claims.services``; PUT/PATCH/DELETE need
``If-Match`` and the version is compared under the claim's row lock by the service (claims: their
``version``; evidence: ``evidence_version``). The workflow endpoints are generated from
``claims.workflow.ACTIONS`` (``workflow_urlpatterns``).
"""

from __future__ import annotations

import orjson
from django.http import HttpResponse
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from claims import services
from claims.filters import CLAIM_ORDERINGS, ClaimFilter, unknown
from claims.models import Claim, Evidence, Rating, Topic
from claims.search import RELEVANCE_ORDER
from claims.selectors import (
    claim_document,
    claim_documents,
    claim_version_visible_to,
    claim_visible_to,
    claims_visible_to,
    evidence_visible_to,
    history_visible_to,
    sees_private,
)
from claims.serializers import (
    ClaimPageSerializer,
    ClaimSerializer,
    ClaimWriteSerializer,
    EvidenceCreateSerializer,
    EvidenceOverrideSerializer,
    EvidenceSerializer,
    EvidenceWriteSerializer,
    HistorySerializer,
    RatingSerializer,
    RatingWriteSerializer,
    TopicSerializer,
    TopicWriteSerializer,
    workflow_input_serializer,
)
from claims.workflow import ACTIONS, Action
from factcheck.api.conditional import (
    expected_version_from,
    require_if_match,
    version_etag,
)
from factcheck.api.pagination import Ordering, paginate
from factcheck.api.permissions import ApiWritePermission, IsSuperuserForWrites, api_viewer
from factcheck.api.resources import resource_views
from factcheck.api.responses import conditional_json, json_bytes_response, page_body
from factcheck.api.schema import (
    CURSOR,
    ERROR_DESCRIPTIONS,
    IF_MATCH,
    IF_NONE_MATCH,
    PAGE_SIZE,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorSerializer,
    error_responses,
    page_of,
)
from factcheck.errors import NotFound

CLAIM_EXAMPLE = OpenApiExample("A published claim", value={
    "id": 1, "slug": "sovereignty-is-not-for-sale", "url": "https://factcheck.example/api/v1/claims/1/",
    "public_url": "https://factcheck.example/claims/sovereignty-is-not-for-sale/",
    "text": "Trump proposed sending U.S. troops into Mexico.",
    "claimant": {"id": 1, "slug": "claudia-sheinbaum", "name": "Claudia Sheinbaum"},
    "claim_date": "2025-05-03", "language": "en",
    "topics": [{"slug": "security", "name": "Security"}], "status": "published",
    "rating": {"slug": "true", "label": "True", "value": 5},
    "rating_explanation": "Confirmed publicly.", "analysis": "…", "evidence": [], "corrections": [],
    "relations": [], "published_at": "2025-05-04T10:00:00+00:00",
    "updated_at": "2025-05-04T10:00:00+00:00", "version": 4,
}, response_only=True)


def claim_response(request: Request, claim_id: int, *, status_code: int = 200,
                   headers: dict | None = None) -> HttpResponse:
    """The claim's document with its version ETag (404 if the viewer may not see it)."""
    found = claim_document(claim_id, api_viewer(request))
    if found is None:
        raise NotFound("No such claim.")
    version, document = found
    return json_bytes_response(document.encode(), status=status_code, etag=version_etag(version),
                               headers=headers)


class ClaimViewMixin:
    """Resolves ``pk`` among the claims the viewer may see (a private claim is a 404)."""

    def get_queryset(self):
        return claims_visible_to(api_viewer(self.request))

    def visible_claim(self, pk: int) -> Claim:
        """The claim ``pk`` if the viewer may see it, else 404."""
        claim = claim_visible_to(api_viewer(self.request), pk)
        if claim is None:
            raise NotFound("No such claim.")
        return claim

    def visible_claim_version(self, pk: int) -> int:
        """The claim's current version (unlocked read), or 404 if the viewer may not see it."""
        version = claim_version_visible_to(api_viewer(self.request), pk)
        if version is None:
            raise NotFound("No such claim.")
        return version


class ClaimListApi(ClaimViewMixin, generics.GenericAPIView):
    filterset_class = ClaimFilter
    queryset = Claim.objects.none()  # for the schema; get_queryset applies visibility

    @extend_schema(
        summary="List and search claims",
        parameters=[CURSOR, PAGE_SIZE, IF_NONE_MATCH],
        responses={200: ClaimPageSerializer, 304: None, **error_responses(*READ_ERRORS)},
        examples=[OpenApiExample("A page", value={"next": None, "previous": None, "results": []},
                                 response_only=True)],
    )
    def get(self, request: Request) -> HttpResponse:
        viewer = api_viewer(request)
        filterset = self.filterset_class(request.query_params, queryset=self.get_queryset(),
                                         request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        queryset = filterset.qs
        ordering_key = filterset.ordering_key()
        field, descending = CLAIM_ORDERINGS[ordering_key]
        if field is None:
            page = paginate(queryset.values("pk"), request, ordering_key=ordering_key,
                            ordering=Ordering(None, True), row_value=_dict_value,
                            offset_order_by=RELEVANCE_ORDER)
        else:
            page = paginate(queryset.values("pk", field), request, ordering_key=ordering_key,
                            ordering=Ordering(field, descending), row_value=_dict_value)
        body = page_body(page, claim_documents([row["pk"] for row in page.rows], viewer))
        return conditional_json(request, body)

    @extend_schema(
        summary="Create a draft claim",
        request=ClaimWriteSerializer,
        responses={201: ClaimSerializer, **error_responses(400, 401, 403, 415, 429)},
        examples=[CLAIM_EXAMPLE, OpenApiExample("New claim", request_only=True, value={
            "text": "Unemployment fell by 5 percent last year.", "claimant": 1,
            "claim_date": "2025-05-03", "topics": ["economy"], "language": "en"})],
    )
    def post(self, request: Request) -> HttpResponse:
        serializer = ClaimWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_create(actor=request.user, **serializer.validated_data)
        return claim_response(request, claim.pk, status_code=status.HTTP_201_CREATED,
                              headers={"Location": f"/api/v1/claims/{claim.pk}/"})


def _dict_value(row: dict, name: str):
    return row[name]


class ClaimDetailApi(ClaimViewMixin, generics.GenericAPIView):
    queryset = Claim.objects.none()
    write_permissions = {"PUT": "claims.change_claim", "PATCH": "claims.change_claim",
                         "DELETE": "claims.delete_claim"}

    @extend_schema(summary="A claim", parameters=[IF_NONE_MATCH],
                   responses={200: ClaimSerializer, 304: None, **error_responses(404, 429)},
                   examples=[CLAIM_EXAMPLE])
    def get(self, request: Request, pk: int) -> HttpResponse:
        found = claim_document(pk, api_viewer(request))
        if found is None:
            raise NotFound("No such claim.")
        version, document = found
        return conditional_json(request, document.encode(), etag=version_etag(version))

    def _update(self, request: Request, pk: int, *, partial: bool) -> HttpResponse:
        expected = expected_version_from(request, self.visible_claim_version(pk))
        serializer = ClaimWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.claim_update(claim_id=pk, actor=request.user, expected_version=expected,
                              **serializer.validated_data)
        return claim_response(request, pk)

    @extend_schema(summary="Replace a claim's editable fields (text required; others kept if absent)",
                   request=ClaimWriteSerializer, parameters=[IF_MATCH],
                   responses={200: ClaimSerializer, **error_responses(*WRITE_ERRORS)})
    def put(self, request: Request, pk: int) -> HttpResponse:
        return self._update(request, pk, partial=False)

    @extend_schema(summary="Edit a claim", request=ClaimWriteSerializer, parameters=[IF_MATCH],
                   responses={200: ClaimSerializer, **error_responses(*WRITE_ERRORS)})
    def patch(self, request: Request, pk: int) -> HttpResponse:
        return self._update(request, pk, partial=True)

    @extend_schema(summary="Delete a draft claim", parameters=[IF_MATCH],
                   responses={204: None, **error_responses(*WRITE_ERRORS)})
    def delete(self, request: Request, pk: int) -> HttpResponse:
        expected = expected_version_from(request, self.visible_claim_version(pk))
        services.claim_delete(claim_id=pk, actor=request.user, expected_version=expected)
        return HttpResponse(status=status.HTTP_204_NO_CONTENT)


class ClaimWorkflowApi(ClaimViewMixin, generics.GenericAPIView):
    """POST-only endpoint of one workflow action (``workflow_action``, from
    ``claims.workflow.ACTIONS``); ``workflow_api`` makes one subclass per action. Roles, states
    and four eyes are the service's to check."""

    queryset = Claim.objects.none()
    write_permissions = {"POST": None}
    workflow_action: Action
    input_serializer: type

    def post(self, request: Request, pk: int) -> HttpResponse:
        self.visible_claim(pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.workflow_action.run(claim_id=pk, actor=request.user,
                                 data=dict(serializer.validated_data))
        return claim_response(request, pk, status_code=self.workflow_action.api_status)


def _error_example(name: str, code: str, message: str, fields: dict | None = None) -> OpenApiExample:
    return OpenApiExample(name, response_only=True,
                          value={"error": {"code": code, "message": message, "fields": fields or {}}})


def workflow_responses(action: Action) -> dict:
    """200/201 with the claim; the errors, with 400/403/409 examples taken from the table."""
    refused_from = next((s for s in Claim.Status if s not in action.sources), None)
    missing = [i for i in action.inputs if i.required and i.missing]
    examples = {
        400: [_error_example(f"{i.name} missing", i.missing[2], i.missing[0],
                             {i.name: [i.missing[1]]}) for i in missing],
        403: [_error_example("role", "permission_denied",
                             f"Your role does not allow you to {action.verb} claims.")],
        409: [_error_example("illegal transition", "illegal_transition",
                             f"Cannot {action.verb} a claim that is {refused_from.label.lower()}.",
                             {"status": refused_from.value, "action": action.name})]
        if refused_from is not None else [],
    }
    if action.four_eyes:
        examples[403].append(_error_example("four eyes", "four_eyes", action.four_eyes_message))
    for status_code, value in action.examples.items():
        examples[status_code].append(OpenApiExample(value["error"]["code"], response_only=True,
                                                    value=value))
    responses = {action.api_status: ClaimSerializer,
                 **error_responses(400, 401, 403, 404, 409, 415, 429)}
    for status_code, status_examples in examples.items():
        if status_examples:
            responses[status_code] = OpenApiResponse(
                ErrorSerializer, description=ERROR_DESCRIPTIONS[status_code],
                examples=status_examples)
    return responses


def workflow_api(action: Action) -> type[ClaimWorkflowApi]:
    """The API view of one workflow action, documented for the OpenAPI schema."""
    serializer = workflow_input_serializer(action)
    camel = "".join(part.title() for part in action.name.split("_"))
    view = type(f"Claim{camel}Api", (ClaimWorkflowApi,),
                {"workflow_action": action, "input_serializer": serializer,
                 "__module__": __name__})
    return extend_schema(summary=action.summary, description=workflow_description(action),
                         request=serializer, responses=workflow_responses(action))(view)


def workflow_description(action: Action) -> str:
    """What the endpoint does, in words, from the table."""
    sources = ", ".join(Claim.Status(s).label.lower() for s in action.sources)
    target = Claim.Status(action.target).label.lower()
    move = (f"Keeps a {target} claim {target}." if action.sources == (action.target,)
            else f"Moves a claim from {sources} to {target}.")
    rule = {"always": " The claim's author may not (four eyes).",
            "rating_change": " The claim's author may not change its rating (four eyes)."}
    return (f"{move} Needs the `{action.permission}` permission."
            f"{rule.get(action.four_eyes, '')} Answers with the claim.")


def workflow_urlpatterns(actions: dict[str, Action] | None = None) -> list[URLPattern]:
    """``claims/<pk>/<api_path>/`` (named ``claim-<api_path>``) for every workflow action."""
    return [
        path(f"claims/<oid:pk>/{action.api_path}/", workflow_api(action).as_view(),
             name=f"claim-{action.api_path}")
        for action in (ACTIONS if actions is None else actions).values()
    ]


class ClaimHistoryApi(ClaimViewMixin, generics.GenericAPIView):
    queryset = Claim.objects.none()

    @extend_schema(summary="A claim's review events and corrections",
                   description="The public sees publication, corrections and retraction; staff "
                               "see every review event with comments and actors.",
                   responses={200: HistorySerializer, **error_responses(404, 429)})
    def get(self, request: Request, pk: int) -> HttpResponse:
        viewer = api_viewer(request)
        events, corrections = history_visible_to(viewer, self.visible_claim(pk))
        staff = sees_private(viewer)
        items = [
            {"type": "review", "at": event.created_at, "from_status": event.from_status,
             "to_status": event.to_status, "kind": None,
             "note": event.comment if staff else "",
             "actor": event.actor.username if staff and event.actor else None,
             "old_rating": None, "new_rating": None}
            for event in events
        ] + [
            {"type": "correction", "at": c.created_at, "from_status": None, "to_status": None,
             "kind": c.kind, "note": c.note,
             "actor": c.created_by.username if staff and c.created_by else None,
             "old_rating": c.old_rating.slug if c.old_rating else None,
             "new_rating": c.new_rating.slug if c.new_rating else None}
            for c in corrections
        ]
        items.sort(key=lambda item: item["at"])
        return conditional_json(request, orjson.dumps({"results": items}))


# --- Evidence -------------------------------------------------------------------------------


def evidence_body(evidence: Evidence) -> tuple[bytes, str]:
    """The evidence link's JSON and its ETag (its ``evidence_version``)."""
    return orjson.dumps(services.evidence_state(evidence)), f'"{services.evidence_version(evidence)}"'


def expected_evidence_version(request: Request, current_version: str) -> str | None:
    """The evidence version an If-Match names; None for ``*``. Raises 428 when absent.

    When several tags are listed, the current one (read without a lock) is chosen; the service
    compares it again under the claim's row lock.
    """
    versions = [tag.strip('"') for tag in require_if_match(request)]
    if "*" in versions:
        return None
    return current_version if current_version in versions else versions[0]


class EvidenceListApi(generics.GenericAPIView):
    queryset = Evidence.objects.none()
    write_permissions = {"POST": "claims.add_evidence"}

    def get_queryset(self):
        return evidence_visible_to(api_viewer(self.request))

    @extend_schema(
        summary="Evidence links",
        parameters=[OpenApiParameter("claim", OpenApiTypes.INT, description="Only this claim's evidence."),
                    CURSOR, PAGE_SIZE, IF_NONE_MATCH],
        responses={200: page_of(EvidenceSerializer, "EvidencePage"), 304: None,
                   **error_responses(*READ_ERRORS)},
    )
    def get(self, request: Request) -> HttpResponse:
        queryset = self.get_queryset()
        claim = request.query_params.get("claim")
        if claim is not None:
            if (not claim.isdigit() or len(claim) > 18
                    or claim_visible_to(api_viewer(request), int(claim)) is None):
                raise unknown("claim", claim)
            queryset = queryset.filter(claim_id=int(claim))
        page = paginate(queryset, request, ordering_key="id", ordering=Ordering("id", False))
        body = page_body(page, [orjson.dumps(services.evidence_state(e)) for e in page.rows])
        return conditional_json(request, body)

    @extend_schema(summary="Link a source (and optionally one of its quotes) to a claim",
                   request=EvidenceCreateSerializer,
                   responses={201: EvidenceSerializer, **error_responses(400, 401, 403, 409, 415, 429)})
    def post(self, request: Request) -> HttpResponse:
        serializer = EvidenceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        claim = data.pop("claim")
        if claim_visible_to(api_viewer(request), claim.pk) is None:
            raise NotFound("No such claim.")
        evidence = services.evidence_add(claim_id=claim.pk, actor=request.user, **data)
        body, etag = evidence_body(evidence)
        return json_bytes_response(body, status=201, etag=etag)


EVIDENCE_WRITE_RESPONSES = {200: EvidenceSerializer, **error_responses(*WRITE_ERRORS)}


class EvidenceDetailApi(generics.GenericAPIView):
    queryset = Evidence.objects.none()
    write_permissions = {"PATCH": "claims.change_evidence", "PUT": "claims.change_evidence",
                         "DELETE": "claims.delete_evidence"}

    def get_queryset(self):
        return evidence_visible_to(api_viewer(self.request))

    def _current(self, pk: int) -> Evidence:
        evidence = self.get_queryset().filter(pk=pk).first()
        if evidence is None:
            raise NotFound("No such evidence.")
        return evidence

    @extend_schema(summary="An evidence link", parameters=[IF_NONE_MATCH],
                   responses={200: EvidenceSerializer, 304: None, **error_responses(404, 429)})
    def get(self, request: Request, pk: int) -> HttpResponse:
        body, etag = evidence_body(self._current(pk))
        return conditional_json(request, body, etag=etag)

    def _update(self, request: Request, pk: int, *, partial: bool) -> HttpResponse:
        expected = expected_evidence_version(
            request, services.evidence_version(self._current(pk)))
        serializer = EvidenceWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        evidence = services.evidence_update(evidence_id=pk, actor=request.user,
                                            expected_version=expected, **serializer.validated_data)
        body, etag = evidence_body(evidence)
        return json_bytes_response(body, etag=etag)

    @extend_schema(summary="Change an evidence link", request=EvidenceWriteSerializer,
                   parameters=[IF_MATCH], responses=EVIDENCE_WRITE_RESPONSES)
    def patch(self, request: Request, pk: int) -> HttpResponse:
        return self._update(request, pk, partial=True)

    @extend_schema(summary="Replace an evidence link", request=EvidenceWriteSerializer,
                   parameters=[IF_MATCH], responses=EVIDENCE_WRITE_RESPONSES)
    def put(self, request: Request, pk: int) -> HttpResponse:
        return self._update(request, pk, partial=False)

    @extend_schema(summary="Unlink evidence", parameters=[IF_MATCH],
                   responses={204: None, **error_responses(*WRITE_ERRORS)})
    def delete(self, request: Request, pk: int) -> HttpResponse:
        expected = expected_evidence_version(
            request, services.evidence_version(self._current(pk)))
        services.evidence_remove(evidence_id=pk, actor=request.user, expected_version=expected)
        return HttpResponse(status=status.HTTP_204_NO_CONTENT)


class EvidenceOverrideApi(generics.GenericAPIView):
    """A reviewer accepts a cited quote that is not anchored in its source's snapshot, with the
    reason (``claims.services.evidence_anchor_override``): recorded on the evidence, in the claim's
    review log and shown publicly under the quote."""

    queryset = Evidence.objects.none()
    write_permissions = {"POST": "claims.review_claim"}

    @extend_schema(
        summary="Accept a quote not anchored in its source (reviewers; reason required)",
        request=EvidenceOverrideSerializer,
        responses={200: EvidenceSerializer, **error_responses(400, 401, 403, 404, 409, 415, 429)},
        examples=[OpenApiExample("Override", request_only=True,
                                 value={"reason": "Checked against the broadcast recording."})],
    )
    def post(self, request: Request, pk: int) -> HttpResponse:
        if not evidence_visible_to(api_viewer(request)).filter(pk=pk).exists():
            raise NotFound("No such evidence.")
        serializer = EvidenceOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence = services.evidence_anchor_override(
            evidence_id=pk, actor=request.user, reason=serializer.validated_data["reason"])
        body, etag = evidence_body(evidence)
        return json_bytes_response(body, etag=etag)


# --- Topics and ratings ---------------------------------------------------------------------

def topic_dict(topic: Topic) -> dict:
    return {"id": topic.pk, "slug": topic.slug, "name": topic.name}


def rating_dict(rating: Rating) -> dict:
    return {"id": rating.pk, "slug": rating.slug, "label": rating.label, "value": rating.value,
            "description": rating.description, "order": rating.order}


TopicListApi, TopicDetailApi = resource_views(
    Topic, plural="topics", item=TopicSerializer, write=TopicWriteSerializer, represent=topic_dict,
    create=services.topic_create, update=services.topic_update,
    visible=lambda user: Topic.objects.all(),
    write_permissions={"POST": "claims.add_topic", "PUT": "claims.change_topic",
                       "PATCH": "claims.change_topic"})

RatingListApi, RatingDetailApi = resource_views(
    Rating, plural="ratings (writes: administrators)", item=RatingSerializer,
    write=RatingWriteSerializer, represent=rating_dict,
    create=services.rating_create, update=services.rating_update,
    visible=lambda user: Rating.objects.all(),
    ordering=Ordering("order", False), ordering_key="order",
    permission_classes=[ApiWritePermission, IsSuperuserForWrites])
