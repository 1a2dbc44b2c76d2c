"""Shared filter classes (factcheck/api/filtering.py)."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from rest_framework.test import APIClient

from claims.filters import ClaimFilter
from claims.models import Claim
from sources.filters import QuoteFilter, SourceFilter
from sources.models import Quote, Source
from tests.api_helpers import assert_error

pytestmark = pytest.mark.django_db


def test_form_class_is_built_once_per_filterset_class():
    first = ClaimFilter(QueryDict("rating=false"), queryset=Claim.objects.none())
    second = ClaimFilter(QueryDict("rating=true"), queryset=Claim.objects.none())
    assert first.get_form_class() is second.get_form_class()
    assert set(first.form.fields) == set(ClaimFilter.base_filters)
    # Each request still validates with its own field copies and its own data.
    assert first.form.fields["rating"] is not second.form.fields["rating"]
    assert first.is_valid() and second.is_valid()
    assert [r.slug for r in first.form.cleaned_data["rating"]] == ["false"]
    assert [r.slug for r in second.form.cleaned_data["rating"]] == ["true"]


def test_sibling_filtersets_do_not_share_a_form_class():
    quotes = QuoteFilter(QueryDict(""), queryset=Quote.objects.none()).get_form_class()
    sources = SourceFilter(QueryDict(""), queryset=Source.objects.none()).get_form_class()
    assert quotes is not sources
    assert set(quotes.base_fields) == set(QuoteFilter.base_filters)
    assert set(sources.base_fields) == set(SourceFilter.base_filters)


@pytest.mark.usefixtures("fresh_throttles")
@pytest.mark.parametrize("url", [
    "/api/v1/claims/?published_after=0974-03-26T02:20:27-22:32",  # found by schemathesis (was a 500)
    "/api/v1/claims/?updated_after=2025-01-01T00:00:00%2B15:00",
    "/api/v1/sources/?published_before=2025-01-01T00:00:00-14:30",
])
def test_an_impossible_utc_offset_is_a_400_naming_the_parameter(url):
    parameter = url.split("?")[1].split("=")[0]
    error = assert_error(APIClient().get(url), 400)
    assert list(error["fields"]) == [parameter]


@pytest.mark.usefixtures("fresh_throttles")
def test_real_utc_offsets_are_accepted():
    for offset in ("%2B14:00", "-12:00", "%2B05:45", "Z"):
        response = APIClient().get(f"/api/v1/claims/?published_after=2025-01-01T00:00:00{offset}")
        assert response.status_code == 200, (offset, response.content)


@pytest.mark.usefixtures("fresh_throttles")
@pytest.mark.parametrize("url", ["/api/v1/claims/?source=1.5", "/api/v1/claims/?source=0",
                                 "/api/v1/quotes/?source=1.0",
                                 "/api/v1/quotes/?source=99999999999999999999999"])
def test_id_filters_take_whole_positive_numbers_only(url):
    error = assert_error(APIClient().get(url), 400)
    assert list(error["fields"]) == ["source"]


def test_each_filterset_gets_its_own_filters_bound_to_it(rf):
    """Filters are copied one level deep per FilterSet (factcheck/api/filtering.py): each copy
    has its own parent, and a method filter calls its own FilterSet's method."""
    from claims.filters import ClaimFilter
    from claims.models import Claim

    first = ClaimFilter({"q": ""}, queryset=Claim.objects.all(), request=rf.get("/"))
    second = ClaimFilter({}, queryset=Claim.objects.all(), request=rf.get("/"))
    assert first.filters.keys() == ClaimFilter.base_filters.keys()
    for name, filter_ in first.filters.items():
        assert filter_ is not second.filters[name] and filter_ is not ClaimFilter.base_filters[name]
        assert filter_.parent is first and second.filters[name].parent is second
        if filter_.method is not None:
            assert filter_.filter.f is filter_ and filter_.filter.method.__self__ is first
    assert any(f.method is not None for f in first.filters.values())
