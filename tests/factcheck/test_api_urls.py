"""factcheck/api_urls.py: the route helpers ``resource_paths`` and ``member_paths``."""

from __future__ import annotations

from django.urls import resolve, reverse
from rest_framework.views import APIView

from factcheck.api_urls import member_paths, resource_paths


class ListView(APIView):
    pass


class DetailView(APIView):
    pass


def test_resource_paths_are_a_list_and_a_detail_route():
    routes = resource_paths("things", "thing", ListView, DetailView)
    assert [(str(route.pattern), route.name) for route in routes] == [
        ("things/", "thing-list"), ("things/<oid:pk>/", "thing-detail")]


def test_member_paths_are_one_action_route_per_view_in_order():
    routes = member_paths("things", "thing", {"accept": ListView, "history": DetailView})
    assert [(str(route.pattern), route.name, route.callback.view_class) for route in routes] == [
        ("things/<oid:pk>/accept/", "thing-accept", ListView),
        ("things/<oid:pk>/history/", "thing-history", DetailView),
    ]


def test_the_api_routes_built_by_member_paths_keep_their_names():
    assert reverse("api:triage-dismiss", kwargs={"pk": 4}) == "/api/v1/triage/4/dismiss/"
    assert reverse("api:claim-claimreview", kwargs={"pk": 2}) == "/api/v1/claims/2/claimreview/"
    assert resolve("/api/v1/saved-searches/3/export/").view_name == "api:saved-search-export"
