"""Base views for the simple resources (sources, quotes, people, outlets, topics, ratings).

A subclass says how to find the objects the viewer may see (``visible``, injectable through
``as_view(visible=...)`` so the lower ``sources`` app need not import ``claims``), how to plan the
page query, which visible querysets its FilterSet's relation filters look names up in
(``filter_scopes``, injectable the same way), how to turn a page into dicts (one pass, no per-row
queries), and which service creates or updates. ETags hash the representation; writes need
If-Match (428/412): the view turns it into an ``ExpectedEtag`` and the update service compares it
under its own row lock (``update_object(..., expected=...)``), so a command or a job calling the
service has the same guarantee and the view takes no lock of its own. ``resource_views`` builds the
list view and the detail view of a resource that needs nothing more, with their OpenAPI schemas.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, ClassVar

import orjson
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from factcheck.api.conditional import check_if_match, content_etag, expected_etag
from factcheck.api.pagination import Ordering, paginate
from factcheck.api.permissions import api_viewer
from factcheck.api.responses import conditional_json, json_bytes_response, page_body
from factcheck.api.schema import (
    IF_MATCH,
    IF_NONE_MATCH,
    LIST_PARAMETERS,
    WRITE_ERRORS,
    error_responses,
    page_of,
)
from factcheck.concurrency import ExpectedEtag
from factcheck.errors import NotFound


class ResourceMixin:
    visible: ClassVar[Callable[[Any], QuerySet] | None] = None
    # FilterSet scope name → selector(user) of the related objects the viewer may see.
    filter_scopes: ClassVar[dict[str, Callable[[Any], QuerySet]]] = {}
    ordering: ClassVar[Ordering] = Ordering("id", False)
    ordering_key: ClassVar[str] = "id"
    not_found_message: ClassVar[str] = "Not found."

    def get_queryset(self) -> QuerySet:
        if self.visible is None:
            raise NotImplementedError("Give the view a visible(user) selector.")
        return self.plan(self.visible(api_viewer(self.request)))

    def plan(self, queryset: QuerySet) -> QuerySet:
        return queryset

    # One object → its dict (``staticmethod``); a view that represents a page at once (one query
    # for every row's links) overrides ``represent`` instead.
    represent_one: ClassVar[Callable[[Any], dict] | None] = None

    def represent(self, rows: list) -> list[dict]:
        if self.represent_one is None:
            raise NotImplementedError("Give the view a represent_one or a represent.")
        return [self.represent_one(row) for row in rows]

    def document(self, obj) -> bytes:
        return orjson.dumps(self.represent([obj])[0])

    def get_object_or_404(self, pk: int):
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise NotFound(self.not_found_message)
        return obj


class ResourceListApi(ResourceMixin, generics.GenericAPIView):
    create_serializer: ClassVar[type[Serializer] | None] = None
    # The service that creates (``staticmethod``): called with ``actor`` and the validated data.
    create_service: ClassVar[Callable[..., Any] | None] = None

    def list(self, request: Request) -> HttpResponse:
        queryset = self.get_queryset()
        if self.filterset_class is not None:
            kwargs = {}
            if self.filter_scopes:
                viewer = api_viewer(request)
                kwargs["scopes"] = {name: selector(viewer) for name, selector in self.filter_scopes.items()}
            filterset = self.filterset_class(request.query_params, queryset=queryset, request=request,
                                             **kwargs)
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            queryset = filterset.qs
        page = paginate(queryset, request, ordering_key=self.ordering_key, ordering=self.ordering)
        body = page_body(page, [orjson.dumps(item) for item in self.represent(page.rows)])
        return conditional_json(request, body)

    def get(self, request: Request) -> HttpResponse:
        return self.list(request)

    def post(self, request: Request) -> HttpResponse:
        return self.create(request)

    def create_object(self, request: Request, data: dict):
        if self.create_service is None:
            raise NotImplementedError("Give the view a create_service or a create_object.")
        return self.create_service(actor=request.user, **data)

    def create(self, request: Request) -> HttpResponse:
        serializer = self.create_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.create_object(request, dict(serializer.validated_data))
        # Re-read through the planned, visibility-limited queryset (a caller whose view is public
        # may create something it cannot see yet: it gets the id only).
        visible = self.get_queryset().filter(pk=obj.pk).first()
        body = self.document(visible) if visible is not None else orjson.dumps({"id": obj.pk})
        return json_bytes_response(body, status=status.HTTP_201_CREATED, etag=content_etag(body),
                                   headers={"Location": f"{request.path}{obj.pk}/"})


class ResourceDetailApi(ResourceMixin, generics.GenericAPIView):
    update_serializer: ClassVar[type[Serializer] | None] = None
    # The service that updates (``staticmethod``): called with ``actor``, the object under its
    # model's name (``outlet=…``), ``expected`` (compared under its row lock) and the data.
    update_service: ClassVar[Callable[..., Any] | None] = None

    def retrieve(self, request: Request, pk: int) -> HttpResponse:
        return conditional_json(request, self.document(self.get_object_or_404(pk)))

    def get(self, request: Request, pk: int) -> HttpResponse:
        return self.retrieve(request, pk)

    def patch(self, request: Request, pk: int) -> HttpResponse:
        return self.update(request, pk, partial=True)

    def put(self, request: Request, pk: int) -> HttpResponse:
        return self.update(request, pk, partial=False)

    # True when ``update_object`` passes ``expected`` to a service that compares it under its lock.
    # A view whose service does not take it yet keeps the view-side lock below.
    service_checks_expected: ClassVar[bool] = False

    def update_object(self, request: Request, obj, data: dict, *, expected: ExpectedEtag | None = None):
        if self.update_service is None:
            raise NotImplementedError("Give the view an update_service or an update_object.")
        return self.update_service(actor=request.user, expected=expected,
                                   **{obj._meta.model_name: obj}, **data)

    def current_etag(self, obj) -> str:
        """The ETag of ``obj`` as this viewer sees it now (read again: call it under the lock)."""
        return content_etag(self.document(self.get_object_or_404(obj.pk)))

    def lock_for_write(self, pk: int) -> None:
        """For views whose service takes no ``expected``: lock the row (FOR NO KEY UPDATE) until
        the write commits, so the If-Match comparison and the write see the same state."""
        self.queryset.model.objects.select_for_update(no_key=True).filter(pk=pk).values_list(
            "pk", flat=True).first()

    def update(self, request: Request, pk: int, *, partial: bool) -> HttpResponse:
        obj = self.get_object_or_404(pk)
        expected = expected_etag(request, self.current_etag)  # 428 without If-Match
        expected.check(obj)  # a stale ETag is a 412 before the body is validated (unlocked read)
        serializer = self.update_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            if self.service_checks_expected or self.update_service is not None:
                self.update_object(request, obj, dict(serializer.validated_data), expected=expected)
            else:
                self.lock_for_write(pk)
                check_if_match(request, self.current_etag(obj))
                self.update_object(request, obj, dict(serializer.validated_data))
            body = self.document(self.get_object_or_404(pk))
        return json_bytes_response(body, etag=content_etag(body))


def resource_schemas(item, write, plural: str, *, update=None) -> tuple[dict, dict]:
    """``extend_schema_view`` arguments for a resource's list view and detail view."""
    list_errors = error_responses(400, 429)
    update = update or write
    list_view = {
        "get": extend_schema(summary=f"List {plural}", parameters=LIST_PARAMETERS,
                             responses={200: page_of(item, f"{item.__name__}Page"), 304: None,
                                        **list_errors}),
        "post": extend_schema(summary=f"Create ({plural})", request=write,
                              responses={201: item, **error_responses(400, 401, 403, 415, 429)}),
    }
    edit = extend_schema(summary=f"Edit ({plural})", parameters=[IF_MATCH], request=update,
                         responses={200: item, **error_responses(*WRITE_ERRORS)})
    detail_view = {
        "get": extend_schema(summary=f"One of the {plural}", parameters=[IF_NONE_MATCH],
                             responses={200: item, 304: None, **error_responses(404, 429)}),
        "patch": edit,
        "put": edit,
    }
    return list_view, detail_view


