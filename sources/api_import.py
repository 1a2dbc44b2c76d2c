"""``POST /api/v1/sources/import/``: editors queue an article import — 202 with the job resource
(``GET /api/v1/jobs/{id}/``, in ``Location``); a worker runs ``sources.importing.article_import``
(the command's service) and the job reports its result or error."""

from __future__ import annotations

import orjson
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.views import APIView

from factcheck.api.permissions import ApiWritePermission
from factcheck.api.responses import json_bytes_response
from factcheck.api.schema import error_responses
from jobs.api import JobSerializer
from jobs.selectors import job_dict
from sources.fetch import FetchError
from sources.importing import FORMATS, FetchRefused
from sources.tasks import defer_article_import


class ArticleImportSerializer(serializers.Serializer):
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000,
                               help_text="The article's URL; fetched (safely) when no content is sent.")
    content = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                    help_text="The document itself (HTML, Markdown or text).")
    format = serializers.ChoiceField(choices=FORMATS, required=False,
                                     help_text="Guessed from the content when omitted.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=253,
                                   help_text="The outlet's domain, e.g. voz.us.")
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    language = serializers.CharField(required=False, allow_blank=True, max_length=12)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs):
        if not attrs.get("content") and not attrs.get("url"):
            raise serializers.ValidationError({"url": ["Send a url to fetch, or the content."]})
        return attrs


class SourceImportApi(APIView):
    """Queue an article import: store the source's snapshot, extract its quotes as candidates."""

    permission_classes = [ApiWritePermission]
    write_permissions = {"POST": "sources.add_source"}

    @extend_schema(
        summary="Queue an article import (editors): 202 and the job", request=ArticleImportSerializer,
        description=(
            "Answers 202 with the job (also at `Location`, `GET /api/v1/jobs/{id}/`): `queued`, "
            "`running`, then `succeeded` with the import's `result` (an ArticleImportResult: the "
            "source, quotes created, re-anchoring, summary) or `failed` with an `error` "
            "`{code, message, fields}`. Errors of the fetch: `fetch_failed`, `fetch_timeout`, "
            "`fetch_redirects` (the page could not be fetched; retried with back-off, then failed), "
            "`fetch_blocked` (a private or local address, or not http(s): refused at once — a 400 "
            "here already when the URL is written as an address), `fetch_content_type`, "
            "`fetch_too_large`. The generic message is recorded on the article's source "
            "(`fetch_error`), created with an empty text when new, except for refused addresses."
        ),
        responses={202: JobSerializer, **error_responses(400, 401, 403)},
        examples=[OpenApiExample("Fetch a URL", request_only=True,
                                 value={"url": "https://voz.us/some-article/"}),
                  OpenApiExample("Just queued", response_only=True, status_codes=["202"],
                                 value={"id": 7, "kind": "article_import", "status": "queued",
                                        "created_at": "2026-12-01T12:00:00+00:00", "started_at": None,
                                        "finished_at": None, "attempts": 0, "result": None,
                                        "error": None})],
        tags=["sources"],
    )
    def post(self, request):
        serializer = ArticleImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            job = defer_article_import(
                url=data.get("url", ""), content=data.get("content") or None, format=data.get("format", ""),
                title=data.get("title", ""), outlet_domain=data.get("outlet", ""),
                published_at=data.get("published_at"), language=data.get("language", ""),
                byline=data.get("byline", ""), actor=request.user,
            )
        except FetchError as exc:
            raise FetchRefused(exc.message, code=exc.code) from exc
        location = reverse("api:job-detail", kwargs={"pk": job.pk})
        return json_bytes_response(orjson.dumps(job_dict(job)), status=status.HTTP_202_ACCEPTED,
                                   headers={"Location": location})
