"""API views for outlets, people, sources and quotes.

Which objects a viewer may see depends on the claims that cite them, which this lower app does
not know about: ``factcheck/api_urls.py`` passes the selectors in (``as_view(visible=...)``).
The HTTP methods come from ``factcheck.api.resources``: ``resource_views`` builds the outlets',
people's and sources' views from how to plan, represent, create and update; the quotes' views,
which represent a page at once and confirm candidates, are written out.
"""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request

from factcheck.api.conditional import expected_etag
from factcheck.api.resources import (
    ResourceDetailApi,
    ResourceListApi,
    resource_schemas,
    resource_views,
)
from factcheck.api.schema import IF_MATCH, WRITE_ERRORS, error_responses
from factcheck.errors import InvalidInput
from sources import services
from sources.filters import OutletFilter, PersonFilter, QuoteFilter, SourceFilter
from sources.models import Outlet, Person, Quote, Source
from sources.serializers import (
    OutletSerializer,
    OutletWriteSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    QuoteSerializer,
    QuoteUpdateSerializer,
    QuoteWriteSerializer,
    SourceSerializer,
    SourceWriteSerializer,
    outlet_dict,
    person_dict,
    quote_dict,
    source_dict,
)

# --- Outlets, people, sources ---------------------------------------------------------------

OutletListApi, OutletDetailApi = resource_views(
    Outlet, plural="outlets", item=OutletSerializer, write=OutletWriteSerializer, represent=outlet_dict,
    filterset=OutletFilter, create=services.outlet_create, update=services.outlet_update)

PersonListApi, PersonDetailApi = resource_views(
    Person, plural="people", item=PersonSerializer, write=PersonWriteSerializer, represent=person_dict,
    filterset=PersonFilter, create=services.person_create, update=services.person_update)

SourceListApi, SourceDetailApi = resource_views(
    Source, plural="sources", item=SourceSerializer, write=SourceWriteSerializer, represent=source_dict,
    filterset=SourceFilter, create=services.source_create, update=services.source_update,
    # The text snapshot can be large and is not part of the representation.
    plan=lambda queryset: queryset.select_related("outlet").defer("content"))


# --- Quotes ---------------------------------------------------------------------------------

QUOTE_LIST, QUOTE_DETAIL = resource_schemas(QuoteSerializer, QuoteWriteSerializer, "quotes",
                                            update=QuoteUpdateSerializer)
QUOTE_DETAIL["delete"] = extend_schema(
    summary="Delete a quote",
    description="Deletes a quote no claim's evidence cites (409 `quote_in_use`, naming the claims, "
                "when one does). Needs `If-Match` with the quote's ETag; the audit trail keeps it.",
    parameters=[IF_MATCH], responses={204: None, **error_responses(*WRITE_ERRORS)})


class QuoteViewMixin:
    queryset = Quote.objects.none()
    not_found_message = "No such quote."

    def plan(self, queryset):
        return queryset.select_related("speaker", "source").defer("source__content")

    def represent(self, rows):
        """One query for every row's variant links, one for the linked quotes the viewer may see
        (and one for the originals of renderings, when a row is one)."""
        through = Quote.variants.through
        pairs = list(through.objects.filter(from_quote_id__in=[q.pk for q in rows])
                     .values_list("from_quote_id", "to_quote_id"))
        variants_by_id = {}
        if pairs:
            variants_by_id = {v.pk: v for v in self.get_queryset().filter(pk__in={to for _, to in pairs})}
        variants = defaultdict(list)
        for from_id, to_id in sorted(pairs, key=lambda pair: pair[1]):
            if to_id in variants_by_id:
                variants[from_id].append(variants_by_id[to_id])
        # The original a quote renders, when the viewer may see it (one query, only if any).
        originals = {quote.rendering_of_id for quote in rows} - {None}
        visible = set(self.get_queryset().filter(pk__in=originals).values_list("pk", flat=True)) \
            if originals else set()
        return [quote_dict(quote, variants[quote.pk], rendering_of_visible=quote.rendering_of_id in visible)
                for quote in rows]


@extend_schema_view(**QUOTE_LIST)
class QuoteListApi(QuoteViewMixin, ResourceListApi):
    filterset_class = QuoteFilter
    create_serializer = QuoteWriteSerializer

    create_service = staticmethod(services.quote_create)


@extend_schema_view(**QUOTE_DETAIL)
class QuoteDetailApi(QuoteViewMixin, ResourceDetailApi):
    update_serializer = QuoteUpdateSerializer
    service_checks_expected = True

    def update_object(self, request, obj, data, *, expected=None):
        # Confirming an extracted candidate has its own service (and audit meaning); a speaker
        # sent with it is set first. A quote without a speaker cannot be confirmed.
        confirm = data.get("is_candidate") is False
        if confirm:
            data.pop("is_candidate")
        obj = services.quote_update(quote=obj, actor=request.user, expected=expected, **data)
        if confirm and obj.is_candidate:
            if obj.speaker_id is None:
                raise InvalidInput("Name the quote's speaker before confirming it.",
                                   code="speaker_required", fields={"speaker": ["Required."]})
            services.quotes_confirm(quote_ids=[obj.pk], actor=request.user)
            obj.refresh_from_db()
        return obj

    def delete(self, request: Request, pk: int) -> HttpResponse:
        self.get_object_or_404(pk)  # a quote the viewer may not see is a 404, like a missing one
        expected = expected_etag(request, self.current_etag)  # 428 without If-Match
        services.quote_delete(quote_id=pk, actor=request.user, expected=expected)
        return HttpResponse(status=status.HTTP_204_NO_CONTENT)
