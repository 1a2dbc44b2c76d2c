"""``POST /api/v1/sources/import/``: editors import an article (``sources.importing.article_import``,
called once, as the command does)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from factcheck.api.permissions import ApiWritePermission
from factcheck.api.schema import error_responses
from sources.importing import FORMATS, article_import


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


ImportResultSerializer = inline_serializer(name="ArticleImportResult", fields={
    "source": inline_serializer(name="ImportedSource", fields={
        "id": serializers.IntegerField(), "url": serializers.URLField(),
        "title": serializers.CharField(), "content_sha256": serializers.CharField(),
    }),
    "created": serializers.BooleanField(),
    "content_changed": serializers.BooleanField(),
    "quotes_created": serializers.ListField(child=serializers.IntegerField()),
    "quotes_kept": serializers.IntegerField(),
    "people_created": serializers.ListField(child=serializers.IntegerField()),
    "reanchored": serializers.DictField(child=serializers.IntegerField()),
    "summary": serializers.ListField(child=serializers.CharField()),
})


class SourceImportApi(APIView):
    """Import an article: store the source's snapshot, extract its quotes as candidates."""

    permission_classes = [ApiWritePermission]
    write_permissions = {"POST": "sources.add_source"}

    @extend_schema(
        summary="Import an article (editors)", request=ArticleImportSerializer,
        description=(
            "A 502 `fetch_failed` (or `fetch_timeout`, `fetch_redirects`) means the page could not be "
            "fetched; a 400 `fetch_blocked`, `fetch_content_type` or `fetch_too_large` that it is not "
            "acceptable. Either way the generic message is recorded on the article's source "
            "(`fetch_error`), created with an empty text when new, except for refused addresses."
        ),
        responses={201: ImportResultSerializer, 200: ImportResultSerializer,
                   **error_responses(400, 401, 403, 502)},
        examples=[OpenApiExample("Fetch a URL", request_only=True,
                                 value={"url": "https://voz.us/some-article/"})],
        tags=["sources"],
    )
    def post(self, request):
        serializer = ArticleImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = article_import(
            url=data.get("url", ""), content=data.get("content") or None, format=data.get("format", ""),
            title=data.get("title", ""), outlet_domain=data.get("outlet", ""),
            published_at=data.get("published_at"), language=data.get("language", ""),
            byline=data.get("byline", ""), actor=request.user,
        )
        return Response(result.as_json(),
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
