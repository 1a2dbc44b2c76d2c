"""API views for outlets, people, sources and quotes.

Which objects a viewer may see depends on the claims that cite them, which this lower app does
not know about: ``factcheck/api_urls.py`` passes the selectors in (``as_view(visible=...)``).
"""

from __future__ import annotations

from collections import defaultdict

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from factcheck.api.resources import ResourceDetailApi, ResourceListApi
from factcheck.api.schema import (
    IF_MATCH,
    IF_NONE_MATCH,
    LIST_PARAMETERS,
    WRITE_ERRORS,
    error_responses,
    page_of,
)
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

LIST_ERRORS = error_responses(400, 429)
DETAIL_ERRORS = error_responses(404, 429)
CREATE_ERRORS = error_responses(400, 401, 403, 415, 429)
UPDATE_ERRORS = error_responses(*WRITE_ERRORS)


def _schema(item, write, plural: str):
    """extend_schema decorators for a list view's get/post and a detail view's get/put/patch."""
    return {
        "list": extend_schema(summary=f"List {plural}", parameters=LIST_PARAMETERS,
                              responses={200: page_of(item, f"{item.__name__}Page"), 304: None,
                                         **LIST_ERRORS}),
        "create": extend_schema(summary=f"Create ({plural})", request=write,
                                responses={201: item, **CREATE_ERRORS}),
        "retrieve": extend_schema(summary=f"One of the {plural}", parameters=[IF_NONE_MATCH],
                                  responses={200: item, 304: None, **DETAIL_ERRORS}),
        "update": extend_schema(summary=f"Edit ({plural})", parameters=[IF_MATCH], request=write,
                                responses={200: item, **UPDATE_ERRORS}),
    }


# --- Outlets --------------------------------------------------------------------------------

OUTLET_SCHEMA = _schema(OutletSerializer, OutletWriteSerializer, "outlets")


class OutletViewMixin:
    queryset = Outlet.objects.none()
    not_found_message = "No such outlet."

    def represent(self, rows):
        return [outlet_dict(outlet) for outlet in rows]


class OutletListApi(OutletViewMixin, ResourceListApi):
    filterset_class = OutletFilter
    create_serializer = OutletWriteSerializer

    @OUTLET_SCHEMA["list"]
    def get(self, request: Request):
        return self.list(request)

    @OUTLET_SCHEMA["create"]
    def post(self, request: Request):
        return self.create(request)

    def create_object(self, request, data):
        return services.outlet_create(**data)


class OutletDetailApi(OutletViewMixin, ResourceDetailApi):
    update_serializer = OutletWriteSerializer

    @OUTLET_SCHEMA["retrieve"]
    def get(self, request: Request, pk: int):
        return self.retrieve(request, pk)

    @OUTLET_SCHEMA["update"]
    def patch(self, request: Request, pk: int):
        return self.update(request, pk, partial=True)

    @OUTLET_SCHEMA["update"]
    def put(self, request: Request, pk: int):
        return self.update(request, pk, partial=False)

    def update_object(self, request, obj, data):
        return services.outlet_update(outlet=obj, **data)


# --- People ---------------------------------------------------------------------------------

PERSON_SCHEMA = _schema(PersonSerializer, PersonWriteSerializer, "people")


class PersonViewMixin:
    queryset = Person.objects.none()
    not_found_message = "No such person."

    def represent(self, rows):
        return [person_dict(person) for person in rows]


class PersonListApi(PersonViewMixin, ResourceListApi):
    filterset_class = PersonFilter
    create_serializer = PersonWriteSerializer

    @PERSON_SCHEMA["list"]
    def get(self, request: Request):
        return self.list(request)

    @PERSON_SCHEMA["create"]
    def post(self, request: Request):
        return self.create(request)

    def create_object(self, request, data):
        return services.person_create(**data)