def resource_views(model, *, plural: str, item, write, represent: Callable[[Any], dict],
                   create: Callable[..., Any], update: Callable[..., Any], filterset=None,
                   visible: Callable[[Any], QuerySet] | None = None,
                   plan: Callable[[QuerySet], QuerySet] | None = None,
                   **attrs: Any) -> tuple[type[ResourceListApi], type[ResourceDetailApi]]:
    """The list view and the detail view (``<Model>ListApi``, ``<Model>DetailApi``) of a resource
    that needs no more than the base views, with their schemas (``resource_schemas``).

    ``represent`` turns one object into the dict ``item`` documents; ``write`` validates creates and
    updates; ``create`` and ``update`` are the services; ``plan(queryset)`` adds its joins; a 404
    says "No such <verbose name>."; ``attrs`` are further class attributes of both views
    (``ordering``, ``permission_classes``, ``write_permissions``…).
    """
    shared = {
        # Named as if written in the calling module (like ``collections.namedtuple``).
        "__module__": sys._getframe(1).f_globals.get("__name__", __name__),
        "queryset": model.objects.none(),
        "not_found_message": f"No such {model._meta.verbose_name}.",
        "represent_one": staticmethod(represent),
        **attrs,
    }
    if visible is not None:
        shared["visible"] = staticmethod(visible)
    if plan is not None:
        shared["plan"] = staticmethod(plan)
    list_schema, detail_schema = resource_schemas(item, write, plural)
    list_view = type(f"{model.__name__}ListApi", (ResourceListApi,), {
        **shared, "filterset_class": filterset, "create_serializer": write,
        "create_service": staticmethod(create)})
    detail_view = type(f"{model.__name__}DetailApi", (ResourceDetailApi,), {
        **shared, "update_serializer": write, "update_service": staticmethod(update)})
    return extend_schema_view(**list_schema)(list_view), extend_schema_view(**detail_schema)(detail_view)