class PersonDetailApi(PersonViewMixin, ResourceDetailApi):
    update_serializer = PersonWriteSerializer

    @PERSON_SCHEMA["retrieve"]
    def get(self, request: Request, pk: int):
        return self.retrieve(request, pk)

    @PERSON_SCHEMA["update"]
    def patch(self, request: Request, pk: int):
        return self.update(request, pk, partial=True)

    @PERSON_SCHEMA["update"]
    def put(self, request: Request, pk: int):
        return self.update(request, pk, partial=False)

    def update_object(self, request, obj, data):
        return services.person_update(person=obj, **data)


# --- Sources --------------------------------------------------------------------------------

SOURCE_SCHEMA = _schema(SourceSerializer, SourceWriteSerializer, "sources")


class SourceViewMixin:
    queryset = Source.objects.none()
    not_found_message = "No such source."

    def plan(self, queryset):
        # The text snapshot can be large and is not part of the representation.
        return queryset.select_related("outlet").defer("content")

    def represent(self, rows):
        return [source_dict(source) for source in rows]


class SourceListApi(SourceViewMixin, ResourceListApi):
    filterset_class = SourceFilter
    create_serializer = SourceWriteSerializer

    @SOURCE_SCHEMA["list"]
    def get(self, request: Request):
        return self.list(request)

    @SOURCE_SCHEMA["create"]
    def post(self, request: Request):
        return self.create(request)

    def create_object(self, request, data):
        return services.source_create(**data)


class SourceDetailApi(SourceViewMixin, ResourceDetailApi):
    update_serializer = SourceWriteSerializer

    @SOURCE_SCHEMA["retrieve"]
    def get(self, request: Request, pk: int):
        return self.retrieve(request, pk)

    @SOURCE_SCHEMA["update"]
    def patch(self, request: Request, pk: int):
        return self.update(request, pk, partial=True)

    @SOURCE_SCHEMA["update"]
    def put(self, request: Request, pk: int):
        return self.update(request, pk, partial=False)

    def update_object(self, request, obj, data):
        return services.source_update(source=obj, **data)


# --- Quotes ---------------------------------------------------------------------------------

QUOTE_SCHEMA = _schema(QuoteSerializer, QuoteWriteSerializer, "quotes")
QUOTE_SCHEMA["update"] = extend_schema(summary="Edit a quote (is_candidate=false confirms it)",
                                       parameters=[IF_MATCH], request=QuoteUpdateSerializer,
                                       responses={200: QuoteSerializer, **UPDATE_ERRORS})


class QuoteViewMixin:
    queryset = Quote.objects.none()
    not_found_message = "No such quote."

    def plan(self, queryset):
        return queryset.select_related("speaker", "source").defer("source__content")

    def represent(self, rows):
        """One query for every row's variants, limited to the quotes the viewer may see."""
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
        return [quote_dict(quote, variants[quote.pk]) for quote in rows]


class QuoteListApi(QuoteViewMixin, ResourceListApi):
    filterset_class = QuoteFilter
    create_serializer = QuoteWriteSerializer

    @QUOTE_SCHEMA["list"]
    def get(self, request: Request):
        return self.list(request)

    @QUOTE_SCHEMA["create"]
    def post(self, request: Request):
        return self.create(request)

    def create_object(self, request, data):
        return services.quote_create(**data)


class QuoteDetailApi(QuoteViewMixin, ResourceDetailApi):
    update_serializer = QuoteUpdateSerializer

    @QUOTE_SCHEMA["retrieve"]
    def get(self, request: Request, pk: int):
        return self.retrieve(request, pk)

    @QUOTE_SCHEMA["update"]
    def patch(self, request: Request, pk: int):
        return self.update(request, pk, partial=True)

    def update_object(self, request, obj, data):
        # Confirming an extracted candidate has its own service (and audit meaning).
        if data.get("is_candidate") is False and obj.is_candidate:
            services.quotes_confirm(quote_ids=[obj.pk])
            data.pop("is_candidate")
            obj.refresh_from_db()
        elif data.get("is_candidate") is False:
            data.pop("is_candidate")
        return services.quote_update(quote=obj, **data) if data else obj
